from pathlib import Path

from django.core.management.base import BaseCommand

from indicators.appendix.importers import (
    DEFAULT_FILE,
    DEFAULT_NAME,
    CatalogueImportError,
    load_catalogue,
    read_rows,
)
from reports.management.commands._problems import (
    VietnameseArguments,
    read_file,
    refusal,
    text_argument,
    year_argument,
)


class Command(VietnameseArguments, BaseCommand):
    help = ("Nạp danh mục chỉ tiêu thống kê Phụ lục 01b từ tệp CSV/XLSX (mặc định: danh mục kèm theo). "
            "Chạy lại an toàn: cập nhật danh mục cùng năm áp dụng.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="Tệp CSV (UTF-8) hoặc XLSX")
        parser.add_argument("--year", default="2015",
                            help="Năm bắt đầu áp dụng danh mục (mặc định 2015: dùng cho mọi kỳ)")
        parser.add_argument("--name", default=DEFAULT_NAME, help="Tên danh mục")

    def handle(self, *args, file, year, name, **options):
        raw = read_file(file)
        year = year_argument(year)
        name = text_argument(name, "Tên danh mục", max_length=200)
        try:
            rows = read_rows(raw, Path(file).name)
            if rows and "source" not in rows[0]:
                self.stderr.write("Lưu ý: tệp không có cột “source”; các chỉ tiêu sẽ được nhập trực tiếp, "
                                  "kể cả chỉ tiêu đã có ở phần khác của báo cáo.")
            catalogue, created, updated, deleted = load_catalogue(rows, year_from=year, name=name)
        except CatalogueImportError as error:
            raise refusal(error.problems, "Không nạp được danh mục: {n} lỗi; chưa lưu gì.", self.stderr) from error
        self.stdout.write(self.style.SUCCESS(
            f"{catalogue}: {len(rows)} dòng (thêm {created}, cập nhật {updated}, xóa {deleted})."
        ))
