"""One plain snapshot of a document, built once and consumed by both writers.

``report_document(report)`` assembles a commune's periodic report from every registered part's
``document_context()``; ``consolidated_document(unit, period, communes, reports)`` sums the
communes' reports for a district or province. The core writes the frame (header, direction,
prose, the tasks appendix, the filing status of the communes, closing); every other paragraph,
appendix table and figure comes from the document blocks apps register (``blocks``). A missing
or empty part simply leaves its sentences and tables out. The result is the plain dict described
in ``cchc_portal.lib.docx_writer``: numbers already formatted the Vietnamese way, text NFC-normalised.
"""

import datetime as dt

from cchc_portal.lib import numbers

from .. import parts as part_registry
from . import blocks
from .layout import (
    COMMITTEE,
    MOTTO,
    committee_short,
    lower_first,
    n,
    nfc,
    number_line,
    paragraphs,
    pct,
    place_date,
    recipient_lines,
    short_date,
    signature_block,
)

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
    note = f"(Kèm theo Báo cáo {number.replace('Số: ', 'số ')}"
    note += f" ngày {short_date(doc_date)}" if doc_date else ""
    note += f" của {committee})"

    info = blocks.ReportInfo(committee=committee, committee_short=short, unit_upper=committee.upper(),
                             year=period.year, note=note)
    contributions = blocks.report_contributions(ctx, info)
    added = _direction_sentences(direction, short)  # {prose key: sentences}: the core's, then the blocks'
    for _, contribution in contributions:
        for key, texts in contribution.paragraphs.items():
            added.setdefault(key, []).extend(texts)

    body = []
    opening = (f"Thực hiện {direction['plan_reference']}, " if direction.get("plan_reference") else "")
    opening += f"{committee} báo cáo {lower_first(subject)} như sau:"
    body.append({"style": "para", "text": opening[:1].upper() + opening[1:]})
    for heading, subsections in OUTLINE:
        body.append({"style": "heading1", "text": heading})
        for key, title in subsections:
            prose = paragraphs(sections.get(key))
            extra = added.get(key, [])
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

    tasks_appendix = _tasks_appendix(direction.get("tasks") or [], note)
    appendices = [
        *(a for block, c in contributions if block.order < blocks.CORE_APPENDIX_ORDER for a in c.appendices),
        *([tasks_appendix] if tasks_appendix else []),
        *(a for block, c in contributions if block.order >= blocks.CORE_APPENDIX_ORDER for a in c.appendices),
    ]
    appendices = [dict(a) for a in appendices]
    for index, appendix in enumerate(a for a in appendices if a["label"] == blocks.NUMBERED):
        appendix["label"] = f"{blocks.NUMBERED} {index + 2:02d}"

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
            **{k: v for _, c in contributions for k, v in c.figures.items()},
            **({"tasks": f"{n(direction.get('tasks_done') or 0)}/{n(direction['task_total'])}",
                "task_rate": numbers.format_rate(direction.get("task_rate"))} if direction.get("task_total") else {}),
        },
    }
    return nfc(document)


# --- the consolidated report of a district or province ---------------------------------------------

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def consolidated_info(unit, period):
    """The plain facts the blocks get about a consolidated report."""
    kind_word = "huyện" if unit.level == "district" else "tỉnh"
    return blocks.ConsolidatedInfo(
        unit_id=unit.pk, year=period.year, subject="các đơn vị cấp xã",
        communes_upper=f"CÁC ĐƠN VỊ CẤP XÃ {kind_word.upper()} {unit.short_name.upper()}",
        note=f"(Kèm theo Báo cáo số       /BC-UBND của {unit.committee_name})",
    )


