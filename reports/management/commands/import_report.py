from django.core.management.base import BaseCommand

from reports.interchange import ImportRefused, import_report, parse
from reports.limits import Refused
from reports.management.commands._problems import VietnameseArguments, read_file, refusal


class Command(VietnameseArguments, BaseCommand):
    help = (
        "Nhập một báo cáo định dạng cchc-report/1 (tạo hoặc thay thế bản nháp); --submit để gửi luôn. "
        "Theo đúng quy tắc của giao diện: không nhập vào kỳ đã đóng, không thay thế báo cáo đã gửi hoặc đã duyệt. "
        "--allow-closed-period: quản trị đưa báo cáo lịch sử vào kỳ đã đóng (ghi vào lịch sử xử lý của báo cáo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--submit", action="store_true")
        parser.add_argument(
            "--allow-closed-period", action="store_true",
            help="Cho phép nhập vào kỳ báo cáo đã đóng (dữ liệu lịch sử); việc này được ghi vào lịch sử xử lý.",
        )

    def handle(self, *args, file, submit, allow_closed_period, **options):
        try:
            # A system import (actor=None): the command line is the admin's; the state and period
            # rules still apply, after the report is locked.
            report = import_report(parse(read_file(file)), actor=None, submit=submit,
                                   allow_closed_period=allow_closed_period)
        except (ImportRefused, Refused) as refused:
            raise refusal(refused.problems, "Tệp có {n} lỗi; không có gì được lưu.", self.stderr) from refused
        self.stdout.write(f"Đã nhập báo cáo {report.period.label} của {report.unit} ({report.get_status_display()}).")
