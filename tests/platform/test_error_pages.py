"""The error pages: 400, 403, 404, 500 and the CSRF failure page are Vietnamese, in the portal's
layout, with a way home; none shows a traceback or the request; a report out of the user's scope gets
exactly the page of a missing one. pytest-django runs with DEBUG off, as production does."""

import re

import pytest
from django.conf import settings
from django.db.models import Max
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from cchc_portal import errors
from reports.models import Report

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def normalised(response):
    """The body with the per-response CSRF token masks taken out (they differ on every render)."""
    return CSRF_VALUE.sub(r"\1…", response.content.decode())


def assert_portal_error_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="vi">' in html
    assert 'class="navbar-brand"' in html and settings.SITE_NAME in html  # the portal's header
    assert 'data-testid="error-page"' in html
    assert heading in html
    assert "Về trang chủ" in html
    for leak in ("Traceback", "Page not found", "Forbidden", "Server Error", "Bad Request", "Django"):
        assert leak not in html, leak
    return html


def test_settings_debug_is_off_while_the_tests_run():
    assert settings.DEBUG is False


def test_a_missing_page_is_the_vietnamese_404(as_user):
    response = as_user(None).get("/khong-co-trang-nay/")
    html = assert_portal_error_page(response, 404, "Không tìm thấy trang")
    assert 'href="/"' in html
    assert "khong-co-trang-nay" not in html  # the path asked for is not echoed


def test_a_report_out_of_scope_looks_exactly_like_a_missing_one(as_user, report):
    client = as_user("other_officer")  # another commune's officer
    missing_pk = (Report.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000
    out_of_scope = client.get(f"/bao-cao/{report.pk}/")
    missing = client.get(f"/bao-cao/{missing_pk}/")
    assert_portal_error_page(out_of_scope, 404, "Không tìm thấy trang")
    assert normalised(out_of_scope) == normalised(missing)
    assert "canbo.hoxa" in normalised(missing) or "Đăng xuất" in normalised(missing)  # signed-in layout
    assert as_user("officer").get(f"/bao-cao/{report.pk}/").status_code == 200  # it does exist


def test_a_refused_action_is_the_vietnamese_403(as_user, report):
    # The leader of the commune sees the report but may not approve it.
    response = as_user("leader").post(f"/bao-cao/{report.pk}/duyet/")
    assert_portal_error_page(response, 403, "Bạn không có quyền thực hiện thao tác này")


def test_a_request_for_an_unknown_host_is_the_vietnamese_400(db):
    response = Client(HTTP_HOST="portal.attacker.example").get("/")
    html = assert_portal_error_page(response, 400, "Yêu cầu không hợp lệ")
    assert "attacker" not in html and "ALLOWED_HOSTS" not in html


def test_a_form_sent_without_its_csrf_token_gets_the_vietnamese_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    client.get("/dang-nhap/")  # sets the CSRF cookie
    response = client.post("/dang-nhap/", {"username": "x", "password": "y"})
    html = assert_portal_error_page(response, 403, "mã bảo mật đã hết hạn")
    assert "CSRF token" not in html and "Forbidden" not in html  # not Django's English page
    assert 'data-testid="csrf-no-cookie"' not in html


def test_the_csrf_page_says_when_the_browser_blocks_cookies(db):
    response = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "x", "password": "y"})
    html = assert_portal_error_page(response, 403, "mã bảo mật đã hết hạn")
    assert 'data-testid="csrf-no-cookie"' in html


def _boom(request):
    raise RuntimeError("secret detail /srv/private")


urlpatterns = [path("boom/", _boom)]
handler500 = errors.server_error


@override_settings(ROOT_URLCONF=__name__)
def test_an_unexpected_exception_is_the_vietnamese_500_without_its_detail(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = assert_portal_error_page(response, 500, "Lỗi hệ thống")
    assert "secret detail" not in html and "RuntimeError" not in html


def test_the_500_page_needs_neither_the_database_nor_the_request():
    # No ``db`` fixture: any query here would fail the test.
    for request in (None, RequestFactory().get("/")):
        response = errors.server_error(request)
        assert_portal_error_page(response, 500, "Lỗi hệ thống")


def test_the_portal_urlconf_installs_the_error_handlers():
    from cchc_portal import urls

    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        "cchc_portal.errors.bad_request", "cchc_portal.errors.permission_denied",
        "cchc_portal.errors.page_not_found", "cchc_portal.errors.server_error",
    )
    assert settings.CSRF_FAILURE_VIEW == "cchc_portal.errors.csrf_failure"


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "403_csrf.html", "500.html"])
def test_error_templates_are_vietnamese(template):
    text = (settings.BASE_DIR / "templates" / template).read_text()
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text)
