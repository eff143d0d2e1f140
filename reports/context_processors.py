from django.conf import settings

from . import scope
from .models import Role


def navigation(request):
    """Role flags for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": settings.SITE_NAME}
    roles = scope.roles_of(user)
    return {
        "site_name": settings.SITE_NAME,
        "nav_is_commune": bool(roles & set(scope.COMMUNE_ROLES)),
        "nav_is_reviewer": scope.is_reviewer(user),
        "nav_is_admin": scope.is_admin(user),
        "nav_roles": sorted({Role(r).label for r in roles}),
    }
