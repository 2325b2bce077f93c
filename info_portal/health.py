"""The load balancer's health check: the database, the cache and, when one is configured, the Redis broker."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


class PortalHealthView(HealthCheckView):
    """200 when every service answers, 500 naming the one that does not (?format=json for machines)."""

    template_name = "health_check/portal.html"

    def get_checks(self):
        checks = [Database(), Cache()]
        broker = settings.CELERY_BROKER_URL
        if broker.startswith(("redis://", "rediss://", "unix://")):
            checks.append(Redis(client_factory=lambda: RedisClient.from_url(broker)))
        return checks


health = login_not_required(PortalHealthView.as_view())
