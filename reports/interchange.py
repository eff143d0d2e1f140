"""The ``cchc-report/1`` interchange format: export a report, validate and import a document.

Two phases, as every import here: first every problem of the document is collected (JSON Schema,
NUL characters, unit and period resolution, then each part's own rules and field limits) with its
JSON path; only a document with no problem is saved, in one transaction, by
``reports.services.replace_report``, which locks the report and only then checks the import rules
(period open, report still a draft, the user's right). The command and the upload UI both come here.
"""

import json
from pathlib import Path

from django.db import DataError
from jsonschema import Draft202012Validator

from . import limits, services
from . import parts as part_registry
from .models import AdministrativeUnit, Report, ReportingPeriod, UnitLevel
from .parts import Problem

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
    problems = limits.check_document(data)  # NUL characters, listed with the parts' problems below
    if any(p.path == "unit" for p in problems):  # a code with a NUL cannot even be looked up
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
    """Decode bytes/str to a JSON value within the upload limits (``limits.load_json``: size,
    nesting depth, finite numbers), or raise ImportRefused with the problem."""
    try:
        return limits.load_json(raw)
    except limits.Refused as refused:
        raise ImportRefused(refused.problems) from refused


SOURCE = "tệp cchc-report/1"


def import_report(data, *, actor=None, submit=False, allow_closed_period=False, expected_revision=None):
    """Create or replace the draft for (unit, period) from ``data``; optionally submit it.

    ``actor`` is the user importing (the upload UI); ``actor=None`` is the system import of the
    ``import_report`` command, the only caller without one. The rules are the UI's and are checked
    after the report is locked (``services.replace_report``): closed period, submitted or approved
    report, missing right. ``allow_closed_period`` (the command's ``--allow-closed-period``, for an
    admin moving history in) is recorded in the report's timeline. ``expected_revision`` is the
    report's revision at preview time (0: no report yet). Raises ImportRefused listing every
    problem; nothing is saved then.
    """
    problems, unit, period = validate(data)
    if problems:
        raise ImportRefused(problems)

    def apply(report):
        for part in part_registry.parts():
            part.apply_import(report, data)  # an absent key empties the part: the file replaces the draft
        problems = limits.check_instance(report, prefix="báo cáo.")
        if problems:  # a part's own checks missed a column limit: refuse rather than truncate or fail
            raise ImportRefused(problems)

    try:
        return services.replace_report(
            unit, period, actor=actor, apply=apply, source=SOURCE, submit=submit,
            allow_closed_period=allow_closed_period, expected_revision=expected_revision,
        )
    except services.ReportError as error:
        raise ImportRefused(refusal_problems(error)) from error
    except DataError as error:  # a column limit no check named (a part's validate_import should)
        raise ImportRefused([Problem("(tệp)", "Có giá trị vượt quá giới hạn lưu trữ của cơ sở dữ liệu; "
                                              "không có gì được lưu.")]) from error


def refusal_problems(error):
    """The Problems of a refused import: the rules' own, or the message and the submission problems."""
    if error.problems and all(isinstance(p, Problem) for p in error.problems):
        return list(error.problems)
    return [Problem("(báo cáo)", str(error)), *[Problem("", str(p)) for p in error.problems]]


def preview_problems(unit, period, *, actor):
    """(problems, existing report) of the import rules for a valid document, read before anything is
    locked, so the preview shows them; the import asks again after the lock."""
    existing = Report.objects.filter(unit=unit, period=period).first()
    return services.import_problems(existing, unit, period, actor=actor), existing


def export_report(report):
    document = {"format": FORMAT, "unit": report.unit.code,
                "period": {"year": report.period.year, "kind": report.period.kind}}
    for part in part_registry.parts():
        document.update(part.export(report))
    return document
