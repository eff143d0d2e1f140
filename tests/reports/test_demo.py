"""``manage.py load_demo`` prints the demo accounts and can be run again without changing anything.

load_demo takes seconds (units, users, every app's demo), so one test runs it twice and checks the
result; a fast password hasher keeps the demo users' set_password() cheap."""

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from reports.demo import DEMO_PASSWORD, DEMO_USERS
from reports.models import Report, ReportingPeriod, ReportStatus

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["canbo.vinhlong", "lanhdao.vinhlong", "noivu.vinhlinh", "sonoivu.quangtri", "quantri"]
NOT_COUNTED = {"sessions.Session", "axes.AccessLog"}


def is_history(model):
    return model.__name__.startswith("Historical")


def row_counts(history):
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.label not in NOT_COUNTED and is_history(model) == history}


def changed(first, second):
    return {label: (first[label], second[label]) for label in first if first[label] != second[label]}


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_users_are_the_documented_ones():
    assert [user[0] for user in DEMO_USERS] == DEMO_USERNAMES


def test_load_demo_prints_accounts_and_runs_again_without_changes(fast_hasher, capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    assert f"mật khẩu chung: {DEMO_PASSWORD}" in output
    for username in DEMO_USERNAMES:
        assert username in output
    assert "http://127.0.0.1:8000" in output

    first, first_history = row_counts(history=False), row_counts(history=True)
    call_command("load_demo")
    assert "Xong." in capsys.readouterr().out
    assert changed(first, row_counts(history=False)) == {}
    # A second run saves nothing, so no history grows either.
    assert changed(first_history, row_counts(history=True)) == {}

    # What the demo holds.
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Report.objects.filter(period__year=2024, period__kind="Q1", status=ReportStatus.APPROVED).count() == 18
    assert not ReportingPeriod.objects.filter(year__lt=2025, is_open=True).exists()
    assert ReportingPeriod.objects.filter(year=2026, is_open=True).count() == 7
    request = RequestFactory().post("/dang-nhap/")
    for username in DEMO_USERNAMES:
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username

