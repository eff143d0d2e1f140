"""How views reach objects: through the user's scope (out of scope → 404, exactly like a missing
object), then the ``rules`` permission (in scope but not allowed → 403). One helper each, used by
every app's views."""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def allowed(user, perm, obj=None):
    """Whether ``user`` holds the ``rules`` permission ``perm`` on ``obj``, asked of the predicates
    themselves: Django's ``user.has_perm`` lets an active superuser pass everything, while the rules
    let the superuser pass role checks (``is_superuser`` is one of the predicates) but never a state
    check (state predicates are and-ed in). No user, no right."""
    return user is not None and user.is_active and rules.has_perm(perm, user, obj)


def require(user, perm, obj=None):
    """PermissionDenied unless ``user`` has ``perm`` (on ``obj``). Accepts a request for ``user``."""
    user = getattr(user, "user", user)
    if not allowed(user, perm, obj):
        raise PermissionDenied


def get_scoped_or_404(queryset, user, **lookup):
    """``queryset.for_user(user).get(**lookup)``, or 404 (missing and out of scope look the same)."""
    user = getattr(user, "user", user)
    return get_object_or_404(queryset.for_user(user), **lookup)


class ScopedObjectMixin:
    """For views of one scoped object: ``scoped_model`` (a model whose manager has ``for_user``),
    ``scoped_kwarg`` (the URL kwarg of its pk), ``permission`` (asked on the object, 403)."""

    scoped_model = None
    scoped_kwarg = "pk"
    scoped_related = ()
    permission = None

    def scoped_queryset(self):
        queryset = self.scoped_model.objects.all()
        if self.scoped_related:
            queryset = queryset.select_related(*self.scoped_related)
        return queryset

    def get_scoped_object(self):
        if not hasattr(self, "_scoped_object"):
            obj = get_scoped_or_404(self.scoped_queryset(), self.request.user, pk=self.kwargs[self.scoped_kwarg])
            if self.permission:
                require(self.request.user, self.permission, obj)
            self._scoped_object = obj
        return self._scoped_object
