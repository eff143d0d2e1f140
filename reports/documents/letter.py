"""The commune's deduction & remediation letter (seed 003): "khắc phục những tồn tại, hạn chế trong
công tác CCHC năm N, nâng cao các chỉ số CCHC năm N+1", with the deducted-leaves appendix.

``letter_document(ctx)`` lays out the plain context that ``indicators.letters.letter_context``
produces (reports does not import indicators). The scoring app wires the kind in its
``AppConfig.ready()``::

    from reports.documents.letter import register_letter_kind
    register_letter_kind(load_context=..., unit_id=...)
"""

from decimal import Decimal

from cchc_portal.lib import numbers

from .context import (
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
from .models import DocumentKind
from .registry import register_kind

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
        "kind": "deduction_letter",
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


def register_letter_kind(*, load_context, unit_id, version=None, name=DocumentKind.DEDUCTION_LETTER,
                         may_view=None):
    """Register the letter kind. ``load_context(assessment_id)`` → letter_context dict;
    ``unit_id(assessment_id)`` → the commune's id (decides who may download); ``version`` optional
    (assessment_id → str), by default a hash of the letter's content; ``may_view(user, params)`` an
    extra rule on top of scope (e.g. only published results)."""
    from .. import scope

    def in_scope(user, params):
        commune = unit_id(params["assessment_id"])
        return scope.visible_communes(user).filter(pk=commune).exists()

    extra_check = may_view

    def may_view(user, params):  # noqa: F811  scope first, then the caller's own rule
        return in_scope(user, params) and (extra_check is None or extra_check(user, params))

    return register_kind(
        name, title="Công văn khắc phục tồn tại, hạn chế",
        build_context=lambda p: letter_document(load_context(p["assessment_id"])),
        source_key=lambda p: f"assessment:{p['assessment_id']}",
        source_version=(lambda p: version(p["assessment_id"])) if version else None,
        may_view=may_view,
        filename=lambda p, fmt: f"cong-van-khac-phuc-cchc-{p['assessment_id']}.{fmt}",
        unit_id=lambda p: unit_id(p["assessment_id"]),
    )
