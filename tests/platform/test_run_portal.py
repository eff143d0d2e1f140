"""``manage.py run_portal`` starts web, worker and beat with the vectors of cchc_portal/processes.py,
serves the login page, answers a Celery ping through the result backend, and on SIGTERM leaves no
process behind."""

import signal
import subprocess
import time

import pytest
from django.conf import settings

from cchc_portal import processes

from .processes import cmdline, descendants, free_port, is_alive, manage, portal_env, wait_for_http

pytestmark = pytest.mark.worker

PING = (
    "from cchc_portal.celery import app; "
    "print(app.send_task('cchc_portal.ping').get(timeout=60))"
)


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory):
    """A VAR_DIR with a migrated SQLite database, made by the vector production's migrate runs."""
    var_dir = tmp_path_factory.mktemp("portal-var")
    result = manage(*processes.MIGRATE[2:], env=portal_env(var_dir), timeout=300)
    assert result.returncode == 0, result.stderr
    assert (var_dir / "db.sqlite3").exists()
    return var_dir


def _argv_tail(pid, argv):
    """The process's command line from the program's own arguments on (interpreter paths dropped)."""
    line = cmdline(pid)
    for start in range(len(line)):
        if line[start].endswith(("/" + argv[0], "manage.py")) and line[start + 1:] == list(argv[1:]):
            return True
        if line[start] == "manage.py" and argv[0] == "python" and line[start:] == list(argv[1:]):
            return True
    return False


@pytest.mark.parametrize("server", ["runserver", "gunicorn"])
def test_run_portal_serves_pings_and_stops_every_child(migrated_var_dir, tmp_path, server):
    port = free_port()
    env = portal_env(migrated_var_dir)
    command = processes.local(("python", "manage.py", "run_portal", "--port", str(port)))
    if server == "gunicorn":
        command.append("--gunicorn")
    log = (tmp_path / "run_portal.log").open("w+")
    portal = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        page = wait_for_http(f"http://127.0.0.1:{port}/dang-nhap/", process=portal)
        assert "Đăng nhập" in page

        children = {}
        for pid in descendants(portal.pid):
            for name, argv in (
                ("web", processes.gunicorn(f"127.0.0.1:{port}") if server == "gunicorn"
                 else processes.runserver(f"127.0.0.1:{port}")),
                ("worker", processes.WORKER), ("beat", processes.BEAT),
            ):
                if _argv_tail(pid, argv):
                    children.setdefault(name, pid)
        assert set(children) == {"web", "worker", "beat"}, [cmdline(p) for p in descendants(portal.pid)]

        ping = subprocess.run(
            processes.local(("python", "-c", PING)), cwd=settings.BASE_DIR, env=env,
            capture_output=True, text=True, timeout=120,
        )
        assert ping.stdout.strip() == "pong", ping.stderr

        family = descendants(portal.pid)
        portal.send_signal(signal.SIGTERM)
        assert portal.wait(timeout=60) == 0
        deadline = time.monotonic() + 10
        while any(is_alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in family if is_alive(pid)] == []
    finally:
        if portal.poll() is None:
            portal.kill()
            portal.wait()
        log.seek(0)
        output = log.read()
        log.close()
        print(output)  # shown by pytest when the test fails
    assert f"http://127.0.0.1:{port}/" in output


def test_run_portal_exits_with_the_code_of_a_dying_child(migrated_var_dir):
    """A web server that cannot start (port taken) takes the others down and passes on its code."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            processes.local(("python", "manage.py", "run_portal", "--port", str(port), "--gunicorn")),
            cwd=settings.BASE_DIR, env=portal_env(migrated_var_dir), capture_output=True, text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert "web (pid" in result.stderr
