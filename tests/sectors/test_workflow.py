"""The table of edges and what is derived from it: at each status, the step a report waits for, who takes it, what
it is called and where. A change to sectors.workflow.EDGES shows up here first."""

import pytest

from accounts.policy import Action, Role
from sectors.models import ReportStatus, SectorReport
from sectors.workflow import PENDING, TransitionAction, pending_step, waiting_for

# status → (action, permission, role, button label, reminder task, fix?, taken on the review page?)
EXPECTED = {
    None: (TransitionAction.SUBMIT, Action.RECORD, Role.RECORDER, "บันทึกข้อมูล", "บันทึกข้อมูลและส่งตรวจสอบ",
           False, False),
    ReportStatus.DRAFT: (TransitionAction.SUBMIT, Action.RECORD, Role.RECORDER, "บันทึกข้อมูล",
                         "บันทึกข้อมูลและส่งตรวจสอบ", False, False),
    ReportStatus.RETURNED: (TransitionAction.SUBMIT, Action.RECORD, Role.RECORDER, "แก้ไขตามที่ส่งกลับ",
                            "บันทึกข้อมูลและส่งตรวจสอบ", True, False),
    ReportStatus.SUBMITTED: (TransitionAction.VERIFY, Action.VERIFY, Role.VERIFIER, "ตรวจสอบ", "ตรวจสอบข้อมูล",
                             False, True),
    ReportStatus.VERIFIED: (TransitionAction.CERTIFY, Action.CERTIFY, Role.CERTIFIER, "รับรอง", "รับรองข้อมูล",
                            False, True),
    ReportStatus.CERTIFIED: None,
}


def test_every_status_has_its_pending_step_pinned():
    assert set(PENDING) == set(EXPECTED)


@pytest.mark.parametrize("status", list(EXPECTED), ids=str)
def test_the_pending_step_of_each_status(status):
    step = pending_step(status)
    if EXPECTED[status] is None:
        assert step is None
        return
    assert (step.action, step.permission, step.role, step.label, step.task, step.is_fix, step.on_review_page) \
        == EXPECTED[status]


def test_the_statuses_each_permission_works_on():
    assert waiting_for(Action.RECORD) == (ReportStatus.DRAFT, ReportStatus.RETURNED)
    assert waiting_for(Action.VERIFY) == (ReportStatus.SUBMITTED,)
    assert waiting_for(Action.CERTIFY) == (ReportStatus.VERIFIED,)
    assert waiting_for(Action.REOPEN) == ()


@pytest.mark.parametrize("status", ReportStatus.values)
def test_a_report_answers_from_the_table(status):
    report = SectorReport(status=status)
    assert report.pending_step == pending_step(status)
    assert report.is_returned == (status == ReportStatus.RETURNED)
    assert report.is_certified == (status == ReportStatus.CERTIFIED)
