"""The parts of a report that the core owns: document header, I. direction, prose sections."""

import datetime as dt

from django.db.models import Count, Q

from cchc_portal.lib import numbers

from . import addressing, limits
from . import core_setters as setters
from .models import SECTION_KEYS, DirectiveDocument, PlanTask, Report, TaskStatus
from .parts import Problem, ReportPart

CAPACITY_LABELS = {"TM": "TM.", "KT": "KT.", "Q": "Q.", "TL": "TL.", "TUQ": "TUQ.", "": ""}


def _iso(day):
    return day.isoformat() if day else None


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def report_field_changes(report, when, fields):
    """Changes of ``fields`` of ``report`` between its state at ``when`` and now."""
    try:
        before = report.history.as_of(when)
    except report.DoesNotExist:
        return []
    changes = []
    for name in fields:
        old, new = getattr(before, name), getattr(report, name)
        if (old or None) != (new or None):
            changes.append({"field": str(report._meta.get_field(name).verbose_name), "old": old, "new": new})
    return changes


def row_changes(model, report, when, describe):
    """Rows of ``model`` (with history) added, removed or changed since ``when``, described by ``describe``."""
    history = model.history.model.objects.filter(report_id=report.pk)
    before = {}
    for record in history.filter(history_date__lte=when).order_by("history_date"):
        if record.history_type == "-":
            before.pop(record.id, None)
        else:
            before[record.id] = describe(record)
    now = {obj.pk: describe(obj) for obj in model.objects.filter(report=report)}
    label = str(model._meta.verbose_name)
    changes = []
    for pk in sorted(set(before) | set(now)):
        if before.get(pk) != now.get(pk):
            changes.append({"field": label, "old": before.get(pk), "new": now.get(pk)})
    return changes


HEADER_FIELDS = ["doc_number", "place", "doc_date", "subject", "addressee", "recipients", "signer_name",
                 "signer_title", "signer_capacity"]
DIRECTION_FIELDS = ["plan_reference", "plan_contents", "plan_itemised", "plan_task_total", "plan_tasks_done",
                    "directive_total", "inspection_plan", "inspected_units", "issues_found", "issues_fixed",
                    "propaganda_plan", "propaganda_sessions", "propaganda_attendees", "broadcasts", "web_posts",
                    "banners", "initiatives", "survey_forms", "survey_method", "dialogues"]


# cchc-report/1 paths of the columns each part writes: their limits come from the columns.
HEADER_COLUMNS = {
    "document.number": "doc_number", "document.place": "place", "document.subject": "subject",
    "document.addressee": "addressee", "document.signer.name": "signer_name",
    "document.signer.title": "signer_title", "document.signer.capacity": "signer_capacity",
}
PLAN_COLUMNS = {"plan.reference": "plan_reference", "plan.contents": "plan_contents",
                "plan.task_count": "plan_task_total", "plan.tasks_done": "plan_tasks_done"}
PLAN_TASK_COLUMNS = {"title": "title", "group": "group", "responsible": "responsible"}
# Sections live in one JSON column without a length of its own: this bound is the prose part's rule,
# the same for the entry form (forms.SectionsForm) and an import.
SECTION_MAX_LENGTH = 50000


