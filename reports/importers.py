"""Load the official administrative-unit lists (fixtures/units/*.csv) into the unit tree."""

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import REFORM_DATE, AdministrativeUnit, UnitLevel, UnitLineage, UnitType

UNITS_DIR = Path(settings.BASE_DIR) / "fixtures" / "units"
PRE2025_CSV = UNITS_DIR / "units-pre2025.csv"
UNITS_2025_CSV = UNITS_DIR / "units-2025.csv"
PRE2025_FROM = dt.date(2000, 1, 1)  # the list holds units as they stood before the reform
PRE2025_TO = REFORM_DATE - dt.timedelta(days=1)

PRE2025_COLUMNS = ["province_code", "province_name", "district_code", "district_name",
                   "commune_code", "commune_name", "commune_type"]
UNITS_2025_COLUMNS = ["province_code", "province_name", "commune_code", "commune_name", "commune_type",
                      "merged_from", "merged_from_partial"]


class UnitImportError(Exception):
    pass


def _read(path, columns):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise UnitImportError(f"{path.name}: cột phải là {', '.join(columns)} (có: {', '.join(reader.fieldnames or [])})")
        return list(reader)


def _upsert(cache, code, valid_from, **fields):
    key = (code, valid_from)
    unit = cache.get(key)
    if unit is None:
        unit, _ = AdministrativeUnit.objects.update_or_create(code=code, valid_from=valid_from, defaults=fields)
        cache[key] = unit
    return unit


@transaction.atomic
def load_units(provinces=None, pre2025_path=PRE2025_CSV, units_2025_path=UNITS_2025_CSV):
    """Load both lists, optionally only some province codes (as printed in each list).

    Returns (units, lineage links). Idempotent: existing units (same code and start date) are updated.
    """
    wanted = set(provinces) if provinces else None
    cache = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    count = 0
    pre_rows = _read(pre2025_path, PRE2025_COLUMNS)
    old_communes = {}
    for row in pre_rows:
        if wanted and row["province_code"] not in wanted:
            continue
        common = {"valid_to": PRE2025_TO}
        province = _upsert(cache, row["province_code"], PRE2025_FROM, name=row["province_name"],
                           unit_type=UnitType.from_prefix(row["province_name"]), level=UnitLevel.PROVINCE,
                           parent=None, **common)
        district = _upsert(cache, row["district_code"], PRE2025_FROM, name=row["district_name"],
                           unit_type=UnitType.from_prefix(row["district_name"]), level=UnitLevel.DISTRICT,
                           parent=province, **common)
        commune = _upsert(cache, row["commune_code"], PRE2025_FROM, name=row["commune_name"],
                          unit_type=UnitType.from_prefix(row["commune_name"]), level=UnitLevel.COMMUNE,
                          parent=district, **common)
        old_communes[row["commune_code"]] = commune
        count += 1

    links = 0
    new_rows = _read(units_2025_path, UNITS_2025_COLUMNS)
    old_districts = {u.code: u for u in AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT, valid_from=PRE2025_FROM)}
    for row in new_rows:
        if wanted and row["province_code"] not in wanted:
            continue
        province = _upsert(cache, row["province_code"], REFORM_DATE, name=row["province_name"],
                           unit_type=UnitType.from_prefix(row["province_name"]), level=UnitLevel.PROVINCE,
                           parent=None, valid_to=None)
        commune = _upsert(cache, row["commune_code"], REFORM_DATE, name=row["commune_name"],
                          unit_type=UnitType.from_prefix(row["commune_name"]), level=UnitLevel.COMMUNE,
                          parent=province, valid_to=None)
        count += 1
        partial = set(filter(None, row["merged_from_partial"].split("|")))
        for old_code in filter(None, row["merged_from"].split("|")):
            predecessor = old_communes.get(old_code) or old_districts.get(old_code)
            if predecessor is None:
                predecessor = AdministrativeUnit.objects.filter(code=old_code, valid_from=PRE2025_FROM).first()
            if predecessor is None:
                continue  # its old province was not loaded
            UnitLineage.objects.update_or_create(
                unit=commune, predecessor=predecessor, defaults={"partial": old_code in partial})
            links += 1
    return count, links
