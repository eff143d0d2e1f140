from django.core.management.base import BaseCommand, CommandError

from reports.importers import PRE2025_CSV, UNITS_2025_CSV, UnitImportError, load_units
from reports.management.commands._problems import VietnameseArguments, text_argument


class Command(VietnameseArguments, BaseCommand):
    help = "Nạp danh mục đơn vị hành chính chính thức (trước và sau 01/7/2025) từ CSV."

    def add_arguments(self, parser):
        parser.add_argument("--province", action="append", help="Chỉ nạp mã tỉnh này (có thể lặp lại)")
        parser.add_argument("--pre2025", default=str(PRE2025_CSV))
        parser.add_argument("--units-2025", default=str(UNITS_2025_CSV))

    def handle(self, *args, **options):
        from pathlib import Path

        provinces = [text_argument(code, "Mã tỉnh", max_length=20) for code in options["province"] or []] or None
        files = [Path(text_argument(options[key], "Tệp", max_length=4096)) for key in ("pre2025", "units_2025")]
        try:
            units, links = load_units(provinces, *files)
        except UnitImportError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {error.filename or ''}.") from error
        except (UnicodeDecodeError, ValueError) as error:  # csv.Error is not raised for UTF-8 text
            raise CommandError("Tệp danh mục đơn vị phải là CSV mã hóa UTF-8.") from error
        self.stdout.write(f"Đã nạp {units} dòng đơn vị, {links} liên kết sáp nhập.")
