"""The ``cchc-report/1`` interchange format: export a report, validate and import a document.

Two phases, as every import here: first every problem of the document is collected (JSON Schema,
unit and period resolution, then each part's own rules) with its JSON path; only a document with no
problem is saved, in one transaction.
"""

import json
from pathlib import Path

from django.db import transaction
from jsonschema import Draft202012Validator

from . import parts as part_registry
from .models import AdministrativeUnit, Report, ReportingPeriod, ReportTransition, UnitLevel
from .parts import Problem
from .services import ReportError, open_report, submit_report

FORMAT = "cchc-report/1"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "report-v1.schema.json").read_text(encoding="utf-8"))
_validator = Draft202012Validator(SCHEMA)


class ImportRefused(Exception):
    """A document with problems; nothing was saved."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems


def _json_path(error):
    path = ""
    for element in error.absolute_path:
        path += f"[{element}]" if isinstance(element, int) else (f".{element}" if path else str(element))
    return path or "(gốc)"


SCHEMA_MESSAGES = {
    "required": "thiếu mục bắt buộc",
    "additionalProperties": "có mục không thuộc định dạng",
    "type": "sai kiểu dữ liệu",
    "minimum": "phải là số không âm",
    "enum": "giá trị không hợp lệ",
    "const": "phải là “cchc-report/1”",
    "exclusiveMinimum": "phải lớn hơn 0",
    "minLength": "không được để trống",
    "propertyNames": "tên mục không hợp lệ",
}


def schema_problems(data):
    problems = []
    for error in sorted(_validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        label = SCHEMA_MESSAGES.get(error.validator, "không hợp lệ")
        problems.append(Problem(_json_path(error), f"{label} ({error.message})"))
    return problems


def resolve_target(data):
    """(unit, period, problems) named by the document."""
    problems = []
    period_data = data.get("period") or {}
    period = ReportingPeriod.objects.filter(year=period_data.get("year"), kind=period_data.get("kind")).first()
    if period is None:
        problems.append(Problem("period", f"Không có kỳ báo cáo {period_data.get('kind')} năm {period_data.get('year')}."))
        return None, None, problems
    unit = (
        AdministrativeUnit.objects.valid_on(period.reference_date)
        .filter(code=data.get("unit"), level=UnitLevel.COMMUNE).select_related("parent").first()
    )
    if unit is None:
        problems.append(Problem("unit", f"Không có đơn vị cấp xã mã {data.get('unit')} trong {period.label}."))
    return unit, period, problems


def validate(data):
    """Every problem of ``data``; an empty list means it can be imported. Also returns (unit, period)."""
    if not isinstance(data, dict):
        return [Problem("(gốc)", "Tệp phải chứa một đối tượng JSON.")], None, None
    problems = schema_problems(data)
    if problems:
        return problems, None, None
    unit, period, target_problems = resolve_target(data)
    problems.extend(target_problems)
    if unit is None or period is None:
        return problems, unit, period
    for part in part_registry.parts():
        if any(key in data for key in part.export_keys):
            problems.extend(part.validate_import(data, unit=unit, period=period))
    return problems, unit, period


def parse(raw):
    """Decode bytes/str to a JSON value, or raise ImportRefused with the parse error."""
    try:
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8-sig")
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused([Problem("(tệp)", f"Không đọc được JSON: {error}")]) from error


def import_report(data, *, actor=None, submit=False, may_write=None):
    """Create or replace the draft for (unit, period) from ``data``; optionally submit it.

    ``may_write(report)``: whether the caller may write that report (the UI passes a permission check).
    Raises ImportRefused listing every problem; nothing is saved then.
    """
    problems, unit, period = validate(data)
    if not problems:
        existing = Report.objects.filter(unit=unit, period=period).first()
        if may_write is not None and not may_write(existing or Report(unit=unit, period=period)):
            problems.append(Problem("unit", f"Bạn không có quyền nhập báo cáo của {unit}."))
        elif existing is not None and not existing.is_editable:
            problems.append(Problem("period", f"Báo cáo {period.label} của {unit} đã gửi hoặc đã duyệt, không thể thay thế."))
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        report = open_report(unit, period, actor=actor)
        report = Report.objects.select_for_update().get(pk=report.pk)
        for part in part_registry.parts():
            part.apply_import(report, data)  # an absent key empties the part: the file replaces the draft
            report.part_revisions[part.key] = report.part_revision(part.key) + 1
        report.revision += 1
        report._change_reason = "Nhập từ tệp cchc-report/1"
        report.save()
        ReportTransition.objects.create(report=report, from_status=report.status, to_status=report.status,
                                        actor=actor, reason="Nhập dữ liệu từ tệp cchc-report/1", revision=report.revision)
        if submit:
            try:
                submit_report(report, actor=actor)
            except ReportError as error:
                raise ImportRefused([Problem("(báo cáo)", str(error)), *[Problem("", p) for p in error.problems]]) from error
    return Report.objects.get(pk=report.pk)


def export_report(report):
    document = {"format": FORMAT, "unit": report.unit.code,
                "period": {"year": report.period.year, "kind": report.period.kind}}
    for part in part_registry.parts():
        document.update(part.export(report))
    return document
