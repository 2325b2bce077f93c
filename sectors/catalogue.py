"""Writes on the catalogue: loading the default one and opening a new fiscal year from the last."""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sectors.models import INDICATOR_ORDER, FiscalYear, Indicator, IndicatorKind, Sector, ValidationRule
from sectors.rules import RuleSyntaxError, parse
from sectors.year_changes import RULE_FIELDS, CatalogueChanges, planned_items

DEFAULT_CATALOGUE = Path(settings.BASE_DIR) / "fixtures" / "catalogue.json"


def rule_check(*, fiscal_year: FiscalYear, expression: str) -> None:
    """A rule must parse and name only items of its fiscal year's catalogue."""
    try:
        rule = parse(expression)
    except RuleSyntaxError as error:
        raise ValidationError(str(error)) from None
    known = set(Indicator.objects.filter(fiscal_year=fiscal_year, code__in=rule.codes).values_list("code", flat=True))
    unknown = sorted(rule.codes - known)
    if unknown:
        raise ValidationError(f"ไม่พบรายการข้อมูล {', '.join(unknown)} ในปีงบประมาณ {fiscal_year.be_year}")


@transaction.atomic
def catalogue_load(*, be_year: int, path: Path = DEFAULT_CATALOGUE) -> FiscalYear:
    """Create the fiscal year with the default catalogue; a year that already has items is left as it is."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fiscal_year, _ = FiscalYear.objects.get_or_create(be_year=be_year)
    for entry in data["sectors"]:
        Sector.objects.update_or_create(code=entry["code"], defaults={
            "order": entry["order"], "name_th": entry["name_th"], "name_en": entry["name_en"]})
    if fiscal_year.indicators.exists():
        return fiscal_year
    sectors = {s.code: s for s in Sector.objects.all()}
    Indicator.objects.bulk_create([
        Indicator(fiscal_year=fiscal_year, sector=sectors[entry["code"]], **item)
        for entry in data["sectors"] for item in entry["indicators"]
    ])
    for rule in data["rules"]:
        rule_check(fiscal_year=fiscal_year, expression=rule["expression"])
    ValidationRule.objects.bulk_create([ValidationRule(fiscal_year=fiscal_year, **rule) for rule in data["rules"]])
    return fiscal_year


@transaction.atomic
def fiscal_year_open(*, be_year: int, make_current: bool = True,
                     changes: CatalogueChanges | None = None) -> FiscalYear:
    """Open a fiscal year with a copy of the latest earlier catalogue (or the default one), with the department's
    `changes` (sectors.year_changes), in one transaction: a refused change (ValidationError) writes nothing.
    A year already open is left as it is; changes for it are refused."""
    previous = FiscalYear.objects.filter(be_year__lt=be_year, indicators__isnull=False).order_by("-be_year").first()
    changes = changes or CatalogueChanges()
    if previous is None:
        if not changes.empty:
            raise ValidationError(f"ยังไม่มีปีงบประมาณก่อน {be_year} ให้เปลี่ยนแปลงจาก")
        fiscal_year = catalogue_load(be_year=be_year)
    else:
        fiscal_year, _ = FiscalYear.objects.get_or_create(be_year=be_year)
        if fiscal_year.indicators.exists():
            if not changes.empty:
                raise ValidationError(f"ปีงบประมาณ {be_year} เปิดแล้ว แก้รายการข้อมูลของปีนี้ในหน้าผู้ดูแลระบบแทน")
        else:
            _copy_catalogue(previous, fiscal_year, changes)
    if make_current:
        FiscalYear.objects.exclude(pk=fiscal_year.pk).filter(is_current=True).update(is_current=False)
        FiscalYear.objects.filter(pk=fiscal_year.pk).update(is_current=True)
        fiscal_year.is_current = True
    return fiscal_year


def _copy_catalogue(previous: FiscalYear, fiscal_year: FiscalYear, changes: CatalogueChanges) -> None:
    """The previous year's items and rules into the new year, with the changes."""
    items = planned_items(previous=list(previous.indicators.select_related("sector", "fiscal_year")
                                         .order_by(*INDICATOR_ORDER)),
                          changes=changes, be_year=fiscal_year.be_year)
    for item in items:
        item.fiscal_year = fiscal_year
    Indicator.objects.bulk_create(items)
    codes = {item.code for item in items}
    rules = [ValidationRule(fiscal_year=fiscal_year, expression=r.expression, severity=r.severity,
                            message_th=r.message_th, message_en=r.message_en, order=r.order)
             for r in previous.rules.all() if parse(r.expression).codes <= codes]
    for given in changes.rules:
        unknown = sorted(set(given) - RULE_FIELDS)
        if unknown or "expression" not in given or "message_th" not in given:
            raise ValidationError("กฎตรวจสอบที่เพิ่มต้องมี expression และ message_th "
                                  "และมีได้เฉพาะ expression, severity, message_th, message_en, order")
        rule_check(fiscal_year=fiscal_year, expression=given["expression"])
        rules.append(ValidationRule(fiscal_year=fiscal_year, **given))
    ValidationRule.objects.bulk_create(rules)


def indicator_problems(*, kind: str, choices: list[str], min_value: Decimal | None,
                       max_value: Decimal | None) -> dict[str, str]:
    """What is inconsistent between an item's fields, by field name: for the admin form and the import alike."""
    problems = {}
    if kind == IndicatorKind.CHOICE and not choices:
        problems["choices"] = _("รายการชนิดตัวเลือกต้องมีตัวเลือกอย่างน้อยหนึ่งตัว")
    elif kind != IndicatorKind.CHOICE and choices:
        problems["choices"] = _("ระบุตัวเลือกได้เฉพาะรายการชนิดตัวเลือก")
    elif len(set(choices)) != len(choices):
        problems["choices"] = _("มีตัวเลือกซ้ำกัน")
    if min_value is not None and max_value is not None and min_value > max_value:
        problems["max_value"] = _("ค่าสูงสุดต้องไม่น้อยกว่าค่าต่ำสุด")
    return problems
