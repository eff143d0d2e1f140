"""Who may do what. Scope (may see at all) is ``AdministrativeUnit.objects.visible_to``; these
predicates decide the actions on an object already in scope (an out-of-scope object is a 404
before they are asked)."""

import rules

from .models import Role, memberships_of


def _unit_of(obj):
    return getattr(obj, "unit", obj)


def _holds(user, roles, unit):
    if not user.is_authenticated:
        return False
    for membership in memberships_of(user):
        if membership.role in roles and membership.unit_id == unit.pk:
            return True
    return False


def _over(user, roles, unit):
    """``user`` holds one of ``roles`` at ``unit`` or at one of its ancestors (or unattached)."""
    if not user.is_authenticated:
        return False
    ancestry = {unit.pk, unit.parent_id}
    if unit.parent_id is not None:
        ancestry.add(unit.parent.parent_id)
    for membership in memberships_of(user):
        if membership.role in roles and (membership.unit_id is None or membership.unit_id in ancestry):
            return True
    return False


@rules.predicate
def is_commune_officer(user, obj):
    return _holds(user, (Role.OFFICER, Role.LEADER), _unit_of(obj))


@rules.predicate
def is_commune_leader(user, obj):
    return _holds(user, (Role.LEADER,), _unit_of(obj))


@rules.predicate
def is_reviewer_over(user, obj):
    return _over(user, (Role.REVIEWER, Role.ADMIN), _unit_of(obj))


@rules.predicate
def is_portal_admin(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.ADMIN for m in memberships_of(user))


@rules.predicate
def is_reviewer(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role in (Role.REVIEWER, Role.ADMIN) for m in memberships_of(user))


@rules.predicate
def report_is_editable(user, report):
    return report.is_editable


is_superuser = rules.is_superuser

rules.add_perm("reports.view_report", is_commune_officer | is_reviewer_over | is_superuser)
rules.add_perm("reports.edit_report", (is_commune_officer | is_superuser) & report_is_editable)
rules.add_perm("reports.submit_report", (is_commune_leader | is_superuser) & report_is_editable)
rules.add_perm("reports.review_report", is_reviewer_over | is_superuser)
rules.add_perm("reports.comment_report", is_reviewer_over | is_superuser)
rules.add_perm("reports.review_period", is_reviewer)
rules.add_perm("reports.manage_portal", is_portal_admin)
