"""Test settings: the same as the embedded set-up unless DATABASE_URL / CELERY_BROKER_URL say otherwise."""

from info_portal.settings.base import *  # noqa: F403
from info_portal.settings.base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-use-anywhere"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
