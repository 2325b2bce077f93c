from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class InfoPortalConfig(AppConfig):
    name = "info_portal"
    verbose_name = "INFO"


class PortalStaticFilesConfig(StaticFilesConfig):
    """collectstatic leaves out what only the browser tests use: no page links it, so no user is served it."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "vendor/axe-core/*"]
