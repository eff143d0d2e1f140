"""Criteria sets: phase two of a criteria import, copy to the next year, classification bands."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc_portal.lib.numbers import to_decimal

from ..importers import CriteriaTable
from ..models import (
    CriteriaSet,
    Criterion,
)
from .base import ScoringServiceError, check_permission, lock_criteria_set, lock_unit


@transaction.atomic
def import_criteria_set(table: CriteriaTable, *, unit, year, actor, code="", name="", source_name="", bands=None):
    """Phase two of a criteria import: save a checked table as the set of ``unit`` and ``year``.

    An existing, unfrozen set with the same code is replaced; a frozen one is refused. The issuing
    unit is locked (two imports of one code cannot race), then the existing set; ``actor=None`` only
    for the ``import_criteria`` command and the demo."""
    if not table.ok:
        raise ScoringServiceError("Bảng tiêu chí còn lỗi, chưa lưu.", table.problems)
    unit = lock_unit(unit)
    check_permission(actor, "indicators.edit_criteria_set", unit)
    code = code or f"{unit.code}-{year}"
    name = name or f"Bộ tiêu chí chỉ số CCHC cấp xã năm {year} — {unit.name}"
    existing = CriteriaSet.objects.select_for_update().filter(unit=unit, year=year, code=code).first()
    if existing is not None:
        if existing.frozen or existing.assessments.exists():
            raise ScoringServiceError(f"Bộ tiêu chí {code} năm {year} đã được dùng để đánh giá nên không thể thay thế.")
        existing.criteria.all().delete()
        criteria_set = existing
        criteria_set.name = name
        criteria_set.max_score = table.set_max
        criteria_set.source_name = source_name
        if bands is not None:
            criteria_set.bands = bands
        criteria_set.save()
    else:
        criteria_set = CriteriaSet.objects.create(
            unit=unit, year=year, code=code, name=name, max_score=table.set_max, source_name=source_name,
            **({"bands": bands} if bands is not None else {}),
        )
    _create_criteria(criteria_set, [
        {"code": r.code, "parent": r.parent, "level": r.level, "name_vi": r.name_vi, "max_score": r.max_score,
         "method": r.method, "params": {k: str(v) for k, v in r.params.items()}, "source": r.source,
         "rule_vi": r.rule_vi, "origin": r.origin, "is_leaf": r.is_leaf, "field_code": r.field_code}
        for r in table.rows
    ])
    return criteria_set


def _create_criteria(criteria_set, rows):
    created = {}
    objects = []
    for position, row in enumerate(rows, start=1):
        values = dict(row)
        values.pop("parent")
        objects.append(Criterion(criteria_set=criteria_set, position=position, **values))
    for obj in Criterion.objects.bulk_create(objects):
        created[obj.code] = obj
    if any(obj.pk is None for obj in created.values()):  # backends without RETURNING
        created = {c.code: c for c in criteria_set.criteria.all()}
    updates = []
    for row in rows:
        if row["parent"]:
            child = created[row["code"]]
            child.parent_id = created[row["parent"]].pk
            updates.append(child)
    Criterion.objects.bulk_update(updates, ["parent"])


@transaction.atomic
def copy_criteria_set(criteria_set, *, actor, year=None, unit=None):
    """A copy of ``criteria_set`` for the next year (unfrozen, same bands), issued by ``unit`` or the same unit."""
    criteria_set = lock_criteria_set(criteria_set)
    year = year or criteria_set.year + 1
    unit = lock_unit(unit or criteria_set.unit)
    check_permission(actor, "indicators.edit_criteria_set", unit)
    if not unit.is_valid_on(dt.date(year, 1, 1)) and not unit.is_valid_on(dt.date(year, 12, 31)):
        raise ScoringServiceError(f"{unit} không còn hiệu lực trong năm {year}.")
    code = criteria_set.code.replace(str(criteria_set.year), str(year))
    if code == criteria_set.code and unit == criteria_set.unit:
        code = f"{criteria_set.code}-{year}"
    if CriteriaSet.objects.filter(unit=unit, year=year, code=code).exists():
        raise ScoringServiceError(f"Đã có bộ tiêu chí {code} năm {year} của {unit}.")
    copy = CriteriaSet.objects.create(
        unit=unit, year=year, code=code, name=criteria_set.name.replace(str(criteria_set.year), str(year)),
        max_score=criteria_set.max_score, bands=criteria_set.bands, source_name=criteria_set.source_name,
    )
    criteria = list(criteria_set.criteria.select_related("parent").order_by("position"))
    _create_criteria(copy, [
        {"code": c.code, "parent": c.parent.code if c.parent_id else "", "level": c.level, "name_vi": c.name_vi,
         "max_score": c.max_score, "method": c.method, "params": c.params, "source": c.source,
         "rule_vi": c.rule_vi, "origin": c.origin, "is_leaf": c.is_leaf, "field_code": c.field_code}
        for c in criteria
    ])
    return copy


def check_bands(bands):
    problems = []
    if not isinstance(bands, list) or not bands:
        return ["Xếp loại phải là danh sách các mức {min, label}."]
    for index, band in enumerate(bands, start=1):
        if not isinstance(band, dict) or "min" not in band or not str(band.get("label", "")).strip():
            problems.append(f"Mức {index}: cần có 'min' và 'label'.")
            continue
        try:
            to_decimal(band["min"])
        except ValueError:
            problems.append(f"Mức {index}: 'min' phải là số.")
    return problems


@transaction.atomic
def update_bands(criteria_set, bands, *, actor):
    """The set's classification bands (stored classifications of approved assessments stay as they are)."""
    problems = check_bands(bands)
    if problems:
        raise ScoringServiceError("Xếp loại không hợp lệ.", problems)
    locked = lock_criteria_set(criteria_set)
    check_permission(actor, "indicators.edit_criteria_set", locked)
    locked.bands = [{"min": float(to_decimal(b["min"])), "label": str(b["label"]).strip()} for b in bands]
    locked.save(update_fields=["bands"])
    return locked
