"""What procedures writes into the core's documents (registered in ``ProceduresConfig.ready()``):

- the one-stop block: the II.2 paragraph on dossiers received and resolved and the figures the
  report prints; for a district or province, the communes' dossiers summed, with each commune's
  received / resolved / on-time rate in the communes table;
- the time-cut block: the II.2 sentence and the appendix of procedures whose processing time was cut.

Both read the plain ``document_context`` of this app's parts ("one_stop", "procedures") and return
``reports.documents.blocks.Contribution``; the core lays them into the DOCX and the PDF alike.
"""

from reports.documents import blocks
from reports.documents.layout import n, pct

from . import onestop

ONE_STOP_ORDER = 30  # II.2 paragraph first, then the time cuts
TIME_CUT_ORDER = 60  # its appendix after the core's tasks appendix


# --- one-stop dossiers -----------------------------------------------------------------------------

def one_stop_values(context):
    """(counts, totals, rates) from the one_stop part's document_context, whatever its nesting;
    None when nothing was entered. Totals and rates missing from the part are derived with the
    same rules (``procedures.onestop``), never recomputed differently."""
    if not context:
        return None
    counts = context.get("counts")
    if counts is None:
        counts = {name: context.get(name) for name in onestop.ONE_STOP_FIELDS if name in context}
    if not counts or not onestop.one_stop_entered(counts):
        return None
    totals = {**onestop.one_stop_totals(counts), **(context.get("totals") or {})}
    rates = {**onestop.one_stop_rates(counts), **(context.get("rates") or {})}
    return counts, totals, rates


def one_stop_sentences(values, subject):
    """The one-stop paragraph: received by channel, resolved by timeliness with shares, pending."""
    counts, totals, rates = values
    c = {k: counts.get(k) or 0 for k in onestop.ONE_STOP_FIELDS}
    channels = []
    if c["carried_over"]:
        channels.append(f"kỳ trước chuyển sang {n(c['carried_over'])}")
    channels += [f"trực tuyến {n(c['online'])}", f"trực tiếp {n(c['direct'])}", f"qua BCCI {n(c['postal'])}"]
    resolved = totals["resolved"]
    text = (f"Trong kỳ, {subject} đã tiếp nhận {n(totals['received'])} hồ sơ ({'; '.join(channels)}); "
            f"đã giải quyết {n(resolved)} hồ sơ, trong đó giải quyết trước hạn {n(c['resolved_early'])} hồ sơ "
            f"(chiếm {pct(c['resolved_early'], resolved)}), đúng hạn {n(c['resolved_on_time'])} hồ sơ "
            f"(chiếm {pct(c['resolved_on_time'], resolved)}), quá hạn {n(c['resolved_late'])} hồ sơ "
            f"(chiếm {pct(c['resolved_late'], resolved)})")
    if totals["pending"] or c["withdrawn"]:
        text += (f"; đang giải quyết {n(totals['pending'])} hồ sơ (trong hạn {n(c['pending_in_time'])}, "
                 f"quá hạn {n(c['pending_overdue'])})")
        if c["withdrawn"]:
            text += f"; rút, dừng giải quyết {n(c['withdrawn'])} hồ sơ"
    text += "."
    extra = [f"Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn đạt {onestop.format_rate(rates['on_time'])}",
             f"tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {onestop.format_rate(rates['online'])}"]
    if counts.get("digitised") is not None:
        extra.append(f"tỷ lệ hồ sơ được số hóa đạt {onestop.format_rate(rates['digitised'])}")
    if counts.get("paid_online") is not None:
        extra.append(f"tỷ lệ hồ sơ thanh toán trực tuyến đạt {onestop.format_rate(rates['paid_online'])}")
    if counts.get("satisfied") is not None:
        extra.append(f"tỷ lệ hài lòng đạt {onestop.format_rate(rates['satisfied'])}")
    return [text, "; ".join(extra) + "."]


