"""Shared fixtures. The session database holds the base data (tests/base_data.py); tests that run
in transactions (browser, worker) reload it because their flush empties the database.

Plug-ins (settings.CCHC_PLUGINS): with an app absent, the suite collects only what applies. A test
directory named after the app (tests/indicators), any module or conftest that imports it (even inside
a function, or through tests.<app> helpers) and any test marked ``requires_plugin("<app>")`` are left
out, so ``CCHC_PLUGINS= pytest`` runs the core alone."""

import ast
import functools
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from reports.demo import BEFORE, VINH_LONG
from reports.models import AdministrativeUnit, ReportingPeriod
from reports.services import open_report

from .base_data import OTHER_COMMUNE, load_base_data

PASSWORD = "Cchc@2026"


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs seconds per user on a busy CI machine; tests don't test PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config.addinivalue_line(
        "markers", "requires_plugin(*apps): needs these plug-ins installed (CCHC_PLUGINS); left out otherwise")


TESTS_DIR = Path(__file__).parent


def missing_plugins():
    from django.conf import settings

    return {name for name in settings.KNOWN_PLUGINS if not apps.is_installed(name)}


@functools.cache
def imported_roots(path):
    """First components of the modules a Python file imports ("tests." dropped), anywhere in it,
    plus the modules its ``pytest_plugins`` names."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytest_plugins" for t in node.targets):
            modules += [c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return {module.removeprefix("tests.").split(".")[0] for module in modules}


def pytest_ignore_collect(collection_path, config):
    missing = missing_plugins()
    if not missing or TESTS_DIR not in collection_path.parents:
        return None
    if collection_path.is_dir():
        conftest = collection_path / "conftest.py"
        if collection_path.name in missing or (conftest.exists() and imported_roots(conftest) & missing):
            return True
    elif collection_path.suffix == ".py" and imported_roots(collection_path) & missing:
        return True
    return None


def pytest_collection_modifyitems(config, items):
    missing = missing_plugins()
    if not missing:
        return
    kept, left_out = [], []
    for item in items:
        needed = {name for marker in item.iter_markers("requires_plugin") for name in marker.args}
        (left_out if needed & missing else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_base_data()


def _is_transactional(item):
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return ("transactional_db" in names or "live_server" in names
            or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, commit the base data again, so the tests after it find
    it whatever the order (pytest-xdist workers don't keep transactional tests last)."""
    result = yield
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_base_data()
    return result


@pytest.fixture
def base_data(transactional_db):
    """For transactional tests: the base data, committed (the flush afterwards removes it)."""
    load_base_data()


@pytest.fixture
def users(db):
    User = get_user_model()
    names = {
        "officer": "canbo.vinhlong", "leader": "lanhdao.vinhlong", "reviewer": "noivu.vinhlinh",
        "province_reviewer": "sonoivu.quangtri", "admin": "quantri", "other_officer": "canbo.hoxa",
        "outside_reviewer": "noivu.khac",
    }
    by_name = {u.username: u for u in User.objects.filter(username__in=names.values())}
    return {role: by_name[username] for role, username in names.items()}


@pytest.fixture
def as_user(users):
    """``as_user("officer")`` → a test client logged in as that demo role (None: anonymous)."""

    def make(role):
        client = Client()
        if role is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def vinh_long(db):
    return AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)


@pytest.fixture
def ho_xa(db):
    return AdministrativeUnit.objects.resolve(OTHER_COMMUNE, BEFORE)


@pytest.fixture
def period(db):
    """Quarter II of 2024 (open, so reports can be created)."""
    p = ReportingPeriod.objects.get(year=2024, kind="Q2")
    if not p.is_open:
        p.is_open = True
        p.save()
    return p


@pytest.fixture
def report(vinh_long, period, users):
    """A fresh draft report of Xã Vĩnh Long for Q2/2024."""
    return open_report(vinh_long, period, actor=users["officer"])


@pytest.fixture
def make_report(users):
    def make(unit, year, kind):
        return open_report(unit, ReportingPeriod.objects.get(year=year, kind=kind), actor=None)  # system: any commune

    return make
