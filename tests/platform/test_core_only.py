"""The core alone (``CCHC_PLUGINS=``): a province that scores elsewhere runs the portal without the
procedures and PAR-index modules. In child processes on a temporary SQLite file: ``check``,
``migrate`` and ``load_demo`` succeed and every demo account's home page renders without a plug-in's
link; an unknown or incomplete plug-in list is refused with one line."""

from .processes import manage, portal_env

# Run in the child: each demo user's home page, and the officer's report overview.
PAGES = """
from django.test.utils import setup_test_environment
setup_test_environment()
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from reports.demo import DEMO_USERS
from reports.models import Report
print("plugins", [name for name in ("procedures", "indicators") if apps.is_installed(name)])
for username, *_rest in DEMO_USERS:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get("/")
    print("home", username, page.status_code, "/chi-so/" in page.content.decode())
officer = Client()
officer.force_login(get_user_model().objects.get(username="canbo.vinhlong"))
report = Report.objects.filter(unit__memberships__user__username="canbo.vinhlong").order_by("pk").first()
page = officer.get(f"/bao-cao/{report.pk}/")
print("overview", page.status_code, "/thu-tuc/" in page.content.decode())
"""


def test_core_alone_checks_migrates_loads_the_demo_and_renders_home_pages(tmp_path):
    env = portal_env(tmp_path, CCHC_PLUGINS="")
    for args, timeout in ((("check", "--fail-level", "WARNING"), 120), (("migrate", "--noinput"), 300),
                          (("load_demo",), 300)):
        result = manage(*args, env=env, timeout=timeout)
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    assert "Xong." in result.stdout
    assert "Thủ tục hành chính" not in result.stdout  # the procedures demo did not run

    result = manage("shell", "-c", PAGES, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "plugins []" in lines
    homes = [line.split() for line in lines if line.startswith("home ")]
    assert len(homes) == 5
    for _home, username, status, scoring_link in homes:
        assert (status, scoring_link) == ("200", "False"), username
    assert "overview 200 False" in lines


def test_an_unknown_plugin_is_refused_with_one_line(tmp_path):
    result = manage("check", env=portal_env(tmp_path, CCHC_PLUGINS="procedures,ranking"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CCHC_PLUGINS: unknown plug-in 'ranking' (known: procedures, indicators)."]


def test_a_plugin_without_the_plugin_it_needs_is_refused(tmp_path):
    result = manage("check", env=portal_env(tmp_path, CCHC_PLUGINS="indicators"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CCHC_PLUGINS: 'indicators' needs 'procedures' (known: procedures, indicators)."]
