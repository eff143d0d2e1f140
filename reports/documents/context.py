"""One plain snapshot of a document, built once and consumed by both writers.

``report_document(report)`` assembles a commune's periodic report from every registered part's
``document_context()`` (reports never imports procedures or indicators: a missing or empty part
simply leaves its sentences and tables out). ``consolidated_document(unit, period)`` sums the
communes' reports for a district or province. The result is the plain dict described in
``cchc_portal.lib.docx_writer``: numbers already formatted the Vietnamese way, text NFC-normalised.
"""

import datetime as dt
import unicodedata

from cchc_portal.lib import numbers

from .. import parts as part_registry

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
COMMITTEE = "ỦY BAN NHÂN DÂN"
SAVE_LINE = "- Lưu: VT."

# Section outline (domain brief §3): top-level heading, then subsections by prose key.
OUTLINE = [
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", [
        ("I.1", "1. Công tác chỉ đạo, điều hành cải cách hành chính"),
        ("I.2", "2. Văn bản chỉ đạo, hội nghị, khen thưởng, sáng kiến"),
        ("I.3", "3. Công tác kiểm tra cải cách hành chính"),
        ("I.4", "4. Công tác tuyên truyền cải cách hành chính"),
    ]),
    ("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", [
        ("II.1", "1. Cải cách thể chế"),
        ("II.2", "2. Cải cách thủ tục hành chính, thực hiện cơ chế một cửa, một cửa liên thông"),
        ("II.3", "3. Cải cách tổ chức bộ máy hành chính nhà nước"),
        ("II.4", "4. Cải cách chế độ công vụ"),
        ("II.5", "5. Cải cách tài chính công"),
        ("II.6", "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
    ]),
    ("III. ĐÁNH GIÁ CHUNG", [
        ("III.1", "1. Ưu điểm"),
        ("III.2", "2. Tồn tại, hạn chế"),
        ("III.3", "3. Nguyên nhân"),
    ]),
]


# --- plain helpers ---------------------------------------------------------------------------------

def nfc(value):
    """NFC-normalise every string in a nested structure (typed text may arrive decomposed)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(v) for v in value]
    return value


def n(value):
    return numbers.format_number(value)


def pct(numerator, denominator):
    return numbers.format_rate(numbers.rate(numerator, denominator))


def place_date(place, day, year):
    """"Vĩnh Long, ngày 20 tháng 6 năm 2024" (Decree 30: day < 10 and months 1–2 take a leading
    zero); without a date the blanks are left for the clerk: "Vĩnh Long, ngày    tháng    năm 2024"."""
    if day is None:
        return f"{place}, ngày     tháng     năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day):
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def number_line(number, suffix):
    """"Số: 12/BC-UBND"; a bare number gets the document type suffix; none leaves the blank."""
    number = (number or "").strip()
    if not number:
        return f"Số:       /{suffix}"
    return f"Số: {number}" if "/" in number else f"Số: {number}/{suffix}"


def recipient_lines(lines):
    """"- …;" lines ending with "- Lưu: VT."."""
    cleaned = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in lines if line.strip()]
    cleaned = [line for line in cleaned if not line.lower().startswith("lưu")]
    return [f"- {line};" for line in cleaned] + [SAVE_LINE]


def signature_block(capacity, title, name, body=COMMITTEE):
    """Lines of the signature block by signing capacity (Decree 30, appendix I)."""
    capacity = (capacity or "").strip().rstrip(".")
    title = (title or "Chủ tịch").strip().upper()
    if capacity == "TM":
        lines = [f"TM. {body}", title]
    elif capacity == "KT":
        lines = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" if title == "CHỦ TỊCH" else title]
    elif capacity in ("TL", "TUQ"):
        lines = [f"{capacity}. CHỦ TỊCH", title]
    elif capacity == "Q":
        lines = [f"Q. {title}"]
    else:
        lines = [title]
    return {"lines": lines, "name": name or ""}


def paragraphs(text):
    """Prose as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def lower_first(text):
    return text[:1].lower() + text[1:] if text else text


def committee_short(unit):
    """"UBND xã" / "UBND phường" …"""
    return f"UBND {unit.get_unit_type_display().lower()}"


# --- one-stop figures ------------------------------------------------------------------------------

