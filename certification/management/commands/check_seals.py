from django.core.management.base import BaseCommand, CommandError

from certification.models import CertificationSeal
from certification.seal import seal_check


class Command(BaseCommand):
    help = "Recompute the SHA-256 of every current certification seal from the values in the database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--report", type=int, help="check the seal of one report only")

    def handle(self, *args, report: int | None, **options) -> None:
        seals = CertificationSeal.objects.filter(superseded_at__isnull=True).select_related(
            "report__lao", "report__sector", "report__fiscal_year")
        if report is not None:
            seals = seals.filter(report_id=report)
        broken = 0
        for seal in seals.iterator():
            result = seal_check(seal)
            if result.ok:
                self.stdout.write(f"OK       report {seal.report_id} {seal.report} {seal.sha256}")
                continue
            broken += 1
            detail = ", ".join(result.changed_items) or "the seal row itself"
            self.stdout.write(f"MISMATCH report {seal.report_id} {seal.report}: stored {result.stored_hash}, "
                              f"now {result.current_hash}; changed: {detail}")
        if broken:
            raise CommandError(f"{broken} certified report(s) no longer match their seal")
