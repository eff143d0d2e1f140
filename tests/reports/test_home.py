"""Home page per role: the commune's own periods for officers and leaders, the communes × periods
table for reviewers (18 communes for huyện Vĩnh Linh, the 78 communes of today's Quảng Trị for the
province), the admin links for admins, and a hint for a user with no role."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from reports.demo import AFTER, BEFORE, NEW_VINH_LINH, VINH_LINH, VINH_LONG
from reports.models import REFORM_DATE, AdministrativeUnit, ReportingPeriod

pytestmark = pytest.mark.django_db

# Communes of Quảng Trị (44) since 1/7/2025, from fixtures/units/units-2025.csv.
QUANG_TRI_2025_COMMUNES = 78


def home(as_user, role):
    response = as_user(role).get("/")
    assert response.status_code == 200
    return response


def test_anonymous_is_sent_to_login(as_user):
    response = as_user(None).get("/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/?next=/"


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_commune_user_sees_its_communes_periods(as_user, role):
    response = home(as_user, role)
    blocks = {block["unit"].code: block for block in response.context["officer_rows"]}
    # The demo commune before the reform, and the commune it merged into after it.
    assert set(blocks) == {VINH_LONG, NEW_VINH_LINH}
    old = [row["period"] for row in blocks[VINH_LONG]["rows"]]
    new = [row["period"] for row in blocks[NEW_VINH_LINH]["rows"]]
    assert set(old) == set(ReportingPeriod.objects.filter(data_end__lt=REFORM_DATE))
    assert set(new) == set(ReportingPeriod.objects.filter(data_end__gte=REFORM_DATE))
    assert old[0].data_end > old[-1].data_end  # newest first
    assert response.context["reviewer_blocks"] == [] and not response.context["is_admin"]

    html = response.content.decode()
    assert "Báo cáo CCHC của Xã Vĩnh Long" in html and "Báo cáo CCHC của Xã Vĩnh Linh" in html
    assert "Quý II năm 2024" in html
    assert "Lập báo cáo" in html  # open periods without a report
    assert "Kỳ đã đóng" not in html or ReportingPeriod.objects.filter(is_open=False).exists()


def test_commune_home_shows_the_report_of_a_period(as_user, report):
    response = home(as_user, "officer")
    rows = {row["period"].pk: row for block in response.context["officer_rows"] for row in block["rows"]}
    assert rows[report.period.pk]["report"] == report
    assert f'href="/bao-cao/{report.pk}/"' in response.content.decode()


def test_overdue_period_without_report_is_flagged(as_user):
    response = home(as_user, "officer")
    rows = response.context["officer_rows"][0]["rows"]
    past = [row for row in rows if row["period"].deadline < dt.date.today()]
    assert past and all(row["overdue"] for row in past if row["report"] is None)
    assert "Quá hạn" in response.content.decode()


def test_district_reviewer_sees_its_18_communes(as_user):
    response = home(as_user, "reviewer")
    [block] = response.context["reviewer_blocks"]
    assert block["unit"] == AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    assert len(block["rows"]) == 18
    assert {row["unit"].parent.code for row in block["rows"]} == {VINH_LINH}
    assert all(len(row["cells"]) == len(block["periods"]) == 7 for row in block["rows"])
    assert response.context["officer_rows"] == []
    assert "18 đơn vị cấp xã" in response.content.decode()


def test_province_reviewer_sees_the_2025_communes(as_user):
    response = home(as_user, "province_reviewer")
    [block] = response.context["reviewer_blocks"]
    assert block["unit"] == AdministrativeUnit.objects.resolve("44", AFTER)
    assert len(block["rows"]) == QUANG_TRI_2025_COMMUNES
    assert all(row["unit"].valid_from >= REFORM_DATE for row in block["rows"])
    assert NEW_VINH_LINH in {row["unit"].code for row in block["rows"]}
    html = response.content.decode()
    assert "Tình hình gửi báo cáo — Tỉnh Quảng Trị" in html
    assert f"{QUANG_TRI_2025_COMMUNES} đơn vị cấp xã" in html


def test_province_reviewer_home_queries_do_not_grow_with_communes(as_user, django_assert_max_num_queries):
    client = as_user("province_reviewer")
    with django_assert_max_num_queries(15):
        assert client.get("/").status_code == 200


def test_admin_sees_the_admin_links(as_user):
    response = home(as_user, "admin")
    assert response.context["is_admin"]
    html = response.content.decode()
    assert "Quản trị" in html
    for link in ("/quan-tri/reports/administrativeunit/", "/quan-tri/auth/user/", "/quan-tri/reports/membership/"):
        assert link in html


def test_user_without_role_is_told_to_ask_the_admin(db):
    from django.test import Client

    user = get_user_model().objects.create_user("moi.tao", password="x")
    client = Client()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "chưa được phân quyền" in html
