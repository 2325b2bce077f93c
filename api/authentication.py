"""A request to the API carries `Authorization: Api-Key <key>`; without a usable key it gets 401.

Throttling counts per key, at the rate of API_KEY_THROTTLE_RATE (read on each request, so tests and
deployments can change it)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.permissions import KeyParser

from api.models import AgencyKey

KEYWORD = "Api-Key"


class AgencyKeyAuthentication(BaseAuthentication):
    """The key named in the Authorization header, if it exists, is not revoked and has not expired."""

    parser = KeyParser()

    def authenticate(self, request):
        raw = self.parser.get(request)
        if not raw:
            return None
        try:
            key = AgencyKey.objects.get_from_key(raw)
        except AgencyKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("กุญแจ API ไม่ถูกต้องหรือถูกยกเลิกแล้ว")) from None
        if key.has_expired:
            raise exceptions.AuthenticationFailed(_("กุญแจ API หมดอายุแล้ว"))
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return KEYWORD


class HasAgencyKey(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, AgencyKey)


class AgencyKeyThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str:
        return settings.API_KEY_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, AgencyKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


class AgencyKeyScheme(OpenApiAuthenticationExtension):
    target_class = AgencyKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Authorization: Api-Key <key>`"}
