"""The reviewer's home opens on the latest year with reports of an existing unit; years and ids are
never printed with thousand separators."""

import pytest

pytestmark = pytest.mark.django_db


def test_abolished_district_opens_on_its_latest_year_with_reports(as_user, report):
    page = as_user("reviewer").get("/").content.decode()
    assert "Huyện Vĩnh Linh — năm 2024" in page
    assert "2.024" not in page
    assert "?nam=2026" not in page  # the district does not exist in 2026


def test_year_can_be_chosen(as_user, report):
    page = as_user("reviewer").get("/?nam=2023").content.decode()
    assert "Huyện Vĩnh Linh — năm 2023" in page


def test_hidden_revision_is_not_grouped(as_user, report):
    report.part_revisions = {"header": 1234}
    report.save()
    page = as_user("officer").get(f"/bao-cao/{report.pk}/thong-tin/").content.decode()
    assert 'value="1234"' in page
