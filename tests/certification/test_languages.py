"""Each person hears of a step in the language they chose (kept on their account), with the items' names."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.policy import Role
from certification import services as workflow
from notifications.email import email_message
from notifications.models import Channel, Notification
from tests.conftest import make_user


def has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def portal_message(user) -> Notification:
    return Notification.objects.get(recipient=user, channel=Channel.PORTAL)


@pytest.fixture
def submitted(filled_report, recorder):
    workflow.report_submit(report_id=filled_report.pk, actor=recorder)
    return filled_report


def test_choosing_english_in_the_menu_keeps_it_on_the_account(client, recorder):
    client.force_login(recorder)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    recorder.refresh_from_db()
    assert recorder.language == "en"
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    recorder.refresh_from_db()
    assert recorder.language == "th"


def test_a_language_the_portal_does_not_have_is_not_kept(client, recorder):
    client.force_login(recorder)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    recorder.refresh_from_db()
    assert recorder.language == "th"


def test_a_return_names_the_items_in_the_language_of_each_recorder(world, submitted, recorder, verifier):
    world.lao_a1.name_en = "Dan Khun Thot Subdistrict Municipality"
    world.lao_a1.save()
    recorder.language = "en"
    recorder.save()
    # Whoever returns it reads Thai; the recorder reads English.
    with translation.override("th"):
        workflow.report_return(report_id=submitted.pk, actor=verifier, comment="",
                               field_reasons={"gov_villages": "ตรวจสอบจำนวนหมู่บ้าน"})

    message = portal_message(recorder)
    assert message.title == "Internal management and good governance, Dan Khun Thot Subdistrict Municipality, " \
                            "FY 2568: returned for correction"
    assert "Villages/communities: ตรวจสอบจำนวนหมู่บ้าน" in message.body
    assert "gov_villages" not in message.body


def test_a_thai_reader_gets_thai_item_names_whatever_the_sender_reads(world, submitted, recorder, verifier):
    with translation.override("en"):
        workflow.report_return(report_id=submitted.pk, actor=verifier, comment="",
                               field_reasons={"gov_villages": "ตรวจสอบจำนวนหมู่บ้าน"})

    message = portal_message(recorder)
    assert message.title.startswith("ด้านการจัดการภายในและธรรมาภิบาล ของ เทศบาลตำบลด่านขุนทด")
    assert message.body == "หมู่บ้าน/ชุมชน: ตรวจสอบจำนวนหมู่บ้าน"


def test_each_holder_of_a_step_hears_in_their_own_language(world, submitted, verifier, certifier):
    english_certifier = make_user("certifier.en", Role.CERTIFIER, world.lao_a1)
    english_certifier.language = "en"
    english_certifier.save()
    workflow.report_verify(report_id=submitted.pk, actor=verifier)

    assert has_thai(portal_message(certifier).title)
    assert not has_thai(portal_message(english_certifier).title.replace("เทศบาลตำบลด่านขุนทด", ""))
    assert "awaiting certification" in portal_message(english_certifier).title


def test_an_email_is_written_in_the_recipients_language(world, submitted, verifier, recorder):
    recorder.language = "en"
    recorder.save()
    workflow.report_return(report_id=submitted.pk, actor=verifier, comment="Please check the villages")
    row = Notification.objects.create(recipient=recorder, kind="report_return", channel=Channel.EMAIL,
                                      title=portal_message(recorder).title, body="Please check the villages",
                                      link="/", dedupe_key="test-email-en")

    email = email_message(row)
    assert email.body.startswith(f"Dear {recorder.full_name}")
    assert not has_thai(email.body.replace("เทศบาลตำบลด่านขุนทด", ""))
    html = email.alternatives[0][0]
    assert '<html lang="en">' in html and "Open in INFO" in html
