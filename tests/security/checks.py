"""One matrix case as one test: request the URL as the role, compare the status with the table,
and check through the case's probe that the state changed exactly when the request succeeded."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .conftest import ROLES


def params(cases):
    """One pytest param per (case, role): ids like ``post-report-submit-leader``."""
    return [pytest.param(case, role, id=f"{case.id}-{role}") for case in cases for role in ROLES]


def is_success(status):
    return 200 <= status < 400


def check_case(objects, client_for, case, role):
    url = reverse(case.name, kwargs=case.kwargs(objects))
    data = case.data(objects) if case.data else {}
    before = case.probe(objects) if case.probe else None  # after building what the case points at
    client = client_for(role)
    response = client.post(url, data) if case.method == "post" else client.get(url)
    login = resolve_url(settings.LOGIN_URL)
    if role == "anonymous":
        expected = 302
        assert response.status_code == 302, f"{case.method.upper()} {url} as anonymous: got {response.status_code}"
        assert response["Location"].startswith(login + "?next=")
    else:
        expected = case.expected[role]
        assert response.status_code == expected, (
            f"{case.method.upper()} {url} as {role}: expected {expected}, got {response.status_code}")
        if expected == 302:
            assert not response["Location"].startswith(login)
    if case.probe:
        after = case.probe(objects)
        changers = case.changers if case.changers is not None else [
            r for r, status in case.expected.items() if is_success(status)]
        if role in changers and is_success(expected):
            assert after != before, f"{case.id} as {role}: {expected} but nothing changed ({before!r})"
        else:
            assert after == before, f"{case.id} as {role}: refused, yet {before!r} became {after!r}"
