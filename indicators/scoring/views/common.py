"""What every scoring view shares: scoped lookups (out of scope is 404) and how refusals are shown."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404

from reports import scope
from reports.access import get_scoped_or_404
from reports.models import (
    AdministrativeUnit,
    UnitLevel,
)

from ..models import (
    Assessment,
    AssessmentStatus,
)

S = AssessmentStatus


def scoped_assessment(request, pk):
    """The assessment ``pk`` if its commune is in the user's scope, else 404."""
    return get_scoped_or_404(Assessment.objects.select_related("unit__parent__parent", "criteria_set__unit"),
                             request.user, pk=pk)


def scoped_scope_unit(request, unit_pk):
    """A province/district whose communes the user may see (some of them at least), else 404."""
    unit = get_object_or_404(AdministrativeUnit.objects.exclude(level=UnitLevel.COMMUNE).select_related("parent"),
                             pk=unit_pk)
    communes = scope.visible_communes(request.user).below(unit)
    if not communes.exists():
        raise Http404
    return unit, communes


def show_errors(request, error):
    messages.error(request, str(error))
    for problem in error.problems[:30]:
        messages.error(request, problem)
