from tests.dashboards.conftest import _empty_cache, fiscal_year, round_  # noqa: F401
