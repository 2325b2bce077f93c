"""Every allowed edge and every forbidden one: wrong state, wrong role, wrong LAO, the same person twice."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import services as account_services
from accounts.policy import Role
from certification import services
from certification.models import CertificationSeal, ReportEvent
from certification.services import TransitionRefused
from notifications.models import Notification
from sectors import services as sector_services
from sectors.models import ReportStatus, SectorReport
from sectors.workflow import EDGES
from tests.conftest import make_user


def status(report) -> str:
    return SectorReport.objects.get(pk=report.pk).status


def force(report, new_status) -> None:
    SectorReport.objects.filter(pk=report.pk).update(status=new_status)


def act(action, report, actor, **kwargs):
    call = {
        "submit": lambda: services.report_submit(report_id=report.pk, actor=actor, **kwargs),
        "verify": lambda: services.report_verify(report_id=report.pk, actor=actor, **kwargs),
        "return": lambda: services.report_return(report_id=report.pk, actor=actor,
                                                 comment=kwargs.pop("comment", "กรุณาตรวจสอบ"), **kwargs),
        "certify": lambda: services.report_certify(report_id=report.pk, actor=actor, **kwargs),
        "reopen": lambda: services.report_reopen(report_id=report.pk, actor=actor,
                                                 reason=kwargs.pop("reason", "แก้ไขจำนวนประชากร"), **kwargs),
    }[action]
    return call()


def test_the_whole_chain(filled_report, recorder, verifier, certifier, provincial_officer):
    act("submit", filled_report, recorder)
    assert status(filled_report) == ReportStatus.SUBMITTED
    act("return", filled_report, verifier, comment="ตัวเลขไม่ตรง", field_reasons={"gov_area": "พื้นที่ผิด"})
    assert status(filled_report) == ReportStatus.RETURNED
    act("submit", filled_report, recorder)
    act("verify", filled_report, verifier)
    assert status(filled_report) == ReportStatus.VERIFIED
    seal = act("certify", filled_report, certifier)
    assert status(filled_report) == ReportStatus.CERTIFIED
    assert len(seal.sha256) == 64
    act("reopen", filled_report, provincial_officer)
    assert status(filled_report) == ReportStatus.RETURNED
    assert CertificationSeal.objects.get(pk=seal.pk).superseded_at is not None
    assert list(ReportEvent.objects.filter(report=filled_report).values_list("action", flat=True)) == [
        "submit", "return", "submit", "verify", "certify", "reopen"]
    returned = ReportEvent.objects.get(action="return")
    assert returned.field_reasons == {"gov_area": "พื้นที่ผิด"}
    assert returned.actor == verifier


ACTORS = {"submit": "recorder", "verify": "verifier", "certify": "certifier", "reopen": "provincial_officer"}


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: f"{e.action}:{e.source}")
def test_every_allowed_edge(request, filled_report, recorder, verifier, certifier, provincial_officer, edge):
    if edge.action == "return":
        actor = verifier if edge.source == ReportStatus.SUBMITTED else certifier
    else:
        actor = request.getfixturevalue(ACTORS[edge.action])
    if edge.source in (ReportStatus.VERIFIED, ReportStatus.CERTIFIED):
        act("submit", filled_report, recorder)
        act("verify", filled_report, verifier)
    if edge.source == ReportStatus.CERTIFIED:
        act("certify", filled_report, certifier)
    if edge.source == ReportStatus.SUBMITTED:
        act("submit", filled_report, recorder)
    if edge.source == ReportStatus.RETURNED:
        act("submit", filled_report, recorder)
        act("return", filled_report, verifier)
    assert status(filled_report) == edge.source
    act(edge.action, filled_report, actor)
    assert status(filled_report) == edge.target


ALLOWED = {(e.action, e.source) for e in EDGES}
FORBIDDEN = [(action, source) for action in ("submit", "verify", "return", "certify", "reopen")
             for source in ReportStatus if (action, source) not in ALLOWED]


@pytest.mark.parametrize(("action", "source"), FORBIDDEN, ids=lambda x: str(x))
def test_every_forbidden_state_is_refused(request, filled_report, action, source, recorder, verifier, certifier,
                                          provincial_officer):
    actor = {"submit": recorder, "verify": verifier, "return": verifier, "certify": certifier,
             "reopen": provincial_officer}[action]
    force(filled_report, source)
    with pytest.raises(TransitionRefused):
        act(action, filled_report, actor)
    assert status(filled_report) == source
    assert not ReportEvent.objects.exists()


@pytest.mark.parametrize(("action", "source", "wrong"), [
    ("submit", ReportStatus.DRAFT, "verifier"),
    ("submit", ReportStatus.DRAFT, "district_officer"),
    ("verify", ReportStatus.SUBMITTED, "recorder"),
    ("verify", ReportStatus.SUBMITTED, "certifier"),
    ("return", ReportStatus.SUBMITTED, "certifier"),
    ("return", ReportStatus.VERIFIED, "verifier"),
    ("certify", ReportStatus.VERIFIED, "verifier"),
    ("certify", ReportStatus.VERIFIED, "provincial_officer"),
    ("reopen", ReportStatus.CERTIFIED, "district_officer"),
    ("reopen", ReportStatus.CERTIFIED, "certifier"),
    ("reopen", ReportStatus.CERTIFIED, "recorder"),
])
def test_the_wrong_role_is_refused(request, filled_report, action, source, wrong):
    force(filled_report, source)
    with pytest.raises(PermissionDenied):
        act(action, filled_report, request.getfixturevalue(wrong))
    assert status(filled_report) == source


@pytest.mark.parametrize(("action", "source", "role"), [
    ("submit", ReportStatus.DRAFT, Role.RECORDER),
    ("verify", ReportStatus.SUBMITTED, Role.VERIFIER),
    ("certify", ReportStatus.VERIFIED, Role.CERTIFIER),
    ("reopen", ReportStatus.CERTIFIED, Role.PROVINCIAL_OFFICER),
])
def test_a_role_on_another_lao_is_refused(world, filled_report, action, source, role):
    unit = world.province_b if role == Role.PROVINCIAL_OFFICER else world.lao_b1
    stranger = make_user("stranger", role, unit)
    force(filled_report, source)
    with pytest.raises(PermissionDenied):
        act(action, filled_report, stranger)
    assert status(filled_report) == source


def test_the_department_may_reopen(filled_report, department_admin):
    force(filled_report, ReportStatus.CERTIFIED)
    act("reopen", filled_report, department_admin)
    assert status(filled_report) == ReportStatus.RETURNED


def test_the_same_person_cannot_take_two_steps(world, filled_report, recorder, verifier, certifier):
    account_services.role_grant(actor=None, user=recorder, role=Role.VERIFIER, unit=world.lao_a1)
    account_services.role_grant(actor=None, user=verifier, role=Role.CERTIFIER, unit=world.lao_a1)
    act("submit", filled_report, recorder)
    with pytest.raises(TransitionRefused, match="ต้องเป็นคนละคน"):
        act("verify", filled_report, recorder)
    with pytest.raises(TransitionRefused, match="ต้องเป็นคนละคน"):
        act("return", filled_report, recorder)
    act("verify", filled_report, verifier)
    with pytest.raises(TransitionRefused, match="ต้องเป็นคนละคน"):
        act("certify", filled_report, verifier)
    assert status(filled_report) == ReportStatus.VERIFIED
    act("certify", filled_report, certifier)


def test_submission_is_refused_while_a_rule_fails_or_a_required_item_is_empty(filled_report, recorder):
    sector_services.report_save(report_id=filled_report.pk, user=recorder, expected_version=filled_report.version,
                                new_values={"gov_population_total": 1, "gov_budget": None})
    with pytest.raises(TransitionRefused) as refused:
        act("submit", filled_report, recorder)
    messages = {issue.message for issue in refused.value.checks.errors}
    assert "ประชากรชายรวมกับหญิงต้องเท่ากับประชากรรวม" in messages
    assert "กรุณากรองบประมาณรายจ่ายประจำปี" in messages or any("งบประมาณ" in m for m in messages)
    assert status(filled_report) == ReportStatus.DRAFT


def test_a_return_needs_a_reason(filled_report, recorder, verifier):
    act("submit", filled_report, recorder)
    with pytest.raises(TransitionRefused):
        services.report_return(report_id=filled_report.pk, actor=verifier, comment="  ")
    with pytest.raises(TransitionRefused):
        services.report_return(report_id=filled_report.pk, actor=verifier, comment="",
                               field_reasons={"no_such_item": "x"})
    assert status(filled_report) == ReportStatus.SUBMITTED


def test_a_reopen_needs_a_reason(filled_report, provincial_officer):
    force(filled_report, ReportStatus.CERTIFIED)
    with pytest.raises(TransitionRefused):
        services.report_reopen(report_id=filled_report.pk, actor=provincial_officer, reason=" ")
    assert status(filled_report) == ReportStatus.CERTIFIED


def test_certified_values_cannot_be_saved(filled_report, recorder, verifier, certifier):
    act("submit", filled_report, recorder)
    act("verify", filled_report, verifier)
    act("certify", filled_report, certifier)
    with pytest.raises(sector_services.ReportNotEditable):
        sector_services.report_save(report_id=filled_report.pk, user=recorder, expected_version=0,
                                    new_values={"gov_area": 1})


def test_each_step_tells_who_it_concerns(django_capture_on_commit_callbacks, filled_report, recorder, verifier,
                                         certifier, provincial_officer):
    with django_capture_on_commit_callbacks(execute=True):
        act("submit", filled_report, recorder)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"verifier"}
    with django_capture_on_commit_callbacks(execute=True):
        act("return", filled_report, verifier, comment="แก้ไขพื้นที่", field_reasons={"gov_area": "ไม่ตรง"})
    returned = Notification.objects.get(recipient=recorder, kind="report_return")
    assert returned.body == "แก้ไขพื้นที่\nพื้นที่: ไม่ตรง"  # the item by its name, not its code
    with django_capture_on_commit_callbacks(execute=True):
        act("submit", filled_report, recorder)
        act("verify", filled_report, verifier)
    assert Notification.objects.filter(recipient=certifier, kind="report_verify").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        act("certify", filled_report, certifier)
        act("reopen", filled_report, provincial_officer)
    reopened = set(Notification.objects.filter(kind="report_reopen").values_list("recipient__username", flat=True))
    assert reopened == {"recorder", "verifier", "certifier"}


def test_a_step_and_its_messages_are_written_in_one_transaction(filled_report, recorder, verifier):
    # Given a recorder submitting, inside a transaction that has not committed yet
    with transaction.atomic():
        services.report_submit(report_id=filled_report.pk, actor=recorder)
        # Then the verifier's message is already written beside the step, before any commit
        assert list(Notification.objects.values_list("recipient__username", "kind")) == [("verifier", "report_submit")]
        transaction.set_rollback(True)
    # And a step that does not commit leaves no message behind
    assert not Notification.objects.exists()
