"""Template filters of the scoring pages: scores "0,32", signed changes "+1,25", dash when unknown."""

from django import template

from cchc_portal.lib.numbers import DASH, format_score

register = template.Library()


@register.filter
def score(value):
    if value in (None, ""):
        return DASH
    return format_score(value)


@register.filter
def signed(value):
    """+1,25 / −0,50 / 0,00; "—" when there is nothing to compare with."""
    if value is None:
        return DASH
    text = format_score(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


@register.filter
def signed_int(value):
    if value is None:
        return DASH
    return f"+{value}" if value > 0 else (f"−{abs(value)}" if value < 0 else "0")


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
