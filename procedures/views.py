"""Entry screens of the procedures app: one-stop statistics (with live, server-computed rates)
and the procedure catalogue with the report's time cuts. Both are PartViews of the core."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.views.generic import TemplateView

from procedures import onestop as numbers
from reports.views import PartView, require, scoped_report

from . import selectors, services
from .forms import OneStopForm, ProcedureFormSet, TimeCutFormSet
from .models import OneStopStats, TimeCut

# Rates shown on the screen: (key of numbers.one_stop_rates, label, numerator, denominator).
RATE_ROWS = [
    ("on_time", "Tỷ lệ giải quyết trước hạn, đúng hạn", "trước hạn + đúng hạn", "đã giải quyết"),
    ("early", "Tỷ lệ giải quyết trước hạn", "trước hạn", "đã giải quyết"),
    ("online", "Tỷ lệ hồ sơ trực tuyến", "trực tuyến", "tiếp nhận mới trong kỳ"),
    ("digitised", "Tỷ lệ số hóa hồ sơ", "được số hóa", "tổng tiếp nhận"),
    ("electronic_results", "Tỷ lệ trả kết quả điện tử", "kết quả điện tử", "đã giải quyết"),
    ("paid_online", "Tỷ lệ thanh toán trực tuyến", "thanh toán trực tuyến", "có phí, lệ phí"),
    ("satisfied", "Tỷ lệ hài lòng", "hài lòng", "lượt đánh giá"),
]


def computed_figures(counts):
    """Totals and rates of ``counts``, formatted for display ("1.234", "98,9%", "—")."""
    totals = numbers.one_stop_totals(counts)
    rates = numbers.one_stop_rates(counts)
    return {
        "totals": {k: numbers.format_number(v) for k, v in totals.items()},
        "rates": {k: numbers.format_rate(v) for k, v in rates.items()},
        "rate_rows": [{"key": k, "label": label, "formula": f"{num} / {den}", "value": numbers.format_rate(rates[k])}
                      for k, label, num, den in RATE_ROWS],
    }


def typed_counts(form):
    """Counts as typed in a (possibly invalid) bound form: unparseable cells count as not entered."""
    counts = {}
    for name in numbers.ONE_STOP_FIELDS:
        field = form.fields[name]
        try:
            counts[name] = field.clean(form[name].data if form.is_bound else form[name].initial)
        except ValidationError:  # a cell that does not parse is shown as not entered
            counts[name] = None
    return counts


class OneStopPartView(PartView):
    """"Một cửa": the dossier counts in groups, totals and rates beside them (server-computed via htmx)."""

    part_key = "one_stop"
    template_name = "procedures/part_one_stop.html"

    def build_forms(self, report, data=None, files=None):
        stats = selectors.stats_of(report) or OneStopStats(report=report)
        previous = selectors.previous_pending(report.unit, report.period)
        return {"one_stop": OneStopForm(data, instance=stats, prefix="one_stop", previous_pending=previous)}

    def save_forms(self, report, forms):
        stats = forms["one_stop"].save(commit=False)
        stats.report = report
        stats._change_reason = "Lưu phần một cửa"
        stats.save()

    def part_context(self, report, forms):
        form = forms["one_stop"]
        figures = computed_figures(typed_counts(form))
        return {"figures": figures, "groups": field_groups(form, figures)}


# Which rate is shown beside which input.
RATE_BESIDE = {
    "online": ("online", "Tỷ lệ trực tuyến"),
    "resolved_early": ("early", "Tỷ lệ trước hạn"),
    "resolved_on_time": ("on_time", "Tỷ lệ trước hạn, đúng hạn"),
    "digitised": ("digitised", "Tỷ lệ số hóa"),
    "electronic_results": ("electronic_results", "Tỷ lệ kết quả điện tử"),
    "paid_online": ("paid_online", "Tỷ lệ thanh toán trực tuyến"),
    "satisfied": ("satisfied", "Tỷ lệ hài lòng"),
}

FIELD_GROUPS = [
    ("receipt", "1. Tiếp nhận hồ sơ",
     ["carried_over", "online", "online_full", "online_partial", "direct", "postal", "received"],
     [("received", "Tổng số hồ sơ tiếp nhận (tự tính)"), ("received_in_period", "Tiếp nhận mới trong kỳ")]),
    ("outcome", "2. Kết quả giải quyết",
     ["resolved_early", "resolved_on_time", "resolved_late", "pending_in_time", "pending_overdue", "withdrawn"],
     [("resolved", "Đã giải quyết (tự tính)"), ("pending", "Đang giải quyết (tự tính)")]),
    ("digital", "3. Liên thông, số hóa, kết quả điện tử, thanh toán trực tuyến",
     ["interconnected", "digitised", "electronic_results", "fee_bearing", "paid_online"], []),
    ("satisfaction", "4. Đánh giá sự hài lòng", ["satisfaction_responses", "satisfied"], []),
]


def field_groups(form, figures):
    """The inputs in the groups of the official form (Biểu 06/VPCP/KSTT), each with the rate
    shown beside it and the group's derived totals."""
    groups = []
    for key, title, names, totals in FIELD_GROUPS:
        items = []
        for name in names:
            rate_key, rate_label = RATE_BESIDE.get(name, (None, ""))
            items.append({"field": form[name], "rate": rate_key, "rate_label": rate_label,
                          "rate_value": figures["rates"].get(rate_key) if rate_key else None})
        groups.append({
            "key": key, "title": title, "items": items, "errors": form.group_errors.get(key, []),
            "totals": [{"key": k, "label": label, "value": figures["totals"][k]} for k, label in totals],
        })
    return groups


