"""The unit loader: codes are reused across the 1/7/2025 reform, so a unit is found by code and day,
never by code alone; the 2025 communes keep their lineage; loading twice changes nothing."""

import datetime as dt

import pytest
from django.core.management import call_command

from reports.models import AdministrativeUnit, UnitLevel, UnitLineage, UnitType

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2024, 6, 1)
AFTER = dt.date(2025, 8, 1)


def test_code_19363_is_ho_xa_before_the_reform():
    unit = AdministrativeUnit.objects.resolve("19363", BEFORE)
    assert unit.name == "Thị trấn Hồ Xá"
    assert unit.unit_type == UnitType.THI_TRAN
    assert unit.level == UnitLevel.COMMUNE
    assert unit.valid_to == dt.date(2025, 6, 30)
    assert unit.parent.name == "Huyện Vĩnh Linh"
    assert unit.province.code == "45"
    assert unit.province.name == "Tỉnh Quảng Trị"


def test_code_19363_is_xa_vinh_linh_after_the_reform():
    unit = AdministrativeUnit.objects.resolve("19363", AFTER)
    assert unit.name == "Xã Vĩnh Linh"
    assert unit.unit_type == UnitType.XA
    assert unit.valid_from == dt.date(2025, 7, 1) and unit.valid_to is None
    assert unit.parent.code == "44"  # two tiers: straight under the new Quảng Trị
    assert unit.parent.level == UnitLevel.PROVINCE
    assert unit.committee_name == "UBND xã Vĩnh Linh"


def test_xa_vinh_linh_was_formed_from_three_communes():
    unit = AdministrativeUnit.objects.resolve("19363", AFTER)
    predecessors = unit.lineage.select_related("predecessor").order_by("predecessor__code")
    assert [link.predecessor.code for link in predecessors] == ["19363", "19375", "19387"]
    assert {link.predecessor.name for link in predecessors} >= {"Thị trấn Hồ Xá", "Xã Vĩnh Long"}
    assert all(link.predecessor.valid_to == dt.date(2025, 6, 30) for link in predecessors)


def test_province_codes_changed_with_the_reform():
    assert AdministrativeUnit.objects.resolve("45", BEFORE).name == "Tỉnh Quảng Trị"
    assert AdministrativeUnit.objects.resolve("44", BEFORE).name == "Tỉnh Quảng Bình"
    assert AdministrativeUnit.objects.resolve("44", AFTER).name == "Tỉnh Quảng Trị"
    assert not AdministrativeUnit.objects.valid_on(AFTER).filter(code="45").exists()


def test_code_alone_is_ambiguous():
    assert AdministrativeUnit.objects.filter(code="19363").count() == 2
    with pytest.raises(AdministrativeUnit.DoesNotExist):
        AdministrativeUnit.objects.resolve("19363", dt.date(1999, 1, 1))


def test_vinh_linh_had_18_communes():
    district = AdministrativeUnit.objects.resolve("464", BEFORE)
    assert AdministrativeUnit.objects.communes().below(district).valid_on(BEFORE).count() == 18


def test_no_district_after_the_reform():
    assert not AdministrativeUnit.objects.valid_on(AFTER).filter(level=UnitLevel.DISTRICT).exists()


def test_short_name_drops_the_type_prefix():
    assert AdministrativeUnit.objects.resolve("19387", BEFORE).short_name == "Vĩnh Long"


def test_loading_again_changes_nothing(capsys):
    units, links = AdministrativeUnit.objects.count(), UnitLineage.objects.count()
    call_command("load_units", "--province", "44", "--province", "45")
    assert "Đã nạp" in capsys.readouterr().out
    assert (AdministrativeUnit.objects.count(), UnitLineage.objects.count()) == (units, links)
