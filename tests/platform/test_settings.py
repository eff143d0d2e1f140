"""Settings come from the environment: .env.example documents every variable, DEBUG is off unless
set, production refuses to start without a strong secret key, and a production configuration passes
``check --deploy``."""

import os
import re
import secrets

import pytest
from django.conf import settings

from .processes import manage, portal_env, run

SETTINGS_FILE = settings.BASE_DIR / "cchc_portal" / "settings.py"
ENV_EXAMPLE = settings.BASE_DIR / ".env.example"


def variables_read_by_settings():
    source = SETTINGS_FILE.read_text()
    read = re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source)
    tested = re.findall(r"\"([A-Z][A-Z0-9_]*)\"\s+in\s+env\b", source)
    return set(read) | set(tested)


def documented_variables():
    """Variables .env.example documents for the portal (the Docker Compose section aside)."""
    portal_part = ENV_EXAMPLE.read_text().split("# --- Docker Compose only")[0]
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", portal_part, flags=re.MULTILINE))


def example_values():
    """The variables .env.example sets (uncommented lines)."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match[1]] = match[2]
    return values


def test_env_example_documents_every_variable_settings_reads():
    read = variables_read_by_settings()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"} <= read
    assert read - documented_variables() == set()


def test_env_example_documents_nothing_settings_does_not_read():
    assert documented_variables() - variables_read_by_settings() == set()


def test_compose_only_variables_are_those_docker_compose_uses():
    compose_part = ENV_EXAMPLE.read_text().split("# --- Docker Compose only")[1]
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    for name in re.findall(r"^#?([A-Z][A-Z0-9_]*)=", compose_part, flags=re.MULTILINE):
        assert "${" + name in compose, name


def test_production_without_secret_key_refuses_to_start_with_one_line(tmp_path):
    result = manage("check", env=portal_env(tmp_path, DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="cchc.example.vn"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "DEBUG=0 requires SECRET_KEY to be set (see .env.example)."
    ]


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = manage("check", env=portal_env(tmp_path, DEBUG="0", ALLOWED_HOSTS=""))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = portal_env(tmp_path, **example_values())
    env.pop("POSTGRES_PASSWORD")
    env["SECRET_KEY"] = secrets.token_urlsafe(60)
    assert env["DEBUG"] == "0"
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


STRONG_KEY_LENGTH = 60


@pytest.mark.parametrize("key, reason", [
    ("x" * 10 + "abcd", "fewer than 50"),
    ("ab" * 40, "fewer than 5 distinct"),
    ("django-insecure-" + "q7Hz_2mVx9LkP4rT8wYc1NbF6dJs3GhQ5aZe0uKiOpWl", "startproject"),
    (settings.DEVELOPMENT_SECRET_KEY, "development key"),
])
def test_production_refuses_a_weak_secret_key(tmp_path, key, reason):
    result = manage("check", env=portal_env(tmp_path, DEBUG="0", SECRET_KEY=key, ALLOWED_HOSTS="cchc.example.vn"))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: DEBUG=0 refuses this SECRET_KEY")
    assert reason in last
    assert key not in result.stderr  # the key itself is never printed


def test_production_refuses_the_env_example_secret_key(tmp_path):
    env = portal_env(tmp_path, **example_values())
    env.pop("POSTGRES_PASSWORD")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_mode_accepts_any_secret_key(tmp_path):
    result = manage("check", env=portal_env(tmp_path, DEBUG="1", SECRET_KEY="short"))
    assert result.returncode == 0, result.stderr


# Imports the settings with no DEBUG in the environment and no .env file read.
READ_DEBUG = (
    "import environ; environ.Env.read_env = classmethod(lambda *args, **kwargs: None); "
    "import cchc_portal.settings as s; print('DEBUG', s.DEBUG)"
)


def test_debug_is_off_when_nothing_sets_it(tmp_path):
    env = portal_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(STRONG_KEY_LENGTH), ALLOWED_HOSTS="cchc.example.vn")
    del env["DEBUG"]
    result = run(("python", "-c", READ_DEBUG), env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


def test_the_test_suite_loads_the_settings_in_development_mode():
    # cchc_portal/settings_test.py: development defaults (no HTTPS redirect for the test client),
    # while pytest-django runs every test with DEBUG off.
    assert settings.SETTINGS_MODULE == "cchc_portal.settings_test"
    assert settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or "SECRET_KEY" in os.environ
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)
