"""What every scoring service shares: the domain error, the row lock, the audit of a transition."""

from __future__ import annotations

from decimal import Decimal

from ..models import (
    Assessment,
    AssessmentTransition,
)

ZERO = Decimal(0)


class ScoringServiceError(Exception):
    """A refused change; ``str(error)`` is the message, ``problems`` the detailed lines."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.problems = list(problems or [])


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
