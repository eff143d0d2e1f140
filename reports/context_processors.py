from django.conf import settings

from . import scope
from .models import Role


def navigation(request):
    """The site name and the user's roles for the navigation bar (its links come from
    reports.plugins, rendered by the ``nav_items`` tag)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": settings.SITE_NAME}
    return {
        "site_name": settings.SITE_NAME,
        "nav_roles": sorted({Role(r).label for r in scope.roles_of(user)}),
    }
