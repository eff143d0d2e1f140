"""Celery tasks of the official documents. Task bodies are the plain functions of ``services``,
which the tests call directly; ``services`` sends ``render_document`` by its registered name and
never imports this module (no import cycle). Registered by the worker through ``reports.tasks``."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from . import services


class RenderTask(DjangoTask):
    """Marks the document failed once the retries for transient errors are used up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if args:
            services.mark_failed(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(
    name=services.RENDER_TASK, base=RenderTask, bind=True, acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS, retry_backoff=5, retry_backoff_max=120,
    retry_jitter=True, max_retries=5,
)
def render_document_task(self, document_id):
    """Render one RenderedDocument row (by id); the body is ``services.render_document``."""
    document = services.render_document(document_id)
    return None if document is None else document.status


@shared_task(name="reports.expire_documents")
def expire_documents_task():
    """Remove files of superseded document versions whose retention has passed."""
    return services.expire_documents()