class HeaderPart(ReportPart):
    key = "header"
    title = "Thông tin văn bản"
    order = 10
    url_name = "part-header"
    export_keys = ("document",)

    def is_started(self, report):
        return bool(report.signer_name or report.doc_number or report.addressee)

    def problems(self, report):
        problems = []
        if not report.signer_name:
            problems.append(Problem("signer_name", "Chưa nhập người ký."))
        if not report.place:
            problems.append(Problem("place", "Chưa nhập địa danh."))
        for field, text in addressing.abolished_bodies(report):
            label = "Kính gửi" if field == "addressee" else "Nơi nhận"
            problems.append(Problem(field, f"{label} “{text}” là cơ quan cấp huyện, không còn từ ngày 01/07/2025; "
                                           f"báo cáo {report.period.label} gửi {addressing.addressee(report.unit, report.period)}."))
        return problems

    def export(self, report):
        document = {
            "number": report.doc_number, "place": report.place, "subject": report.subject,
            "addressee": report.addressee, "recipients": report.recipient_lines,
            "signer": {"name": report.signer_name, "title": report.signer_title,
                       "capacity": report.signer_capacity},
        }
        if report.doc_date:
            document["date"] = report.doc_date.isoformat()
        return {"document": document}

    def validate_import(self, data, *, unit, period):
        problems = limits.check_mapping(Report, HEADER_COLUMNS, data, nul=False)
        document = data.get("document") or {}
        if document.get("date"):
            try:
                day = dt.date.fromisoformat(document["date"])
            except ValueError:
                problems.append(Problem("document.date", f"Ngày “{document['date']}” không đúng dạng YYYY-MM-DD."))
            else:
                if day < period.data_start:
                    problems.append(Problem("document.date", f"Ngày văn bản {day:%d/%m/%Y} sớm hơn ngày bắt đầu "
                                                             f"kỳ số liệu {period.data_start:%d/%m/%Y}."))
        return problems

    def apply_import(self, report, data):
        document = data.get("document") or {}
        signer = document.get("signer") or {}
        report.doc_number = document.get("number", "")
        report.place = document.get("place", "")
        report.doc_date = _date(document.get("date"))
        report.subject = document.get("subject", "")
        report.addressee = document.get("addressee", "")
        report.recipients = "\n".join(document.get("recipients", []))
        report.signer_name = signer.get("name", "")
        report.signer_title = signer.get("title", "")
        report.signer_capacity = signer.get("capacity", "TM")

    def changes_since(self, report, when):
        return report_field_changes(report, when, HEADER_FIELDS)

    def copy_from_previous(self, previous, report):
        """The unit's own previous report lends its place and signer; its "Kính gửi" and "Nơi nhận"
        only when it was addressed to the same superior (``reports.addressing``): otherwise the
        tree's defaults, set when the report was created, stay. A predecessor's report (the 2025
        merger) lends nothing: another committee signed it."""
        if previous.unit_id != report.unit_id:
            return
        fields = ["place", "signer_name", "signer_title", "signer_capacity"]
        if addressing.same_superior(previous, report):
            fields += [f for f in ("addressee", "recipients") if getattr(previous, f)]
        for field in fields:
            setattr(report, field, getattr(previous, field))
        report.save()

    def document_context(self, report):
        return {
            "number": report.doc_number, "place": report.place or report.unit.short_name,
            "date": report.doc_date, "subject": report.effective_subject, "addressee": report.addressee,
            "recipients": report.recipient_lines,
            "signer": {"name": report.signer_name, "title": report.signer_title or "Chủ tịch",
                       "capacity": CAPACITY_LABELS.get(report.signer_capacity, "")},
        }


def task_counts(report):
    """(total, done) of the plan: counted from itemised tasks, else the typed totals."""
    if report.plan_itemised:
        counts = PlanTask.objects.filter(report=report).aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
        return counts["total"], counts["done"]
    return report.plan_task_total, report.plan_tasks_done


DIRECTION_FACT_LABELS = {
    "direction.plan_reference": "Kế hoạch CCHC",
    "direction.task_total": "Số nhiệm vụ",
    "direction.tasks_done": "Đã hoàn thành",
    "direction.task_rate": "Tỷ lệ hoàn thành",
    "direction.directive_count": "Văn bản chỉ đạo đã ban hành",
    "direction.initiatives": "Sáng kiến",
    "direction.dialogues": "Cuộc đối thoại",
    "direction.inspected_units": "Bộ phận đã kiểm tra",
    "direction.issues_found": "Vấn đề phát hiện",
    "direction.issues_fixed": "Vấn đề đã xử lý",
    "direction.propaganda_sessions": "Buổi tuyên truyền",
    "direction.propaganda_attendees": "Lượt người tham dự",
    "direction.broadcasts": "Lần phát thanh",
    "direction.web_posts": "Tin bài trên trang TTĐT",
}

