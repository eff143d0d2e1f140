"""The one place that knows the unit tree and who holds which role where.

Every scope decision goes through here: the communes (and units) a user may see, whether a user holds
a role at or above a unit, the reviewer's and the officer's units. ``for_user()`` querysets, the
``rules`` predicates, the views' scoped lookups and the document kinds are all built on these
functions, so the tree's depth (province → district → commune before 2025, province → commune since,
a national level later) is encoded once: in ``AdministrativeUnit.path``, the ids of a unit's
ancestors and its own, "/12/345/6789/".
"""

from django.db.models import Q

from .models import AdministrativeUnit, Membership, Role, UnitLevel

COMMUNE_ROLES = (Role.OFFICER, Role.LEADER)
REVIEW_ROLES = (Role.REVIEWER, Role.ADMIN)


# --- the tree --------------------------------------------------------------------------------------

def path_of(unit_pk, parent_path=""):
    return f"{parent_path or '/'}{unit_pk}/"


def ancestor_ids(unit):
    """Ids of ``unit``'s ancestors, root first (from its stored path: no query)."""
    ids = [int(part) for part in (unit.path or "").strip("/").split("/") if part]
    if ids and ids[-1] == unit.pk:
        return ids[:-1]
    # A unit saved before paths existed: walk the parents.
    return [u.pk for u in reversed(unit.ancestors())]


def lineage_ids(unit):
    """``unit`` and its ancestors, root first."""
    return [*ancestor_ids(unit), unit.pk]


def below_q(unit, prefix=""):
    """Condition for the units strictly under ``unit`` (any depth)."""
    return Q(**{f"{prefix}path__startswith": unit.path}) & ~Q(**{f"{prefix}pk": unit.pk})


def units_below(unit):
    return AdministrativeUnit.objects.filter(below_q(unit))


def communes_below(unit):
    return units_below(unit).filter(level=UnitLevel.COMMUNE)


def rebuild_paths(units=None):
    """Recompute the stored paths (after a bulk load or a change of parent). Returns how many changed."""
    rows = list(AdministrativeUnit.objects.values_list("pk", "parent_id", "path"))
    parents = {pk: parent for pk, parent, _path in rows}
    stored = {pk: path for pk, _parent, path in rows}
    computed = {}

    def compute(pk):
        if pk not in computed:
            chain, current = [], pk
            while current is not None and current not in computed:
                chain.append(current)
                current = parents[current]
            prefix = computed.get(current, "/") if current is not None else "/"
            for node in reversed(chain):
                prefix = path_of(node, prefix)
                computed[node] = prefix
        return computed[pk]

    changed = [AdministrativeUnit(pk=pk, path=compute(pk)) for pk in parents if compute(pk) != stored[pk]]
    AdministrativeUnit.objects.bulk_update(changed, ["path"], batch_size=1000)
    return len(changed)


# --- memberships -----------------------------------------------------------------------------------

def memberships(user, roles=None):
    """The user's memberships, optionally only those of ``roles``; fetched once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_cchc_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._cchc_memberships = cached
    if roles is None:
        return cached
    return [m for m in cached if m.role in roles]


def roles_of(user):
    return {m.role for m in memberships(user)}


def commune_units(user):
    """Communes where the user is an officer or leader."""
    return list({m.unit_id: m.unit for m in memberships(user, COMMUNE_ROLES) if m.unit_id}.values())


def review_units(user):
    """Units (not communes) where the user reviews or administers."""
    return list({m.unit_id: m.unit for m in memberships(user, REVIEW_ROLES)
                 if m.unit_id and m.unit.level != UnitLevel.COMMUNE}.values())


def is_national(user):
    """Sees every unit: a superuser, or a reviewer/admin attached to no unit (national staff)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(m.unit_id is None for m in memberships(user, REVIEW_ROLES))


def is_admin(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(memberships(user, (Role.ADMIN,)))


def is_reviewer(user):
    """Holds a reviewing role somewhere (reviewer or admin), or is a superuser."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(memberships(user, REVIEW_ROLES))


def holds(user, roles, unit):
    """``user`` holds one of ``roles`` at exactly ``unit``."""
    return any(m.unit_id == unit.pk for m in memberships(user, roles))


def is_over(user, roles, unit):
    """``user`` holds one of ``roles`` at ``unit``, at one of its ancestors, or unattached."""
    found = memberships(user, roles)
    if not found:
        return False
    chain = set(lineage_ids(unit))
    return any(m.unit_id is None or m.unit_id in chain for m in found)


def reviews(user, unit):
    """``user`` reviews ``unit`` (a commune, or a district/province for its consolidated work)."""
    return (user is not None and user.is_active and user.is_superuser) or is_over(user, REVIEW_ROLES, unit)


# --- what a user may see ---------------------------------------------------------------------------

def visible_units_q(user, prefix=""):
    """Condition on units (any level) in the user's scope: their communes, and every unit at or
    under the units they review. ``prefix`` for use across a relation ("unit__")."""
    if is_national(user):
        return Q()
    condition = Q(**{f"{prefix}pk__in": []})
    own = [m.unit_id for m in memberships(user, COMMUNE_ROLES) if m.unit_id]
    if own:
        condition |= Q(**{f"{prefix}pk__in": own})
    for membership in memberships(user, REVIEW_ROLES):
        condition |= Q(**{f"{prefix}path__startswith": membership.unit.path})
    return condition


def visible_units(user):
    """Units of every level in the user's scope (none for the anonymous)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(visible_units_q(user))


def visible_communes(user):
    """Communes the user may see: their own (officer, leader), or every one below their units."""
    return visible_units(user).filter(level=UnitLevel.COMMUNE)


def scoped(queryset, user, unit_field="unit"):
    """``queryset`` restricted to rows whose ``unit_field`` is a unit in the user's scope."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(visible_units_q(user, prefix=f"{unit_field}__"))


def criteria_units_q(user, prefix=""):
    """Units whose criteria sets the user may see: units in scope, and the ancestors of the units
    they review or belong to (a district reviewer sees the province's set that applies to it)."""
    if is_national(user):
        return Q()
    ids = set()
    for membership in memberships(user):
        if membership.unit_id:
            ids.update(lineage_ids(membership.unit))
    return visible_units_q(user, prefix) | Q(**{f"{prefix}pk__in": ids})
