"""The embedded set-up of `make run`: SQLite, tasks in-process, e-mail to the console."""

from info_portal.settings.base import *  # noqa: F403
from info_portal.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
# Static files come straight from the apps and static/ folder; nothing to collect for the embedded set-up.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
