"""The django-import-export resource that checks and writes each registry row."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from info_portal.resources import SpreadsheetSafeResource
from organizations.models import LAO, District, Province, Subdistrict
from organizations.registry.columns import (
    COLUMNS,
    FALSE_WORDS,
    FORMULA_PREFIXES,
    HEADERS,
    TRUE_WORDS,
    _key,
    _type_keys,
)


@dataclass
class _Row:
    line: int
    dla_code: str | None
    lao_type: str | None
    name_th: str
    province: Province | None
    district: District | None
    subdistricts: list[Subdistrict]
    is_active: bool


class LAORegistryResource(SpreadsheetSafeResource):
    """One row per LAO, keyed by DLA code; rows without a code are matched by type, district (or province) and name."""

    dla_code = fields.Field(attribute="dla_code", column_name="dla_code")
    lao_type = fields.Field(attribute="lao_type", column_name="lao_type")
    name_th = fields.Field(attribute="name_th", column_name="name_th")
    name_en = fields.Field(attribute="name_en", column_name="name_en")
    province = fields.Field(attribute="province", column_name="province",
                            widget=widgets.ForeignKeyWidget(Province, field="code"))
    district = fields.Field(attribute="district", column_name="district",
                            widget=widgets.ForeignKeyWidget(District, field="code"))
    subdistricts = fields.Field(attribute="subdistricts", column_name="subdistricts",
                                widget=widgets.ManyToManyWidget(Subdistrict, field="code", separator=" "))
    is_active = fields.Field(attribute="is_active", column_name="is_active", widget=widgets.BooleanWidget())

    class Meta:
        model = LAO
        fields = [key for key, _header, _required in COLUMNS]
        import_id_fields = ["dla_code"]
        skip_diff = True
        store_instance = True
        use_transactions = True
        # Rows are checked one by one in memory, then written a thousand at a time (links to subdistricts in
        # after_import): a national file is a few dozen statements rather than several per row.
        use_bulk = True
        batch_size = 1000

    def __init__(self, *, lines: list[int] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lines = lines

    def before_import(self, dataset, **kwargs):
        self.columns = set(dataset.headers)
        column = lambda key: set(dataset[key]) if key in self.columns else set()  # noqa: E731
        sub_codes = {code for cell in column("subdistricts") for code in re.split(r"[\s,;]+", cell) if code}
        self.provinces = Province.objects.in_bulk(column("province"), field_name="code")
        self.districts = District.objects.in_bulk(column("district"), field_name="code")
        subdistricts = Subdistrict.objects.select_related("district")
        self.subdistricts_by_code = subdistricts.in_bulk(sub_codes, field_name="code")
        self.types = _type_keys()
        self.seen: dict[tuple, int] = {}
        # The LAOs the rows may match, with the subdistricts they cover, read once rather than per row.
        codes = column("dla_code") - {""}
        existing = list(LAO.objects.filter(Q(dla_code__in=codes) | Q(province__code__in=column("province")))
                        .select_related("province", "district"))
        ids = [lao.pk for lao in existing]  # read once: as a subquery, each query below would search again
        self.by_code, self.by_key = {}, defaultdict(list)
        for lao in existing:
            if lao.dla_code:
                self.by_code[lao.dla_code] = lao
            self.by_key[_natural_key(lao.lao_type, lao.province_id, lao.district_id, lao.name_th)].append(lao)
        self.covered, self.sub_codes = defaultdict(set), {}
        links = LAO.subdistricts.through.objects.filter(lao_id__in=ids)
        for lao_id, subdistrict_id, code in links.values_list("lao_id", "subdistrict_id", "subdistrict__code"):
            self.covered[lao_id].add(subdistrict_id)
            self.sub_codes[subdistrict_id] = code
        self.sub_codes.update({sub.pk: code for code, sub in self.subdistricts_by_code.items()})
        # Reports hang on an LAO's identity: an import may rename it but never retype or move it.
        self.holding_reports = set(LAO.objects.filter(pk__in=ids, reports__isnull=False)
                                   .values_list("pk", flat=True).distinct())
        self.changes: dict[int, list[tuple[str, str, str]]] = {}
        self.links: list[tuple[LAO, set[int], bool]] = []  # (LAO, the subdistricts it covers, new) where they change

    def before_import_row(self, row, **kwargs):
        line = self.lines[kwargs["row_number"] - 1] if self.lines else kwargs["row_number"] + 1
        self.row, errors = self._parse(row, line)
        if errors:
            raise ValidationError(errors)

    def get_instance(self, instance_loader, row):
        parsed = self.row
        if parsed.dla_code and parsed.dla_code in self.by_code:
            return self.by_code[parsed.dla_code]
        # Without a known code, only the natural key matches; a row with a new code may give it to an
        # LAO that has none yet, and never replaces another code.
        key = _natural_key(parsed.lao_type, parsed.province.pk, parsed.district and parsed.district.pk,
                           parsed.name_th)
        same = [lao for lao in self.by_key[key] if not (parsed.dla_code and lao.dla_code)]
        if len(same) > 1:
            raise ValidationError(_("มี %(name)s มากกว่าหนึ่งแห่งใน%(place)s จึงไม่ทราบว่าหมายถึงแห่งใด "
                                    "กรุณาระบุรหัส อปท.")
                                  % {"name": parsed.name_th, "place": _place(parsed.province, parsed.district)})
        return same[0] if same else None

    def after_init_instance(self, instance, new, row, **kwargs):
        self.before = None if new else self._describe(instance, self.covered[instance.pk])

    def import_instance(self, instance, row, **kwargs):
        parsed = self.row
        # A blank code never erases the code an LAO already has.
        instance.dla_code = parsed.dla_code or instance.dla_code
        instance.lao_type, instance.name_th = parsed.lao_type, parsed.name_th
        instance.province, instance.district = parsed.province, parsed.district
        if "name_en" in self.columns:
            instance.name_en = row["name_en"]
        if "is_active" in self.columns:
            instance.is_active = parsed.is_active
        instance.is_demo = False

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.before is None:
            return False
        after = self._describe(instance, self._covered_after(instance))
        changes = [(str(LAO._meta.get_field(name).verbose_name), self.before[name], value)
                   for name, value in after.items() if value != self.before[name]]
        if instance.pk in self.holding_reports and any(
                self.before[name] != after[name] for name in ("lao_type", "province", "district")):
            raise ValidationError(_("%(name)s มีรายงานข้อมูลแล้ว การนำเข้าเปลี่ยนประเภท จังหวัด หรืออำเภอของ "
                                    "อปท. นี้ไม่ได้ (แก้ไขได้ที่หน้าผู้ดูแลระบบทีละแห่ง)") % {"name": self.before["name_th"]})
        self.changes[self.row.line] = changes
        return not changes

    def get_bulk_update_fields(self) -> list[str]:
        return ["dla_code", "lao_type", "name_th", "name_en", "province", "district", "is_active", "is_demo"]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            # The province and district were just looked up by code: no need to query that they exist. The code
            # is unique by construction (a code in the database matches its LAO; a code twice in the file is an
            # error), so no query per row asks it again; the database's unique index still holds it.
            instance.full_clean(exclude=["province", "district"], validate_unique=False)
        except ValidationError as error:
            messages = error.message_dict.items()
            raise ValidationError([_with_column(name, m) for name, ms in messages for m in ms]) from None

    def save_m2m(self, instance, row, **kwargs):
        covered = self._covered_after(instance)
        if instance.pk is None or covered != self.covered[instance.pk]:
            # Written in after_import, once new LAOs have their ids.
            self.links.append((instance, covered, instance.pk is None))

    def after_import(self, dataset, result, **kwargs):
        """The subdistricts of every LAO whose coverage changed, replaced in bulk."""
        through = LAO.subdistricts.through
        changed = [lao.pk for lao, _covered, new in self.links if not new]
        for start in range(0, len(changed), self._meta.batch_size):
            through.objects.filter(lao_id__in=changed[start:start + self._meta.batch_size]).delete()
        through.objects.bulk_create([through(lao_id=lao.pk, subdistrict_id=pk) for lao, covered, _new in self.links
                                     for pk in sorted(covered)], batch_size=self._meta.batch_size)
        for lao, covered, _new in self.links:
            self.covered[lao.pk] = covered

    def _covered_after(self, instance) -> set[int]:
        if "subdistricts" in self.columns:
            return {sub.pk for sub in self.row.subdistricts}
        return self.covered[instance.pk]

    def _describe(self, lao: LAO, covered: set[int]) -> dict[str, str]:
        """The LAO's registry fields as the preview shows them, to compare before and after the row."""
        return {
            "dla_code": lao.dla_code or "", "lao_type": str(lao.get_lao_type_display()), "name_th": lao.name_th,
            "name_en": lao.name_en, "province": lao.province.name_th if lao.province_id else "",
            "district": lao.district.name_th if lao.district_id else "",
            "subdistricts": " ".join(sorted(self.sub_codes[pk] for pk in covered)),
            "is_active": _("ใช่") if lao.is_active else _("ไม่ใช่"), "is_demo": _("ใช่") if lao.is_demo else _("ไม่ใช่"),
        }

    def _parse(self, row, line: int) -> tuple[_Row, list[str]]:
        """The row's values looked up, with a Thai message for each one that is missing or unknown."""
        errors = []
        cell = lambda key: row.get(key) or ""  # noqa: E731
        lao_type = self.types.get(_key(cell("lao_type")))
        if not cell("lao_type"):
            errors.append(_("ต้องระบุประเภท อปท."))
        elif lao_type is None:
            errors.append(_("ไม่รู้จักประเภท อปท. \"%s\"") % cell("lao_type"))
        if not cell("name_th"):
            errors.append(_("ต้องระบุชื่อ อปท."))
        for key in ("name_th", "name_en"):
            if cell(key).startswith(FORMULA_PREFIXES):
                errors.append(_("%(column)s ต้องไม่ขึ้นต้นด้วยเครื่องหมาย = + - หรือ @ (\"%(value)s\")")
                              % {"column": HEADERS[key], "value": cell(key)})
        province = self.provinces.get(cell("province"))
        if not cell("province"):
            errors.append(_("ต้องระบุรหัสจังหวัด"))
        elif province is None:
            errors.append(_("ไม่พบจังหวัดรหัส %s") % cell("province"))
        district = self.districts.get(cell("district"))
        if cell("district") and district is None:
            errors.append(_("ไม่พบอำเภอรหัส %s") % cell("district"))
        subdistricts = []
        for code in (c for c in re.split(r"[\s,;]+", cell("subdistricts")) if c):
            sub = self.subdistricts_by_code.get(code)
            if sub is None:
                errors.append(_("ไม่พบตำบลรหัส %s") % code)
            elif district is not None and sub.district_id != district.pk:
                errors.append(_("ตำบลรหัส %(code)s (%(name)s) ไม่อยู่ในอำเภอ%(district)s")
                              % {"code": code, "name": sub.name_th, "district": district.name_th})
            elif district is None and province is not None and sub.district.province_id != province.pk:
                errors.append(_("ตำบลรหัส %(code)s (%(name)s) ไม่อยู่ในจังหวัด%(province)s")
                              % {"code": code, "name": sub.name_th, "province": province.name_th})
            else:
                subdistricts.append(sub)
        active = _key(cell("is_active"))
        if active and active not in TRUE_WORDS | FALSE_WORDS:
            errors.append(_("ค่าในคอลัมน์ใช้งานต้องเป็น ใช่ หรือ ไม่ใช่ (1 หรือ 0) ไม่ใช่ \"%s\"") % cell("is_active"))
        parsed = _Row(line, cell("dla_code") or None, lao_type, cell("name_th"), province, district,
                      subdistricts, active not in FALSE_WORDS)
        errors += self._duplicate_errors(parsed)
        return parsed, errors

    def _duplicate_errors(self, parsed: _Row) -> list[str]:
        """A code twice in the file, or a codeless row naming an LAO that another row names too."""
        errors = []
        if parsed.dla_code:
            first = self.seen.setdefault(("code", parsed.dla_code), parsed.line)
            if first != parsed.line:
                errors.append(_("รหัส อปท. %(code)s ซ้ำกับบรรทัด %(first)d") % {"code": parsed.dla_code, "first": first})
        if parsed.lao_type and parsed.province and parsed.name_th:
            key = _natural_key(parsed.lao_type, parsed.province.pk, parsed.district and parsed.district.pk,
                               parsed.name_th)
            first, first_coded = self.seen.setdefault(key, (parsed.line, bool(parsed.dla_code)))
            if first != parsed.line and not (parsed.dla_code and first_coded):
                errors.append(_("%(name)s ซ้ำกับบรรทัด %(first)d") % {"name": parsed.name_th, "first": first})
        return errors


def _with_column(name: str, message: str) -> str:
    """A model error prefixed by its column, unless the message names the column already."""
    header = HEADERS.get(name, name)
    if name == NON_FIELD_ERRORS or header in message:
        return message
    return f"{header}: {message}"


def _natural_key(lao_type: str | None, province_id: int, district_id: int | None, name_th: str) -> tuple:
    """What names an LAO without its code: its type, its district (its province for an อบจ.) and its Thai name."""
    return lao_type, province_id, district_id, name_th


def _place(province: Province, district: District | None) -> str:
    if district is not None:
        return _("อำเภอ%(district)s จังหวัด%(province)s") % {"district": district.name_th, "province": province.name_th}
    return _("จังหวัด%s") % province.name_th
