from django.core.management.base import BaseCommand

from reports.management.commands._problems import VietnameseArguments, year_argument
from reports.services import open_year_periods


class Command(VietnameseArguments, BaseCommand):
    help = "Mở 7 kỳ báo cáo của một năm (quý I–IV, 6 tháng, 9 tháng, năm) với thời hạn mặc định."

    def add_arguments(self, parser):
        parser.add_argument("year", help="Năm (2000–2100)")

    def handle(self, *args, year, **options):
        year = year_argument(year)
        created = open_year_periods(year)
        self.stdout.write(f"Đã tạo {len(created)} kỳ báo cáo năm {year}.")
