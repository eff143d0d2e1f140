import json

from django.core.management.base import BaseCommand, CommandError

from reports.interchange import export_report
from reports.management.commands._problems import (
    VietnameseArguments,
    period_kind_argument,
    text_argument,
    year_argument,
)
from reports.models import AdministrativeUnit, Report, ReportingPeriod, UnitLevel


class Command(VietnameseArguments, BaseCommand):
    help = "In báo cáo của một xã cho một kỳ theo định dạng cchc-report/1."

    def add_arguments(self, parser):
        parser.add_argument("unit")
        parser.add_argument("year")
        parser.add_argument("kind", help="Q1, Q2, Q3, Q4, H1, M9 hoặc Y")

    def handle(self, *args, unit, year, kind, **options):
        unit, year = text_argument(unit, "Mã đơn vị", max_length=20), year_argument(year)
        kind = period_kind_argument(kind)
        period = ReportingPeriod.objects.filter(year=year, kind=kind).first()
        if period is None:
            raise CommandError(f"Không có kỳ báo cáo {kind} năm {year}.")
        commune = AdministrativeUnit.objects.valid_on(period.reference_date).filter(code=unit, level=UnitLevel.COMMUNE).first()
        if commune is None:
            raise CommandError(f"Không có đơn vị cấp xã mã {unit} trong {period.label}.")
        report = Report.objects.filter(unit=commune, period=period).first()
        if report is None:
            raise CommandError(f"{commune} chưa có báo cáo {period.label}.")
        self.stdout.write(json.dumps(export_report(report), ensure_ascii=False, indent=2))
