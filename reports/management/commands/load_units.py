from django.core.management.base import BaseCommand, CommandError

from reports.importers import PRE2025_CSV, UNITS_2025_CSV, UnitImportError, load_units


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính chính thức (trước và sau 01/7/2025) từ CSV."

    def add_arguments(self, parser):
        parser.add_argument("--province", action="append", help="Chỉ nạp mã tỉnh này (có thể lặp lại)")
        parser.add_argument("--pre2025", default=str(PRE2025_CSV))
        parser.add_argument("--units-2025", default=str(UNITS_2025_CSV))

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            units, links = load_units(options["province"], Path(options["pre2025"]), Path(options["units_2025"]))
        except (UnitImportError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã nạp {units} dòng đơn vị, {links} liên kết sáp nhập.")
