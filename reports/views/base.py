"""What every view of a report needs: the report through the user's scope, and the flags and
navigation of its header."""

from django.urls import reverse

from .. import parts as part_registry
from .. import services
from ..access import get_scoped_or_404
from ..models import (
    Report,
)


def scoped_report(request, pk):
    """The report ``pk`` if the user's scope includes it, else 404."""
    return get_scoped_or_404(Report.objects.select_related("unit__parent", "period"), request.user, pk=pk)


def report_context(request, report):
    user = request.user
    return {
        "report": report,
        # Asked as the services ask (the superuser passes no state rule).
        "can_edit": services.allowed(user, "reports.edit_report", report),
        "can_submit": services.allowed(user, "reports.submit_report", report),
        "can_review": services.allowed(user, "reports.review_report", report),
        "nav_parts": [
            {"part": p, "url": reverse(p.url_name, kwargs={"report_pk": report.pk})}
            for p in part_registry.parts()
        ],
    }
