"""Load the official administrative-unit lists (fixtures/units/*.csv) into the unit tree."""

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import REFORM_DATE, AdministrativeUnit, UnitLevel, UnitLineage, UnitType
from .scope import rebuild_paths

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


class _Upserter:
    """Creates or updates units keyed by (code, valid_from) with few queries: units are created in
    bulk per tier (parents first) and only changed ones are updated."""

    FIELDS = ["name", "unit_type", "level", "parent", "valid_to"]

    def __init__(self):
        self.existing = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
        self.pending_create, self.pending_update = {}, {}

    def get(self, code, valid_from, **fields):
        key = (code, valid_from)
        unit = self.existing.get(key) or self.pending_create.get(key)
        if unit is None:
            unit = AdministrativeUnit(code=code, valid_from=valid_from, **fields)
            self.pending_create[key] = unit
        elif unit.pk is not None and self._differs(unit, fields):
            for f, v in fields.items():
                setattr(unit, f, v)
            self.pending_update[key] = unit
        return unit

    @staticmethod
    def _differs(unit, fields):
        for name, value in fields.items():
            if name == "parent":  # compare ids: reading unit.parent would cost a query per unit
                if unit.parent_id != (value.pk if value is not None else None):
                    return True
            elif getattr(unit, name) != value:
                return True
        return False

    def flush(self):
        created = list(self.pending_create.values())
        for unit in created:
            if unit.parent is not None:
                unit.parent_id = unit.parent.pk
        AdministrativeUnit.objects.bulk_create(created, batch_size=500)
        for unit in created:
            self.existing[(unit.code, unit.valid_from)] = unit
        if self.pending_update:
            for unit in self.pending_update.values():
                unit.parent_id = unit.parent.pk if unit.parent is not None else None
            AdministrativeUnit.objects.bulk_update(list(self.pending_update.values()), self.FIELDS, batch_size=500)
        count = len(created) + len(self.pending_update)
        self.pending_create, self.pending_update = {}, {}
        return count


def _typed(name, level):
    return {"name": name, "unit_type": UnitType.from_prefix(name), "level": level}


@transaction.atomic
def load_units(provinces=None, pre2025_path=PRE2025_CSV, units_2025_path=UNITS_2025_CSV):
    """Load both lists, optionally only some province codes (as printed in each list).

    Returns (units created or changed, lineage links). Idempotent: units are keyed by code and
    start date; running it again changes nothing.
    """
    wanted = set(provinces) if provinces else None
    pre_rows = [r for r in _read(pre2025_path, PRE2025_COLUMNS) if not wanted or r["province_code"] in wanted]
    new_rows = [r for r in _read(units_2025_path, UNITS_2025_COLUMNS) if not wanted or r["province_code"] in wanted]
    units = _Upserter()
    count = 0
    # Parents before children, so bulk-created children can point at saved parents.
    for row in pre_rows:
        units.get(row["province_code"], PRE2025_FROM, parent=None, valid_to=PRE2025_TO,
                  **_typed(row["province_name"], UnitLevel.PROVINCE))
    for row in new_rows:
        units.get(row["province_code"], REFORM_DATE, parent=None, valid_to=None,
                  **_typed(row["province_name"], UnitLevel.PROVINCE))
    count += units.flush()
    for row in pre_rows:
        province = units.get(row["province_code"], PRE2025_FROM, parent=None, valid_to=PRE2025_TO,
                             **_typed(row["province_name"], UnitLevel.PROVINCE))
        units.get(row["district_code"], PRE2025_FROM, parent=province, valid_to=PRE2025_TO,
                  **_typed(row["district_name"], UnitLevel.DISTRICT))
    count += units.flush()
    for row in pre_rows:
        district = units.existing[(row["district_code"], PRE2025_FROM)]
        units.get(row["commune_code"], PRE2025_FROM, parent=district, valid_to=PRE2025_TO,
                  **_typed(row["commune_name"], UnitLevel.COMMUNE))
    for row in new_rows:
        province = units.existing[(row["province_code"], REFORM_DATE)]
        units.get(row["commune_code"], REFORM_DATE, parent=province, valid_to=None,
                  **_typed(row["commune_name"], UnitLevel.COMMUNE))
    count += units.flush()

    old_units = {code: unit for (code, start), unit in units.existing.items() if start == PRE2025_FROM}
    wanted_links = {}
    for row in new_rows:
        commune = units.existing[(row["commune_code"], REFORM_DATE)]
        partial = set(filter(None, row["merged_from_partial"].split("|")))
        for old_code in filter(None, row["merged_from"].split("|")):
            predecessor = old_units.get(old_code)
            if predecessor is None:
                continue  # its old province was not loaded
            wanted_links[(commune.pk, predecessor.pk)] = old_code in partial
    existing_links = {
        (link.unit_id, link.predecessor_id): link
        for link in UnitLineage.objects.filter(unit_id__in={k[0] for k in wanted_links})
    }
    UnitLineage.objects.bulk_create(
        [UnitLineage(unit_id=u, predecessor_id=p, partial=partial)
         for (u, p), partial in wanted_links.items() if (u, p) not in existing_links],
        batch_size=500,
    )
    changed = [link for key, link in existing_links.items() if key in wanted_links and link.partial != wanted_links[key]]
    for link in changed:
        link.partial = wanted_links[(link.unit_id, link.predecessor_id)]
    UnitLineage.objects.bulk_update(changed, ["partial"])
    rebuild_paths()
    return count, len(wanted_links)
