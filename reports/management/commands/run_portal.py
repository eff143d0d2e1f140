"""Run the whole portal locally: web server, Celery worker and Celery beat, as child processes.

Ctrl-C or SIGTERM is forwarded to every child; when any child dies the others are stopped and the
command exits with that child's exit code. The argument vectors are those of
cchc_portal/processes.py, the same ones docker-compose.yml runs.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc_portal import processes

STOP_TIMEOUT = 15  # seconds a child gets to finish after SIGTERM before it is killed


def _die_with_parent():
    """In the child, before exec: get SIGTERM if run_portal itself is killed (Linux only)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = (
        "Chạy toàn bộ cổng: máy chủ web, Celery worker và Celery beat. "
        "Ctrl-C dừng tất cả; một tiến trình con dừng thì các tiến trình khác cũng dừng."
    )
    requires_system_checks = []  # the children run their own checks

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000)")
        parser.add_argument(
            "--gunicorn", action="store_true",
            help="Dùng gunicorn thay cho runserver (tệp tĩnh khi đó do reverse proxy phục vụ)",
        )
        parser.add_argument("--no-worker", action="store_true", help="Không chạy Celery worker")
        parser.add_argument("--no-beat", action="store_true", help="Không chạy Celery beat")

    def handle(self, *args, host, port, gunicorn, no_worker, no_beat, **options):
        bind = f"{host}:{port}"
        web = processes.gunicorn(bind) if gunicorn else processes.runserver(bind)
        wanted = [("web", web)]
        if not no_worker:
            wanted.append(("worker", processes.WORKER))
        if not no_beat:
            wanted.append(("beat", processes.BEAT))

        self.stopping = None
        self.children = []
        previous = {sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, argv in wanted:
                self.children.append((name, argv, self._start(name, argv)))
            url_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
            self.stdout.write(self.style.SUCCESS(f"{settings.SITE_NAME} đang chạy: http://{url_host}:{port}/"))
            for name, argv, child in self.children:
                self.stdout.write(f"  {name:<7} pid {child.pid:<8} {' '.join(argv)}")
            self.stdout.write(f"  Dữ liệu: {settings.VAR_DIR}. Nhấn Ctrl-C để dừng.")
            self.stdout.flush()
            code = self._watch()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if code:
            sys.exit(code)

    def _start(self, name, argv):
        command = processes.local(argv)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        try:
            # Own process group: a Ctrl-C in the terminal reaches only this command, which then
            # stops the children in order instead of all of them getting SIGINT at once.
            return subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, process_group=0, preexec_fn=_die_with_parent,
            )
        except OSError as error:
            raise CommandError(f"Không khởi động được {name} ({command[0]}): {error}") from error

    def _request_stop(self, signum, frame):
        self.stopping = signum

    def _watch(self):
        """Wait until a stop is requested (exit 0) or a child dies (its exit code)."""
        while self.stopping is None:
            for name, _argv, child in self.children:
                code = child.poll()
                if code is not None:
                    code = 128 - code if code < 0 else code  # killed by a signal: shell convention
                    self.stderr.write(f"{name} (pid {child.pid}) đã dừng với mã {code}; dừng các tiến trình còn lại.")
                    return code
            time.sleep(0.2)
        self.stdout.write(f"Nhận tín hiệu {signal.Signals(self.stopping).name}, đang dừng…")
        return 0

    def _stop_all(self):
        alive = [(name, child) for name, _argv, child in self.children if child.poll() is None]
        for _name, child in alive:
            try:
                child.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_TIMEOUT
        for name, child in alive:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} (pid {child.pid}) không dừng sau {STOP_TIMEOUT} giây; buộc dừng.")
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
