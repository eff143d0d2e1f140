"""Render a commune's report to DOCX or PDF through the same code path as the Celery task."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents.models import DocumentKind, DocumentStatus
from reports.documents.services import render_document, request_document
from reports.management.commands._problems import (
    VietnameseArguments,
    period_kind_argument,
    text_argument,
    year_argument,
)
from reports.models import AdministrativeUnit, Report, ReportingPeriod, UnitLevel


class Command(VietnameseArguments, BaseCommand):
    help = "Tạo văn bản báo cáo CCHC (DOCX hoặc PDF) của một xã cho một kỳ, như tác vụ nền."

    def add_arguments(self, parser):
        parser.add_argument("unit", help="Mã đơn vị cấp xã (tra trong các đơn vị có hiệu lực trong kỳ)")
        parser.add_argument("year")
        parser.add_argument("kind", help="Q1, Q2, Q3, Q4, H1, M9 hoặc Y")
        parser.add_argument("--format", dest="fmt", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--out", required=True, help="Tệp kết quả")

    def handle(self, *args, unit, year, kind, fmt, out, **options):
        unit, year = text_argument(unit, "Mã đơn vị", max_length=20), year_argument(year)
        kind, out = period_kind_argument(kind), text_argument(out, "Tệp kết quả", max_length=4096)
        period = ReportingPeriod.objects.filter(year=year, kind=kind).first()
        if period is None:
            raise CommandError(f"Không có kỳ báo cáo {kind} năm {year}.")
        commune = (AdministrativeUnit.objects.valid_on(period.reference_date)
                   .filter(code=unit, level=UnitLevel.COMMUNE).first())
        if commune is None:
            raise CommandError(f"Không có đơn vị cấp xã mã {unit} trong {period.label}.")
        report = Report.objects.filter(unit=commune, period=period).first()
        if report is None:
            raise CommandError(f"{commune} chưa có báo cáo {period.label}.")
        target = Path(out)
        if not target.parent.is_dir():
            raise CommandError(f"Thư mục {target.parent} không tồn tại.")
        document = request_document(DocumentKind.REPORT, {"report_id": report.pk}, fmt, dispatch=False)
        if document.status != DocumentStatus.DONE or not document.file_is_intact():
            document = render_document(document.pk)
        if document.status != DocumentStatus.DONE:
            raise CommandError(f"Không tạo được văn bản: {document.error_message}")
        shutil.copyfile(document.file.path, target)
        self.stdout.write(f"Đã ghi {target} ({document.size} byte, SHA-256 {document.checksum}).")
