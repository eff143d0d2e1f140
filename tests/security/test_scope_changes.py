"""Scope beyond the status code: lists show only what is in scope, and a generated file follows the
requester's scope at download time, not the one they had when they asked for it (issue 8)."""

import pytest
from django.urls import reverse

from reports.models import AdministrativeUnit, Membership, Role

pytestmark = [pytest.mark.django_db, pytest.mark.requires_plugin("indicators")]

# Which criteria sets each role may see: province 45's (2023, 2024) apply to every commune of the old
# Quảng Trị, huyện Vĩnh Linh's to its communes and reviewer, Quảng Bình's only to Quảng Bình.
VISIBLE_SETS = {
    "officer": {"set_2023", "set_2024", "district_set"},
    "other_officer": {"set_2023", "set_2024", "district_set"},
    "leader": {"set_2023", "set_2024", "district_set"},
    "reviewer": {"set_2023", "set_2024", "district_set"},
    "outside_reviewer": {"set_2023", "set_2024"},
    "foreign_reviewer": {"foreign_set"},
    "admin": {"set_2023", "set_2024", "district_set", "foreign_set"},
}


@pytest.mark.parametrize("role", sorted(VISIBLE_SETS))
def test_criteria_set_list_shows_only_the_sets_in_scope(objects, client_for, role):
    html = client_for(role).get(reverse("criteria-set-list")).content.decode()
    shown = {name for name in ("set_2023", "set_2024", "district_set", "foreign_set")
             if f'href="{reverse("criteria-set-detail", kwargs={"pk": getattr(objects, name)})}"' in html}
    assert shown == VISIBLE_SETS[role]


def export_download_url(objects):
    return reverse("document-download", kwargs={"pk": objects.export_document})


def test_export_is_not_downloaded_after_the_requester_lost_the_reviewer_role(objects, client_for):
    client = client_for("reviewer")
    url = export_download_url(objects)
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=objects.users["reviewer"], role=Role.REVIEWER).delete()
    assert client.get(url).status_code == 404


def test_export_is_not_downloaded_after_the_requester_moved_to_another_district(objects, client_for):
    client = client_for("reviewer")
    url = export_download_url(objects)
    other_district = AdministrativeUnit.objects.get(
        pk=Membership.objects.get(user=objects.users["outside_reviewer"]).unit_id)
    Membership.objects.filter(user=objects.users["reviewer"], role=Role.REVIEWER).update(unit=other_district)
    assert client.get(url).status_code == 404
