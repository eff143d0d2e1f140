"""Who may do what with an object already in scope (an out-of-scope object is a 404 before these
are asked: see reports.scope and reports.access). Built on reports.scope, like every scope decision.

The superuser passes role checks but never state checks: every state predicate is and-ed in."""

import rules

from . import scope
from .models import ReportStatus, Role


def _unit_of(obj):
    return getattr(obj, "unit", obj)


@rules.predicate
def is_commune_officer(user, obj):
    return scope.holds(user, scope.COMMUNE_ROLES, _unit_of(obj))


@rules.predicate
def is_commune_leader(user, obj):
    return scope.holds(user, (Role.LEADER,), _unit_of(obj))


@rules.predicate
def is_reviewer_over(user, obj):
    return scope.is_over(user, scope.REVIEW_ROLES, _unit_of(obj))


@rules.predicate
def is_portal_admin(user):
    return scope.is_admin(user)


@rules.predicate
def is_reviewer(user):
    return scope.is_reviewer(user)


@rules.predicate
def report_is_editable(user, report):
    return report.is_editable


@rules.predicate
def report_is_submitted(user, report):
    return report.status == ReportStatus.SUBMITTED


@rules.predicate
def report_is_approved(user, report):
    return report.status == ReportStatus.APPROVED


is_superuser = rules.is_superuser

rules.add_perm("reports.view_report", is_commune_officer | is_reviewer_over | is_superuser)
rules.add_perm("reports.edit_report", (is_commune_officer | is_superuser) & report_is_editable)
rules.add_perm("reports.submit_report", (is_commune_leader | is_superuser) & report_is_editable)
rules.add_perm("reports.review_report", is_reviewer_over | is_superuser)
rules.add_perm("reports.return_report", (is_reviewer_over | is_superuser) & report_is_submitted)
rules.add_perm("reports.approve_report", (is_reviewer_over | is_superuser) & report_is_submitted)
rules.add_perm("reports.reopen_report", (is_reviewer_over | is_superuser) & report_is_approved)
rules.add_perm("reports.comment_report", is_reviewer_over | is_superuser)
rules.add_perm("reports.review_period", is_reviewer)
rules.add_perm("reports.manage_portal", is_portal_admin)
