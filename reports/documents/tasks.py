"""Celery tasks of the generated files. Task bodies are the plain functions of ``services``,
which the tests call directly; ``services`` sends ``render_document`` by its registered name and
never imports this module (no import cycle). Registered by the worker through ``reports.tasks``."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings

from . import services


class RenderTask(DjangoTask):
    """Marks the document failed (``gave_up``) once the retries for transient errors are used up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if args:
            services.mark_failed(args[0])


@shared_task(
    name=services.RENDER_TASK, base=RenderTask, bind=True, acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS, retry_backoff=5, retry_backoff_max=120,
    retry_jitter=True, max_retries=services.MAX_ATTEMPTS,
    soft_time_limit=getattr(settings, "DOCUMENT_RENDER_TIME_LIMIT", 600),
)
def render_document_task(self, document_id):
    """Render one RenderedDocument row (by id); the body is ``services.render_document``."""
    document = services.render_document(document_id)
    return None if document is None else document.status


@shared_task(name="reports.expire_documents")
def expire_documents_task():
    """Housekeeping of the generated files: remove superseded versions whose retention has passed
    and the temporary files of killed renders; re-send the rows whose worker was lost."""
    return {"expired": services.expire_documents(), "resent": services.resend_stale()}


@shared_task(name="reports.resend_stale_documents")
def resend_stale_documents_task():
    """Every few minutes: re-send the renders whose worker died (running without a heartbeat) or
    whose message was lost (queued too long), so no row stays "running" for its user."""
    return services.resend_stale()
