"""Writes of the procedures app. The procedure catalogue belongs to the commune, not to a report:
it is saved under a lock on the unit's row (two reports of one commune edited at once cannot
interleave their catalogue changes), and only then is the actor's right checked. The time cuts
belong to the report and are saved inside the core's ``reports.services.save_part`` (report lock)."""

from django.db import transaction
from django.db.models import Max

from reports.access import allowed
from reports.models import AdministrativeUnit
from reports.services import NotAllowed, ReportError

from .models import Procedure, TimeCut


class CatalogueError(ReportError):
    """A refused catalogue change; ``str(error)`` is the message for the user."""


def _lock_catalogue(unit):
    """The unit row, locked: every catalogue write of the unit takes this lock first."""
    return AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)


@transaction.atomic
def save_catalogue(unit, *, actor, changed=(), deleted=()):
    """Save new or changed ``Procedure`` rows and delete ``deleted`` ones of ``unit``'s catalogue.

    Locks the catalogue (the unit row), then checks that ``actor`` may edit it and that every
    existing row is the unit's. Raises NotAllowed or CatalogueError; saves nothing then."""
    locked = _lock_catalogue(unit)
    if actor is None or not allowed(actor, "procedures.edit_catalogue", locked):
        raise NotAllowed(f"Bạn không có quyền sửa danh mục thủ tục hành chính của {locked}.")
    owned = set(Procedure.objects.filter(unit=locked).values_list("pk", flat=True))
    foreign = [p for p in [*changed, *deleted] if p.pk is not None and p.pk not in owned]
    if foreign:
        raise CatalogueError(f"Thủ tục “{foreign[0].name}” không thuộc danh mục của {locked}.")
    for procedure in deleted:
        procedure._change_reason = "Xóa khỏi danh mục TTHC"
        procedure.delete()
    for procedure in changed:
        procedure.unit = locked
        procedure._change_reason = "Sửa danh mục TTHC"
        procedure.save()
    return locked


def save_time_cuts(report, *, changed=(), deleted=()):
    """Save the report's time cuts; new rows go after the last position. Call it under the
    report's lock (inside ``reports.services.save_part``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("save_time_cuts runs inside reports.services.save_part")
    for cut in deleted:
        if cut.report_id == report.pk:
            cut.delete()
    last = TimeCut.objects.filter(report=report).aggregate(last=Max("position"))["last"] or 0
    for cut in changed:
        cut.report = report
        if not cut.position:
            last += 1
            cut.position = last
        cut.save()