def one_stop_figures(values):
    """The formatted figures the documents print (also what tests compare across formats)."""
    counts, totals, rates = values
    return {
        "received": n(totals["received"]), "resolved": n(totals["resolved"]),
        "early": n(counts.get("resolved_early") or 0), "on_time": n(counts.get("resolved_on_time") or 0),
        "late": n(counts.get("resolved_late") or 0),
        "early_share": pct(counts.get("resolved_early") or 0, totals["resolved"]),
        "on_time_rate": onestop.format_rate(rates["on_time"]),
        "online_rate": onestop.format_rate(rates["online"]),
    }


def one_stop_report(contexts, info):
    values = one_stop_values(contexts.get("one_stop"))
    if values is None:
        return None
    return blocks.Contribution(paragraphs={"II.2": one_stop_sentences(values, info.committee_short)},
                               figures=one_stop_figures(values))


COMMUNE_COLUMNS = [
    {"title": "Hồ sơ tiếp nhận", "width": 20, "align": "right"},
    {"title": "Hồ sơ đã giải quyết", "width": 20, "align": "right"},
    {"title": "Tỷ lệ đúng hạn", "width": 18, "align": "right"},
]


def one_stop_consolidated(communes, info):
    """The communes' dossiers summed (rates recomputed from the sums, never averaged), and each
    commune's received / resolved / on-time rate in the communes table."""
    sums = dict.fromkeys(onestop.ONE_STOP_FIELDS, 0)
    cells, any_entered = {}, False
    for commune in communes:
        values = one_stop_values(commune.contexts.get("one_stop"))
        if values is None:
            continue
        any_entered = True
        counts, totals, rates = values
        for name in onestop.ONE_STOP_FIELDS:
            sums[name] += counts.get(name) or 0
        cells[commune.unit_id] = [n(totals["received"]), n(totals["resolved"]), onestop.format_rate(rates["on_time"])]
    contribution = blocks.Contribution(commune_columns=COMMUNE_COLUMNS, commune_cells=cells,
                                       commune_title="KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    if any_entered:
        values = (sums, onestop.one_stop_totals(sums), onestop.one_stop_rates(sums))
        contribution.results = [("Kết quả giải quyết thủ tục hành chính", one_stop_sentences(values, info.subject))]
        contribution.figures = one_stop_figures(values)
    return contribution


# --- processing-time cuts --------------------------------------------------------------------------

def time_cut_appendix(rows, year, note):
    return {
        "label": blocks.NUMBERED,
        "title": ["DANH MỤC THỦ TỤC HÀNH CHÍNH ĐÃ THỰC HIỆN", f"CẮT GIẢM THỜI GIAN GIẢI QUYẾT NĂM {year}"],
        "note": note,
        "columns": [
            {"title": "STT", "width": 12, "align": "center"},
            {"title": "Tên TTHC", "width": 63, "align": "left"},
            {"title": "Thời gian giải quyết theo quy định (ngày)", "width": 22, "align": "center"},
            {"title": "Thời gian giải quyết sau cắt giảm (ngày)", "width": 22, "align": "center"},
            {"title": "Tỷ lệ cắt giảm (%)", "width": 18, "align": "center"},
            {"title": "Văn bản thực hiện cắt giảm", "width": 28, "align": "left"},
        ],
        "rows": [
            {"cells": [str(i), r.get("procedure", ""), n(r.get("legal_days")), n(r.get("cut_days")),
                       n(r.get("pct_cut")) if r.get("pct_cut") is not None else onestop.DASH,
                       r.get("decision", "")]}
            for i, r in enumerate(rows, start=1)
        ],
    }


def time_cut_report(contexts, info):
    rows = (contexts.get("procedures") or {}).get("time_cuts") or []
    if not rows:
        return None
    sentence = (f"Trong kỳ, {info.committee_short} đã thực hiện cắt giảm thời gian giải quyết {n(len(rows))} "
                "thủ tục hành chính so với quy định (có Phụ lục kèm theo).")
    return blocks.Contribution(paragraphs={"II.2": [sentence]},
                               appendices=[time_cut_appendix(rows, info.year, info.note)])


def register_blocks():
    blocks.register(blocks.DocumentBlock(key="one_stop", order=ONE_STOP_ORDER, report=one_stop_report,
                                         consolidated=one_stop_consolidated))
    blocks.register(blocks.DocumentBlock(key="time_cuts", order=TIME_CUT_ORDER, report=time_cut_report))
