from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "การแจ้งเตือน"

    def ready(self) -> None:
        from notifications import receivers  # noqa: F401  (connects the outbox to what accounts announce)
