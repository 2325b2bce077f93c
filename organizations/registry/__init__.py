"""Import of the official LAO registry from CSV or Excel through django-import-export: every row or none."""

from organizations.registry.columns import COLUMNS, RegistryError, RegistryImportResult, RegistryRow
from organizations.registry.resource import LAORegistryResource
from organizations.registry.service import registry_import

__all__ = ["COLUMNS", "LAORegistryResource", "RegistryError", "RegistryImportResult", "RegistryRow", "registry_import"]
