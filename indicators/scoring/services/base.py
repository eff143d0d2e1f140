"""What every scoring service shares: the domain errors, the row locks, the permission check on the
locked row, the audit of a transition."""

from __future__ import annotations

from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied

from reports.models import AdministrativeUnit

from ..models import (
    Assessment,
    AssessmentTransition,
    CriteriaSet,
)

ZERO = Decimal(0)


class ScoringServiceError(Exception):
    """A refused change; ``str(error)`` is the message, ``problems`` the detailed lines."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.problems = list(problems or [])


class ScoringPermissionError(PermissionDenied):
    """The actor may not make this change (asked on the locked row); views answer 403."""


def check_permission(actor, perm, obj):
    """Refuse unless ``actor`` has ``perm`` on ``obj`` (the locked row). ``actor=None`` is an explicit
    system import (a management command or the demo loader), never a web request."""
    if actor is None:
        return
    # The rule itself, not ``User.has_perm``: Django lets an active superuser pass every permission,
    # state predicates included, while the rules name the superuser only where a role is meant.
    if not rules.has_perm(perm, actor, obj):
        raise ScoringPermissionError(f"{perm} refused")


def lock_unit(unit):
    """Serialises creations for one unit (a new assessment, a new criteria set)."""
    return AdministrativeUnit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)


def lock_criteria_set(criteria_set):
    return CriteriaSet.objects.select_for_update(of=("self",)).select_related("unit").get(pk=criteria_set.pk)


def lock_assessment(assessment):
    return (Assessment.objects.select_for_update(of=("self",))
            .select_related("unit__parent__parent", "criteria_set").get(pk=assessment.pk))


def record_transition(assessment, to_status, actor, note=""):
    AssessmentTransition.objects.create(
        assessment=assessment, from_status=assessment.status, to_status=to_status, actor=actor, note=note,
    )
    assessment.status = to_status


def require_status(assessment, *statuses, message):
    if assessment.status not in statuses:
        raise ScoringServiceError(message)


def ordered_leaves(assessment):
    return list(assessment.leaves.select_related("criterion").order_by("criterion__position"))