def consolidated_document(unit, period, communes, reports):
    """District/province report of ``period``: ``communes`` valid in the period below ``unit``,
    ``reports`` their reports ({commune id: Report}). Late and missing communes and the plan's
    tasks from the core; the blocks add their sums and tables."""
    filed = {cid: r for cid, r in reports.items() if r.status in ("submitted", "approved")}
    info = consolidated_info(unit, period)
    late, missing, rows, inputs = [], [], [], []
    tasks_total = tasks_done = 0
    for commune in communes:
        report = filed.get(commune.pk)
        if report is None:
            missing.append(commune.name)
            rows.append((commune.pk, [None, commune.name, "Chưa gửi", ""]))
            continue
        if report.is_late:
            late.append(commune.name)
        ctx = part_contexts(report)
        inputs.append(blocks.CommuneInput(unit_id=commune.pk, name=commune.name, contexts=ctx))
        direction = ctx.get("direction") or {}
        tasks_total += direction.get("task_total") or 0
        tasks_done += direction.get("tasks_done") or 0
        status = "Đã duyệt" if report.status == "approved" else "Đã gửi"
        submitted = report.submitted_at.date() if report.submitted_at else None
        rows.append((commune.pk, [None, commune.name, status + (" (muộn)" if report.is_late else ""),
                                  short_date(submitted)]))
    contributions = blocks.consolidated_contributions(inputs, info)
    table_rows = []
    for index, (commune_id, cells) in enumerate(rows, start=1):
        cells[0] = str(index)
        for _, contribution in contributions:
            width = len(contribution.commune_columns)
            cells.extend((contribution.commune_cells.get(commune_id) or [""] * width)[:width])
        table_rows.append({"cells": cells})

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
    results = []
    if tasks_total:
        results.append(("Thực hiện kế hoạch cải cách hành chính", [
            f"Các đơn vị cấp xã đã hoàn thành {n(tasks_done)}/{n(tasks_total)} nhiệm vụ trong kế hoạch cải cách "
            f"hành chính, đạt {pct(tasks_done, tasks_total)}."]))
        figures["tasks"] = f"{n(tasks_done)}/{n(tasks_total)}"
    results += [result for _, c in contributions for result in c.results]
    for number, (title, texts) in enumerate(results, start=1):
        body.append({"style": "heading2", "text": f"{number}. {title}"})
        body.extend({"style": "para", "text": text} for text in texts)
    sections = [section for _, c in contributions for section in c.sections]
    for numeral, (heading, texts) in zip(ROMAN[2:], sections, strict=False):
        body.append({"style": "heading1", "text": f"{numeral}. {heading}"})
        body.extend({"style": "para", "text": text} for text in texts)
    body.append({"style": "para", "text": f"Trên đây là báo cáo {lower_first(subject)} của {committee}./."})

    columns = [
        {"title": "STT", "width": 12, "align": "center"}, {"title": "Đơn vị", "width": 45, "align": "left"},
        {"title": "Tình trạng báo cáo", "width": 28, "align": "center"},
        {"title": "Ngày gửi", "width": 22, "align": "center"},
        *(column for _, c in contributions for column in c.commune_columns),
    ]
    also = [c.commune_title for _, c in contributions if c.commune_columns and c.commune_title]
    title = (["TÌNH HÌNH BÁO CÁO VÀ " + ", ".join(also), "CỦA CÁC ĐƠN VỊ CẤP XÃ"] if also
             else ["TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ CẤP XÃ"])
    appendices = [{"label": "Phụ lục 01", "title": title, "note": info.note, "columns": columns,
                   "rows": table_rows}]
    for _, contribution in contributions:
        for appendix in contribution.appendices:
            appendices.append({**appendix, "label": f"{blocks.NUMBERED} {len(appendices) + 1:02d}"})
    for _, contribution in contributions:
        figures.update(contribution.figures)
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


def consolidated_fingerprint(unit, period, communes, reports):
    """The inputs a consolidated report depends on, as plain values (hashed into its version): the
    communes, their reports' revisions and states, and what the blocks declare."""
    return {
        "communes": [c.pk for c in communes],
        "reports": sorted(
            [r.pk, r.revision, r.status, r.submitted_at.isoformat() if r.submitted_at else None]
            for r in reports.values()),
        "blocks": blocks.consolidated_fingerprint(consolidated_info(unit, period)),
        "today_late": dt.date.today().isoformat() if any(r.submitted_at is None for r in reports.values()) else "",
    }
