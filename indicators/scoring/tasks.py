"""Background exports. Tasks take the job's id; ``run_export`` is the plain function the tests call."""

import hashlib
import io

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.models import ReportingPeriod

from .models import ExportJob, ExportKind, JobStatus


def queue_export(kind, params, *, owner):
    """Create the job row and send the task once the row is committed."""
    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, unit_id=params["unit"], params=params, owner=owner)
        export_task.delay_on_commit(job.pk)
    return job


def _progress(job_id):
    def report(percent):
        ExportJob.objects.filter(pk=job_id).update(progress=percent)
    return report


def run_export(job_id):
    """Render the job's workbook and store it on the job (status done or failed with the error)."""
    from . import exporters

    job = ExportJob.objects.get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    ExportJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, progress=1)
    buffer = io.BytesIO()
    try:
        unit = job.unit
        if job.kind == ExportKind.RANKING:
            year = int(job.params["year"])
            exporters.ranking_workbook(unit, year, buffer, progress=_progress(job_id))
            filename = f"xep-hang-chi-so-cchc-{unit.code}-{year}.xlsx"
        else:
            period = ReportingPeriod.objects.get(pk=job.params["period"])
            exporters.indicator_matrix_workbook(unit, period, buffer, progress=_progress(job_id))
            filename = f"chi-tieu-{unit.code}-{period.year}-{period.kind}.xlsx"
    except Exception as error:  # any failure is shown to the owner, not swallowed
        ExportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=str(error)[:2000],
                                                   finished_at=timezone.now())
        raise
    data = buffer.getvalue()
    job.refresh_from_db()
    job.file.save(filename, ContentFile(data), save=False)
    job.filename = filename
    job.checksum = hashlib.sha256(data).hexdigest()
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save()
    return job


@shared_task(name="indicators.export")
def export_task(job_id):
    run_export(job_id)
    return job_id
