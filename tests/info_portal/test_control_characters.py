"""Control characters pasted into any text field are removed on input; tab and line breaks stay."""

import pytest

from accounts.models import User
from info_portal.text import cell_text, cell_value, without_controls


@pytest.mark.parametrize(("typed", "kept"), [
    ("นาย\x0bสมชาย", "นาย สมชาย"),                     # Word's soft line break
    ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
    ("บรรทัด 1\r\nบรรทัด 2\tต่อ", "บรรทัด 1\r\nบรรทัด 2\tต่อ"),
])
def test_controls_go_and_line_breaks_stay(typed, kept):
    assert without_controls(typed) == kept


def test_a_cell_is_neither_a_formula_nor_a_control_character():
    assert cell_value("=1+1\x0b") == "'=1+1 "
    assert cell_value("\x01@SUM(A1)") == "'@SUM(A1)"
    assert cell_value(-5) == -5 and cell_text(-5) == "'-5"


def test_a_form_field_pasted_from_word_is_stored_clean(client, district_officer, world):
    client.force_login(district_officer)
    response = client.post("/accounts/users/new/", {
        "username": "somchai.k", "full_name": "นายสมชาย\x0bใจดี\x01", "position": "ปลัด\x0c", "phone": "",
        "email": "somchai@example.test", "role": "recorder", "unit": world.lao_a1.dla_code,
    })
    assert response.status_code in (200, 302)
    account = User.objects.filter(username="somchai.k").first()
    assert account is not None, response.content.decode()[:2000]
    assert account.full_name == "นายสมชาย ใจดี" and account.position == "ปลัด"


def test_the_admins_registry_download_quotes_formulas_and_drops_control_characters(world):
    from organizations.models import LAO
    from organizations.registry.resource import LAORegistryResource

    LAO.objects.filter(pk=world.lao_a2.pk).update(name_th="=cmd|' /C calc'!A0\x0b")
    dataset = LAORegistryResource().export(LAO.objects.filter(pk=world.lao_a2.pk))
    cells = [value for value in dataset[0] if isinstance(value, str) and "cmd" in value]
    assert cells == ["'=cmd|' /C calc'!A0 "]
    assert dataset.export("xlsx")  # openpyxl accepts every cell
