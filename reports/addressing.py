"""Who a commune's report is addressed to: the bodies above it in the unit tree valid on the period's
reference day (``ReportingPeriod.reference_date``, the last day of the data window).

Before 1 July 2025 a commune reports to its district ("Phòng Nội vụ huyện Vĩnh Linh", "UBND huyện
Vĩnh Linh"); from then on, with districts abolished, to its province ("Sở Nội vụ tỉnh Quảng Trị",
"UBND tỉnh Quảng Trị"). The tree decides, not a report of the other side of the reform: a new
report's "Kính gửi" and "Nơi nhận" are computed here and only copied from a previous report that was
addressed to the same superior.
"""

import re

from .models import REFORM_DATE, UnitLevel

# Bodies of the district tier, abolished with it on 1 July 2025.
DISTRICT_BODY = re.compile(r"Phòng Nội vụ|\b(?:huyện|quận|thị xã)\b", re.IGNORECASE)


def superior(unit, day):
    """The nearest unit above ``unit`` that exists on ``day`` (a district before the reform, a
    province after), or None for a unit at the top of the tree."""
    for ancestor in unit.ancestors():
        if ancestor.is_valid_on(day):
            return ancestor
    return None


def superior_of(report):
    """The superior of ``report``'s unit on its period's reference day."""
    return superior(report.unit, report.period.reference_date)


def _body_name(unit):
    """"tỉnh Quảng Trị", "huyện Vĩnh Linh", "thành phố Đông Hà" (type in lower case, then the name)."""
    return f"{unit.get_unit_type_display().lower()} {unit.short_name}"


def internal_affairs_office(unit):
    """The internal-affairs office of a province or district: "Sở Nội vụ tỉnh Quảng Trị",
    "Phòng Nội vụ huyện Vĩnh Linh"."""
    office = "Sở Nội vụ" if unit.level == UnitLevel.PROVINCE else "Phòng Nội vụ"
    return f"{office} {_body_name(unit)}"


def addressee(unit, period):
    """The "Kính gửi" of ``unit``'s report for ``period``: the superior's internal-affairs office."""
    above = superior(unit, period.reference_date)
    return internal_affairs_office(above) if above is not None else ""


def recipients(unit, period):
    """The "Nơi nhận" lines (without dashes) of ``unit``'s report for ``period``."""
    above = superior(unit, period.reference_date)
    own = unit.get_unit_type_display().lower()
    lines = []
    if above is not None:
        lines += [f"{internal_affairs_office(above)} (b/c)", f"{above.committee_name} (b/c)"]
    lines += [f"TT Đảng ủy, HĐND {own} (b/c)", "Lưu: VT."]
    return lines


def header_defaults(unit, period):
    """Header fields of a new report of ``unit`` for ``period`` that the tree decides."""
    return {"addressee": addressee(unit, period), "recipients": "\n".join(recipients(unit, period)),
            "place": unit.short_name}


def same_superior(previous, report):
    """Whether ``previous`` was addressed to the same superior as ``report`` is (same side of the
    reform, same district or province)."""
    before, now = superior_of(previous), superior_of(report)
    return before is not None and now is not None and before.pk == now.pk


def abolished_bodies(report):
    """(field, text) of the report's "Kính gửi" and "Nơi nhận" lines that name a district body when
    the district tier no longer exists on the period's reference day (a report of 2025 Q3 on)."""
    above = superior_of(report)
    if report.period.reference_date < REFORM_DATE or above is None or above.level != UnitLevel.PROVINCE:
        return []
    found = [("addressee", report.addressee)] if DISTRICT_BODY.search(report.addressee or "") else []
    return found + [("recipients", line) for line in report.recipient_lines if DISTRICT_BODY.search(line)]
