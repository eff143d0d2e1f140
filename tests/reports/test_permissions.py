"""The permission matrix of every view of the core (reports/urls.py): anonymous users go to the
login page, a commune outside the user's scope is 404, in scope but not allowed is 403.

Roles (tests/conftest.py): the demo commune's officer and leader, another commune's officer, the
district reviewer in scope, a reviewer of another district, the province reviewer (of today's
Quảng Trị, so a 2024 report of the old province is out of scope) and the admin."""

import pytest
from django.urls import get_resolver, reverse

from reports import urls as report_urls
from reports.models import ReportingPeriod

pytestmark = pytest.mark.django_db

ROLES = ["officer", "leader", "other_officer", "reviewer", "outside_reviewer", "province_reviewer", "admin"]
OK = "ok"  # allowed: the view did its work (200, a redirect after a POST, or 422 for invalid input)


def row(officer, leader, other_officer, reviewer, outside_reviewer, province_reviewer, admin):
    return dict(zip(ROLES, (officer, leader, other_officer, reviewer, outside_reviewer, province_reviewer,
                            admin), strict=True))


READ = row(200, 200, 404, 200, 404, 404, 200)
EDIT = row(OK, OK, 404, 403, 404, 404, OK)
SUBMIT = row(403, OK, 404, 403, 404, 404, OK)
REVIEW = row(403, 403, 404, OK, 404, 404, OK)
ANY_USER = row(200, 200, 200, 200, 200, 200, 200)
REVIEWERS = row(403, 403, 403, 200, 200, 200, 200)

# (url name, method, kwargs from the fixtures, POST data, expected per role)
MATRIX = [
    ("home", "get", {}, None, ANY_USER),
    ("unit-list", "get", {}, None, ANY_USER),
    ("unit-detail", "get", {"pk": "unit"}, None, READ),
    ("report-open", "post", {"unit_pk": "unit", "period_pk": "new_period"}, {}, EDIT),
    ("report-import", "get", {}, None, ANY_USER),
    ("report-import", "post", {}, {}, row(422, 422, 422, 422, 422, 422, 422)),
    ("report-export", "get", {"pk": "report"}, None, READ),
    ("report-overview", "get", {"pk": "report"}, None, READ),
    ("report-history", "get", {"pk": "report"}, None, READ),
    ("part-header", "get", {"report_pk": "report"}, None, READ),
    ("part-header", "post", {"report_pk": "report"}, {"header-place": "Vĩnh Long"}, EDIT),
    ("part-direction", "get", {"report_pk": "report"}, None, READ),
    ("part-direction", "post", {"report_pk": "report"}, {}, EDIT),
    ("part-prose", "get", {"report_pk": "report"}, None, READ),
    ("part-prose", "post", {"report_pk": "report"}, {}, EDIT),
    ("report-submit", "post", {"pk": "report"}, {}, SUBMIT),
    ("report-return", "post", {"pk": "report"}, {"reason": "Thiếu số liệu"}, REVIEW),
    ("report-approve", "post", {"pk": "report"}, {}, REVIEW),
    ("report-reopen", "post", {"pk": "report"}, {"reason": "Sửa ngày"}, REVIEW),
    ("report-comment", "post", {"pk": "report", "part": "header"}, {"text": "Nhận xét"}, REVIEW),
    ("review-period", "get", {"period_pk": "period"}, None, REVIEWERS),
    ("review-period", "post", {"period_pk": "period"}, {"report": []}, row(403, 403, 403, OK, OK, OK, OK)),
]


def core_url_names():
    return {p.name for p in report_urls.urlpatterns if p.name}


def test_matrix_covers_every_core_view():
    assert core_url_names() - {name for name, *_rest in MATRIX} == set()


@pytest.fixture
def objects(report, period):
    """What the URLs point at: a draft report of Xã Vĩnh Long for Q2/2024, its commune, its period,
    and another open period of 2024 without a report (for report-open)."""
    new_period = ReportingPeriod.objects.get(year=2024, kind="Q3")
    new_period.is_open = True
    new_period.save()
    return {"report": report.pk, "unit": report.unit_id, "period": period.pk, "new_period": new_period.pk}


def url_of(name, kwargs, objects):
    return reverse(name, kwargs={k: objects.get(v, v) for k, v in kwargs.items()})


def cases():
    for name, method, kwargs, data, expected in MATRIX:
        for role in ROLES:
            yield pytest.param(name, method, kwargs, data, role, expected[role], id=f"{method}-{name}-{role}")


@pytest.mark.parametrize("name, method, kwargs, data, role, expected", list(cases()))
def test_permission_matrix(as_user, objects, name, method, kwargs, data, role, expected):
    client = as_user(role)
    url = url_of(name, kwargs, objects)
    response = client.post(url, data) if method == "post" else client.get(url)
    if expected == OK:
        assert response.status_code in (200, 302, 409, 422), response.status_code
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name, method, kwargs, data", [
    pytest.param(name, method, kwargs, data, id=f"{method}-{name}") for name, method, kwargs, data, _e in MATRIX
])
def test_anonymous_is_sent_to_the_login_page(as_user, objects, name, method, kwargs, data):
    url = url_of(name, kwargs, objects)
    client = as_user(None)
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_refused_actions_change_nothing(as_user, objects, report):
    """403s and 404s happen before any change: the report stays a draft with one timeline row."""
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"  # complete: only permissions stop it
    report.save()
    assert as_user("officer").post(reverse("report-submit", kwargs={"pk": report.pk})).status_code == 403
    for role in ("other_officer", "reviewer", "outside_reviewer", "province_reviewer"):
        client = as_user(role)
        assert client.post(reverse("report-submit", kwargs={"pk": report.pk})).status_code in (403, 404)
        response = client.post(reverse("part-header", kwargs={"report_pk": report.pk}), {"header-place": "Sai"})
        assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == "draft" and report.place == "Vĩnh Long"
    assert report.transitions.count() == 1


def test_every_core_url_is_in_the_resolver():
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert core_url_names() <= names
