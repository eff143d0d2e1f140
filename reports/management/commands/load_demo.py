from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = ("Nạp (hoặc làm mới) dữ liệu demo: đơn vị, kỳ báo cáo, tài khoản, báo cáo mẫu, và dữ liệu của "
            "từng ứng dụng đã cài (CCHC_PLUGINS). Chạy lại an toàn.")

    def handle(self, *args, **options):
        from reports import demo

        # Each installed app's ``demo`` module registers its loaders; an app not installed
        # (CCHC_PLUGINS) is never imported, so its demo does not run.
        autodiscover_modules("demo")
        self.stdout.write("Nạp dữ liệu demo…")
        try:
            for loader in demo.loaders():
                loader(self.stdout)
        except Exception as error:  # any failure: one clear line, exit 1
            raise CommandError(f"Không nạp được dữ liệu demo: {error}") from error
        self.stdout.write(self.style.SUCCESS("Xong. Mở http://127.0.0.1:8000 và đăng nhập bằng một tài khoản ở trên."))
