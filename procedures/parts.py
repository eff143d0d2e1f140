"""The two report parts this app contributes, registered in ProceduresConfig.ready():
"one_stop" (cchc-report/1 key ``one_stop``) and "procedures" (key ``time_cuts``)."""

from decimal import Decimal

from django.db.models import Count, Q

from procedures import onestop as numbers
from reports import limits
from reports.core_parts import row_changes
from reports.parts import Problem, ReportPart

from . import selectors
from .models import OneStopStats, Procedure, TimeCut

LABELS = numbers.ONE_STOP_LABELS


def _path_of(field):
    """JSON path of a field named by numbers.one_stop_problems ("outcome" spans the object)."""
    return "one_stop" if field == "outcome" else f"one_stop.{field}"


def _json_days(value):
    """A Decimal number of days as JSON: an int when whole (3), else a float (2.5)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _shown_name(cut):
    """The procedure's name as printed: the catalogue's name when the row names it by national code."""
    procedure = cut.procedure
    if procedure is not None and cut.procedure_name.strip() == procedure.national_code:
        return procedure.name
    return cut.procedure_name


# The facts shown beside section II.2 (one-stop, procedures), with their labels, in display order.
ONE_STOP_FACT_LABELS = {
    "one_stop.received": "Hồ sơ tiếp nhận",
    "one_stop.resolved": "Hồ sơ đã giải quyết",
    "one_stop.on_time_rate": "Tỷ lệ đúng hạn",
    "one_stop.online_rate": "Tỷ lệ trực tuyến",
    "one_stop.digitised_rate": "Tỷ lệ số hóa",
    "one_stop.paid_online_rate": "Tỷ lệ thanh toán trực tuyến",
    "one_stop.satisfied_rate": "Tỷ lệ hài lòng",
}
PROCEDURE_FACT_LABELS = {
    "procedures.active_count": "TTHC đang áp dụng",
    "procedures.time_cut_count": "TTHC cắt giảm thời gian",
}


# cchc-report/1 keys of the columns each part writes: their limits come from the columns.
ONE_STOP_COLUMNS = {f"one_stop.{name}": name for name in numbers.ONE_STOP_FIELDS}
TIME_CUT_COLUMNS = {"procedure": "procedure_name", "legal_days": "legal_days", "cut_days": "cut_days",
                    "decision": "decision"}


class OneStopPart(ReportPart):
    key = "one_stop"
    title = "Một cửa"
    order = 30
    url_name = "part-one-stop"
    export_keys = ("one_stop",)

    def _counts(self, report):
        stats = selectors.stats_of(report)
        return stats.counts() if stats is not None else None

    def is_started(self, report):
        """Started once anything but the carried-over count (prefilled from the previous period) is entered."""
        counts = self._counts(report)
        return bool(counts) and numbers.one_stop_entered(
            counts, [n for n in numbers.ONE_STOP_FIELDS if n != "carried_over"])

    def problems(self, report):
        """The invariants re-checked on the saved counts (an import, or a change of the previous
        period's report, may break them), and outcomes missing once dossiers were received."""
        counts = self._counts(report)
        if not counts or not numbers.one_stop_entered(counts):
            return []
        previous = selectors.previous_pending(report.unit, report.period)
        problems = [Problem(field if field != "outcome" else "one_stop", message)
                    for field, message in numbers.one_stop_problems(counts, previous_pending=previous)]
        received = numbers.one_stop_totals(counts)["received"]
        if received and not numbers.one_stop_entered(counts, numbers.ONE_STOP_OUTCOMES):
            problems.append(Problem("one_stop", f"Đã tiếp nhận {numbers.format_number(received)} hồ sơ nhưng "
                                                "chưa nhập kết quả giải quyết."))
        return problems

    def facts(self, report):
        counts = self._counts(report)
        if not counts or not numbers.one_stop_entered(counts):
            return {}
        totals = numbers.one_stop_totals(counts)
        rates = numbers.one_stop_rates(counts)
        facts = {f"one_stop.{name}": value for name, value in counts.items() if value is not None}
        facts.update({f"one_stop.{name}": value for name, value in totals.items()})
        # A rate whose denominator is 0 is shown as "—" (E7), like everywhere else.
        facts.update({f"one_stop.{name}_rate": numbers.format_rate(value) for name, value in rates.items()})
        return facts

    def fact_labels(self):
        return ONE_STOP_FACT_LABELS

    def section_facts(self):
        return {"II.2": list(ONE_STOP_FACT_LABELS)}

    def export(self, report):
        counts = self._counts(report)
        if not counts or not numbers.one_stop_entered(counts):
            return {}
        one_stop = {name: value for name, value in counts.items() if value is not None}
        if numbers.one_stop_entered(counts, numbers.ONE_STOP_CHANNELS):
            one_stop["received"] = numbers.one_stop_totals(counts)["received"]
        return {"one_stop": one_stop}

    def validate_import(self, data, *, unit, period):
        one_stop = data.get("one_stop") or {}
        if not one_stop:
            return []
        problems = limits.check_mapping(OneStopStats, ONE_STOP_COLUMNS, data, nul=False)
        counts = {name: one_stop.get(name) for name in numbers.ONE_STOP_FIELDS}
        previous = selectors.previous_pending(unit, period)
        return problems + [Problem(_path_of(field), message) for field, message in numbers.one_stop_problems(
            counts, typed_received=one_stop.get("received"), previous_pending=previous)]

    def apply_import(self, report, data):
        one_stop = data.get("one_stop") or {}
        if not one_stop:
            OneStopStats.objects.filter(report=report).delete()
            return
        values = {name: one_stop.get(name) for name in numbers.ONE_STOP_FIELDS}
        stats = selectors.stats_of(report) or OneStopStats(report=report)
        for name, value in values.items():
            setattr(stats, name, value)
        stats._change_reason = "Nhập từ tệp cchc-report/1"
        stats.save()

    def copy_from_previous(self, previous, report):
        """Prefill what E5 fixes: the carried-over count is the previous period's pending (for the
        first report of a unit formed by the 2025 merger, its predecessors' pending summed)."""
        pending = selectors.previous_pending(report.unit, report.period)
        if pending is not None:
            OneStopStats.objects.update_or_create(report=report, defaults={"carried_over": pending})

    def changes_since(self, report, when):
        stats = selectors.stats_of(report)
        if stats is None:
            return []
        before = stats.history.filter(history_date__lte=when).order_by("-history_date").first()
        changes = []
        for name in numbers.ONE_STOP_FIELDS:
            old = getattr(before, name) if before is not None else None
            new = getattr(stats, name)
            if old != new:
                changes.append({"field": LABELS[name], "old": old, "new": new})
        return changes

    def document_context(self, report):
        counts = self._counts(report) or {name: None for name in numbers.ONE_STOP_FIELDS}
        return {
            "entered": numbers.one_stop_entered(counts),
            "counts": counts,
            "totals": numbers.one_stop_totals(counts),
            "rates": numbers.one_stop_rates(counts),
        }


class ProceduresPart(ReportPart):
    key = "procedures"
    title = "Thủ tục hành chính"
    order = 50
    url_name = "part-procedures"
    export_keys = ("time_cuts",)

    def is_started(self, report):
        return TimeCut.objects.filter(report=report).exists()

    def problems(self, report):
        problems = []
        for index, cut in enumerate(TimeCut.objects.filter(report=report).select_related("procedure")
                                    .order_by("position", "pk")):
            for field, message in numbers.time_cut_problems(cut.legal_days, cut.cut_days):
                problems.append(Problem(f"time_cuts[{index}].{field}", f"{_shown_name(cut)}: {message}"))
        return problems

    def facts(self, report):
        catalogue = Procedure.objects.filter(unit_id=report.unit_id).aggregate(
            n_active=Count("pk", filter=Q(active=True)), n_total=Count("pk"))
        facts = {"procedures.time_cut_count": TimeCut.objects.filter(report=report).count()}
        if catalogue["n_total"]:
            facts["procedures.active_count"] = catalogue["n_active"]
        return facts

    def fact_labels(self):
        return PROCEDURE_FACT_LABELS

    def section_facts(self):
        return {"II.2": list(PROCEDURE_FACT_LABELS)}

    def export(self, report):
        rows = []
        for cut in TimeCut.objects.filter(report=report).order_by("position", "pk"):
            row = {"procedure": cut.procedure_name, "legal_days": _json_days(cut.legal_days),
                   "cut_days": _json_days(cut.cut_days)}
            if cut.decision:
                row["decision"] = cut.decision
            rows.append(row)
        return {"time_cuts": rows} if rows else {}

    def validate_import(self, data, *, unit, period):
        problems = limits.check_rows(TimeCut, data.get("time_cuts"), "time_cuts", TIME_CUT_COLUMNS, nul=False)
        for index, row in enumerate(data.get("time_cuts") or []):
            for field, message in numbers.time_cut_problems(row.get("legal_days"), row.get("cut_days")):
                problems.append(Problem(f"time_cuts[{index}].{field}", f"{row.get('procedure')}: {message}"))
        return problems

    def apply_import(self, report, data):
        TimeCut.objects.filter(report=report).delete()
        find = selectors.procedure_lookup(report.unit)
        cuts = []
        for index, row in enumerate(data.get("time_cuts") or []):
            procedure = find(row["procedure"])
            cuts.append(TimeCut(
                # The procedure is kept as the file names it (a name or a national code), so an export
                # gives it back; a code is shown by its catalogue name (``_shown_name``).
                report=report, position=index + 1, procedure=procedure, procedure_name=row["procedure"],
                legal_days=numbers.to_decimal(row["legal_days"]), cut_days=numbers.to_decimal(row["cut_days"]),
                decision=row.get("decision", ""),
            ))
        for cut in cuts:  # saved one by one so that simple-history records each row
            cut._change_reason = "Nhập từ tệp cchc-report/1"
            cut.save()

    def copy_from_previous(self, previous, report):
        """The time cuts stay in force from one period to the next; the catalogue belongs to the unit.
        From the predecessors of the 2025 merger (called once each) every procedure's cut is listed
        once, linked to the new unit's catalogue when it has the procedure."""
        cuts = TimeCut.objects.filter(report=previous).order_by("position", "pk")
        if previous.unit_id == report.unit_id:
            for cut in cuts:
                TimeCut.objects.create(
                    report=report, position=cut.position, procedure_id=cut.procedure_id,
                    procedure_name=cut.procedure_name, legal_days=cut.legal_days, cut_days=cut.cut_days,
                    decision=cut.decision,
                )
            return
        listed = {name.casefold() for name in TimeCut.objects.filter(report=report).values_list("procedure_name", flat=True)}
        position = TimeCut.objects.filter(report=report).count()
        find = selectors.procedure_lookup(report.unit)
        for cut in cuts:
            if cut.procedure_name.casefold() in listed:
                continue
            listed.add(cut.procedure_name.casefold())
            position += 1
            TimeCut.objects.create(
                report=report, position=position, procedure=find(cut.procedure_name),
                procedure_name=cut.procedure_name, legal_days=cut.legal_days, cut_days=cut.cut_days,
                decision=cut.decision,
            )

    def changes_since(self, report, when):
        return row_changes(TimeCut, report, when, lambda c: (
            f"{c.procedure_name}: {numbers.format_number(c.legal_days)} → {numbers.format_number(c.cut_days)} ngày"))

    def document_context(self, report):
        catalogue = Procedure.objects.filter(unit_id=report.unit_id).aggregate(
            n_active=Count("pk", filter=Q(active=True)), n_total=Count("pk"),
            n_full=Count("pk", filter=Q(active=True, online_service_type="full")),
            n_partial=Count("pk", filter=Q(active=True, online_service_type="partial")))
        return {
            "active_count": catalogue["n_active"],
            "catalogue_count": catalogue["n_total"],
            "online_full_count": catalogue["n_full"],
            "online_partial_count": catalogue["n_partial"],
            "time_cuts": [
                {"position": index + 1, "procedure": _shown_name(cut), "legal_days": cut.legal_days,
                 "cut_days": cut.cut_days, "pct_cut": cut.pct_cut, "decision": cut.decision}
                for index, cut in enumerate(TimeCut.objects.filter(report=report).select_related("procedure")
                                            .order_by("position", "pk"))
            ],
        }