# Which of the direction facts are shown beside which prose section.
DIRECTION_SECTION_FACTS = {
    "I.1": ["direction.plan_reference", "direction.task_total", "direction.tasks_done", "direction.task_rate"],
    "I.2": ["direction.directive_count", "direction.initiatives", "direction.dialogues"],
    "I.3": ["direction.inspected_units", "direction.issues_found", "direction.issues_fixed"],
    "I.4": ["direction.propaganda_sessions", "direction.propaganda_attendees", "direction.broadcasts",
            "direction.web_posts"],
}


class DirectionPart(ReportPart):
    key = "direction"
    title = "I. Công tác chỉ đạo, điều hành"
    order = 20
    url_name = "part-direction"
    export_keys = ("plan",)

    def is_started(self, report):
        return bool(report.plan_reference) or report.plan_task_total is not None or report.tasks.exists()

    def problems(self, report):
        problems = []
        total, done = task_counts(report)
        if total is not None and done is not None and done > total:
            problems.append(Problem("plan", f"Số nhiệm vụ đã hoàn thành ({done}) lớn hơn tổng số nhiệm vụ ({total})."))
        if report.issues_found is not None and report.issues_fixed is not None and report.issues_fixed > report.issues_found:
            problems.append(Problem("issues_fixed", f"Số vấn đề đã xử lý ({report.issues_fixed}) lớn hơn số vấn đề phát hiện ({report.issues_found})."))
        return problems

    def facts(self, report):
        total, done = task_counts(report)
        facts = {
            "direction.plan_reference": report.plan_reference or None,
            "direction.task_total": total,
            "direction.tasks_done": done,
            "direction.task_rate": numbers.format_rate(numbers.rate(done, total)) if total is not None else None,
            "direction.directive_count": directive_count(report),
            "direction.inspected_units": report.inspected_units,
            "direction.issues_found": report.issues_found,
            "direction.issues_fixed": report.issues_fixed,
            "direction.propaganda_sessions": report.propaganda_sessions,
            "direction.propaganda_attendees": report.propaganda_attendees,
            "direction.broadcasts": report.broadcasts,
            "direction.web_posts": report.web_posts,
            "direction.initiatives": report.initiatives,
            "direction.survey_forms": report.survey_forms,
            "direction.survey_method": int(report.survey_method) if report.survey_method != "" else None,
            "direction.dialogues": report.dialogues,
            "direction.dialogue_held": (1 if report.dialogues else 0) if report.dialogues is not None else None,
        }
        return {k: v for k, v in facts.items() if v is not None}

    def fact_labels(self):
        return DIRECTION_FACT_LABELS

    def section_facts(self):
        return DIRECTION_SECTION_FACTS

    def export(self, report):
        plan = {"reference": report.plan_reference}
        if report.plan_contents is not None:
            plan["contents"] = report.plan_contents
        if report.plan_itemised:
            plan["tasks"] = [
                {k: v for k, v in {
                    "title": t.title, "group": t.group, "status": t.status, "due": _iso(t.due),
                    "responsible": t.responsible or None}.items() if v is not None}
                for t in report.tasks.all()
            ]
        else:
            if report.plan_task_total is not None:
                plan["task_count"] = report.plan_task_total
            if report.plan_tasks_done is not None:
                plan["tasks_done"] = report.plan_tasks_done
        return {"plan": plan}

    def settable_facts(self):
        return {
            "direction.plan_reference": setters.plan_reference_setter(),
            "direction.task_total": setters.plan_count_setter("plan_task_total", "Số nhiệm vụ đề ra", len),
            "direction.tasks_done": setters.plan_count_setter(
                "plan_tasks_done", "Số nhiệm vụ đã hoàn thành",
                lambda tasks: sum(1 for t in tasks if t.get("status") == "done")),
            "direction.directive_count": setters.count_setter("directive_total", "Số văn bản chỉ đạo"),
            "direction.inspected_units": setters.count_setter("inspected_units", "Số bộ phận đã kiểm tra"),
            "direction.issues_found": setters.count_setter("issues_found", "Số vấn đề phát hiện"),
            "direction.issues_fixed": setters.count_setter("issues_fixed", "Số vấn đề đã xử lý xong"),
            "direction.survey_forms": setters.count_setter("survey_forms", "Số phiếu khảo sát"),
            "direction.survey_method": setters.choice_setter("survey_method", {0, 1, 2}, "Hình thức khảo sát"),
            "direction.dialogue_held": setters.choice_setter(
                "dialogues", {0, 1}, "Tổ chức đối thoại", transform=lambda v: v),
        }

    def validate_import(self, data, *, unit, period):
        plan = data.get("plan") or {}
        problems = limits.check_mapping(Report, PLAN_COLUMNS, data, nul=False)
        tasks = plan.get("tasks")
        problems += limits.check_rows(PlanTask, tasks, "plan.tasks", PLAN_TASK_COLUMNS, nul=False)
        if tasks and ("task_count" in plan or "tasks_done" in plan):
            problems.append(Problem("plan.task_count",
                                    f"Đã liệt kê {len(tasks)} nhiệm vụ thì không nhập tổng số (task_count/tasks_done)."))
        if "task_count" in plan and "tasks_done" in plan and plan["tasks_done"] > plan["task_count"]:
            problems.append(Problem("plan.tasks_done",
                                    f"Số nhiệm vụ đã hoàn thành ({plan['tasks_done']}) lớn hơn tổng số nhiệm vụ ({plan['task_count']})."))
        for index, task in enumerate(tasks or []):
            if task.get("due"):
                try:
                    dt.date.fromisoformat(task["due"])
                except ValueError:
                    problems.append(Problem(f"plan.tasks[{index}].due", f"Ngày “{task['due']}” không đúng dạng YYYY-MM-DD."))
        return problems

    def apply_import(self, report, data):
        plan = data.get("plan") or {}
        # The file replaces the part; counts the appendix carries are set afterwards through
        # settable_facts().
        for field in ("directive_total", "inspected_units", "issues_found", "issues_fixed", "propaganda_sessions",
                      "propaganda_attendees", "broadcasts", "web_posts", "banners", "initiatives",
                      "survey_forms", "dialogues"):
            setattr(report, field, None)
        report.survey_method = ""
        report.directives.all().delete()
        report.plan_reference = plan.get("reference", "")
        report.plan_contents = plan.get("contents")
        tasks = plan.get("tasks")
        report.plan_itemised = tasks is not None or not ({"task_count", "tasks_done"} & set(plan))
        report.plan_task_total = plan.get("task_count")
        report.plan_tasks_done = plan.get("tasks_done")
        report.tasks.all().delete()
        PlanTask.objects.bulk_create([
            PlanTask(report=report, position=i + 1, title=t["title"], group=t.get("group"), status=t["status"],
                     due=_date(t.get("due")), responsible=t.get("responsible", ""))
            for i, t in enumerate(tasks or [])
        ])

    def changes_since(self, report, when):
        return (
            report_field_changes(report, when, DIRECTION_FIELDS)
            + row_changes(PlanTask, report, when, lambda t: f"{t.title} — {TaskStatus(t.status).label}")
            + row_changes(DirectiveDocument, report, when, lambda d: f"{d.number} — {d.title}")
        )

    def copy_from_previous(self, previous, report):
        """The same year's plan carries on: its reference and its tasks (a new year starts a new
        plan). From a predecessor of the 2025 merger (called once per predecessor) the tasks are
        listed with their origin, "(từ Xã Vĩnh Long)"; plans typed as totals are summed while no
        predecessor lists its tasks."""
        same_year = previous.period.year == report.period.year
        if previous.unit_id != report.unit_id:
            if same_year:
                _merge_plan(previous, report)
            return
        report.plan_reference = previous.plan_reference if same_year else ""
        report.plan_contents = previous.plan_contents if same_year else None
        report.plan_itemised = previous.plan_itemised
        report.inspection_plan = previous.inspection_plan
        report.propaganda_plan = previous.propaganda_plan
        if same_year:
            PlanTask.objects.bulk_create([
                PlanTask(report=report, position=t.position, title=t.title, group=t.group, status=t.status,
                         due=t.due, responsible=t.responsible)
                for t in previous.tasks.all()
            ])
        report.save()

    def document_context(self, report):
        total, done = task_counts(report)
        return {
            "plan_reference": report.plan_reference,
            "plan_contents": report.plan_contents,
            "task_total": total, "tasks_done": done, "task_rate": numbers.rate(done, total),
            "tasks": [
                {"title": t.title, "group": t.group, "status": t.get_status_display(), "due": t.due,
                 "responsible": t.responsible}
                for t in report.tasks.all()
            ],
            "directives": [
                {"number": d.number, "issued_on": d.issued_on, "title": d.title} for d in report.directives.all()
            ],
            "inspection": {"plan": report.inspection_plan, "units": report.inspected_units,
                           "found": report.issues_found, "fixed": report.issues_fixed},
            "propaganda": {"plan": report.propaganda_plan, "sessions": report.propaganda_sessions,
                           "attendees": report.propaganda_attendees, "broadcasts": report.broadcasts,
                           "web_posts": report.web_posts, "banners": report.banners},
            "initiatives": report.initiatives, "survey_forms": report.survey_forms,
            "dialogues": report.dialogues,
        }


