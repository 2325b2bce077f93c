from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "การตรวจสอบและรับรอง"

    def ready(self) -> None:
        from certification.sector_pages import return_notice
        from sectors import page_context

        page_context.provide_report_context(return_notice)
