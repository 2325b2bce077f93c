"""Plausible values of the eight sectors for one LAO, consistent with each other so the default rules pass.

Everything scales with the LAO's population, drawn by type: an อบต. of a few thousand people, a เทศบาลนคร of
a hundred thousand, an อบจ. of a province. Items this module does not know get a small generic value.
"""

from collections.abc import Iterable
from decimal import Decimal
from random import Random
from typing import Any

from organizations.models import LAOType
from sectors.models import Indicator, IndicatorKind

POPULATION = {
    LAOType.PAO: (700_000, 2_600_000),
    LAOType.CITY: (80_000, 250_000),
    LAOType.TOWN: (15_000, 60_000),
    LAOType.SUBDISTRICT_MUNICIPALITY: (4_000, 15_000),
    LAOType.SAO: (2_500, 12_000),
    LAOType.SPECIAL: (100_000, 150_000),
}
MAIN_CROPS = ("ข้าว", "มันสำปะหลัง", "อ้อย", "ข้าวโพดเลี้ยงสัตว์", "ยางพารา", "ปาล์มน้ำมัน", "ผลไม้")


def _money(rng: Random, low: float, high: float) -> Decimal:
    return Decimal(round(rng.uniform(low, high), -3)).quantize(Decimal("0.01"))


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def lao_values(lao_type: str, rng: Random, *, name: str = "") -> dict[str, Any]:
    """Every known item of the default catalogue, typed, by code."""
    low, high = POPULATION.get(lao_type, POPULATION[LAOType.SAO])
    population = int(rng.uniform(low, high))
    if name == "กรุงเทพมหานคร":
        population = 5_490_000
    scale = population / 8_000  # an average อบต. is 1
    urban = lao_type in (LAOType.CITY, LAOType.TOWN, LAOType.SPECIAL)
    households = int(population / rng.uniform(2.6, 3.4))
    male = int(population * rng.uniform(0.48, 0.50))
    villages = max(int(rng.uniform(8, 22) * scale ** 0.6), 3)
    elderly = int(population * rng.uniform(0.14, 0.22))
    roads = [rng.uniform(5, 30) * scale ** 0.7 * share for share in (
        (1.6, 1.0, 0.2, 0.1) if urban else (0.6, 0.9, 1.0, 0.6))]
    road_parts = [_dec(r) for r in roads]
    waste = rng.uniform(0.6, 1.3) * population / 1000
    village_systems = 0 if urban else max(int(villages * rng.uniform(0.6, 1.2)), 1)
    complaints = int(rng.uniform(5, 60) * scale ** 0.5)
    health_centres = max(int(rng.uniform(1, 3) * scale ** 0.5), 1)
    budget = _money(rng, 28e6, 80e6) * Decimal(str(round(scale ** 0.85, 4)))
    return {
        # governance
        "gov_area": _dec(rng.uniform(30, 150) * (scale ** 0.5 if lao_type == LAOType.PAO else 1)
                         * (0.3 if urban else 1)),
        "gov_villages": villages,
        "gov_population_male": male,
        "gov_population_female": population - male,
        "gov_population_total": population,
        "gov_households": households,
        "gov_council_members": 24 if urban else max(villages * 2, 12),
        "gov_staff_officials": max(int(rng.uniform(18, 45) * scale ** 0.7), 8),
        "gov_staff_permanent": int(rng.uniform(1, 8) * scale ** 0.5),
        "gov_staff_contract": int(rng.uniform(15, 60) * scale ** 0.7),
        "gov_budget": budget.quantize(Decimal("0.01")),
        "gov_revenue_own": (budget * Decimal(str(round(rng.uniform(0.03, 0.25), 3)))).quantize(Decimal("0.01")),
        "gov_revenue_shared": (budget * Decimal(str(round(rng.uniform(0.3, 0.5), 3)))).quantize(Decimal("0.01")),
        "gov_grants": (budget * Decimal(str(round(rng.uniform(0.3, 0.5), 3)))).quantize(Decimal("0.01")),
        "gov_expenditure": (budget * Decimal(str(round(rng.uniform(0.8, 0.97), 3)))).quantize(Decimal("0.01")),
        "gov_complaints": complaints,
        "gov_complaints_resolved": int(complaints * rng.uniform(0.7, 1.0)),
        # health and environment
        "env_waste_generated": _dec(waste),
        "env_waste_collected": _dec(waste * rng.uniform(0.5 if not urban else 0.85, 0.99)),
        "env_waste_households_served": int(households * rng.uniform(0.3 if not urban else 0.8, 1.0)),
        "env_disposal_method": rng.choice(("ฝังกลบถูกหลักสุขาภิบาล", "ส่งให้หน่วยงานอื่นกำจัด",
                                           "กองบนพื้นหรือเผากลางแจ้ง")),
        "env_sorting_communities": int(villages * rng.uniform(0.2, 1.0)),
        "env_hazardous_points": int(rng.uniform(0, 3) * scale ** 0.5),
        "env_garbage_trucks": max(int(rng.uniform(0.5, 2) * scale ** 0.7), 1 if urban else 0),
        "env_wastewater_system": urban and rng.random() < 0.6,
        "env_parks": int(rng.uniform(0, 3) * scale ** 0.6),
        "env_green_area": _dec(rng.uniform(2, 40) * scale ** 0.5),
        "env_nuisance_complaints": int(rng.uniform(0, 15) * scale ** 0.5),
        # innovation and education
        "edu_child_centres": max(int(rng.uniform(1, 3) * scale ** 0.5), 1),
        "edu_child_centre_children": int(rng.uniform(40, 120) * scale ** 0.5),
        "edu_caregivers": int(rng.uniform(4, 10) * scale ** 0.5),
        "edu_schools": int(rng.uniform(0, 2) * scale ** 0.5) if lao_type != LAOType.SAO else rng.randint(0, 1),
        "edu_students": int(rng.uniform(0, 600) * scale ** 0.7),
        "edu_teachers": int(rng.uniform(0, 30) * scale ** 0.7),
        "edu_learning_centres": int(rng.uniform(1, 4) * scale ** 0.5),
        "edu_scholarships": int(rng.uniform(0, 40) * scale ** 0.5),
        "edu_eservices": rng.randint(1, 12),
        "edu_public_wifi": int(rng.uniform(1, 10) * scale ** 0.5),
        "edu_innovations": rng.randint(0, 4),
        # public health
        "ph_health_centres": health_centres,
        "ph_health_centres_transferred": int(health_centres * rng.choice((0, 0, 0.5, 1))),
        "ph_health_volunteers": int(villages * rng.uniform(8, 15)),
        "ph_health_fund": True,
        "ph_elderly": elderly,
        "ph_bedridden": int(elderly * rng.uniform(0.01, 0.03)),
        "ph_disabled": int(population * rng.uniform(0.02, 0.04)),
        "ph_elderly_schools": rng.randint(0, 2),
        "ph_ems_units": max(int(rng.uniform(0.5, 2) * scale ** 0.5), 1),
        "ph_ambulances": max(int(rng.uniform(0.5, 2) * scale ** 0.5), 1),
        "ph_dengue_cases": int(population * rng.uniform(0, 0.002)),
        "ph_rabies_vaccinated": int(households * rng.uniform(0.3, 0.8)),
        # infrastructure
        "inf_road_asphalt": road_parts[0],
        "inf_road_concrete": road_parts[1],
        "inf_road_laterite": road_parts[2],
        "inf_road_earth": road_parts[3],
        "inf_road_total": sum(road_parts, Decimal(0)),
        "inf_bridges": int(rng.uniform(1, 8) * scale ** 0.5),
        "inf_street_lights": int(rng.uniform(80, 400) * scale ** 0.7),
        "inf_drainage": _dec(rng.uniform(2, 20) * scale ** 0.7),
        "inf_households_electricity": int(households * rng.uniform(0.96, 1.0)),
        "inf_cctv": int(rng.uniform(5, 40) * scale ** 0.6),
        "inf_public_buildings": int(rng.uniform(3, 12) * scale ** 0.5),
        "inf_bus_stops": int(rng.uniform(3, 20) * scale ** 0.5),
        # water
        "wat_village_systems": village_systems,
        "wat_systems_working": int(village_systems * rng.uniform(0.7, 1.0)),
        "wat_systems_quality_passed": int(village_systems * rng.uniform(0.3, 0.9)),
        "wat_households_tap": int(households * rng.uniform(0.7 if not urban else 0.95, 1.0)),
        "wat_production_capacity": _dec(rng.uniform(10, 60) * scale ** 0.8),
        "wat_ponds": int(rng.uniform(2, 15) * scale ** 0.5) if not urban else rng.randint(0, 3),
        "wat_weirs": int(rng.uniform(0, 10) * scale ** 0.5) if not urban else 0,
        "wat_reservoirs": rng.randint(0, 2),
        "wat_wells": int(rng.uniform(2, 20) * scale ** 0.5),
        "wat_irrigated_area": _dec(rng.uniform(0, 5000) * scale ** 0.5) if not urban else Decimal(0),
        "wat_flood_villages": int(villages * rng.choice((0, 0, 0.1, 0.3))),
        "wat_drought_villages": int(villages * rng.choice((0, 0.1, 0.2, 0.5))),
        # society, religion and culture
        "soc_temples": max(int(villages * rng.uniform(0.5, 1.0)), 1),
        "soc_mosques": rng.choice((0, 0, 0, 1)),
        "soc_churches": rng.choice((0, 0, 0, 1)),
        "soc_shrines": rng.randint(0, 3),
        "soc_elderly_allowance": int(elderly * rng.uniform(0.8, 0.98)),
        "soc_disability_allowance": int(population * rng.uniform(0.015, 0.03)),
        "soc_hiv_allowance": int(population * rng.uniform(0, 0.002)),
        "soc_community_groups": int(villages * rng.uniform(0.5, 2)),
        "soc_cultural_sites": rng.randint(0, 5),
        "soc_traditions": rng.randint(3, 12),
        "soc_sports_fields": max(int(villages * rng.uniform(0.3, 1)), 1),
        "soc_civil_defence_volunteers": int(population * rng.uniform(0.005, 0.015)),
        # economy and tourism
        "eco_tourist_sites": rng.randint(0, 6),
        "eco_tourists": int(rng.uniform(0, 30_000) * scale ** 0.7),
        "eco_hotels": int(rng.uniform(0, 5) * scale ** 0.7),
        "eco_otop_products": rng.randint(1, 15),
        "eco_markets": max(int(rng.uniform(1, 4) * scale ** 0.5), 1),
        "eco_community_enterprises": int(rng.uniform(2, 15) * scale ** 0.5),
        "eco_occupation_groups": int(rng.uniform(3, 20) * scale ** 0.5),
        "eco_household_income": _money(rng, 90_000, 260_000),
        "eco_agricultural_area": _dec(rng.uniform(5_000, 40_000) * scale ** 0.6 * (0.2 if urban else 1)),
        "eco_main_crop": rng.choice(MAIN_CROPS),
        "eco_farm_households": int(households * rng.uniform(0.05 if urban else 0.4, 0.2 if urban else 0.8)),
        "eco_factories": int(rng.uniform(0, 8) * scale ** 0.5),
    }