def one_stop_values(context):
    """(counts, totals, rates) from the one_stop part's document_context, whatever its nesting;
    None when nothing was entered. Totals and rates missing from the part are derived with the
    shared rules (cchc_portal.lib.numbers), never recomputed differently."""
    if not context:
        return None
    counts = context.get("counts")
    if counts is None:
        counts = {name: context.get(name) for name in numbers.ONE_STOP_FIELDS if name in context}
    if not counts or not numbers.one_stop_entered(counts):
        return None
    totals = {**numbers.one_stop_totals(counts), **(context.get("totals") or {})}
    rates = {**numbers.one_stop_rates(counts), **(context.get("rates") or {})}
    return counts, totals, rates


def one_stop_sentences(values, subject):
    """The one-stop paragraph: received by channel, resolved by timeliness with shares, pending."""
    counts, totals, rates = values
    c = {k: counts.get(k) or 0 for k in numbers.ONE_STOP_FIELDS}
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
    extra = [f"Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn đạt {numbers.format_rate(rates['on_time'])}",
             f"tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {numbers.format_rate(rates['online'])}"]
    if counts.get("digitised") is not None:
        extra.append(f"tỷ lệ hồ sơ được số hóa đạt {numbers.format_rate(rates['digitised'])}")
    if counts.get("paid_online") is not None:
        extra.append(f"tỷ lệ hồ sơ thanh toán trực tuyến đạt {numbers.format_rate(rates['paid_online'])}")
    if counts.get("satisfied") is not None:
        extra.append(f"tỷ lệ hài lòng đạt {numbers.format_rate(rates['satisfied'])}")
    return [text, "; ".join(extra) + "."]


def one_stop_figures(values):
    """The formatted figures the documents print (also what tests compare across formats)."""
    if values is None:
        return {}
    counts, totals, rates = values
    return {
        "received": n(totals["received"]), "resolved": n(totals["resolved"]),
        "early": n(counts.get("resolved_early") or 0), "on_time": n(counts.get("resolved_on_time") or 0),
        "late": n(counts.get("resolved_late") or 0),
        "early_share": pct(counts.get("resolved_early") or 0, totals["resolved"]),
        "on_time_rate": numbers.format_rate(rates["on_time"]),
        "online_rate": numbers.format_rate(rates["online"]),
    }


# --- the commune's report --------------------------------------------------------------------------

def part_contexts(report):
    """{part key: document_context} over every registered part: the only way data gets in."""
    return {part.key: part.document_context(report) or {} for part in part_registry.parts()}


def _direction_sentences(direction, committee):
    """Sentences for I.1–I.4 from the direction part, keyed by prose section."""
    out = {key: [] for key in ("I.1", "I.2", "I.3", "I.4")}
    if not direction:
        return out
    total, done = direction.get("task_total"), direction.get("tasks_done")
    plan = direction.get("plan_reference")
    if plan or total:
        text = f"{committee} đã ban hành {plan}" if plan else f"Kế hoạch cải cách hành chính của {committee}"
        details = []
        if direction.get("plan_contents"):
            details.append(f"{n(direction['plan_contents'])} nội dung")
        if total:
            details.append(f"{n(total)} nhiệm vụ")
        if details:
            text += (" với " if plan else " gồm ") + ", ".join(details)
        if total:
            text += (f"; đến nay đã hoàn thành {n(done or 0)}/{n(total)} nhiệm vụ, "
                     f"đạt {numbers.format_rate(direction.get('task_rate'))}")
        out["I.1"].append(text + ".")
    directives = direction.get("directives") or []
    if directives:
        listed = "; ".join(
            f"{d['number']}{' ngày ' + short_date(d['issued_on']) if d.get('issued_on') else ''} {d['title']}".strip()
            for d in directives)
        out["I.2"].append(f"Trong kỳ, {committee} đã ban hành {n(len(directives))} văn bản chỉ đạo, "
                          f"điều hành công tác cải cách hành chính: {listed}.")
    extras = []
    if direction.get("initiatives"):
        extras.append(f"có {n(direction['initiatives'])} sáng kiến cải cách hành chính được công nhận")
    if direction.get("survey_forms"):
        extras.append(f"phát {n(direction['survey_forms'])} phiếu khảo sát sự hài lòng của người dân, tổ chức")
    if direction.get("dialogues"):
        extras.append(f"tổ chức {n(direction['dialogues'])} cuộc đối thoại với người dân, doanh nghiệp")
    if extras:
        out["I.2"].append("Trong kỳ, " + "; ".join(extras) + ".")
    inspection = direction.get("inspection") or {}
    if inspection.get("units") is not None or inspection.get("found") is not None:
        text = ""
        if inspection.get("plan"):
            text = f"Thực hiện {inspection['plan']}, "
        text += f"{committee} đã kiểm tra {n(inspection.get('units') or 0)} bộ phận chuyên môn"
        if inspection.get("found") is not None:
            text += (f"; qua kiểm tra phát hiện {n(inspection['found'])} vấn đề, "
                     f"đã xử lý xong {n(inspection.get('fixed') or 0)} vấn đề")
        out["I.3"].append(text[:1].upper() + text[1:] + ".")
    propaganda = direction.get("propaganda") or {}
    bits = []
    if propaganda.get("sessions"):
        bits.append(f"tổ chức {n(propaganda['sessions'])} hội nghị, buổi tuyên truyền"
                    + (f" với {n(propaganda['attendees'])} lượt người tham dự" if propaganda.get("attendees") else ""))
    if propaganda.get("broadcasts"):
        bits.append(f"phát {n(propaganda['broadcasts'])} lần trên hệ thống truyền thanh")
    if propaganda.get("web_posts"):
        bits.append(f"đăng {n(propaganda['web_posts'])} tin, bài trên Trang thông tin điện tử")
    if propaganda.get("banners"):
        bits.append(f"treo {n(propaganda['banners'])} băng rôn, khẩu hiệu")
    if bits:
        lead = f"Thực hiện {propaganda['plan']}, trong kỳ đã " if propaganda.get("plan") else "Trong kỳ đã "
        out["I.4"].append(lead + "; ".join(bits) + ".")
    return out


