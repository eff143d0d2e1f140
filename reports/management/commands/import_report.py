from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.interchange import ImportRefused, import_report, parse


class Command(BaseCommand):
    help = "Nhập một báo cáo định dạng cchc-report/1 (tạo hoặc thay thế bản nháp); --submit để gửi luôn."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--submit", action="store_true")

    def handle(self, *args, file, submit, **options):
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from error
        try:
            report = import_report(parse(raw), submit=submit)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp có {len(refused.problems)} lỗi; không có gì được lưu.") from refused
        self.stdout.write(f"Đã nhập báo cáo {report.period.label} của {report.unit} ({report.get_status_display()}).")