class ProsePart(ReportPart):
    key = "prose"
    title = "Nội dung báo cáo (I–V)"
    order = 90
    url_name = "part-prose"
    export_keys = ("sections",)

    def is_started(self, report):
        return bool(report.sections)

    def problems(self, report):
        unknown = sorted(set(report.sections) - set(SECTION_KEYS))
        return [Problem(f"sections.{key}", "Mục không có trong đề cương báo cáo.") for key in unknown]

    def export(self, report):
        return {"sections": {k: report.sections[k] for k in SECTION_KEYS if report.sections.get(k)}}

    def validate_import(self, data, *, unit, period):
        return [
            Problem(f"sections.{key}", f"Mục {key}: dài {len(text)} ký tự, vượt quá giới hạn {SECTION_MAX_LENGTH} ký tự.")
            for key, text in (data.get("sections") or {}).items()
            if isinstance(text, str) and len(text) > SECTION_MAX_LENGTH
        ]

    def apply_import(self, report, data):
        report.sections = dict(data.get("sections") or {})

    def changes_since(self, report, when):
        try:
            before = report.history.as_of(when).sections or {}
        except report.DoesNotExist:
            return []
        return [
            {"field": f"Mục {key}", "old": before.get(key), "new": report.sections.get(key)}
            for key in SECTION_KEYS if (before.get(key) or "") != (report.sections.get(key) or "")
        ]

    def document_context(self, report):
        return {"sections": {k: report.sections.get(k, "") for k in SECTION_KEYS}}


