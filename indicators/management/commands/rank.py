"""manage.py rank --scope UNIT --year YEAR [--json]: rank the communes under a province or district."""

import json

from django.core.management.base import BaseCommand, CommandError

from cchc_portal.lib.numbers import format_score
from indicators.scoring.selectors import ranking, ranking_json
from indicators.scoring.services import resolve_unit_for_year
from reports.management.commands._problems import VietnameseArguments, text_argument, year_argument
from reports.models import UnitLevel


class Command(VietnameseArguments, BaseCommand):
    help = "Xếp hạng chỉ số CCHC các xã thuộc một tỉnh/huyện theo tổng điểm (đồng điểm đồng hạng)."

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="Mã tỉnh hoặc huyện")
        parser.add_argument("--year", required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        options["scope"] = text_argument(options["scope"], "Mã đơn vị", max_length=20)
        options["year"] = year_argument(options["year"])
        scope = resolve_unit_for_year(options["scope"], options["year"])
        if scope is None:
            raise CommandError(f"Không có đơn vị mã {options['scope']} trong năm {options['year']}")
        if scope.level == UnitLevel.COMMUNE:
            raise CommandError(f"{scope} là đơn vị cấp xã; hãy chọn tỉnh hoặc huyện")
        rows = ranking(scope, options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(ranking_json(rows), ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(f"Chưa có kết quả đánh giá nào dưới {scope} năm {options['year']}.")
            return
        for row in rows:
            a = row["assessment"]
            self.stdout.write(f"{row['rank']:>4}  {a.unit.code:<6} {a.unit.name:<32} {format_score(a.final):>7}  "
                              f"{a.classification}")
