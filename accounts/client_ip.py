"""The client's address for login protection: from the trusted reverse proxies only, never from what a client says."""

from django.conf import settings


def client_ip(request) -> str | None:
    """With TRUSTED_PROXY_COUNT proxies in front (each appending the address it saw to X-Forwarded-For, as nginx's
    `$proxy_add_x_forwarded_for` does), the client is the entry that many places from the right: entries further
    left were written by the client and prove nothing. Without trusted proxies the header is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    chain = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(chain) < proxies:  # the request did not come through every proxy: trust only the connection itself
        return remote
    return chain[-proxies]
