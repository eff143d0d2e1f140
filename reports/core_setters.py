"""Settable facts of the direction part: how a cchc-report/1 appendix code that mirrors a value the
direction part stores (1.1 → plan.reference, 1.1.1 → the task count, 1.2.2 → issues found …) is
checked against the rest of the file and written. Each function returns ``(validate(value, data) ->
message or None, apply(report, value))`` for ``DirectionPart.settable_facts``."""

from . import limits
from .models import Report


def column_message(field, value):
    """The column limit ``value`` breaks, as a message (the caller names the place), or None."""
    problem = limits.check_value(limits.model_field(Report, field), value, "", nul=False)
    return problem.message if problem is not None else None


def count_setter(field, label):
    def validate(value, data):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"{label} phải là số nguyên không âm (đang là {value!r})."
        return column_message(field, value)

    def apply(report, value):
        setattr(report, field, value)

    return validate, apply


def plan_count_setter(field, label, count_of_tasks):
    def validate(value, data):
        problem = count_setter(field, label)[0](value, data)
        if problem:
            return problem
        plan = data.get("plan") or {}
        if plan.get("tasks") is not None:
            listed = count_of_tasks(plan["tasks"])
            if value != listed:
                return f"{label} ({value}) khác số nhiệm vụ đã liệt kê trong kế hoạch ({listed})."
        key = {"plan_task_total": "task_count", "plan_tasks_done": "tasks_done"}[field]
        if key in plan and plan[key] != value:
            return f"{label} ({value}) khác plan.{key} ({plan[key]})."
        return None

    def apply(report, value):
        if not report.plan_itemised:
            setattr(report, field, value)

    return validate, apply


def choice_setter(field, allowed, label, transform=str):
    def validate(value, data):
        if value not in allowed:
            return f"{label}: giá trị {value!r} không thuộc {sorted(allowed)}."
        return None

    def apply(report, value):
        setattr(report, field, transform(value))

    return validate, apply


def plan_reference_setter():
    """The appendix's "Kế hoạch CCHC" (1.1) mirrors plan.reference. A file may carry both, the code
    often in short ("Kế hoạch số 15/KH-UBND ngày 23/02/2024" beside "… của UBND xã Sơn Thượng"): one
    that begins the other is the same plan and the fuller text is kept, so plan.reference comes back
    whole; two different plans are refused."""
    def validate(value, data):
        if not isinstance(value, str):
            return "Kế hoạch CCHC phải là chuỗi ký tự."
        reference = (data.get("plan") or {}).get("reference")
        if reference and value and not (reference.startswith(value.strip()) or value.startswith(reference.strip())):
            return f"Kế hoạch CCHC (“{value}”) khác plan.reference (“{reference}”)."
        return column_message("plan_reference", value)

    def apply(report, value):
        if not report.plan_reference.startswith(value.strip()):
            report.plan_reference = value

    return validate, apply
