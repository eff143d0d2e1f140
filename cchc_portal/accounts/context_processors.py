from functools import partial

from .second_factor import may_use


def account_menu(request):
    """For the user menu: whether to offer the second factor's page (called only when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_use_second_factor": partial(may_use, user)}