class OneStopRatesView(LoginRequiredMixin, TemplateView):
    """The totals and rates of the counts being typed (GET, read-only): the screen asks the server
    on every keystroke so that no arithmetic lives in JavaScript."""

    template_name = "procedures/one_stop_figures.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = scoped_report(self.request, kwargs["report_pk"])
        require(self.request, "reports.view_report", report)
        form = OneStopForm(self.request.GET, prefix="one_stop")
        figures = computed_figures(typed_counts(form))
        # Out-of-band swaps only for the figures shown beside the inputs (htmx errors on a missing target).
        shown_totals = {key for group in FIELD_GROUPS for key, _label in group[3]}
        shown_rates = {rate for rate, _label in RATE_BESIDE.values()}
        ctx.update({
            "report": report, "figures": figures, "oob": True,
            "oob_totals": {k: v for k, v in figures["totals"].items() if k in shown_totals},
            "oob_rates": {k: v for k, v in figures["rates"].items() if k in shown_rates},
        })
        return ctx


class ProceduresPartView(PartView):
    """"Thủ tục hành chính": the commune's procedure catalogue and the report's time-cut table."""

    part_key = "procedures"
    template_name = "procedures/part_procedures.html"

    def build_forms(self, report, data=None, files=None):
        catalogue_qs = selectors.catalogue_of(report.unit)
        catalogue = {p.pk: p for p in catalogue_qs}
        return {
            "catalogue": ProcedureFormSet(data, queryset=catalogue_qs, prefix="catalogue"),
            "time_cuts": TimeCutFormSet(
                data, instance=report, prefix="time_cuts", catalogue=catalogue,
                queryset=TimeCut.objects.filter(report=report).order_by("position", "pk"),
            ),
        }

    def save_forms(self, report, forms):
        """Called by the core's save_part under the report's lock: the catalogue goes through its
        own service (the unit's lock, then the right to edit it), the time cuts with the report."""
        catalogue = forms["catalogue"]
        changed = catalogue.save(commit=False)
        services.save_catalogue(report.unit, actor=self.request.user, changed=changed,
                                deleted=catalogue.deleted_objects)
        time_cuts = forms["time_cuts"]
        time_cuts.instance = report
        changed = time_cuts.save(commit=False)
        services.save_time_cuts(report, changed=changed, deleted=time_cuts.deleted_objects)

    def part_context(self, report, forms):
        active = sum(1 for f in forms["catalogue"].initial_forms if f.instance.active)
        return {"active_count": active, "catalogue_count": len(forms["catalogue"].initial_forms)}
