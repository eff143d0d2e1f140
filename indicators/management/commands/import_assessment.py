"""manage.py import_assessment FILE.json: store a cchc-assessment/1 document."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc_portal.lib.numbers import format_score
from indicators.scoring.services import ScoringServiceError, import_assessment


class Command(BaseCommand):
    help = "Nhập kết quả đánh giá chỉ số CCHC của một xã (cchc-assessment/1)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"Không tìm thấy tệp {path}") from error
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path.name}: không phải JSON hợp lệ ({error})") from error
        try:
            assessment = import_assessment(data, actor=None)  # a system import: the operator runs the command
        except ScoringServiceError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{error} ({len(error.problems)} lỗi)") from error
        line = f"Đã nhập đánh giá {assessment.unit} năm {assessment.year} ({assessment.get_status_display()})"
        if assessment.final is not None:
            line += (f": tự đánh giá {format_score(assessment.self_total)}, thẩm định "
                     f"{format_score(assessment.appraised_total)}, thưởng {format_score(assessment.bonus)}, "
                     f"trừ {format_score(assessment.penalty)}, tổng {format_score(assessment.final)}, "
                     f"bị trừ {format_score(assessment.deducted_total)}")
        self.stdout.write(line + ".")
