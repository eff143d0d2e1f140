"""Who may do what with criteria sets and assessments. Scope (may see the object at all) is the
models' ``for_user`` (reports.scope; views 404 outside it); these predicates decide actions. The
services ask them again on the locked row. The superuser passes role checks, never state checks."""

import rules

from reports import scope
from reports.models import UnitLevel
from reports.rules import (
    is_commune_leader,
    is_commune_officer,
    is_portal_admin,
    is_reviewer,
    is_reviewer_over,
)

from .models import AssessmentStatus as S

# Statuses in which the commune sees the reviewers' round-1/round-2 scores and comments.
APPRAISAL_VISIBLE = (S.EXPLAINING, S.ROUND2, S.PUBLISHED)


@rules.predicate
def is_self_assessing(user, assessment):
    return assessment.status == S.SELF_ASSESSING


@rules.predicate
def is_explaining(user, assessment):
    return assessment.status == S.EXPLAINING


@rules.predicate
def appraisal_visible(user, assessment):
    return assessment.status in APPRAISAL_VISIBLE


@rules.predicate
def is_appraised(user, assessment):
    """Appraised in round 1 or 2: the council may approve."""
    return assessment.status in (S.ROUND1, S.ROUND2)


@rules.predicate
def is_published(user, assessment):
    return assessment.status == S.PUBLISHED


@rules.predicate
def issues_criteria(user, obj):
    """A criteria set (or a unit) the user may issue sets for: a province or district where they review
    or administer; national administrators everywhere."""
    unit = getattr(obj, "unit", obj)
    if unit is None or unit.level == UnitLevel.COMMUNE:
        return False
    if scope.is_national(user) and scope.is_admin(user):
        return True
    return scope.holds(user, scope.REVIEW_ROLES, unit)


is_superuser = rules.is_superuser
reviewer = is_reviewer_over | is_superuser

rules.add_perm("indicators.view_assessment", is_commune_officer | reviewer)
rules.add_perm("indicators.view_appraisal", reviewer | (is_commune_officer & appraisal_visible))
rules.add_perm("indicators.view_results", reviewer | (is_commune_officer & is_published))
rules.add_perm("indicators.edit_self_assessment", (is_commune_officer | is_superuser) & is_self_assessing)
rules.add_perm("indicators.submit_self_assessment", (is_commune_leader | is_superuser) & is_self_assessing)
rules.add_perm("indicators.explain_assessment", (is_commune_officer | is_superuser) & is_explaining)
rules.add_perm("indicators.appraise_assessment", reviewer)
rules.add_perm("indicators.approve_assessment", reviewer & is_appraised)
rules.add_perm("indicators.reopen_assessment", reviewer)
rules.add_perm("indicators.upload_evidence", is_commune_officer | reviewer)
rules.add_perm("indicators.mark_remediation", (is_commune_officer | is_superuser) & is_published)
rules.add_perm("indicators.start_assessment", is_commune_officer | reviewer)
# On a province/district unit: rank, publish and export its communes' results.
rules.add_perm("indicators.review_scope", reviewer)
rules.add_perm("indicators.manage_criteria", is_portal_admin | is_reviewer)
rules.add_perm("indicators.edit_criteria_set", issues_criteria)
# A cchc-assessment/1 document carries appraised scores: only a reviewer of the commune imports it.
rules.add_perm("indicators.import_assessment", reviewer)
