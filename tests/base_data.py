"""Base data every test starts from: the demo's units (provinces 44, 45), periods 2023–2026 and one
user per role, plus a second commune officer and an out-of-scope reviewer for permission tests."""

import datetime as dt
import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reports.demo import BEFORE, VINH_LINH, VINH_LONG, load_users
from reports.importers import load_units
from reports.models import AdministrativeUnit, Membership, ReportingPeriod, Role
from reports.services import open_year_periods

OTHER_COMMUNE = "19363"  # Thị trấn Hồ Xá, also in huyện Vĩnh Linh (before 2025)


def load_base_data():
    if AdministrativeUnit.objects.exists():
        return
    load_units(["44", "45"])
    if apps.is_installed("indicators"):
        # The statistics appendix catalogue every report uses (Phụ lục 01b), through the app's
        # own command: the core-only suite (CCHC_PLUGINS=) never imports the plug-in.
        call_command("load_indicators", stdout=io.StringIO(), stderr=io.StringIO())
    for year in range(2023, 2027):
        open_year_periods(year)
    users = load_users()
    User = get_user_model()
    other = User.objects.create_user("canbo.hoxa", email="hoxa@example.vn")
    other.password = users["canbo.vinhlong"].password
    other.save()
    Membership.objects.create(user=other, unit=AdministrativeUnit.objects.resolve(OTHER_COMMUNE, BEFORE), role=Role.OFFICER)
    vinh_linh = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    other_district = (
        AdministrativeUnit.objects.filter(level="district", parent=vinh_linh.parent).exclude(pk=vinh_linh.pk)
        .order_by("code").first()
    )
    outsider = User.objects.create_user("noivu.khac", email="khac@example.vn")
    outsider.password = other.password
    outsider.save()
    Membership.objects.create(user=outsider, unit=other_district, role=Role.REVIEWER)
    return users


__all__ = ["load_base_data", "VINH_LONG", "VINH_LINH", "OTHER_COMMUNE", "BEFORE", "ReportingPeriod", "dt"]
