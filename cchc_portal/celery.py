"""Celery application. Broker and backend come from settings (filesystem by default, Redis scaled out)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

app = Celery("cchc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="cchc_portal.ping")
def ping():
    """Liveness probe: a worker that answers this is consuming the queue."""
    return "pong"