def _generic(indicator: Indicator, rng: Random) -> Any:
    if indicator.kind == IndicatorKind.INTEGER:
        return rng.randint(0, 20)
    if indicator.kind == IndicatorKind.DECIMAL:
        return _dec(rng.uniform(0, 100))
    if indicator.kind == IndicatorKind.YES_NO:
        return rng.random() < 0.5
    if indicator.kind == IndicatorKind.CHOICE:
        return indicator.choices[0] if indicator.choices else None
    return None


def sector_values(indicators: list[Indicator], known: dict[str, Any], rng: Random, *,
                  complete: bool) -> dict[str, Any]:
    """The values a recorder types for one sector: all of them, or for a draft only part of them."""
    chosen = {}
    for indicator in indicators:
        value = known[indicator.code] if indicator.code in known else _generic(indicator, rng)
        if value is None or (not complete and rng.random() < 0.4):
            continue
        if not _in_range(indicator, value):
            continue  # a catalogue edited since: the recorder leaves it for later
        chosen[indicator.code] = value
    return chosen


def _in_range(indicator: Indicator, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return True
    number = Decimal(value)
    return not ((indicator.min_value is not None and number < indicator.min_value)
                or (indicator.max_value is not None and number > indicator.max_value))


# Items that are the sum of others, computed again once the parts have moved.
SUMS = {"gov_population_total": ("gov_population_male", "gov_population_female"),
        "inf_road_total": ("inf_road_asphalt", "inf_road_concrete", "inf_road_laterite", "inf_road_earth")}


def lao_year_values(lao_type: str, *, lao_key: str, be_year: int, seed: int, name: str = "",
                    items: Iterable[Indicator] = ()) -> dict[str, Any]:
    """The LAO's values in one fiscal year: the same LAO every year (drawn from the seed and the LAO alone, with a
    small generic value for each of `items` this module does not know), its numbers grown or shrunk together by a
    few per cent a year. Scaling every number alike keeps the rules (sums, "at most") true and keeps each change
    from last year far below the 50 % that asks for a reason; small counts round back to themselves."""
    rng = Random(f"{seed}:{lao_key}")
    known = lao_values(lao_type, rng, name=name)
    for item in items:
        if item.code not in known:  # drawn for the item alone: an item added or retired moves no other one
            known[item.code] = _generic(item, Random(f"{seed}:{lao_key}:{item.code}"))
    growth = Decimal(str(round(Random(f"{seed}:{be_year}:{lao_key}:growth").uniform(0.96, 1.06), 4)))
    grown: dict[str, Any] = {}
    for code, value in known.items():
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            grown[code] = value
        elif isinstance(value, int):
            grown[code] = int((value * growth).to_integral_value())
        else:
            grown[code] = (value * growth).quantize(Decimal("0.01"))
    for total, parts in SUMS.items():
        grown[total] = sum((grown[part] for part in parts), type(grown[total])(0))
    return grown
