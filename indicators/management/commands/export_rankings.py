"""manage.py export_rankings --scope UNIT --year YEAR --out FILE.xlsx: the consolidated ranking workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.scoring.exporters import ranking_workbook
from indicators.scoring.services import resolve_unit_for_year
from reports.management.commands._problems import VietnameseArguments, text_argument, year_argument
from reports.models import UnitLevel


class Command(VietnameseArguments, BaseCommand):
    help = "Xuất bảng tổng hợp xếp hạng chỉ số CCHC (Excel) của các xã thuộc một tỉnh/huyện."

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True)
        parser.add_argument("--year", required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        options["scope"] = text_argument(options["scope"], "Mã đơn vị", max_length=20)
        options["year"] = year_argument(options["year"])
        scope = resolve_unit_for_year(options["scope"], options["year"])
        if scope is None:
            raise CommandError(f"Không có đơn vị mã {options['scope']} trong năm {options['year']}")
        if scope.level == UnitLevel.COMMUNE:
            raise CommandError(f"{scope} là đơn vị cấp xã; hãy chọn tỉnh hoặc huyện")
        out = Path(text_argument(options["out"], "Tệp kết quả", max_length=4096))
        if not out.parent.exists():
            raise CommandError(f"Không có thư mục {out.parent}")
        with open(out, "wb") as handle:
            count = ranking_workbook(scope, options["year"], handle)
        self.stdout.write(f"Đã ghi {out} ({count} đơn vị).")