def _appendix_01b(appendix, unit_upper, note):
    rows = appendix.get("rows") or []
    if not rows:
        return None
    return {
        "label": "Phụ lục 01b",
        "title": ["THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC",
                  f"CẢI CÁCH HÀNH CHÍNH TẠI {unit_upper}"],
        "note": note,
        "columns": [
            {"title": "STT", "width": 15, "align": "center"},
            {"title": "Chỉ tiêu thống kê", "width": 80, "align": "left"},
            {"title": "Đơn vị tính", "width": 30, "align": "center"},
            {"title": "Số liệu", "width": 25, "align": "center"},
            {"title": "Ghi chú", "width": 15, "align": "left"},
        ],
        "rows": [
            {"cells": [r.get("code", ""), r.get("name", ""), r.get("unit", ""), r.get("value", ""), ""],
             "bold": bool(r.get("is_group")) and (r.get("depth") or 0) <= 1,
             "italic": bool(r.get("is_group")) and (r.get("depth") or 0) > 1}
            for r in rows
        ],
    }


def _tasks_appendix(tasks, note):
    if not tasks:
        return None
    return {
        "label": "Phụ lục", "title": ["KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", "TRONG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"],
        "note": note,
        "columns": [
            {"title": "STT", "width": 12, "align": "center"},
            {"title": "Nhiệm vụ", "width": 70, "align": "left"},
            {"title": "Chủ trì", "width": 32, "align": "left"},
            {"title": "Thời hạn", "width": 24, "align": "center"},
            {"title": "Kết quả", "width": 27, "align": "center"},
        ],
        "rows": [
            {"cells": [str(i), t.get("title", ""), t.get("responsible", ""), short_date(t.get("due")),
                       str(t.get("status", ""))]}
            for i, t in enumerate(tasks, start=1)
        ],
    }


def _time_cut_appendix(rows, year, note):
    if not rows:
        return None
    return {
        "label": "Phụ lục", "title": ["DANH MỤC THỦ TỤC HÀNH CHÍNH ĐÃ THỰC HIỆN", f"CẮT GIẢM THỜI GIAN GIẢI QUYẾT NĂM {year}"],
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
            {"cells": [str(i), r.get("name", ""), n(r.get("legal_days")), n(r.get("cut_days")),
                       n(r.get("pct_cut")) if r.get("pct_cut") is not None else numbers.DASH,
                       r.get("decision", "")]}
            for i, r in enumerate(rows, start=1)
        ],
    }


