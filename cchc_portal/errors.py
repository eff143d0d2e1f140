"""The portal's error pages (handler400/403/404/500 in cchc_portal/urls.py, CSRF_FAILURE_VIEW in
settings): Vietnamese, in the portal's layout, with a way home, and never the exception's text.

403 and 404 are rendered with the request (navigation bar, the user's name) and show nothing of the
URL or the object asked for, so a report out of the user's scope looks exactly like a missing one.
400 may come from a request Django distrusts (a forged Host header), so its page is rendered without
the request; 500 needs neither the request nor the database (``templates/500.html`` stands alone).
"""

from django.conf import settings
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def _bare_context():
    """What the request-free pages show: the site name, from settings alone."""
    return {"site_name": settings.SITE_NAME}


def bad_request(request, exception=None):
    return HttpResponseBadRequest(loader.render_to_string("400.html", _bare_context()))


@requires_csrf_token
def permission_denied(request, exception=None):
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


@requires_csrf_token
def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request=None):
    try:
        body = loader.render_to_string("500.html", _bare_context())
    except Exception:  # noqa: BLE001 - the last resort must answer whatever broke
        body = "<!doctype html><title>Lỗi hệ thống</title><h1>Lỗi hệ thống</h1><p><a href=\"/\">Trang chủ</a></p>"
    return HttpResponseServerError(body)


def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token (an old tab, cookies blocked)."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", context, request=request))
