from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "กำหนดเวลาและการแจ้งเตือน"

    def ready(self) -> None:
        from deadlines.sector_pages import lao_deadline
        from sectors import page_context

        page_context.provide_cards_context(lao_deadline)
