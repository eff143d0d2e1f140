"""Static files: the vendored front-end assets are collected by the same command production runs."""

from django.conf import settings

from cchc_portal import processes

from .processes import manage, portal_env

VENDORED = [
    "vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js", "vendor/chartjs/chart.umd.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css", "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
]


def test_collectstatic_gathers_the_vendored_assets(tmp_path):
    static_root = tmp_path / "static"
    env = portal_env(tmp_path, STATIC_ROOT=str(static_root))
    result = manage(*processes.COLLECTSTATIC[2:], env=env)
    assert result.returncode == 0, result.stderr
    for path in VENDORED:
        assert (static_root / path).is_file(), path
    assert (static_root / "admin" / "css" / "base.css").is_file()


def test_vendored_versions_are_documented():
    readme = (settings.BASE_DIR / "static" / "vendor" / "README.md").read_text()
    script = (settings.BASE_DIR / "scripts" / "vendor.sh").read_text()
    for package, variable in (("bootstrap", "BOOTSTRAP"), ("htmx.org", "HTMX"), ("chart.js", "CHARTJS"),
                              ("bootstrap-icons", "ICONS")):
        version = script.split(f"\n{variable}=")[1].split("\n")[0]
        assert f"{package} {version}" in readme
