"""Refused actions leave the report as it was. The permission matrix over every URL of every app,
with the exact status per role, is tests/security/test_permission_matrix.py."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_refused_actions_change_nothing(as_user, report):
    """403s and 404s happen before any change: the report stays a draft with one timeline row."""
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"  # complete: only permissions stop it
    report.save()
    assert as_user("officer").post(reverse("report-submit", kwargs={"pk": report.pk})).status_code == 403
    for role, status in (("other_officer", 404), ("reviewer", 403), ("outside_reviewer", 404),
                         ("province_reviewer", 404)):
        client = as_user(role)
        assert client.post(reverse("report-submit", kwargs={"pk": report.pk})).status_code == status
        response = client.post(reverse("part-header", kwargs={"report_pk": report.pk}), {"header-place": "Sai"})
        assert response.status_code == status
    report.refresh_from_db()
    assert report.status == "draft" and report.place == "Vĩnh Long"
    assert report.transitions.count() == 1


def test_a_wrong_state_transition_is_refused_to_the_superuser_too(as_user, report):
    """Approving, returning or reopening a draft is not a right anyone has, the admin included."""
    client = as_user("admin")
    for name, data in (("report-approve", {}), ("report-return", {"reason": "Thiếu"}),
                       ("report-reopen", {"reason": "Sửa"})):
        assert client.post(reverse(name, kwargs={"pk": report.pk}), data).status_code == 403
    report.refresh_from_db()
    assert report.status == "draft" and report.transitions.count() == 1
