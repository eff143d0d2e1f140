"""Helpers of the procedures tests: form data of the two entry screens, catalogue rows."""

from decimal import Decimal

import pytest

from procedures import onestop as numbers
from procedures.models import Procedure, TimeCut

# Seed 002 (Xã Hoằng Lưu, 2024) as typed: a total of 830 while the channels add up to 627.
SEED_TYPED = {
    "received": "830", "carried_over": "0", "online": "585", "online_partial": "479", "online_full": "106",
    "direct": "40", "postal": "2", "resolved_early": "479", "resolved_on_time": "106", "resolved_late": "0",
    "pending_in_time": "0", "pending_overdue": "0", "withdrawn": "0", "satisfaction_responses": "139",
    "satisfied": "139",
}
# The same figures made consistent: no typed total, 148 resolved on time so that 627 are accounted for.
SEED_CORRECTED = {**SEED_TYPED, "received": "", "resolved_on_time": "148"}


def one_stop_data(report, values, revision=None):
    data = {"part_revision": report.part_revision("one_stop") if revision is None else revision}
    for name in (*numbers.ONE_STOP_FIELDS, "received"):
        data[f"one_stop-{name}"] = values.get(name, "")
    return data


def procedures_data(report, procedures=(), cuts=(), existing_cuts=()):
    """POST data of the procedures screen: new catalogue rows and new time-cut rows.
    ``cuts``: dicts with procedure (pk or ""), procedure_name, legal_days, cut_days, decision."""
    data = {
        "part_revision": report.part_revision("procedures"),
        "catalogue-TOTAL_FORMS": str(len(procedures)), "catalogue-INITIAL_FORMS": "0",
        "time_cuts-TOTAL_FORMS": str(len(existing_cuts) + len(cuts)),
        "time_cuts-INITIAL_FORMS": str(len(existing_cuts)),
    }
    for i, row in enumerate(procedures):
        for key, value in row.items():
            data[f"catalogue-{i}-{key}"] = value
    rows = [*existing_cuts, *cuts]
    for i, row in enumerate(rows):
        for key in ("id", "procedure", "procedure_name", "legal_days", "cut_days", "decision"):
            data[f"time_cuts-{i}-{key}"] = row.get(key, "")
        data[f"time_cuts-{i}-report"] = report.pk
    return data


@pytest.fixture
def one_stop_url(report):
    return f"/thu-tuc/bao-cao/{report.pk}/mot-cua/"


@pytest.fixture
def procedures_url(report):
    return f"/thu-tuc/bao-cao/{report.pk}/thu-tuc/"


def make_catalogue(unit, n):
    return Procedure.objects.bulk_create([
        Procedure(unit=unit, field=f"Lĩnh vực {i % 4}", name=f"Thủ tục số {i}", national_code=f"1.{i:06d}",
                  legal_days=Decimal(5 + i % 10))
        for i in range(n)
    ])


def make_cuts(report, procedures):
    return TimeCut.objects.bulk_create([
        TimeCut(report=report, position=i + 1, procedure=p, procedure_name=p.name, legal_days=p.legal_days,
                cut_days=p.legal_days - 1)
        for i, p in enumerate(procedures)
    ])
