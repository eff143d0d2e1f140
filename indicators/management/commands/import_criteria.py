"""manage.py import_criteria FILE --unit CODE --year YEAR: import a cchc-criteria/1 table (CSV/XLSX)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.scoring.importers import parse_criteria
from indicators.scoring.services import (
    ScoringServiceError,
    import_criteria_set,
    resolve_unit_for_year,
)


class Command(BaseCommand):
    help = "Nhập bộ tiêu chí chỉ số CCHC cấp xã (cchc-criteria/1, CSV hoặc XLSX) của một tỉnh/huyện cho một năm."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="Mã đơn vị ban hành (tỉnh, hoặc huyện trước 2025)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--code", default="", help="Mã bộ tiêu chí (mặc định: <mã đơn vị>-<năm>)")
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {path}")
        unit = resolve_unit_for_year(options["unit"], options["year"])
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']} trong năm {options['year']}")
        table = parse_criteria(path.read_bytes(), path.name)
        if not table.ok:
            for problem in table.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(table.problems)} lỗi, không lưu gì.")
        try:
            criteria_set = import_criteria_set(table, unit=unit, year=options["year"], code=options["code"],
                                               name=options["name"], source_name=path.name, actor=None)
        except ScoringServiceError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(str(error)) from error
        leaves = sum(1 for r in table.rows if r.is_leaf)
        self.stdout.write(f"Đã nhập bộ tiêu chí {criteria_set.code} ({unit}, năm {criteria_set.year}): "
                          f"{len(table.rows)} dòng, {leaves} tiêu chí lá.")
