"""Helpers for tests that start the portal's real processes: a free port, an environment of their
own (a temporary VAR_DIR, so SQLite and the filesystem broker never touch the developer's data)
and a look at the process tree through /proc."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from cchc_portal import processes

# Variables of the developer's shell or .env that would point the children somewhere else.
# DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for this process only.
_ISOLATED = ("VAR_DIR", "DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT", "SQLITE_TEST_NAME",
             "DJANGO_ALLOW_ASYNC_UNSAFE")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(var_dir, **extra):
    """Environment for child processes: DEBUG on, everything under ``var_dir``, and the broker of
    the current run (Redis when CELERY_BROKER_URL is set, else the filesystem under ``var_dir``)."""
    env = {k: v for k, v in os.environ.items() if k not in _ISOLATED and not k.startswith("PYTEST")}
    env.update({"DEBUG": "1", "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
                "PYTHONUNBUFFERED": "1", "SECRET_KEY": "test-key-of-the-platform-tests"})
    if not env.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://", "amqp://")):
        env.pop("CELERY_BROKER_URL", None)
        env.pop("CELERY_RESULT_BACKEND", None)
    env.update(extra)
    return env


def run(argv, env, timeout=120):
    """Run one of cchc_portal.processes' vectors to completion in the project directory."""
    return subprocess.run(
        processes.local(argv), cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        timeout=timeout,
    )


def manage(*args, env, timeout=120):
    return run(("python", "manage.py", *args), env, timeout=timeout)


def wait_for_http(url, *, timeout=60, process=None):
    """Poll ``url`` until it answers 200; fail early if ``process`` dies."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return response.read().decode()
                last = response.status
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last = error
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer 200 within {timeout}s (last: {last})")


def _stat(pid):
    """(state, ppid) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def descendants(pid):
    """Pids of every live descendant of ``pid``."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                children.setdefault(stat[1], []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def is_alive(pid):
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except FileNotFoundError:
        return []
