"""manage.py import_assessment FILE.json: store a cchc-assessment/1 document."""

from django.core.management.base import BaseCommand

from cchc_portal.lib.numbers import format_score
from indicators.scoring.services import ScoringServiceError, import_assessment
from reports.limits import Refused, load_json
from reports.management.commands._problems import VietnameseArguments, read_file, refusal


class Command(VietnameseArguments, BaseCommand):
    help = "Nhập kết quả đánh giá chỉ số CCHC của một xã (cchc-assessment/1)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            data = load_json(read_file(options["file"]))
        except Refused as refused:
            raise refusal(refused.problems, "Tệp không đọc được; không có gì được lưu.", self.stderr) from refused
        try:
            assessment = import_assessment(data, actor=None)  # a system import: the operator runs the command
        except ScoringServiceError as error:
            raise refusal(error.problems or [str(error)], "Không có gì được lưu ({n} lỗi).", self.stderr) from error
        line = f"Đã nhập đánh giá {assessment.unit} năm {assessment.year} ({assessment.get_status_display()})"
        if assessment.final is not None:
            line += (f": tự đánh giá {format_score(assessment.self_total)}, thẩm định "
                     f"{format_score(assessment.appraised_total)}, thưởng {format_score(assessment.bonus)}, "
                     f"trừ {format_score(assessment.penalty)}, tổng {format_score(assessment.final)}, "
                     f"bị trừ {format_score(assessment.deducted_total)}")
        self.stdout.write(line + ".")
