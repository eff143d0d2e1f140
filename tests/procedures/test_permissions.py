"""Who may open and save the procedures app's screens: anonymous, own commune, other commune,
reviewer in scope (read-only), reviewer out of scope, admin."""

import pytest

from procedures.models import OneStopStats, TimeCut
from reports.models import ReportStatus

from .conftest import SEED_CORRECTED, one_stop_data, procedures_data

pytestmark = pytest.mark.django_db

MATRIX = [
    (None, 302), ("officer", 200), ("leader", 200), ("other_officer", 404), ("reviewer", 200),
    ("province_reviewer", 404), ("outside_reviewer", 404), ("admin", 200),
]
PAGES = ["mot-cua/", "mot-cua/ty-le/", "thu-tuc/"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role, expected", MATRIX)
def test_get(as_user, report, page, role, expected):
    response = as_user(role).get(f"/thu-tuc/bao-cao/{report.pk}/{page}")
    assert response.status_code == expected
    if role is None:
        assert response["Location"].startswith("/dang-nhap/")


def post_data(report, page):
    if page == "mot-cua/":
        return one_stop_data(report, SEED_CORRECTED)
    return procedures_data(report, cuts=[{"procedure_name": "Công nhận hòa giải viên", "legal_days": "5",
                                          "cut_days": "2"}])


@pytest.mark.parametrize("page", ["mot-cua/", "thu-tuc/"])
@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 302), ("other_officer", 404), ("reviewer", 403), ("outside_reviewer", 404),
    ("admin", 302),
])
def test_post(as_user, report, page, role, expected):
    response = as_user(role).post(f"/thu-tuc/bao-cao/{report.pk}/{page}", post_data(report, page))
    assert response.status_code == expected
    saved = OneStopStats.objects.filter(report=report).exists() or TimeCut.objects.filter(report=report).exists()
    assert saved == (role in ("officer", "admin"))


def test_rates_endpoint_is_read_only(as_user, report):
    response = as_user("officer").post(f"/thu-tuc/bao-cao/{report.pk}/mot-cua/ty-le/", {"one_stop-online": "3"})
    assert response.status_code == 405


@pytest.mark.parametrize("page", ["mot-cua/", "thu-tuc/"])
def test_nobody_saves_into_a_submitted_report(as_user, report, page):
    report.status = ReportStatus.SUBMITTED
    report.save()
    body = as_user("officer").get(f"/thu-tuc/bao-cao/{report.pk}/{page}").content.decode()
    assert "Chế độ chỉ xem" in body
    assert as_user("officer").post(f"/thu-tuc/bao-cao/{report.pk}/{page}",
                                   post_data(report, page)).status_code == 403


@pytest.mark.parametrize("role, expected", [("admin", 200), ("officer", 302), ("reviewer", 302)])
def test_only_admins_edit_the_catalogue_in_django_admin(as_user, role, expected, vinh_long):
    from procedures.models import Procedure

    procedure = Procedure.objects.create(unit=vinh_long, field="Hộ tịch", name="Đăng ký khai sinh", legal_days=1)
    client = as_user(role)
    response = client.get("/quan-tri/procedures/procedure/")
    assert response.status_code == expected
    if role == "admin":
        assert "Đăng ký khai sinh" in response.content.decode()
        assert client.get(f"/quan-tri/procedures/procedure/{procedure.pk}/change/").status_code == 200


def admin_change(client, procedure, **values):
    data = {"field": procedure.field, "name": procedure.name, "national_code": procedure.national_code,
            "legal_days": str(procedure.legal_days), "online_service_type": procedure.online_service_type,
            "active": "on", **values}
    return client.post(f"/quan-tri/procedures/procedure/{procedure.pk}/change/", data)


def test_django_admin_saves_the_catalogue_through_its_service(as_user, vinh_long, monkeypatch):
    from procedures import services
    from procedures.models import Procedure

    calls = []
    save = services.save_catalogue
    monkeypatch.setattr(services, "save_catalogue", lambda unit, **kw: calls.append(unit.pk) or save(unit, **kw))
    procedure = Procedure.objects.create(unit=vinh_long, field="Hộ tịch", name="Đăng ký khai sinh", legal_days=1)
    assert admin_change(as_user("admin"), procedure, legal_days="2").status_code == 302
    assert calls == [vinh_long.pk]
    procedure.refresh_from_db()
    assert procedure.legal_days == 2


def test_staff_who_is_no_officer_of_the_commune_cannot_change_its_catalogue_in_django_admin(vinh_long, client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from procedures.models import Procedure

    staff = get_user_model().objects.create_user("nhanvien", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_procedure", "change_procedure",
                                                                        "delete_procedure"]))
    client.force_login(staff)
    procedure = Procedure.objects.create(unit=vinh_long, field="Hộ tịch", name="Đăng ký khai sinh", legal_days=1)
    assert admin_change(client, procedure, legal_days="2").status_code == 403
    assert client.post(f"/quan-tri/procedures/procedure/{procedure.pk}/delete/", {"post": "yes"}).status_code == 403
    procedure.refresh_from_db()
    assert procedure.legal_days == 1
