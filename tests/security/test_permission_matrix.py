"""The permission matrix covers every named URL of every app (issue 8, item 6): the URL resolver is
walked and a URL without an entry in the table (matrix.py) fails here. The cases themselves run in
test_matrix_core.py and test_matrix_indicators.py (two files: ``--dist loadfile`` runs them in parallel)."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from .matrix import CASES

pytestmark = pytest.mark.django_db

# Django's own views, not the portal's: the admin site (one check below), authentication, static files.
AUTH_NAMES = {
    "login", "logout", "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete",
    "login_code", "two_factor", "recovery_codes", "two_factor_disable",  # tests/platform/test_logins.py
}


def named_patterns(resolver=None, namespace=""):
    """(name with its namespace, view) of every named URL pattern, walking included resolvers."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern.callback


def portal_urls():
    return {name: view for name, view in named_patterns()
            if not name.startswith("admin:") and name not in AUTH_NAMES and name not in {"static", "media"}}


def test_every_named_url_has_a_matrix_entry():
    assert set(portal_urls()) - {case.name for case in CASES} == set()


def test_every_matrix_entry_is_a_url_of_the_portal():
    assert {case.name for case in CASES} - set(portal_urls()) == set()


def test_every_view_that_accepts_post_has_a_post_entry():
    """A view with a ``post`` method appears with POST in the matrix (a GET entry alone would let it slip)."""
    posted = {case.name for case in CASES if case.method == "post"}
    accepting = {name for name, view in portal_urls().items()
                 if hasattr(getattr(view, "view_class", None), "post")
                 and "post" in getattr(view.view_class, "http_method_names", ())}
    assert accepting - posted == set()


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 302), ("officer", 302), ("leader", 302), ("reviewer", 302), ("foreign_reviewer", 302),
    ("admin", 200),
])
def test_admin_site_is_only_for_staff(objects, client_for, role, expected):
    response = client_for(role).get(reverse("admin:index"))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("admin:login"))
