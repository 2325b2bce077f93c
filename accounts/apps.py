from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "บัญชีผู้ใช้และบทบาท"

    def ready(self) -> None:
        from accounts import middleware  # noqa: F401  (connects the sign-in receiver)
