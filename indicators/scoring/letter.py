"""The commune's deduction & remediation letter (seed 003): "khắc phục những tồn tại, hạn chế trong
công tác CCHC năm N, nâng cao các chỉ số CCHC năm N+1", with the deducted-leaves appendix.

``letter_context(assessment)`` gathers plain values (Decimals, dates, strings) from the scoring
models; ``letter_document(ctx)`` lays them out as the writers' plain dict (Decree 30 layout helpers
of the core's documents). The kind is registered in ``contrib``.
"""

from decimal import Decimal

from cchc_portal.lib import numbers
from reports.documents.layout import (
    COMMITTEE,
    MOTTO,
    n,
    nfc,
    number_line,
    place_date,
    recipient_lines,
    short_date,
    signature_block,
)
from reports.models import Report, SignerCapacity

from .models import LeafScore
from .selectors import previous_results

KIND = "deduction_letter"  # the DocumentKind value stored on the rendered rows

# --- context --------------------------------------------------------------------------------------

def deduction_rows(assessment):
    """Leaves that lost points, in criteria order, as the appendix lists them (one query)."""
    rows = []
    leaves = (LeafScore.objects.filter(assessment=assessment, not_applicable=False)
              .select_related("criterion").order_by("criterion__position"))
    for leaf in leaves:
        deducted = leaf.deducted
        if deducted <= 0:
            continue
        rows.append({
            "code": leaf.criterion.code, "name": leaf.criterion.name_vi, "max": leaf.criterion.max_score,
            "self": leaf.self_score, "appraised": leaf.appraised, "deducted": deducted,
            "comment": leaf.council_comment, "responsible": leaf.responsible, "remediation": leaf.remediation,
            "deadlines": leaf.deadline_dates,
        })
    return rows


def previous_assessment(assessment):
    return previous_results([assessment], assessment.year).get(assessment.pk)


def letter_context(assessment):
    """Everything the letter "khắc phục tồn tại, hạn chế … nâng cao chỉ số CCHC" needs."""
    unit = assessment.unit
    rows = deduction_rows(assessment)
    previous = previous_assessment(assessment)
    signer = {"name": "", "title": "Chủ tịch", "capacity": SignerCapacity.TM.label}
    last_report = (Report.objects.filter(unit=unit, period__year__in=[assessment.year, assessment.year + 1])
                   .exclude(signer_name="").order_by("-period__data_end").first())
    if last_report is not None:
        signer = {"name": last_report.signer_name, "title": last_report.signer_title or "Chủ tịch",
                  "capacity": SignerCapacity(last_report.signer_capacity).label if last_report.signer_capacity else ""}
    return {
        "unit_name": unit.name,
        "unit_upper": unit.name.upper(),
        "year": assessment.year,
        "next_year": assessment.year + 1,
        "place": unit.short_name,
        "self_total": assessment.self_total,
        "appraised_total": assessment.appraised_total,
        "bonus": assessment.bonus,
        "penalty": assessment.penalty,
        "final": assessment.final,
        "deducted_total": sum((row["deducted"] for row in rows), Decimal(0)),
        "rank": assessment.rank,
        "rank_of": assessment.rank_of,
        "classification": assessment.classification,
        "previous": {"final": previous.final, "rank": previous.rank} if previous is not None else None,
        "rows": rows,
        "signer": signer,
    }


# --- layout ---------------------------------------------------------------------------------------

DEFAULT_ADDRESSEES = [
    "UBMT, các tổ chức CT-XH xã;",
    "Cán bộ, công chức xã;",
    "Bộ phận Tiếp nhận và Trả kết quả cấp xã;",
]


def score(value):
    return numbers.format_score(value)


def _deducted(value):
    return "-" + numbers.format_score(value) if value else numbers.format_score(Decimal(0))


def _committee(unit_name):
    """"Xã Vĩnh Long" → "UBND xã Vĩnh Long"."""
    return f"UBND {unit_name[:1].lower()}{unit_name[1:]}"


def _deadline_sentence(rows):
    days = sorted({d for row in rows for d in (row.get("deadlines") or [])})
    if not days:
        return ""
    if len(days) == 1:
        return f"trước ngày {short_date(days[0])}"
    return " và ".join(f"trước ngày {short_date(day)} (đợt {i})" for i, day in enumerate(days, start=1))


