from django.core.management.base import BaseCommand

from reports.services import open_year_periods


class Command(BaseCommand):
    help = "Mở 7 kỳ báo cáo của một năm (quý I–IV, 6 tháng, 9 tháng, năm) với thời hạn mặc định."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        created = open_year_periods(year)
        self.stdout.write(f"Đã tạo {len(created)} kỳ báo cáo năm {year}.")
