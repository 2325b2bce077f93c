"""Import of the official LAO registry from CSV or Excel through django-import-export: every row or none."""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO, NamedTuple

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult

from info_portal import uploads
from organizations.models import LAO, District, LAOType, Province, Subdistrict

# (key, Thai header, column required): the template's columns in order. Either header names a column.
COLUMNS = [
    ("dla_code", "รหัส อปท.", True),
    ("lao_type", "ประเภท", True),
    ("name_th", "ชื่อ อปท.", True),
    ("name_en", "ชื่อภาษาอังกฤษ", False),
    ("province", "รหัสจังหวัด", True),
    ("district", "รหัสอำเภอ", False),
    ("subdistricts", "รหัสตำบลในเขต", False),
    ("is_active", "ใช้งาน", False),
]
HEADERS = {key: header for key, header, _required in COLUMNS}
TYPE_ABBREVIATIONS = {
    "อบจ": LAOType.PAO, "ทน": LAOType.CITY, "ทม": LAOType.TOWN,
    "ทต": LAOType.SUBDISTRICT_MUNICIPALITY, "อบต": LAOType.SAO,
}
TRUE_WORDS = {"1", "true", "yes", "y", "ใช่", "ใช้งาน"}
FALSE_WORDS = {"0", "false", "no", "n", "ไม่", "ไม่ใช่", "ไม่ใช้งาน", "เลิกใช้งาน"}
# An .xlsx of a few MB unpacks to some tens of MB; anything declaring more is refused before parsing.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RegistryError(NamedTuple):
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("บรรทัด %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class RegistryImportResult:
    dry_run: bool
    errors: list[RegistryError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, import type, LAO name)
    import_result: Result | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class RegistryFileError(Exception):
    def __init__(self, *errors: RegistryError):
        super().__init__(*errors)
        self.errors = list(errors)


def _text(value) -> str:
    """A cell as text: integral numbers without '.0', ำ typed as two marks joined, no zero-width spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u0e4d\u0e32", "\u0e33").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def _key(text: str) -> str:
    """How a header or a type is compared: no spaces, no dots, lower case ('อบต.' is 'อบต')."""
    return re.sub(r"[\s.]", "", text).lower()


def _header_keys() -> dict[str, str]:
    keys = {}
    with translation.override("th"):
        for key, header, _required in COLUMNS:
            keys[_key(key)] = keys[_key(header)] = key
            model_field = LAO._meta.get_field(key)
            keys.setdefault(_key(str(model_field.verbose_name)), key)
    return keys


def _type_keys() -> dict[str, str]:
    keys = dict(TYPE_ABBREVIATIONS)
    for lao_type in LAOType:
        keys[_key(lao_type.value)] = lao_type
        keys[_key(str(lao_type.label))] = lao_type
        with translation.override("th"):
            keys[_key(str(lao_type.label))] = lao_type
    return keys


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    not_csv = RegistryError(None, _("ไฟล์นี้ไม่ใช่ไฟล์ CSV ที่อ่านได้ กรุณาบันทึกจาก Excel เป็น CSV UTF-8 หรือใช้ไฟล์ .xlsx"))
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise RegistryFileError(not_csv)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp874")  # what Thai Windows Excel writes for "CSV (Comma delimited)"
        except UnicodeDecodeError:
            raise RegistryFileError(not_csv) from None
    if _CONTROL_CHARACTERS.search(text):
        raise RegistryFileError(not_csv)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise RegistryFileError(RegistryError(None, _("อ่านไฟล์ CSV ไม่ได้ (%s)") % error)) from None


def _xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    try:
        book = uploads.open_xlsx(data)
    except uploads.UploadRefused as refused:
        raise RegistryFileError(RegistryError(None, str(refused))) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read the cells as they are
        return list(enumerate((list(r) for r in sheet.iter_rows(min_row=1, values_only=True)), start=1))
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook; each means the same here
        raise RegistryFileError(RegistryError(None, _("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"))) from None
    finally:
        book.close()


def _read_rows(file: BinaryIO, file_name: str) -> list[tuple[int, list]]:
    """The file's rows numbered from 1, refusing files too large or not really CSV or XLSX."""
    try:
        data = uploads.read_limited(file)
    except uploads.UploadRefused as refused:
        raise RegistryFileError(RegistryError(None, str(refused))) from None
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise RegistryFileError(RegistryError(None, _("รองรับเฉพาะไฟล์ .csv หรือ .xlsx")))


def _dataset(rows: list[tuple[int, list]]) -> tuple[tablib.Dataset, list[int]]:
    """The rows under the header as a dataset keyed by column, with each row's line in the file."""
    rows = [(line, [_text(cell) for cell in cells]) for line, cells in rows]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise RegistryFileError(RegistryError(None, _("ไฟล์ว่าง ไม่มีหัวคอลัมน์และข้อมูล")))
    (header_line, header), body = rows[0], rows[1:]
    known, keys, errors = _header_keys(), [], []
    for title in header:
        key = known.get(_key(title)) if title else None
        if title and key is None:
            errors.append(RegistryError(header_line, _("ไม่รู้จักคอลัมน์ \"%s\"") % title))
        elif key is not None and key in keys:
            errors.append(RegistryError(header_line, _("คอลัมน์ \"%s\" ซ้ำ") % title))
            key = None
        keys.append(key)
    for key, title, required in COLUMNS:
        if required and key not in keys:
            errors.append(RegistryError(header_line, _("ไม่พบคอลัมน์ \"%(header)s\" (%(key)s)")
                                        % {"header": title, "key": key}))
    dataset, lines = tablib.Dataset(headers=[k for k in keys if k]), []
    for line, cells in body:
        if any(cell and (i >= len(header) or not header[i]) for i, cell in enumerate(cells)):
            errors.append(RegistryError(line, _("มีข้อมูลในคอลัมน์ที่ไม่มีหัวคอลัมน์")))
            continue
        cells += [""] * (len(keys) - len(cells))
        dataset.append([cell for cell, key in zip(cells, keys, strict=False) if key])
        lines.append(line)
    if not body:
        errors.append(RegistryError(None, _("ไฟล์ไม่มีแถวข้อมูลใต้หัวคอลัมน์")))
    if errors:
        raise RegistryFileError(*errors)
    return dataset, lines


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


class LAORegistryResource(resources.ModelResource):
    """One row per LAO, keyed by DLA code; rows without a code are matched by type, province and Thai name."""

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
        existing = LAO.objects.filter(Q(dla_code__in=codes) | Q(province__code__in=column("province")))
        self.by_code, self.by_key = {}, defaultdict(list)
        for lao in existing:
            self.by_code[lao.dla_code] = lao
            self.by_key[lao.lao_type, lao.province_id, lao.name_th].append(lao)
        self.covered = defaultdict(set)
        links = LAO.subdistricts.through.objects.filter(lao__in=existing)
        for lao_id, subdistrict_id in links.values_list("lao_id", "subdistrict_id"):
            self.covered[lao_id].add(subdistrict_id)

    def before_import_row(self, row, **kwargs):
        line = self.lines[kwargs["row_number"] - 1] if self.lines else kwargs["row_number"] + 1
        self.row, errors = self._parse(row, line)
        if errors:
            raise ValidationError(errors)

    def get_instance(self, instance_loader, row):
        parsed = self.row
        if parsed.dla_code in self.by_code:
            return self.by_code[parsed.dla_code]
        # A new code may be given to an LAO that has none yet; it never replaces another code.
        same = [lao for lao in self.by_key[parsed.lao_type, parsed.province.pk, parsed.name_th]
                if not (parsed.dla_code and lao.dla_code)]
        if len(same) > 1:
            raise ValidationError(_("มี %(name)s มากกว่าหนึ่งแห่งในจังหวัด%(province)s กรุณาระบุรหัส อปท.")
                                  % {"name": parsed.name_th, "province": parsed.province.name_th})
        return same[0] if same else None

    def after_init_instance(self, instance, new, row, **kwargs):
        self.before = None if new else _snapshot(instance, self.covered[instance.pk])

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
        return self.before == _snapshot(instance, self._covered_after(instance))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            # The province and district were just looked up by code: no need to query that they exist.
            instance.full_clean(exclude=["province", "district"])
        except ValidationError as error:
            messages = error.message_dict.items()
            raise ValidationError([_with_column(name, m) for name, ms in messages for m in ms]) from None

    def save_m2m(self, instance, row, **kwargs):
        covered = self._covered_after(instance)
        if covered != self.covered[instance.pk]:
            instance.subdistricts.set(covered)
            self.covered[instance.pk] = covered

    def _covered_after(self, instance) -> set[int]:
        if "subdistricts" in self.columns:
            return {sub.pk for sub in self.row.subdistricts}
        return self.covered[instance.pk]

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
        if parsed.dla_code:
            key, message = ("code", parsed.dla_code), _("รหัส อปท. %(code)s ซ้ำกับบรรทัด %(first)d")
        elif parsed.lao_type and parsed.province and parsed.name_th:
            key, message = ("name", parsed.lao_type, parsed.province.pk, parsed.name_th), \
                _("%(name)s ซ้ำกับบรรทัด %(first)d")
        else:
            return []
        first = self.seen.setdefault(key, parsed.line)
        if first == parsed.line:
            return []
        return [message % {"code": parsed.dla_code, "name": parsed.name_th, "first": first}]


def _with_column(name: str, message: str) -> str:
    """A model error prefixed by its column, unless the message names the column already."""
    header = HEADERS.get(name, name)
    if name == NON_FIELD_ERRORS or header in message:
        return message
    return f"{header}: {message}"


def _snapshot(lao: LAO, covered: set[int]) -> tuple:
    return (lao.dla_code, lao.lao_type, lao.name_th, lao.name_en, lao.province_id, lao.district_id,
            lao.is_active, lao.is_demo, frozenset(covered))


def _errors(result: Result, lines: list[int]) -> list[RegistryError]:
    errors = [RegistryError(None, _("นำเข้าไม่สำเร็จ (%s)") % e.error) for e in result.base_errors]
    for row in result.error_rows:
        errors += [RegistryError(lines[row.number - 1], _("บันทึกไม่ได้ (%s)") % e.error) for e in row.errors]
    for invalid in result.invalid_rows:
        errors += [RegistryError(lines[invalid.number - 1], m) for m in invalid.error.messages]
    return sorted(errors, key=lambda e: e.line or 0)


def registry_import(*, file: BinaryIO, file_name: str, dry_run: bool) -> RegistryImportResult:
    """Create or update an LAO (is_demo=False) for each row in one transaction; nothing if any row is bad."""
    try:
        dataset, lines = _dataset(_read_rows(file, file_name))
    except RegistryFileError as refused:
        return RegistryImportResult(dry_run=dry_run, errors=refused.errors)
    resource = LAORegistryResource(lines=lines)
    result = resource.import_data(dataset, dry_run=dry_run, rollback_on_validation_errors=True)
    errors = _errors(result, lines)
    if errors:
        return RegistryImportResult(dry_run=dry_run, errors=errors)
    return RegistryImportResult(
        dry_run=dry_run,
        created=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
        unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        rows=[(line, row.import_type, row.object_repr) for line, row in zip(lines, result.rows, strict=True)],
        import_result=result,
    )
