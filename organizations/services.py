"""Writes on the geography and the LAO registry."""

from dataclasses import dataclass

import geothai
from django.db import transaction

from organizations.models import District, Province, Subdistrict


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


def _sync(model, rows: dict[str, dict], fields: list[str]) -> LoadCounts:
    """Create the missing rows and update the changed ones, keyed by code, in bulk."""
    counts = LoadCounts()
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
            continue
        changed = [f for f in fields if getattr(obj, f) != values[f]]
        if changed:
            for f in fields:
                setattr(obj, f, values[f])
            to_update.append(obj)
        else:
            counts.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    model.objects.bulk_update(to_update, fields, batch_size=1000)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


@transaction.atomic
def geography_load() -> dict[str, LoadCounts]:
    """Load every province, district and subdistrict from the geothai package (DOPA codes); idempotent."""
    provinces = geothai.provinces()
    province_rows = {p.code: {"name_th": p.name_th, "name_en": p.name_en} for p in provinces}
    result = {"provinces": _sync(Province, province_rows, ["name_th", "name_en"])}

    province_ids = dict(Province.objects.values_list("code", "pk"))
    district_rows = {
        d.code: {"name_th": d.name_th, "name_en": d.name_en, "province_id": province_ids[d.province_code]}
        for p in provinces for d in geothai.districts(p.code)
    }
    result["districts"] = _sync(District, district_rows, ["name_th", "name_en", "province_id"])

    district_ids = dict(District.objects.values_list("code", "pk"))
    subdistrict_rows = {
        s.code: {"name_th": s.name_th, "name_en": s.name_en, "district_id": district_ids[s.district_code]}
        for code in district_rows for s in geothai.subdistricts(code)
    }
    result["subdistricts"] = _sync(Subdistrict, subdistrict_rows, ["name_th", "name_en", "district_id"])
    return result
