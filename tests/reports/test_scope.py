"""Scope: reviewers see their communes, officers their own, everything else is 404."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from reports import scope
from reports.demo import AFTER, BEFORE, NEW_VINH_LINH, VINH_LINH, VINH_LONG
from reports.models import AdministrativeUnit, Membership, ReportStatus, Role, UnitLevel

pytestmark = pytest.mark.django_db


def test_reviewer_of_vinh_linh_sees_its_18_communes(users):
    visible = AdministrativeUnit.objects.visible_to(users["reviewer"]).valid_on(BEFORE)
    assert visible.count() == 18
    assert all(u.parent.code == VINH_LINH for u in visible)


def test_officer_sees_only_own_commune(users, vinh_long):
    assert list(AdministrativeUnit.objects.visible_to(users["officer"]).valid_on(BEFORE)) == [vinh_long]


def test_reviewer_gets_404_for_commune_of_another_district(as_user, make_report):
    outside = AdministrativeUnit.objects.communes().valid_on(BEFORE).exclude(parent__code=VINH_LINH).first()
    report = make_report(outside, 2024, "Q2")
    assert as_user("reviewer").get(f"/bao-cao/{report.pk}/").status_code == 404


@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 200), ("leader", 200), ("other_officer", 404), ("reviewer", 200),
    ("outside_reviewer", 404), ("province_reviewer", 404), ("admin", 200),
])
def test_report_overview_permissions(as_user, report, role, expected):
    assert as_user(role).get(f"/bao-cao/{report.pk}/").status_code == expected


def test_reviewer_may_view_but_not_edit(as_user, report):
    response = as_user("reviewer").post(f"/bao-cao/{report.pk}/thong-tin/", {"header-place": "X"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.place != "X"
    assert report.status == ReportStatus.DRAFT


# --- reports.scope: the one place that knows the unit tree ----------------------------------------

def descendants_by_parents(unit, level=None):
    """Units under ``unit`` found by walking the parent links (independent of the stored paths)."""
    below = set()
    for candidate in AdministrativeUnit.objects.select_related("parent__parent__parent"):
        ancestor = candidate.parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                if level is None or candidate.level == level:
                    below.add(candidate.pk)
                break
            ancestor = ancestor.parent
    return below


def membership_unit(user, role=None):
    memberships = Membership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.select_related("unit").first().unit


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_visible_communes_of_commune_staff_are_their_own(users, vinh_long, ho_xa):
    assert pks(scope.visible_communes(users["officer"]).valid_on(BEFORE)) == {vinh_long.pk}
    assert pks(scope.visible_communes(users["leader"]).valid_on(BEFORE)) == {vinh_long.pk}
    assert pks(scope.visible_communes(users["other_officer"]).valid_on(BEFORE)) == {ho_xa.pk}
    # the officer also holds today's merged commune: one commune per side of the 2025 reform
    assert pks(scope.visible_communes(users["officer"]).valid_on(AFTER)) == {
        AdministrativeUnit.objects.resolve(NEW_VINH_LINH, AFTER).pk}


@pytest.mark.parametrize("role", ["reviewer", "outside_reviewer", "province_reviewer"])
def test_visible_communes_of_a_reviewer_are_every_commune_below_their_unit(users, role):
    unit = membership_unit(users[role], Role.REVIEWER)
    expected = descendants_by_parents(unit, UnitLevel.COMMUNE)
    assert expected, "the reviewer's unit has communes"
    assert pks(scope.visible_communes(users[role])) == expected


def test_reviewers_of_two_districts_see_disjoint_communes(users):
    inside = pks(scope.visible_communes(users["reviewer"]))
    outside = pks(scope.visible_communes(users["outside_reviewer"]))
    assert inside and outside and not inside & outside


def test_the_admin_sees_every_commune_and_nobody_else_sees_any(users, django_user_model):
    assert pks(scope.visible_communes(users["admin"])) == pks(AdministrativeUnit.objects.communes())
    assert not scope.visible_communes(AnonymousUser()).exists()
    nobody = django_user_model.objects.create_user("khong.vai.tro")
    assert not scope.visible_communes(nobody).exists()
    officer = users["officer"]
    officer.is_active = False
    assert not scope.visible_communes(officer).exists()


def test_is_over_follows_the_path(users, vinh_long, ho_xa):
    reviewer, outsider, officer = users["reviewer"], users["outside_reviewer"], users["officer"]
    assert scope.is_over(reviewer, scope.REVIEW_ROLES, vinh_long)
    assert scope.is_over(reviewer, scope.REVIEW_ROLES, ho_xa)
    assert scope.is_over(reviewer, scope.REVIEW_ROLES, vinh_long.parent)
    assert not scope.is_over(reviewer, scope.REVIEW_ROLES, vinh_long.parent.parent)  # not above the district
    assert not scope.is_over(outsider, scope.REVIEW_ROLES, vinh_long)
    assert scope.is_over(officer, scope.COMMUNE_ROLES, vinh_long)
    assert not scope.is_over(officer, scope.COMMUNE_ROLES, ho_xa)
    assert scope.is_over(users["admin"], scope.REVIEW_ROLES, ho_xa)  # unattached: national


def test_is_over_reads_the_stored_path_without_walking_parents(users, vinh_long, django_assert_num_queries):
    reviewer = users["reviewer"]
    scope.memberships(reviewer)  # fetched once per user object
    expected = [vinh_long.parent.parent_id, vinh_long.parent_id]
    unit = AdministrativeUnit.objects.get(pk=vinh_long.pk)  # parent not loaded
    with django_assert_num_queries(0):
        assert scope.is_over(reviewer, scope.REVIEW_ROLES, unit)
        assert scope.ancestor_ids(unit) == expected


def test_units_below_at_any_depth(vinh_long):
    district = vinh_long.parent
    province = district.parent
    assert pks(scope.units_below(province)) == descendants_by_parents(province)
    assert pks(scope.units_below(district)) == descendants_by_parents(district)
    assert vinh_long.pk in pks(scope.units_below(province)) and district.pk in pks(scope.units_below(province))
    assert not scope.units_below(vinh_long).exists()
    assert pks(scope.communes_below(province)) == descendants_by_parents(province, UnitLevel.COMMUNE)


def make_unit(code, level, parent=None):
    return AdministrativeUnit.objects.create(
        code=code, name=f"Đơn vị {code}", unit_type="xa" if level == UnitLevel.COMMUNE else "tinh", level=level,
        parent=parent, valid_from=dt.date(2020, 1, 1))


@pytest.fixture
def four_levels(db):
    """A made-up tree four levels deep: region → province → district → commune."""
    region = make_unit("V1", UnitLevel.PROVINCE)
    province = make_unit("V11", UnitLevel.PROVINCE, region)
    district = make_unit("V111", UnitLevel.DISTRICT, province)
    commune = make_unit("V1111", UnitLevel.COMMUNE, district)
    return region, province, district, commune


def test_depth_is_not_hard_coded(four_levels, django_user_model):
    region, province, district, commune = four_levels
    assert commune.path == f"/{region.pk}/{province.pk}/{district.pk}/{commune.pk}/"
    assert scope.ancestor_ids(commune) == [region.pk, province.pk, district.pk]
    assert pks(scope.communes_below(region)) == {commune.pk}
    assert pks(scope.units_below(region)) == {province.pk, district.pk, commune.pk}
    reviewer = django_user_model.objects.create_user("noivu.vung")
    Membership.objects.create(user=reviewer, unit=region, role=Role.REVIEWER)
    assert pks(scope.visible_communes(reviewer)) == {commune.pk}
    assert scope.is_over(reviewer, scope.REVIEW_ROLES, commune)
    assert scope.reviews(reviewer, district)
    assert not scope.is_over(reviewer, scope.REVIEW_ROLES, AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE))


def test_rebuild_paths_after_a_change_of_parent(four_levels):
    region, province, district, commune = four_levels
    other = make_unit("V2", UnitLevel.PROVINCE)
    # A bulk change of parent (no save(): paths are stale) until rebuild_paths runs.
    AdministrativeUnit.objects.filter(pk=province.pk).update(parent=other)
    assert pks(scope.units_below(other)) == set()
    assert scope.rebuild_paths() == 3  # the province, its district and its commune
    assert pks(scope.units_below(other)) == {province.pk, district.pk, commune.pk}
    assert pks(scope.units_below(region)) == set()
    commune.refresh_from_db()
    assert commune.path == f"/{other.pk}/{province.pk}/{district.pk}/{commune.pk}/"
    assert scope.rebuild_paths() == 0  # nothing left to fix


def test_saving_a_new_parent_moves_the_whole_subtree(four_levels):
    region, province, district, commune = four_levels
    other = make_unit("V2", UnitLevel.PROVINCE)
    district.parent = other
    district.save()
    commune.refresh_from_db()
    assert commune.path == f"/{other.pk}/{district.pk}/{commune.pk}/"
    assert pks(scope.communes_below(other)) == {commune.pk}
    assert not scope.communes_below(province).exists()
