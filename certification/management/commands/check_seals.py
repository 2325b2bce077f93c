from django.core.management.base import BaseCommand, CommandError

from certification.models import CertificationSeal
from certification.seal import seal_check


def _superseded(seal: CertificationSeal) -> str:
    return " (superseded)" if seal.superseded_at else ""


class Command(BaseCommand):
    help = ("Recompute the SHA-256 of every certification seal: a current one from the values in the database now, "
            "one superseded by a reopen from the values as they stood when it was reopened.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--report", type=int, help="check the seals of one report only")
        parser.add_argument("--current", action="store_true", help="check only the seals not superseded")

    def handle(self, *args, report: int | None, current: bool, **options) -> None:
        seals = CertificationSeal.objects.select_related("report__lao", "report__sector", "report__fiscal_year") \
            .order_by("report_id", "number")
        if current:
            seals = seals.filter(superseded_at__isnull=True)
        if report is not None:
            seals = seals.filter(report_id=report)
        checked = broken = 0
        for seal in seals.iterator():
            checked += 1
            result = seal_check(seal)
            if result.ok:
                self.stdout.write(f"{self.style.SUCCESS('OK      ')} report {seal.report_id} {seal.report} "
                                  f"#{seal.number}{_superseded(seal)} {seal.sha256}")
                continue
            broken += 1
            self.stdout.write(f"{self.style.ERROR('MISMATCH')} report {seal.report_id} {seal.report} "
                              f"#{seal.number}{_superseded(seal)}")
            self.stdout.write(f"         stored  {result.stored_hash}")
            self.stdout.write(f"         now     {result.current_hash}")
            if not result.seal_intact:
                self.stdout.write("         the seal row itself was altered: its text no longer hashes to its hash")
            if result.changed_items:
                self.stdout.write(f"         changed {', '.join(result.changed_items)}")
        if broken:
            raise CommandError(f"{broken} of {checked} seal(s) no longer match the values they sealed")
        if report is not None and not checked:
            self.stdout.write(f"report {report} has no seal")
            return
        self.stdout.write(self.style.SUCCESS(f"{checked} seal(s) checked, all match"))
