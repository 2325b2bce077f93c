"""A model's default ordering keeps to its own columns: an ordering that crosses a relation makes every query of
the model join, whether or not the page cares about the order. Lists that need such an order ask for it."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from organizations.models import LAO
from sectors.models import Indicator, SectorReport

PROJECT = Path(settings.BASE_DIR).resolve()


def _project_models() -> list[type[models.Model]]:
    own = [config for config in apps.get_app_configs()
           if Path(config.path).resolve().parent == PROJECT]
    return [model for config in own for model in config.get_models()]


def _crossing(model: type[models.Model]) -> list[str]:
    """The entries of the model's ordering that reach another table."""
    crossing = []
    for entry in model._meta.ordering:
        if not isinstance(entry, str):
            crossing.append(repr(entry))  # an expression: not a plain own column
            continue
        name = entry.lstrip("-")
        if name in ("pk", "?"):
            continue
        if "__" in name:
            crossing.append(entry)
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            crossing.append(entry)
            continue
        # `lao` orders by the LAO's own ordering (a join); `lao_id` orders by the column itself.
        if field.is_relation and name != field.attname:
            crossing.append(entry)
    return crossing


def test_the_project_has_models_to_check():
    names = {model.__name__ for model in _project_models()}
    assert {"LAO", "SectorReport", "Indicator", "ReportingRound", "PublicSector"} <= names


@pytest.mark.parametrize("model", _project_models(), ids=lambda model: model._meta.label)
def test_default_ordering_uses_own_columns(model):
    assert _crossing(model) == []


@pytest.mark.parametrize("queryset", [
    lambda: LAO.objects.all(),
    lambda: SectorReport.objects.all(),
    lambda: Indicator.objects.filter(fiscal_year_id=1),
], ids=["lao", "sector_report", "indicator"])
def test_an_unordered_query_reads_one_table(queryset):
    assert "JOIN" not in str(queryset().query)
