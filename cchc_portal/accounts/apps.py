from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cchc_portal.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="cchc_accounts_on_login")
