"""Settings come from the environment; production refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


SERVICE_VARIABLES = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL",
                     "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_URL", "DATABASE_REPLICA_URL", "CACHE_URL",
                     "REDIS_URL")


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, with only the given service variables set."""
    environment = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def setting(expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print(repr({expression}))"
    result = run_manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="info_portal.settings.dev",
                        **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secret_key_or_allowed_hosts(missing):
    env = {"DJANGO_SETTINGS_MODULE": "info_portal.settings.production",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "info.example.go.th"}
    del env[missing]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        DJANGO_SETTINGS_MODULE="info_portal.settings.production",
                        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="info.example.go.th")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_embedded_defaults_are_sqlite_in_process_tasks_and_console_mail():
    assert setting("settings.DATABASES['default']['ENGINE']") == "'django.db.backends.sqlite3'"
    assert setting("str(settings.DATABASES['default']['NAME'])") == repr(str(ROOT / "db.sqlite3"))
    assert setting("settings.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert setting("settings.EMAIL_BACKEND") == "'django.core.mail.backends.console.EmailBackend'"


def test_urls_configure_postgresql_a_broker_and_smtp():
    assert setting("settings.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://info:pw@db:5432/info") == \
        "'django.db.backends.postgresql'"
    assert setting("settings.CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL="redis://redis:6379/0") == "False"
    assert setting("settings.EMAIL_HOST", EMAIL_URL="smtp+tls://mailer:pw@mail.example.go.th:587") == \
        "'mail.example.go.th'"


def test_a_replica_url_adds_a_replica_database_mirrored_in_tests_and_checked_on_reuse():
    replica = "postgres://reader:pw@db-replica:5432/info"
    assert setting("sorted(settings.DATABASES)") == "['default']"
    assert setting("sorted(settings.DATABASES)", DATABASE_REPLICA_URL=replica) == "['default', 'replica']"
    config = ("[settings.DATABASES['replica'][k] for k in ('HOST', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')]"
              " + [settings.DATABASES['replica']['TEST']['MIRROR']]")
    assert setting(config, DATABASE_URL="postgres://info:pw@db:5432/info", DATABASE_REPLICA_URL=replica,
                   CONN_MAX_AGE="60") == \
        "['db-replica', 60, True, 'default']"
    assert setting("settings.DATABASE_ROUTERS") == "['info_portal.db_router.ReplicaRouter']"


def test_the_cache_is_in_process_memory_unless_a_redis_url_is_given():
    assert setting("settings.CACHES['default']['BACKEND']") == "'django.core.cache.backends.locmem.LocMemCache'"
    redis = "{k: settings.CACHES['default'][k] for k in ('BACKEND', 'LOCATION')}"
    assert setting(redis, CACHE_URL="redis://redis:6379/2") == \
        "{'BACKEND': 'info_portal.cache.PortalRedisCache', 'LOCATION': 'redis://redis:6379/2'}"
