# The INFO portal: one image for the web server (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=info_portal.settings.production

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so that a code change does not reinstall them.
# (The project declares no packages of its own: `pip install .` installs only its dependencies.)
COPY pyproject.toml ./
RUN pip install .

RUN groupadd --system --gid 10001 info \
    && useradd --system --uid 10001 --gid info --home-dir /app --no-create-home --shell /usr/sbin/nologin info

COPY --chown=root:root . .
RUN mkdir -p /app/staticfiles /app/media \
    && chown info:info /app/staticfiles /app/media

USER info

# Static files are collected into the image; the key is a throw-away that only satisfies the settings' checks.
RUN SECRET_KEY=collectstatic-at-build-time-only-this-key-signs-nothing-0123456789 \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

EXPOSE 8000

CMD ["gunicorn", "info_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
