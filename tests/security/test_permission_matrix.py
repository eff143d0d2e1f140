"""The permission matrix over every named URL of every app (issue 8, item 6), generated from the URL
resolver: each (URL, method, role) is one test. See matrix.py for the table and its rules."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse

from .conftest import ROLES
from .matrix import CASES

pytestmark = pytest.mark.django_db

# Django's own views, not the portal's: the admin site (one check below), authentication, static files.
AUTH_NAMES = {
    "login", "logout", "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete",
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


def cases():
    for case in CASES:
        for role in ROLES:
            yield pytest.param(case, role, id=f"{case.id}-{role}")


def is_success(status):
    return 200 <= status < 400


@pytest.mark.parametrize("case, role", list(cases()))
def test_permission_matrix(objects, client_for, case, role):
    kwargs = case.kwargs(objects)
    url = reverse(case.name, kwargs=kwargs)
    data = case.data(objects) if case.data else {}
    before = case.probe(objects) if case.probe else None  # after building what the case points at
    client = client_for(role)
    response = client.post(url, data) if case.method == "post" else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
        expected = 302
    else:
        expected = case.expected[role]
        assert response.status_code == expected, (
            f"{case.method.upper()} {url} as {role}: expected {expected}, got {response.status_code}")
        if expected == 302:
            assert not response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    if case.probe:
        after = case.probe(objects)
        changers = case.changers if case.changers is not None else [
            r for r, status in case.expected.items() if is_success(status)]
        if role in changers and is_success(expected):
            assert after != before, f"{case.id} as {role}: {expected} but nothing changed ({before!r})"
        else:
            assert after == before, f"{case.id} as {role}: refused, yet {before!r} became {after!r}"


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 302), ("officer", 302), ("leader", 302), ("reviewer", 302), ("foreign_reviewer", 302),
    ("admin", 200),
])
def test_admin_site_is_only_for_staff(objects, client_for, role, expected):
    response = client_for(role).get(reverse("admin:index"))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("admin:login"))
