"""The bulk transitions refuse what the one-per-edge services refuse, with the same message, and write the same
events, statuses and seals for what they allow."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services as account_services
from accounts.policy import Role
from certification import seal as sealing
from certification.bulk import Step, reports_transition_bulk
from certification.models import CertificationSeal, ReportEvent
from certification.seal import seal_check
from certification.services import TransitionRefused
from notifications.models import Notification
from sectors import services as sector_services
from sectors.models import ReportStatus, Sector, SectorReport
from sectors.workflow import EDGES
from tests.certification.test_transitions import FORBIDDEN, act, force, status
from tests.conftest import make_user

REASONS = {"return": "กรุณาตรวจสอบ", "reopen": "แก้ไขจำนวนประชากร"}


def bulk(*steps: tuple):
    """Take (action, report, actor) steps in one bulk call; the first refusal is raised as the service raises it."""
    done = reports_transition_bulk(steps=[Step(report_id=report.pk, action=action, actor=actor,
                                               comment=REASONS.get(action, "")) for action, report, actor in steps])
    if done.refused:
        raise done.refused[0][1]
    return done


def test_the_whole_chain_in_one_call(filled_report, recorder, verifier, certifier, provincial_officer):
    done = bulk(("submit", filled_report, recorder), ("return", filled_report, verifier),
                ("submit", filled_report, recorder), ("verify", filled_report, verifier),
                ("certify", filled_report, certifier), ("reopen", filled_report, provincial_officer))
    assert status(filled_report) == ReportStatus.RETURNED
    assert [(e.action, e.from_status, e.to_status, e.actor.username) for e in ReportEvent.objects.all()] == [
        ("submit", "draft", "submitted", "recorder"), ("return", "submitted", "returned", "verifier"),
        ("submit", "returned", "submitted", "recorder"), ("verify", "submitted", "verified", "verifier"),
        ("certify", "verified", "certified", "certifier"), ("reopen", "certified", "returned", "province")]
    seal = CertificationSeal.objects.get()
    assert seal == done.seals[0] and seal.superseded_at is not None and seal.event.action == "certify"


def test_a_bulk_seal_is_the_seal_the_service_would_write(filled_report, recorder, verifier, certifier):
    bulk(("submit", filled_report, recorder), ("verify", filled_report, verifier),
         ("certify", filled_report, certifier))
    seal = CertificationSeal.objects.get()
    assert seal_check(seal).ok and seal.certified_by == certifier
    report = SectorReport.objects.select_related("lao", "sector", "fiscal_year").get(pk=filled_report.pk)
    expected = sealing.canonical(sealing.payload_for(report, certified_by="certifier", certified_at=seal.event.at))
    assert seal.canonical == expected and seal.sha256 == sealing.digest(expected)


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: f"{e.action}:{e.source}")
def test_every_allowed_edge(filled_report, recorder, verifier, certifier, provincial_officer, edge):
    actor = {"submit": recorder, "verify": verifier, "certify": certifier, "reopen": provincial_officer,
             "return": verifier if edge.source == ReportStatus.SUBMITTED else certifier}[edge.action]
    if edge.source == ReportStatus.SUBMITTED:
        act("submit", filled_report, recorder)
    if edge.source == ReportStatus.RETURNED:
        act("submit", filled_report, recorder)
        act("return", filled_report, verifier)
    if edge.source in (ReportStatus.VERIFIED, ReportStatus.CERTIFIED):
        act("submit", filled_report, recorder)
        act("verify", filled_report, verifier)
    if edge.source == ReportStatus.CERTIFIED:
        act("certify", filled_report, certifier)
    bulk((edge.action, filled_report, actor))
    assert status(filled_report) == edge.target


@pytest.mark.parametrize(("action", "source"), FORBIDDEN, ids=lambda x: str(x))
def test_an_edge_not_in_the_table_is_refused_as_the_service_refuses_it(filled_report, action, source, recorder,
                                                                       verifier, certifier, provincial_officer):
    actor = {"submit": recorder, "verify": verifier, "return": verifier, "certify": certifier,
             "reopen": provincial_officer}[action]
    force(filled_report, source)
    with pytest.raises(TransitionRefused) as by_service:
        act(action, filled_report, actor)
    with pytest.raises(TransitionRefused) as by_bulk:
        bulk((action, filled_report, actor))
    assert str(by_bulk.value) == str(by_service.value)
    assert status(filled_report) == source
    assert not ReportEvent.objects.exists() and not CertificationSeal.objects.exists()


@pytest.mark.parametrize(("action", "source", "wrong"), [
    ("submit", ReportStatus.DRAFT, "verifier"),
    ("verify", ReportStatus.SUBMITTED, "recorder"),
    ("return", ReportStatus.VERIFIED, "verifier"),
    ("certify", ReportStatus.VERIFIED, "provincial_officer"),
    ("reopen", ReportStatus.CERTIFIED, "district_officer"),
    ("reopen", ReportStatus.CERTIFIED, "certifier"),
])
def test_the_wrong_role_is_refused(request, filled_report, recorder, action, source, wrong):
    force(filled_report, source)
    with pytest.raises(PermissionDenied):
        bulk((action, filled_report, request.getfixturevalue(wrong)))
    assert status(filled_report) == source and not ReportEvent.objects.exists()


def test_a_role_on_another_lao_is_refused(world, filled_report):
    stranger = make_user("stranger", Role.RECORDER, world.lao_b1)
    with pytest.raises(PermissionDenied):
        bulk(("submit", filled_report, stranger))


def test_the_same_person_cannot_verify_and_certify(world, filled_report, recorder, verifier, certifier):
    account_services.role_grant(actor=None, user=recorder, role=Role.VERIFIER, unit=world.lao_a1)
    account_services.role_grant(actor=None, user=verifier, role=Role.CERTIFIER, unit=world.lao_a1)
    with pytest.raises(TransitionRefused, match="ต้องเป็นคนละคน"):
        bulk(("submit", filled_report, recorder), ("verify", filled_report, recorder))
    assert status(filled_report) == ReportStatus.SUBMITTED  # the submit before the refusal was taken
    with pytest.raises(TransitionRefused, match="ต้องเป็นคนละคน"):
        bulk(("verify", filled_report, verifier), ("certify", filled_report, verifier))
    assert status(filled_report) == ReportStatus.VERIFIED
    # the cycle is read from the events already written, as the service reads it
    with pytest.raises(TransitionRefused, match="ต้องเป็นคนละคน"):
        bulk(("certify", filled_report, verifier))
    bulk(("certify", filled_report, certifier))
    assert status(filled_report) == ReportStatus.CERTIFIED


def test_a_refused_step_ends_its_report_but_not_the_others(world, fiscal_year, filled_report, recorder, verifier):
    another = Sector.objects.exclude(pk=filled_report.sector_id).order_by("order").first()
    empty = sector_services.report_open(lao=world.lao_a1, sector=another, fiscal_year=fiscal_year)
    done = reports_transition_bulk(steps=[
        Step(report_id=empty.pk, action="submit", actor=recorder),  # required items are empty: refused
        Step(report_id=filled_report.pk, action="submit", actor=recorder),
        Step(report_id=empty.pk, action="verify", actor=verifier),  # not taken: its report stopped above
        Step(report_id=filled_report.pk, action="verify", actor=verifier),
    ])
    assert [(step.report_id, step.action) for step, _ in done.refused] == [(empty.pk, "submit")]
    assert done.refused[0][1].checks.errors  # the same check result the service attaches
    assert status(empty) == ReportStatus.DRAFT and status(filled_report) == ReportStatus.VERIFIED
    assert done.statuses == {empty.pk: ReportStatus.DRAFT, filled_report.pk: ReportStatus.VERIFIED}


def test_each_step_tells_whom_the_service_would_tell(django_capture_on_commit_callbacks, filled_report, recorder,
                                                     verifier, certifier):
    with django_capture_on_commit_callbacks(execute=True):
        bulk(("submit", filled_report, recorder), ("verify", filled_report, verifier),
             ("certify", filled_report, certifier))
    assert sorted(Notification.objects.values_list("kind", "recipient__username")) == [
        ("report_certify", "recorder"), ("report_certify", "verifier"), ("report_submit", "verifier"),
        ("report_verify", "certifier")]
