from django.apps import AppConfig


class InfoPortalConfig(AppConfig):
    name = "info_portal"
    verbose_name = "INFO"