def _with_origin(title, unit):
    """``title`` followed by "(từ <unit>)", shortened to fit the column."""
    suffix = f" (từ {unit})"
    limit = PlanTask._meta.get_field("title").max_length
    return title[:limit - len(suffix)].rstrip() + suffix


def _merge_plan(previous, report):
    """Add a merger predecessor's plan of the same year to the new unit's ``report``."""
    tasks = list(previous.tasks.all())
    listed = report.tasks.exists()
    if previous.plan_itemised and tasks:
        start = report.tasks.count()
        PlanTask.objects.bulk_create([
            PlanTask(report=report, position=start + i + 1, title=_with_origin(t.title, previous.unit),
                     group=t.group, status=t.status, due=t.due, responsible=t.responsible)
            for i, t in enumerate(tasks)
        ])
        report.plan_itemised, report.plan_task_total, report.plan_tasks_done = True, None, None
    elif not previous.plan_itemised and not listed:
        first = report.plan_itemised  # a new report starts itemised: these are the first totals
        for field in ("plan_task_total", "plan_tasks_done"):
            mine, theirs = getattr(report, field), getattr(previous, field)
            setattr(report, field, theirs if first else None if mine is None or theirs is None else mine + theirs)
        report.plan_itemised = False
    report.save()


def directive_count(report):
    """Itemised directive documents if any, else the typed total."""
    itemised = DirectiveDocument.objects.filter(report=report).count()
    return itemised or report.directive_total
