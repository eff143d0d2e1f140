"""docker-compose.yml and the Dockerfile describe the production topology with the same process
vectors run_portal uses (cchc_portal/processes.py), and the suite runs every one of them.

No Docker engine runs in CI, so the images are not built here; what can be checked without one is."""

import inspect
import re

import pytest
import yaml
from django.conf import settings

from cchc_portal import processes

COMPOSE = settings.BASE_DIR / "docker-compose.yml"
DOCKERFILE = settings.BASE_DIR / "Dockerfile"
MAKEFILE = settings.BASE_DIR / "Makefile"
APP_SERVICES = {"migrate", "collectstatic", "web", "worker", "beat"}

# Each production command → the test that runs exactly that vector in a real process.
EXERCISED_BY = {
    "MIGRATE": ("tests.platform.test_run_portal", "migrated_var_dir"),
    "COLLECTSTATIC": ("tests.platform.test_static", "test_collectstatic_gathers_the_vendored_assets"),
    "gunicorn": ("tests.platform.test_run_portal", "test_run_portal_serves_pings_and_stops_every_child"),
    "WORKER": ("tests.platform.test_run_portal", "test_run_portal_serves_pings_and_stops_every_child"),
    "BEAT": ("tests.platform.test_run_portal", "test_run_portal_serves_pings_and_stops_every_child"),
}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def vector_name(command):
    """The name in cchc_portal.processes of the vector ``command`` is, or None."""
    command = tuple(command)
    if command == processes.gunicorn():
        return "gunicorn"
    for name in ("MIGRATE", "COLLECTSTATIC", "WORKER", "BEAT"):
        if command == getattr(processes, name):
            return name
    return None


def test_compose_has_the_production_services(compose):
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose["services"])
    assert "media" in compose["volumes"]


def test_web_and_worker_share_the_media_volume(compose):
    for name in ("web", "worker"):
        service = compose["services"][name]
        assert "media:/data/media" in service["volumes"]
        assert service["environment"]["MEDIA_ROOT"] == "/data/media"


def test_app_services_read_env_file_and_use_postgres_and_redis(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in service["environment"]["DATABASE_URL"]
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert service["environment"]["DEBUG"] == "0"


def test_every_app_service_runs_a_shared_process_vector(compose):
    expected = {
        "migrate": "MIGRATE", "collectstatic": "COLLECTSTATIC", "web": "gunicorn",
        "worker": "WORKER", "beat": "BEAT",
    }
    for name in APP_SERVICES:
        assert vector_name(compose["services"][name]["command"]) == expected[name], name


def test_every_compose_command_is_run_by_a_test(compose):
    for name in APP_SERVICES:
        vector = vector_name(compose["services"][name]["command"])
        module_name, function_name = EXERCISED_BY[vector]
        module = __import__(module_name, fromlist=[function_name])
        source = inspect.getsource(getattr(module, function_name))
        reference = "processes.gunicorn(" if vector == "gunicorn" else f"processes.{vector}"
        assert reference in source, f"{module_name}.{function_name} does not run {vector}"


def test_services_start_in_order(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_dockerfile_is_python_311_bookworm_with_the_system_packages_of_the_makefile():
    dockerfile = DOCKERFILE.read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim-bookworm" in dockerfile
    packages = re.search(r"^SYSTEM_PACKAGES := (.+)$", MAKEFILE.read_text(), flags=re.MULTILINE)[1].split()
    assert "libpango-1.0-0" in packages
    for package in packages:
        assert re.search(rf"\s{re.escape(package)}(\s|$)", dockerfile), package
    cmd = re.search(r"^CMD (\[.+\])$", dockerfile, flags=re.MULTILINE)[1]
    assert tuple(yaml.safe_load(cmd)) == processes.gunicorn()
