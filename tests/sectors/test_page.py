"""The report a page reads: the same whether the user's LAOs are a subquery of their grants or the ids in memory."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import policy
from accounts.models import User
from accounts.policy import Action, Role
from sectors.page import sector_page
from tests.conftest import make_user


def fresh(user: User) -> User:
    """The user as a request reads it: no roles in memory yet."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("roles_read", [False, True])
def test_a_recorder_writing_finds_the_report_with_its_lao_year_and_sector(world, recorder, report, roles_read):
    user = fresh(recorder)
    if roles_read:
        policy.serves_any_lao(user)
    assert (policy.lao_ids_for_params(user, Action.RECORD) is None) == roles_read
    page = sector_page(user, world.lao_a1.pk, 2568, "governance", Action.RECORD)
    assert page.report.pk == report.pk and page.may_record
    assert (page.report.lao.province, page.report.lao.district, page.report.fiscal_year.be_year,
            page.report.sector.code) == (world.province_a, world.district_a1, 2568, "governance")


def test_another_lao_or_year_or_sector_is_not_found_by_the_compiled_query(world, recorder, report):
    other_recorder = make_user("other.recorder", Role.RECORDER, world.lao_b1)
    sector_page(fresh(recorder), world.lao_a1.pk, 2568, "governance", Action.RECORD)
    with pytest.raises((Http404, PermissionDenied)):
        sector_page(fresh(other_recorder), world.lao_a1.pk, 2568, "governance", Action.RECORD)
    for lao_id, year, code in ((world.lao_a1.pk, 2567, "governance"), (world.lao_a1.pk, 2568, "nope"),
                               (world.lao_b1.pk, 2568, "governance")):
        with pytest.raises((Http404, PermissionDenied)):
            sector_page(fresh(recorder), lao_id, year, code, Action.RECORD)
