"""The portal's long-running processes, as argument vectors, in one place.

``manage.py run_portal`` starts them locally, docker-compose.yml runs them in production and the
platform tests check that both use exactly these vectors (tests/platform/test_compose.py), so what
the suite exercises is what production runs.

Vectors name programs as an operator types them ("python", "celery", "gunicorn"); ``local()``
resolves those to the interpreter and scripts of the running virtual environment.
"""

import shutil
import sys
from pathlib import Path

MIGRATE = ("python", "manage.py", "migrate", "--noinput")
COLLECTSTATIC = ("python", "manage.py", "collectstatic", "--noinput")
WORKER = ("celery", "-A", "cchc_portal", "worker", "-l", "info", "--concurrency", "2")
# The schedule file comes from settings (CELERY_BEAT_SCHEDULE_FILENAME, under VAR_DIR).
BEAT = ("celery", "-A", "cchc_portal", "beat", "-l", "info")

DEFAULT_BIND = "127.0.0.1:8000"
PRODUCTION_BIND = "0.0.0.0:8000"


def runserver(bind=DEFAULT_BIND):
    """Django's development server; no autoreloader, so the process run_portal watches is the server."""
    return ("python", "manage.py", "runserver", bind, "--noreload")


def gunicorn(bind=PRODUCTION_BIND):
    """The production web server. Worker count comes from WEB_CONCURRENCY (gunicorn reads it)."""
    return (
        "gunicorn", "cchc_portal.wsgi", "--bind", bind,
        "--timeout", "120", "--access-logfile", "-", "--error-logfile", "-",
    )


def local(argv):
    """``argv`` with its program resolved for this machine: ``python`` is this interpreter,
    other programs are taken from this interpreter's bin directory (the virtualenv) or PATH."""
    program, *rest = argv
    if program == "python":
        return [sys.executable, *rest]
    beside = Path(sys.executable).parent / program
    if beside.exists():
        return [str(beside), *rest]
    found = shutil.which(program)
    if found is None:
        raise FileNotFoundError(f"{program} not found beside {sys.executable} or on PATH")
    return [found, *rest]