def report_document(report):
    """The commune's periodic report as the writers' plain dict, at the report's current revision."""
    ctx = part_contexts(report)
    header = ctx.get("header") or {}
    direction = ctx.get("direction") or {}
    sections = (ctx.get("prose") or {}).get("sections") or {}
    unit, period = report.unit, report.period
    committee = unit.committee_name
    short = committee_short(unit)
    subject = header.get("subject") or report.effective_subject
    number = number_line(header.get("number"), "BC-UBND")
    doc_date = header.get("date")
    place = header.get("place") or unit.short_name

    one_stop = one_stop_values(ctx.get("one_stop"))
    time_cuts = (ctx.get("procedures") or {}).get("rows") or []
    figures = _direction_sentences(direction, short)
    if one_stop:
        figures["II.2"] = one_stop_sentences(one_stop, short)
    if time_cuts:
        figures.setdefault("II.2", []).append(
            f"Trong kỳ, {short} đã thực hiện cắt giảm thời gian giải quyết {n(len(time_cuts))} thủ tục hành chính "
            "so với quy định (có Phụ lục kèm theo).")

    body = []
    opening = (f"Thực hiện {direction['plan_reference']}, " if direction.get("plan_reference") else "")
    opening += f"{committee} báo cáo {lower_first(subject)} như sau:"
    body.append({"style": "para", "text": opening[:1].upper() + opening[1:]})
    for heading, subsections in OUTLINE:
        body.append({"style": "heading1", "text": heading})
        for key, title in subsections:
            prose = paragraphs(sections.get(key))
            extra = figures.get(key, [])
            if not prose and not extra:
                continue
            body.append({"style": "heading2", "text": title})
            ordered = extra + prose if key == "I.1" else prose + extra
            body.extend({"style": "para", "text": text} for text in ordered)
    next_label = "năm " + str(period.year + 1) if period.kind == "Y" else period.next_label()
    body.append({"style": "heading1", "text": f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM {next_label.upper()}"})
    body.extend({"style": "para", "text": t} for t in paragraphs(sections.get("IV")))
    body.append({"style": "heading1", "text": "V. KIẾN NGHỊ, ĐỀ XUẤT"})
    body.extend({"style": "para", "text": t} for t in (paragraphs(sections.get("V")) or ["Không có."]))
    body.append({"style": "para", "text": f"Trên đây là báo cáo {lower_first(subject)} của {committee}./."})

    note = f"(Kèm theo Báo cáo {number.replace('Số: ', 'số ')}"
    note += f" ngày {short_date(doc_date)}" if doc_date else ""
    note += f" của {committee})"
    appendices = [a for a in (
        _appendix_01b(ctx.get("appendix") or {}, committee.upper(), note),
        _tasks_appendix(direction.get("tasks") or [], note),
        _time_cut_appendix(time_cuts, period.year, note),
    ) if a]
    for index, appendix in enumerate(a for a in appendices if a["label"] == "Phụ lục"):
        appendix["label"] = f"Phụ lục {index + 2:02d}"

    signer = header.get("signer") or {}
    addressee = (header.get("addressee") or "").strip().rstrip(".")
    document = {
        "kind": "report",
        "meta": {"title": f"Báo cáo {lower_first(subject)}", "author": committee,
                 "unit": unit.name, "period": period.label, "revision": report.revision},
        "header": {"issuer": [COMMITTEE, unit.name.upper()], "number": number, "summary": [],
                   "motto": MOTTO, "place_date": place_date(place, doc_date, period.year)},
        "title": "BÁO CÁO",
        "subject": [subject],
        "addressee": {"label": "Kính gửi:", "lines": [addressee + "."]} if addressee else None,
        "body": body,
        "recipients": recipient_lines(header.get("recipients") or ([addressee + " (b/c)"] if addressee else [])),
        "signature": signature_block(signer.get("capacity"), signer.get("title"), signer.get("name")),
        "appendices": appendices,
        "figures": {
            **one_stop_figures(one_stop),
            **({"tasks": f"{n(direction.get('tasks_done') or 0)}/{n(direction['task_total'])}",
                "task_rate": numbers.format_rate(direction.get("task_rate"))} if direction.get("task_total") else {}),
        },
    }
    return nfc(document)


# --- the consolidated report of a district or province ---------------------------------------------

_ranking_provider = None


def set_ranking_provider(provider):
    """Optional hook: ``provider(unit_id, year)`` → published ranking rows
    [{"rank", "name", "final", "classification"}] or None. The scoring app registers it."""
    global _ranking_provider
    _ranking_provider = provider


def ranking_rows(unit_id, year):
    return _ranking_provider(unit_id, year) if _ranking_provider else None


def _is_count_row(row):
    raw = row.get("raw")
    unit = row.get("unit") or ""
    return isinstance(raw, int) and not isinstance(raw, bool) and "=" not in unit and "%" not in unit


def consolidated_document(unit, period, communes, reports):
    """District/province report of ``period``: ``communes`` valid in the period below ``unit``,
    ``reports`` their reports ({commune id: Report}). Sums of dossiers and rates, late and missing
    communes, the 01b table summed over count indicators, and the ranking when published."""
    filed = {cid: r for cid, r in reports.items() if r.status in ("submitted", "approved")}
    late, missing, rows = [], [], []
    sums = dict.fromkeys(numbers.ONE_STOP_FIELDS, 0)
    any_one_stop = False
    tasks_total = tasks_done = 0
    appendix_skeleton, appendix_sums = [], {}
    for commune in communes:
        report = filed.get(commune.pk)
        if report is None:
            missing.append(commune.name)
            rows.append({"cells": [None, commune.name, "Chưa gửi", "", "", "", ""]})
            continue
        if report.is_late:
            late.append(commune.name)
        ctx = part_contexts(report)
        values = one_stop_values(ctx.get("one_stop"))
        if values:
            any_one_stop = True
            for name in numbers.ONE_STOP_FIELDS:
                sums[name] += values[0].get(name) or 0
        direction = ctx.get("direction") or {}
        tasks_total += direction.get("task_total") or 0
        tasks_done += direction.get("tasks_done") or 0
        for row in (ctx.get("appendix") or {}).get("rows") or []:
            if row.get("code") not in appendix_sums:
                appendix_sums[row["code"]] = None
                appendix_skeleton.append(row)
            if _is_count_row(row):
                appendix_sums[row["code"]] = (appendix_sums[row["code"]] or 0) + row["raw"]
        status = "Đã duyệt" if report.status == "approved" else "Đã gửi"
        submitted = report.submitted_at.date() if report.submitted_at else None
        rows.append({"cells": [None, commune.name, status + (" (muộn)" if report.is_late else ""),
                               short_date(submitted),
                               n(values[1]["received"]) if values else "", n(values[1]["resolved"]) if values else "",
                               numbers.format_rate(values[2]["on_time"]) if values else ""]})
    for index, row in enumerate(rows, start=1):
        row["cells"][0] = str(index)

    kind_word = "huyện" if unit.level == "district" else "tỉnh"
    committee = unit.committee_name
    subject = f"Tổng hợp kết quả thực hiện công tác cải cách hành chính cấp xã {period.label}"
    body = [{"style": "para", "text": (
        f"{committee} tổng hợp kết quả thực hiện công tác cải cách hành chính {period.label} của "
        f"{n(len(communes))} đơn vị cấp xã trên địa bàn {kind_word} như sau:")}]
    body.append({"style": "heading1", "text": "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ CẤP XÃ"})
    on_time_count = len(filed) - len(late)
    body.append({"style": "para", "text": (
        f"Tổng số {n(len(communes))} đơn vị cấp xã; đã gửi báo cáo {n(len(filed))} đơn vị "
        f"(đúng hạn {n(on_time_count)}, muộn {n(len(late))}); chưa gửi báo cáo {n(len(missing))} đơn vị.")})
    if late:
        body.append({"style": "para", "text": "Các đơn vị gửi báo cáo muộn: " + ", ".join(late) + "."})
    if missing:
        body.append({"style": "para", "text": "Các đơn vị chưa gửi báo cáo: " + ", ".join(missing) + "."})
    body.append({"style": "heading1", "text": "II. KẾT QUẢ THỰC HIỆN"})
    figures = {}
    if tasks_total:
        body.append({"style": "heading2", "text": "1. Thực hiện kế hoạch cải cách hành chính"})
        body.append({"style": "para", "text": (
            f"Các đơn vị cấp xã đã hoàn thành {n(tasks_done)}/{n(tasks_total)} nhiệm vụ trong kế hoạch cải cách "
            f"hành chính, đạt {pct(tasks_done, tasks_total)}.")})
        figures["tasks"] = f"{n(tasks_done)}/{n(tasks_total)}"
    if any_one_stop:
        values = (sums, numbers.one_stop_totals(sums), numbers.one_stop_rates(sums))
        body.append({"style": "heading2", "text": "2. Kết quả giải quyết thủ tục hành chính"})
        body.extend({"style": "para", "text": t} for t in one_stop_sentences(values, "các đơn vị cấp xã"))
        figures.update(one_stop_figures(values))
    ranking = ranking_rows(unit.pk, period.year)
    if ranking:
        body.append({"style": "heading1", "text": f"III. KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {period.year}"})
        body.append({"style": "para", "text": "Kết quả xếp hạng Chỉ số cải cách hành chính của các đơn vị cấp xã "
                                              "có Phụ lục kèm theo."})
    body.append({"style": "para", "text": f"Trên đây là báo cáo {lower_first(subject)} của {committee}./."})

    note = f"(Kèm theo Báo cáo số       /BC-UBND của {committee})"
    columns = [
        {"title": "STT", "width": 12, "align": "center"}, {"title": "Đơn vị", "width": 45, "align": "left"},
        {"title": "Tình trạng báo cáo", "width": 28, "align": "center"},
        {"title": "Ngày gửi", "width": 22, "align": "center"},
        {"title": "Hồ sơ tiếp nhận", "width": 20, "align": "right"},
        {"title": "Hồ sơ đã giải quyết", "width": 20, "align": "right"},
        {"title": "Tỷ lệ đúng hạn", "width": 18, "align": "right"},
    ]
    appendices = [{"label": "Phụ lục 01", "title": ["TÌNH HÌNH BÁO CÁO VÀ KẾT QUẢ GIẢI QUYẾT",
                                                     "THỦ TỤC HÀNH CHÍNH CỦA CÁC ĐƠN VỊ CẤP XÃ"],
                   "note": note, "columns": columns, "rows": rows}]
    if appendix_skeleton:
        summed = _appendix_01b({"rows": [
            {**row, "value": n(appendix_sums[row["code"]]) if appendix_sums[row["code"]] is not None else ""}
            for row in appendix_skeleton]}, f"CÁC ĐƠN VỊ CẤP XÃ {kind_word.upper()} {unit.short_name.upper()}", note)
        summed["label"] = "Phụ lục 02"
        appendices.append(summed)
    if ranking:
        appendices.append({
            "label": f"Phụ lục {len(appendices) + 1:02d}", "title": [f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CCHC CẤP XÃ NĂM {period.year}"],
            "note": note,
            "columns": [{"title": "Xếp hạng", "width": 20, "align": "center"},
                        {"title": "Đơn vị", "width": 75, "align": "left"},
                        {"title": "Tổng điểm", "width": 30, "align": "right"},
                        {"title": "Xếp loại", "width": 40, "align": "center"}],
            "rows": [{"cells": [str(r["rank"]), r["name"], numbers.format_score(r["final"]),
                                r.get("classification", "")]} for r in ranking],
        })
    document = {
        "kind": "consolidated",
        "meta": {"title": f"Báo cáo {lower_first(subject)}", "author": committee, "unit": unit.name,
                 "period": period.label},
        "header": {"issuer": [COMMITTEE, unit.name.upper()], "number": number_line("", "BC-UBND"), "summary": [],
                   "motto": MOTTO, "place_date": place_date(unit.short_name, None, period.year)},
        "title": "BÁO CÁO",
        "subject": [subject],
        "addressee": None,
        "body": body,
        "recipients": recipient_lines([]),
        "signature": signature_block("TM", "Chủ tịch", ""),
        "appendices": appendices,
        "figures": {**figures, "communes": n(len(communes)), "filed": n(len(filed)), "late": late,
                    "missing": missing},
    }
    return nfc(document)


def consolidated_fingerprint(communes, reports, ranking):
    """The inputs a consolidated report depends on, as plain values (hashed into its version)."""
    return {
        "communes": [c.pk for c in communes],
        "reports": sorted(
            [r.pk, r.revision, r.status, r.submitted_at.isoformat() if r.submitted_at else None]
            for r in reports.values()),
        "ranking": [[r["rank"], r["name"], str(r["final"])] for r in ranking or []],
        "today_late": dt.date.today().isoformat() if any(r.submitted_at is None for r in reports.values()) else "",
    }
