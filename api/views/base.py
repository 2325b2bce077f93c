"""What every API endpoint shares: a key (401 without one), throttling per key, scope checks (404 outside it),
JSON or CSV, cursor pages, conditional requests and a usage row per request."""

from datetime import datetime
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework_csv.renderers import CSVRenderer as BaseCSVRenderer

from api import services
from api.models import AgencyKey
from api.pagination import ApiCursorPagination
from api.scope import refuse_foreign_units
from info_portal.db_router import replica_reads


class CSVRenderer(BaseCSVRenderer):
    """A list as CSV (UTF-8 with a byte-order mark so Excel reads Thai), columns in the serializer's order; a list
    inside a row is one cell, its items joined by ";"."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, media_type=None, renderer_context=None, writer_opts=None):
        if data is None:
            return b""
        context = dict(renderer_context or {})
        response = context.get("response")
        if response is not None and response.status_code >= 400:
            context.pop("header", None)  # an error: its own fields
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        else:
            rows = data if isinstance(data, list) else [data]
        rows = [{name: ";".join(map(str, value)) if isinstance(value, list) else value for name, value in row.items()}
                if isinstance(row, dict) else row for row in rows]
        return "\ufeff".encode() + super().render(rows, media_type, context)


def _rows(data) -> int:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    if isinstance(data, list):
        return len(data)
    return 1


class ApiMixin:
    """Set on each view: `resource` (its name in the usage log) and optionally `last_modified()`."""

    resource = ""
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = ApiCursorPagination
    cursor_ordering = "id"

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return login_not_required(replica_reads(conditional(view)))

    @property
    def key(self) -> AgencyKey:
        if getattr(self, "swagger_fake_view", False):
            return AgencyKey()  # the schema generator's request: a national key that is never saved
        return self.request.auth

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_foreign_units(request.auth, request.query_params)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        serializer_class = getattr(self, "serializer_class", None)
        if serializer_class is not None:
            context["header"] = list(serializer_class().fields)
        return context

    def last_modified(self) -> datetime | None:
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A streamed answer logs its rows itself, once it has sent them all.
        if isinstance(getattr(request, "auth", None), AgencyKey) and not response.streaming:
            ok = response.status_code < 400
            services.usage_record(key=request.auth, resource=self.resource, status=response.status_code,
                                  count=_rows(response.data) if ok and hasattr(response, "data") else 0)
            if ok and not response.has_header("Last-Modified"):
                changed = self.last_modified()
                if changed is not None:
                    response["Last-Modified"] = http_date(changed.timestamp())
        return response


def conditional(view):
    """An ETag from the body of every successful read, and 304 for a client that already has it (or a newer
    Last-Modified)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        patch_vary_headers(response, ["Accept"])
        set_response_etag(response)
        last_modified = response.get("Last-Modified")
        return get_conditional_response(request, etag=response["ETag"],
                                        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
                                        response=response)
    return wrapper


class ApiList(ApiMixin, ListAPIView):
    pass


class ApiDetail(ApiMixin, RetrieveAPIView):
    pass


class ApiView(ApiMixin, GenericAPIView):
    pass
