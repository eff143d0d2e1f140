"""manage.py import_criteria FILE --unit CODE --year YEAR: import a cchc-criteria/1 table (CSV/XLSX)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from indicators.scoring.importers import parse_criteria
from indicators.scoring.services import (
    ScoringServiceError,
    import_criteria_set,
    resolve_unit_for_year,
)
from reports.management.commands._problems import (
    VietnameseArguments,
    read_file,
    refusal,
    text_argument,
    year_argument,
)


class Command(VietnameseArguments, BaseCommand):
    help = "Nhập bộ tiêu chí chỉ số CCHC cấp xã (cchc-criteria/1, CSV hoặc XLSX) của một tỉnh/huyện cho một năm."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="Mã đơn vị ban hành (tỉnh, hoặc huyện trước 2025)")
        parser.add_argument("--year", required=True)
        parser.add_argument("--code", default="", help="Mã bộ tiêu chí (mặc định: <mã đơn vị>-<năm>)")
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        raw = read_file(options["file"])
        code = text_argument(options["unit"], "Mã đơn vị", max_length=20)
        year = year_argument(options["year"])
        set_code = text_argument(options["code"], "Mã bộ tiêu chí", max_length=40)
        name = text_argument(options["name"], "Tên bộ tiêu chí", max_length=300)
        unit = resolve_unit_for_year(code, year)
        if unit is None:
            raise refusal([f"Không có đơn vị mã {code} trong năm {year}."], "Không có gì được lưu.", self.stderr)
        path = Path(options["file"])
        table = parse_criteria(raw, path.name)
        if not table.ok:
            raise refusal(table.problems, "{n} lỗi, không lưu gì.", self.stderr)
        try:
            criteria_set = import_criteria_set(table, unit=unit, year=year, code=set_code, name=name,
                                               source_name=path.name[:200], actor=None)
        except ScoringServiceError as error:
            raise refusal(error.problems or [str(error)], "Không có gì được lưu.", self.stderr) from error
        leaves = sum(1 for r in table.rows if r.is_leaf)
        self.stdout.write(f"Đã nhập bộ tiêu chí {criteria_set.code} ({unit}, năm {criteria_set.year}): "
                          f"{len(table.rows)} dòng, {leaves} tiêu chí lá.")
