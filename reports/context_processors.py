from django.conf import settings

from .models import Role, memberships_of


def navigation(request):
    """Role flags for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": settings.SITE_NAME}
    roles = {m.role for m in memberships_of(user)}
    return {
        "site_name": settings.SITE_NAME,
        "nav_is_commune": bool(roles & {Role.OFFICER, Role.LEADER}),
        "nav_is_reviewer": user.is_superuser or bool(roles & {Role.REVIEWER, Role.ADMIN}),
        "nav_is_admin": user.is_superuser or Role.ADMIN in roles,
        "nav_roles": sorted({Role(r).label for r in roles}),
    }
