"""What collectstatic gathers for production: the portal's assets, not what only the browser tests use."""

from django.apps import apps
from django.contrib.staticfiles.finders import get_finders


def collected() -> set[str]:
    patterns = apps.get_app_config("staticfiles").ignore_patterns
    return {path for finder in get_finders() for path, _storage in finder.list(patterns)}


def test_axe_core_is_left_out_and_the_portals_assets_are_collected():
    files = collected()
    assert "css/portal.css" in files and "js/htmx.min.js" in files
    assert not any(path.startswith("vendor/axe-core/") for path in files)
