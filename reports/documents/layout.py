"""Plain layout helpers of Decree 30/2020 documents, shared by the core's documents and by the blocks
and document kinds other apps contribute: dates, numbers, the header lines, recipients, signature.

Model-free: strings in, strings (or small dicts) out. Numbers are formatted the Vietnamese way with
``cchc_portal.lib.numbers``; text is NFC-normalised with ``nfc``.
"""

import unicodedata

from cchc_portal.lib import numbers

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
COMMITTEE = "ỦY BAN NHÂN DÂN"
SAVE_LINE = "- Lưu: VT."


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
    """A number the Vietnamese way ("1.234,5"); "—" for None."""
    return numbers.format_number(value)


def pct(numerator, denominator):
    """A share as a formatted rate ("65,93%"); "—" when the denominator is 0."""
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
