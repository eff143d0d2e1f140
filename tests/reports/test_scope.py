"""Scope: reviewers see their communes, officers their own, everything else is 404."""

import pytest

from reports.demo import BEFORE, VINH_LINH
from reports.models import AdministrativeUnit, ReportStatus

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
