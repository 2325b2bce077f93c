from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "กำหนดเวลาและการแจ้งเตือน"
