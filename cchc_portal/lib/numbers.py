"""Shared numeric helpers: rates, rounding, parsing and Vietnamese number formatting.

Plain functions over plain values; forms, imports, documents and exports of every app call them
and nothing repeats them (not even JavaScript: live rates on entry pages are computed by the
server). Rules that belong to one domain live in its app (the one-stop invariants E1–E8 and the
time-cut rules in ``procedures.onestop``).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")
DASH = "—"


def to_decimal(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error


def round_half_up(value, places=2):
    """Round half up (0,125 → 0,13), as Vietnamese officials round by hand, not banker's rounding."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def rate(numerator, denominator):
    """Percentage numerator/denominator × 100, rounded half-up to 2 places; None when undefined (d = 0)."""
    if numerator is None or denominator in (None, 0):
        return None
    return round_half_up(Decimal(numerator) * 100 / Decimal(denominator))


def ratio(numerator, denominator):
    """The plain ratio n/d as a Decimal (unrounded); None when d = 0."""
    if numerator is None or denominator in (None, 0):
        return None
    return Decimal(numerator) / Decimal(denominator)


def format_number(value, places=None):
    """1234567.5 → "1.234.567,5"; trailing zeros of the fraction dropped unless ``places`` is given."""
    if value is None:
        return DASH
    number = to_decimal(value)
    if places is not None:
        number = round_half_up(number, places)
        text = f"{number:.{places}f}"
    else:
        text = format(number.normalize(), "f") if number != number.to_integral() else str(int(number))
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups) + ("," + fraction if fraction else "")
    return ("-" if negative else "") + result


def format_rate(value):
    """A percentage as Vietnamese officials write it: "65,93%"; "—" when undefined."""
    if value is None:
        return DASH
    return format_number(round_half_up(value), None) + "%"


def format_score(value):
    """A score with two decimals and a comma: "0,32"."""
    if value is None:
        return DASH
    return format_number(value, 2)


def parse_number(text):
    """Parse a number typed the Vietnamese way ("1.234,5") or the plain way ("1234.5")."""
    if text is None:
        return None
    cleaned = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if cleaned == "":
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 or (cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3
                                     and cleaned.split(".")[0] not in ("", "0", "-0")):
        # "1.234" and "1.234.567" are thousand separators in Vietnamese
        cleaned = cleaned.replace(".", "")
    return to_decimal(cleaned)
