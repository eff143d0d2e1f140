"""Views of the core, by concern: home and unit pages, entry of the parts, the workflow, the
cchc-report/1 transfer. Other apps build on ``PartView``, ``scoped_report`` and ``require``."""

from ..access import require
from .base import report_context, scoped_report
from .entry import (
    DirectionPartView,
    HeaderPartView,
    HistoryView,
    PartView,
    ProsePartView,
    ReportOverviewView,
    autosave_status,
    changed_since_submission,
    comparison_point,
    conflict_changes,
    part_states,
)
from .home import HomeView, UnitDetailView, UnitListView, officer_rows, reviewer_overview
from .transfer import ExportReportView, ImportReportView
from .workflow import CommentView, OpenReportView, ReviewPeriodView, TransitionView

__all__ = [
    "CommentView", "DirectionPartView", "ExportReportView", "HeaderPartView", "HistoryView", "HomeView",
    "ImportReportView", "OpenReportView", "PartView", "ProsePartView", "ReportOverviewView",
    "ReviewPeriodView", "TransitionView", "UnitDetailView", "UnitListView", "autosave_status",
    "changed_since_submission", "comparison_point", "conflict_changes", "officer_rows", "part_states",
    "report_context", "require", "reviewer_overview", "scoped_report",
]
