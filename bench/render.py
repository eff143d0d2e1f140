"""Rendering benchmark: one annual report to DOCX and PDF, then a period of N communes with W workers.

    .venv/bin/python bench/render.py [--communes 170] [--workers 2] [--format pdf]

Runs against a throwaway SQLite database and filesystem broker under var/bench (deleted first),
with synthetic communes. Prints seconds; asserts nothing.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def setup_environment():
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "MEDIA_ROOT"):
        os.environ.pop(name, None)
    os.environ["VAR_DIR"] = str(BENCH_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc_portal.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def synthetic_period(communes):
    """A province, a district and ``communes`` communes, each with a filled annual report of 2024."""
    import datetime as dt

    from reports.models import SECTION_KEYS, AdministrativeUnit, PlanTask, Report, TaskStatus
    from reports.services import open_year_periods

    period = next(p for p in open_year_periods(2024) if p.kind == "Y")
    since = dt.date(2020, 1, 1)
    province = AdministrativeUnit.objects.create(code="99", name="Tỉnh Thử Nghiệm", unit_type="tinh",
                                                 level="province", valid_from=since)
    district = AdministrativeUnit.objects.create(code="999", name="Huyện Thử Nghiệm", unit_type="huyen",
                                                 level="district", parent=province, valid_from=since)
    units = AdministrativeUnit.objects.bulk_create([
        AdministrativeUnit(code=f"9{i:04d}", name=f"Xã Thử Nghiệm {i}", unit_type="xa", level="commune",
                           parent=district, valid_from=since)
        for i in range(1, communes + 1)
    ])
    prose = ("UBND xã tiếp tục quán triệt, triển khai các nhiệm vụ cải cách hành chính theo kế hoạch; "
             "thực hiện tốt cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính. ") * 4
    reports = Report.objects.bulk_create([
        Report(unit=unit, period=period, status="approved", doc_number=f"{i}/BC-UBND", place=unit.short_name,
               doc_date=dt.date(2024, 12, 18), addressee="Phòng Nội vụ huyện Thử Nghiệm",
               recipients="Phòng Nội vụ huyện (b/c)", signer_name="Nguyễn Văn A", signer_title="Chủ tịch",
               plan_reference=f"Kế hoạch số {i}/KH-UBND ngày 05/01/2024", sections=dict.fromkeys(SECTION_KEYS, prose))
        for i, unit in enumerate(units, start=1)
    ])
    PlanTask.objects.bulk_create([
        PlanTask(report=report, position=t, title=f"Nhiệm vụ cải cách hành chính số {t}",
                 status=TaskStatus.DONE if t % 3 else TaskStatus.IN_PROGRESS, due=dt.date(2024, 12, 31))
        for report in reports for t in range(1, 26)
    ])
    return period, reports


def time_one(report, fmt):
    from reports.documents.services import render_document, request_document

    started = time.perf_counter()
    document = request_document("report", {"report_id": report.pk}, fmt, dispatch=False)
    document = render_document(document.pk)
    elapsed = time.perf_counter() - started
    assert document.status == "done", document.error_code
    document.delete()
    return elapsed


def time_period(reports, fmt, workers):
    from reports.documents.models import RenderedDocument
    from reports.documents.services import request_document

    log = open(BENCH_DIR / "worker.log", "w")  # noqa: SIM115 - closed after the worker stops
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cchc_portal", "worker", "--pool", "prefork",
         "--concurrency", str(workers), "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip",
         "--without-mingle"],
        cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(3)  # let the pool start before the clock does
        started = time.perf_counter()
        ids = [request_document("report", {"report_id": r.pk}, fmt).pk for r in reports]
        while True:
            pending = RenderedDocument.objects.filter(pk__in=ids).exclude(status__in=["done", "failed"]).count()
            if not pending:
                break
            if worker.poll() is not None:
                raise RuntimeError("the worker exited")
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        failed = RenderedDocument.objects.filter(pk__in=ids, status="failed").count()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
    return elapsed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=170)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--format", dest="fmt", choices=["docx", "pdf"], default="pdf")
    args = parser.parse_args()
    setup_environment()
    period, reports = synthetic_period(args.communes)
    print(f"one annual report, DOCX: {time_one(reports[0], 'docx'):.2f} s")
    print(f"one annual report, PDF:  {time_one(reports[0], 'pdf'):.2f} s")
    elapsed, failed = time_period(reports, args.fmt, args.workers)
    print(f"{len(reports)} reports of {period.label}, {args.fmt.upper()}, {args.workers} workers: {elapsed:.1f} s"
          f" ({elapsed / len(reports):.2f} s per report{f'; {failed} failed' if failed else ''})")


if __name__ == "__main__":
    main()
