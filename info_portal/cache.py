"""Django's Redis cache, with one client per connection pool instead of a new one on every call.

Django builds a `redis.Redis` object for each cache call (reading the session, a count, a cached page), which costs
more CPU than the call itself. A client only holds its pool and its settings, is safe to share, and every process
and thread of the portal already has its own cache object (django.core.cache.caches), so keeping it changes
nothing but the cost: the connections still come from the same pool.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
