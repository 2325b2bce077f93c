"""The generated demo registry: every PAO, Bangkok, Pattaya, and one LAO per subdistrict outside Bangkok.

No licensed list of all ~7,850 LAOs exists offline, so the demo registry is generated from the real
geography by a plain rule, and every LAO in it is marked as demo:
- the first subdistrict of each เมือง district is its town municipality (เทศบาลเมือง), or a city
  municipality (เทศบาลนคร) in the provinces that have one;
- the subdistrict that carries the district's name (else its first) is a subdistrict municipality;
- every other subdistrict is a subdistrict administrative organization (อบต.).
"""

from collections import defaultdict

from django.db import transaction

from organizations.models import DLA_CODE_TYPE_DIGIT, LAO, District, LAOType, Province, Subdistrict

BANGKOK = "10"
PATTAYA_DISTRICT = "2004"  # บางละมุง, ชลบุรี
PATTAYA_SUBDISTRICTS = ("200402", "200408")  # หนองปรือ, นาเกลือ
# Provinces whose capital is a เทศบาลนคร.
CITY_PROVINCES = {
    "12", "13", "20", "21", "30", "34", "40", "41", "47", "50", "52", "57", "60", "65",
    "73", "74", "80", "83", "84", "90", "92", "95",
}

_PREFIX = {
    LAOType.CITY: ("เทศบาลนคร", "City Municipality"),
    LAOType.TOWN: ("เทศบาลเมือง", "Town Municipality"),
    LAOType.SUBDISTRICT_MUNICIPALITY: ("เทศบาลตำบล", "Subdistrict Municipality"),
    LAOType.SAO: ("องค์การบริหารส่วนตำบล", "Subdistrict Administrative Organization"),
}


def _seat(district: District, subdistricts: list[Subdistrict]) -> Subdistrict:
    named = [s for s in subdistricts if s.name_th == district.name_th]
    return named[0] if named else subdistricts[0]


def _planned_laos() -> list[tuple[dict, list[int]]]:
    """Every demo LAO as (fields, covered subdistrict ids), in a stable order."""
    planned: list[tuple[dict, list[int]]] = []
    by_district: dict[int, list[Subdistrict]] = defaultdict(list)
    for sub in Subdistrict.objects.order_by("code"):
        by_district[sub.district_id].append(sub)
    districts = list(District.objects.select_related("province").order_by("code"))

    for province in Province.objects.order_by("code"):
        if province.code == BANGKOK:
            covered = [s.pk for d in districts if d.province_id == province.pk for s in by_district[d.pk]]
            planned.append(({"lao_type": LAOType.SPECIAL, "name_th": "กรุงเทพมหานคร", "name_en": "Bangkok",
                             "province": province, "district": None, "dla_code": None}, covered))
            continue
        first_district = next(d for d in districts if d.province_id == province.pk)
        planned.append(({"lao_type": LAOType.PAO, "name_th": f"องค์การบริหารส่วนจังหวัด{province.name_th}",
                         "name_en": f"{province.name_en} Provincial Administrative Organization",
                         "province": province, "district": None,
                         "dla_code": f"2{first_district.code}01"}, []))

    for district in districts:
        if district.province.code == BANGKOK:
            continue
        subs = by_district[district.pk]
        if district.code == PATTAYA_DISTRICT:
            planned.append(({"lao_type": LAOType.SPECIAL, "name_th": "เมืองพัทยา", "name_en": "Pattaya City",
                             "province": district.province, "district": district, "dla_code": None},
                            [s.pk for s in subs if s.code in PATTAYA_SUBDISTRICTS]))
            subs = [s for s in subs if s.code not in PATTAYA_SUBDISTRICTS]
        if not subs:
            continue
        seat = _seat(district, subs)
        sequence: dict[str, int] = defaultdict(int)
        for sub in subs:
            if district.name_th.startswith("เมือง") and sub is subs[0]:
                lao_type = LAOType.CITY if district.province.code in CITY_PROVINCES else LAOType.TOWN
                place_th, place_en = district.province.name_th, district.province.name_en
            else:
                lao_type = LAOType.SUBDISTRICT_MUNICIPALITY if sub is seat else LAOType.SAO
                place_th, place_en = sub.name_th, sub.name_en
            sequence[lao_type] += 1
            prefix_th, suffix_en = _PREFIX[lao_type]
            planned.append(({"lao_type": lao_type, "name_th": f"{prefix_th}{place_th}",
                             "name_en": f"{place_en} {suffix_en}", "province": district.province,
                             "district": district,
                             "dla_code": f"{DLA_CODE_TYPE_DIGIT[lao_type]}{district.code}{sequence[lao_type]:02d}"},
                            [sub.pk]))
    return planned


def _key(fields: dict) -> tuple:
    return fields["dla_code"] or (fields["lao_type"], fields["province"].pk, fields["name_th"])


@transaction.atomic
def demo_registry_load() -> int:
    """Create the demo LAOs that are missing (matched by code, or by name for the special two); idempotent.

    Returns the number created.
    """
    planned = _planned_laos()
    existing = {
        (lao.dla_code or (lao.lao_type, lao.province_id, lao.name_th))
        for lao in LAO.objects.only("dla_code", "lao_type", "province_id", "name_th")
    }
    missing = [(fields, covered) for fields, covered in planned if _key(fields) not in existing]
    created = LAO.objects.bulk_create([LAO(is_demo=True, **fields) for fields, _ in missing], batch_size=1000)
    through = LAO.subdistricts.through
    through.objects.bulk_create(
        [through(lao_id=lao.pk, subdistrict_id=sub_id) for lao, (_, covered) in zip(created, missing, strict=True)
         for sub_id in covered],
        batch_size=2000,
    )
    return len(created)
