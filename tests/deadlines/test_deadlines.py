"""The deadline that applies at each level, internal deadlines never later than the parent's, extensions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deadlines import services
from deadlines.selectors import DeadlineBook, deadline_for
from sectors.catalogue import fiscal_year_open


@pytest.fixture
def round_(world, department_admin):
    return services.round_set(actor=department_admin, fiscal_year=fiscal_year_open(be_year=2568),
                              opens_on=date(2025, 5, 24), record_by=date(2025, 6, 10), certify_by=date(2025, 6, 15))


def test_without_internal_deadlines_everyone_has_the_national_one(world, round_):
    for unit in (world.lao_a1, world.pao_a, world.district_a1, world.province_a):
        applied = deadline_for(unit, round_)
        assert (applied.certify_by, applied.set_by_level) == (date(2025, 6, 15), "department")
    assert deadline_for(world.lao_a1, round_).days_left(date(2025, 6, 1)) == 14
    assert deadline_for(world.lao_a1, round_).is_overdue(date(2025, 6, 16))


def test_province_then_district_deadlines_apply_below_them(world, round_, provincial_officer, district_officer):
    services.level_deadline_set(actor=provincial_officer, round_=round_, unit=world.province_a,
                                record_by=date(2025, 6, 5), certify_by=date(2025, 6, 10))
    services.level_deadline_set(actor=district_officer, round_=round_, unit=world.district_a1,
                                record_by=date(2025, 6, 1), certify_by=date(2025, 6, 8))
    assert deadline_for(world.lao_a1, round_).certify_by == date(2025, 6, 8)
    assert deadline_for(world.lao_a2, round_).certify_by == date(2025, 6, 10)
    assert deadline_for(world.pao_a, round_).certify_by == date(2025, 6, 10)
    assert deadline_for(world.lao_b1, round_).certify_by == date(2025, 6, 15)


def test_an_internal_deadline_later_than_the_parent_is_refused(world, round_, provincial_officer, district_officer):
    with pytest.raises(ValidationError):
        services.level_deadline_set(actor=provincial_officer, round_=round_, unit=world.province_a,
                                    record_by=date(2025, 6, 10), certify_by=date(2025, 6, 20))
    services.level_deadline_set(actor=provincial_officer, round_=round_, unit=world.province_a,
                                record_by=date(2025, 6, 5), certify_by=date(2025, 6, 10))
    with pytest.raises(ValidationError):
        services.level_deadline_set(actor=district_officer, round_=round_, unit=world.district_a1,
                                    record_by=date(2025, 6, 5), certify_by=date(2025, 6, 12))


def test_a_parent_moving_earlier_holds_the_child_to_it(world, round_, provincial_officer, district_officer):
    services.level_deadline_set(actor=district_officer, round_=round_, unit=world.district_a1,
                                record_by=date(2025, 6, 9), certify_by=date(2025, 6, 12))
    services.level_deadline_set(actor=provincial_officer, round_=round_, unit=world.province_a,
                                record_by=date(2025, 6, 5), certify_by=date(2025, 6, 10))
    assert deadline_for(world.lao_a1, round_).certify_by == date(2025, 6, 10)


def test_only_the_units_own_officers_set_its_deadline(world, round_, district_officer, provincial_officer):
    with pytest.raises(PermissionDenied):
        services.level_deadline_set(actor=district_officer, round_=round_, unit=world.district_a2,
                                    record_by=date(2025, 6, 1), certify_by=date(2025, 6, 8))
    with pytest.raises(PermissionDenied):
        services.level_deadline_set(actor=provincial_officer, round_=round_, unit=world.province_b,
                                    record_by=date(2025, 6, 1), certify_by=date(2025, 6, 8))


def test_extensions_need_a_reason_and_a_later_date(world, round_, provincial_officer, district_officer):
    with pytest.raises(ValidationError):
        services.extension_grant(actor=provincial_officer, round_=round_, unit=world.lao_a1,
                                 certify_by=date(2025, 6, 30), reason=" ")
    with pytest.raises(ValidationError):
        services.extension_grant(actor=provincial_officer, round_=round_, unit=world.lao_a1,
                                 certify_by=date(2025, 6, 14), reason="น้ำท่วม")
    with pytest.raises(PermissionDenied):
        services.extension_grant(actor=district_officer, round_=round_, unit=world.lao_a1,
                                 certify_by=date(2025, 6, 30), reason="น้ำท่วม")
    services.extension_grant(actor=provincial_officer, round_=round_, unit=world.lao_a1,
                             certify_by=date(2025, 6, 30), reason="น้ำท่วมสำนักงาน")
    applied = deadline_for(world.lao_a1, round_)
    assert (applied.certify_by, applied.set_by_level) == (date(2025, 6, 30), "extension")
    assert deadline_for(world.lao_a1_sao, round_).certify_by == date(2025, 6, 15)


def test_the_book_reads_every_deadline_in_constant_queries(world, round_, django_assert_max_num_queries):
    from organizations.models import LAO

    laos = list(LAO.objects.all())
    with django_assert_max_num_queries(2):
        deadlines = DeadlineBook(round_).for_laos(laos)
    assert len(deadlines) == len(laos)


def test_a_round_needs_ordered_dates(world, department_admin, recorder):
    fiscal_year = fiscal_year_open(be_year=2569)
    with pytest.raises(ValidationError):
        services.round_set(actor=department_admin, fiscal_year=fiscal_year, opens_on=date(2026, 5, 1),
                           record_by=date(2026, 6, 20), certify_by=date(2026, 6, 15))
    with pytest.raises(PermissionDenied):
        services.round_set(actor=recorder, fiscal_year=fiscal_year, opens_on=date(2026, 5, 1),
                           record_by=date(2026, 6, 10), certify_by=date(2026, 6, 15))