def letter_document(ctx):
    """The writers' plain dict for the letter, from ``letter_context(assessment)``."""
    year, next_year = ctx["year"], ctx["next_year"]
    unit_name = ctx["unit_name"]
    committee = _committee(unit_name)
    rows = ctx.get("rows") or []
    body = []
    rank = f"xếp thứ {ctx['rank']}/{ctx['rank_of']} đơn vị cấp xã" if ctx.get("rank") else "chưa được xếp hạng"
    opening = (f"Căn cứ kết quả thẩm định, công bố Chỉ số cải cách hành chính năm {year} của các đơn vị cấp xã, "
               f"Chỉ số CCHC của {committee} {rank} (trong đó điểm tự đánh giá: {score(ctx['self_total'])}; "
               f"điểm thẩm định: {score(ctx['appraised_total'])}; điểm thưởng: {score(ctx.get('bonus') or 0)}")
    if ctx.get("penalty"):
        opening += f"; điểm trừ: {score(ctx['penalty'])}"
    opening += f"; tổng điểm đạt được: {score(ctx['final'])}"
    opening += f"; xếp loại: {ctx['classification']})." if ctx.get("classification") else ")."
    body.append({"style": "para", "text": opening})
    previous = ctx.get("previous")
    if previous and previous.get("final") is not None:
        delta = Decimal(ctx["final"]) - Decimal(previous["final"])
        trend = "tăng" if delta > 0 else "giảm" if delta < 0 else "không thay đổi"
        text = f"So với năm {year - 1}, tổng điểm năm {year} {trend}"
        if delta:
            text += f" {score(abs(delta))} điểm"
        if previous.get("rank") and ctx.get("rank"):
            moved = previous["rank"] - ctx["rank"]
            text += (f", thứ hạng tăng {moved} bậc" if moved > 0 else
                     f", thứ hạng tụt {-moved} bậc" if moved < 0 else ", thứ hạng không thay đổi")
            text += f" (năm {year - 1} chỉ số đạt {score(previous['final'])}, xếp thứ {previous['rank']}/{ctx['rank_of']})."
        else:
            text += f" (năm {year - 1} chỉ số đạt {score(previous['final'])})."
        body.append({"style": "para", "text": text})
    body.append({"style": "para", "text": (
        f"Sau khi rà soát, tổng số điểm năm {year} bị trừ là {score(ctx['deducted_total'])} điểm ở "
        f"{n(len(rows))} tiêu chí thành phần.")})
    body.append({"style": "para", "text": (
        f"Để khắc phục những tồn tại, hạn chế năm {year}, cải thiện Chỉ số cải cách hành chính năm {next_year}, "
        f"{committee} yêu cầu toàn thể cán bộ, công chức, Bộ phận Tiếp nhận và Trả kết quả, các ban, ngành, "
        "đoàn thể phối hợp thực hiện các nội dung khắc phục tại Phụ lục kèm theo.")})
    deadlines = _deadline_sentence(rows)
    if deadlines:
        body.append({"style": "para", "text": (
            f"Các nội dung cần khắc phục yêu cầu hoàn thành {deadlines} để bảo đảm cho công tác chấm điểm "
            f"cải cách hành chính năm {next_year}.")})
    body.append({"style": "para", "text": (
        "Đề nghị cán bộ, công chức, các cá nhân, tổ chức có liên quan quan tâm thực hiện, bảo đảm hoàn thành "
        "100% yêu cầu, nhiệm vụ đề ra./.")})

    table_rows = []
    for row in rows:
        remedy = " ".join(part for part in (
            f"{row.get('responsible')}." if row.get("responsible") else "",
            row.get("remediation") or "",
            ("Hoàn thành " + ", ".join(f"trước {short_date(d)}" for d in row.get("deadlines") or []) + ".")
            if row.get("deadlines") else "",
        ) if part)
        table_rows.append({"cells": [row["code"], row["name"], score(row["max"]), score(row["self"]),
                                     score(row["appraised"]), _deducted(row["deducted"]), row.get("comment") or "",
                                     remedy]})
    table_rows.append({"cells": ["", "Tổng cộng", "", "", "", _deducted(ctx["deducted_total"]), "", ""],
                       "bold": True})
    signer = ctx.get("signer") or {}
    document = {
        "kind": KIND,
        "meta": {"title": f"Khắc phục tồn tại, hạn chế trong công tác CCHC năm {year}", "author": committee,
                 "unit": unit_name, "year": year},
        "header": {
            "issuer": [COMMITTEE, ctx["unit_upper"]], "number": number_line("", "UBND-CCHC"),
            "summary": [f"V/v khắc phục những tồn tại, hạn chế trong công tác CCHC năm {year}, "
                        f"nâng cao các chỉ số CCHC năm {next_year}"],
            "motto": MOTTO, "place_date": place_date(ctx.get("place") or unit_name, None, next_year),
        },
        "title": "",
        "subject": [],
        "addressee": {"label": "Kính gửi:", "lines": [f"- {line}" for line in DEFAULT_ADDRESSEES]},
        "body": body,
        "recipients": recipient_lines(["Như kính gửi", "TT Đảng ủy, TT HĐND xã (b/c)"]),
        "signature": signature_block(signer.get("capacity"), signer.get("title"), signer.get("name")),
        "appendices": [{
            "label": "PHỤ LỤC", "landscape": True,
            "title": [f"KẾT QUẢ ĐÁNH GIÁ CCHC {ctx['unit_upper']} NĂM {year}",
                      f"VÀ BIỆN PHÁP KHẮC PHỤC, NÂNG CAO CHỈ SỐ CCHC NĂM {next_year}"],
            "note": f"(Kèm theo Công văn số       /UBND-CCHC của {committee})",
            "columns": [
                {"title": "TT", "width": 16, "align": "center"},
                {"title": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "width": 60, "align": "left"},
                {"title": "Điểm chuẩn", "width": 16, "align": "center"},
                {"title": "Điểm tự đánh giá", "width": 18, "align": "center"},
                {"title": "Điểm thẩm định", "width": 18, "align": "center"},
                {"title": "Điểm bị trừ", "width": 16, "align": "center"},
                {"title": "Ý kiến Hội đồng thẩm định", "width": 58, "align": "left"},
                {"title": "Người chịu trách nhiệm, biện pháp khắc phục", "width": 60, "align": "left"},
            ],
            "font_size": 11,
            "rows": table_rows,
        }],
        "figures": {"final": score(ctx["final"]), "deducted_total": score(ctx["deducted_total"]),
                    "rank": f"{ctx.get('rank')}/{ctx.get('rank_of')}"},
    }
    return nfc(document)
