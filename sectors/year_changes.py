"""The department's changes to the catalogue for a new fiscal year, keyed by item code.

A changes file is JSON:

    {"add":    [{"code": "gov_wifi_points", "sector": "governance", "label_th": "…", "kind": "integer", …}],
     "retire": ["gov_old_item"],
     "change": {"gov_area": {"label_th": "…", "unit": "…"}},
     "rules":  [{"expression": "a ≤ b", "severity": "error", "message_th": "…"}]}

Added items take any field of an item (sectors.models.Indicator) by name, the sector by its code. A retired item
is not copied to the new year; its rows of earlier years keep their values. A change renames or relabels an item:
its code stays, so its history and its carried values follow it. What would part an item from its earlier values
is refused: changing its code, its kind or its sector, or dropping a choice that a certified value holds.
Rules are copied with the items, except those that name a retired item; `rules` adds new ones.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from sectors.models import FiscalYear, Indicator, IndicatorKind, IndicatorValue, ReportStatus, Sector
from sectors.rules import parse

# What a change may set on a copied item; the code, the kind and the sector tie it to its earlier values.
CHANGEABLE = frozenset({"label_th", "label_en", "help_text", "unit", "unit_en", "required", "min_value",
                        "max_value", "choices", "section", "section_en", "order", "lao_types"})
BOUND = {"code": "รหัสรายการ", "kind": "ชนิดข้อมูล", "sector": "ด้าน", "sector_id": "ด้าน", "fiscal_year": "ปีงบประมาณ"}
ADDABLE = CHANGEABLE | {"code", "kind", "sector"}
RULE_FIELDS = frozenset({"expression", "severity", "message_th", "message_en", "order"})


@dataclass
class CatalogueChanges:
    add: list[dict[str, Any]] = field(default_factory=list)
    retire: list[str] = field(default_factory=list)
    change: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.add or self.retire or self.change or self.rules)


def changes_parse(data: Any) -> CatalogueChanges:
    """The changes from their JSON form (already decoded); a malformed one is refused in Thai."""
    if not isinstance(data, dict) or set(data) - {"add", "retire", "change", "rules"}:
        raise ValidationError("ไฟล์การเปลี่ยนแปลงต้องเป็นออบเจกต์ที่มีได้เฉพาะ add, retire, change และ rules")
    add, retire = data.get("add", []), data.get("retire", [])
    change, rules = data.get("change", {}), data.get("rules", [])
    if not (isinstance(add, list) and all(isinstance(item, dict) for item in add)):
        raise ValidationError("add ต้องเป็นรายการของรายการข้อมูลที่เพิ่ม")
    if not (isinstance(retire, list) and all(isinstance(code, str) for code in retire)):
        raise ValidationError("retire ต้องเป็นรายการของรหัสรายการที่เลิกใช้")
    if not (isinstance(change, dict) and all(isinstance(v, dict) for v in change.values())):
        raise ValidationError("change ต้องเป็นออบเจกต์ รหัสรายการ → ค่าที่เปลี่ยน")
    if not (isinstance(rules, list) and all(isinstance(rule, dict) for rule in rules)):
        raise ValidationError("rules ต้องเป็นรายการของกฎตรวจสอบที่เพิ่ม")
    return CatalogueChanges(add=add, retire=retire, change=change, rules=rules)


def changes_read(path: Path | str) -> CatalogueChanges:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(f"อ่านไฟล์การเปลี่ยนแปลงไม่ได้: {error}") from None
    return changes_parse(data)


def _certified_choices(indicator: Indicator) -> set[str]:
    """The answers that certified reports hold for a choice item."""
    return set(IndicatorValue.objects.filter(indicator=indicator, report__status=ReportStatus.CERTIFIED)
               .exclude(value_text="").values_list("value_text", flat=True))


def _decimal(value: Any, code: str, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(f"รายการ {code}: {name} ต้องเป็นตัวเลข") from None


def _fields(code: str, given: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ValidationError(f"รายการ {code}: ไม่รู้จักช่อง {', '.join(unknown)}")
    values = dict(given)
    for name in ("min_value", "max_value"):
        if name in values:
            values[name] = _decimal(values[name], code, name)
    return values


def _bound_value(item: Indicator, name: str) -> Any:
    if name in ("sector", "sector_id"):
        return item.sector.code
    if name == "fiscal_year":
        return item.fiscal_year.be_year
    return getattr(item, name)


def planned_items(*, previous: list[Indicator], changes: CatalogueChanges, be_year: int) -> list[Indicator]:
    """The new year's items (unsaved, without a year): the previous ones changed, less the retired, plus the added.
    Refused, before anything is written, where a change would part an item from its earlier values."""
    from sectors.catalogue import indicator_problems  # the catalogue module opens years with this one

    by_code = {item.code: item for item in previous}
    for code in [*changes.retire, *changes.change]:
        if code not in by_code:
            raise ValidationError(f"ไม่พบรายการ {code} ในปีงบประมาณ {be_year - 1}")
    both = sorted(set(changes.retire) & set(changes.change))
    if both:
        raise ValidationError(f"รายการ {', '.join(both)} ถูกทั้งเลิกใช้และเปลี่ยนแปลง เลือกอย่างใดอย่างหนึ่ง")
    copy = [f.attname for f in Indicator._meta.concrete_fields if f.name not in ("id", "fiscal_year")]
    items: list[Indicator] = []
    for old in previous:
        if old.code in changes.retire:
            continue
        given = changes.change.get(old.code, {})
        bound = [BOUND[name] for name in given if name in BOUND and given[name] != _bound_value(old, name)]
        if bound:
            raise ValidationError(
                f"เปลี่ยน{'และ'.join(bound)}ของรายการ {old.code} ไม่ได้ เพราะจะตัดรายการออกจากค่าของปีก่อน "
                "ให้เลิกใช้รายการเดิม (retire) และเพิ่มรายการใหม่ด้วยรหัสใหม่ (add) แทน")
        item = Indicator(**{name: getattr(old, name) for name in copy})
        for name, value in _fields(old.code, {k: v for k, v in given.items() if k not in BOUND}, CHANGEABLE).items():
            setattr(item, name, value)
        if item.kind == IndicatorKind.CHOICE and "choices" in given:
            dropped = sorted(_certified_choices(old) - set(item.choices))
            if dropped:
                raise ValidationError(f"ตัดตัวเลือก {', '.join(dropped)} ของรายการ {old.code} ไม่ได้ "
                                      "เพราะมีค่าที่รับรองแล้วใช้ตัวเลือกนี้")
        items.append(item)
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    codes = {item.code for item in items}
    for given in changes.add:
        code = str(given.get("code", ""))
        if not code:
            raise ValidationError("รายการที่เพิ่มต้องมีรหัส (code)")
        if code in codes or code in changes.retire:
            raise ValidationError(f"รหัสรายการ {code} มีอยู่แล้ว ใช้รหัสใหม่สำหรับรายการที่เพิ่ม")
        values = _fields(code, given, ADDABLE)
        sector = sectors.get(str(values.pop("sector", "")))
        if sector is None:
            raise ValidationError(f"รายการ {code}: ไม่พบด้าน {given.get('sector')}")
        item = Indicator(sector=sector, **values)
        items.append(item)
        codes.add(code)
    for item in items:
        problems = indicator_problems(kind=item.kind, choices=item.choices or [], min_value=item.min_value,
                                      max_value=item.max_value)
        try:
            item.full_clean(exclude=["fiscal_year"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
        if problems:
            raise ValidationError(f"รายการ {item.code}: " + "; ".join(problems.values()))
    return items


@dataclass
class ChangesPreview:
    """What opening `be_year` with the changes would write, read without writing."""

    be_year: int
    from_year: int
    added: list[Indicator]
    retired: list[str]
    changed: dict[str, dict[str, Any]]
    items: int
    rules_dropped: list[str]


def changes_preview(*, be_year: int, changes: CatalogueChanges) -> ChangesPreview:
    """The new year's catalogue as the changes make it; refused (ValidationError) as opening it would be."""
    previous = FiscalYear.objects.filter(be_year__lt=be_year, indicators__isnull=False).order_by("-be_year").first()
    if previous is None:
        raise ValidationError(f"ยังไม่มีปีงบประมาณก่อน {be_year} ให้เปลี่ยนแปลงจาก")
    if FiscalYear.objects.filter(be_year=be_year, indicators__isnull=False).exists():
        raise ValidationError(f"ปีงบประมาณ {be_year} เปิดแล้ว แก้รายการข้อมูลของปีนี้ในหน้าผู้ดูแลระบบแทน")
    items = planned_items(previous=list(previous.indicators.select_related("sector", "fiscal_year")),
                          changes=changes, be_year=be_year)
    codes = {item.code for item in items}
    added = {str(given["code"]) for given in changes.add}
    return ChangesPreview(
        be_year=be_year, from_year=previous.be_year, added=[item for item in items if item.code in added],
        retired=list(changes.retire), changed=changes.change, items=len(items),
        rules_dropped=[rule.expression for rule in previous.rules.all() if not parse(rule.expression).codes <= codes])
