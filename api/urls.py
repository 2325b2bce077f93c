"""/api/v1/: the read API for agencies; /api/schema/ its OpenAPI 3 schema; /api/docs/ its Swagger UI.

Redoc is not offered: its bundle always loads a logo from its vendor's CDN, which the portal's policy refuses."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import data, docs, registry

app_name = "api"

urlpatterns = [
    path("v1/provinces/", registry.ProvinceList.as_view(), name="provinces"),
    path("v1/provinces/<str:code>/", registry.ProvinceDetail.as_view(), name="province"),
    path("v1/districts/", registry.DistrictList.as_view(), name="districts"),
    path("v1/districts/<str:code>/", registry.DistrictDetail.as_view(), name="district"),
    path("v1/laos/", registry.LAOList.as_view(), name="laos"),
    path("v1/laos/<int:pk>/", registry.LAODetail.as_view(), name="lao"),
    path("v1/fiscal-years/", registry.FiscalYearList.as_view(), name="fiscal_years"),
    path("v1/sectors/", registry.SectorList.as_view(), name="sectors"),
    path("v1/items/", registry.ItemList.as_view(), name="items"),
    path("v1/values/", data.ValueList.as_view(), name="values"),
    path("v1/values.csv", data.ValueExport.as_view(), name="values_export"),
    path("v1/completion/", data.CompletionList.as_view(), name="completion"),
    path("v1/aggregates/", data.AggregateView.as_view(), name="aggregates"),
    # The schema and its pages name no data: anyone may read them.
    path("schema/", login_not_required(SpectacularAPIView.as_view(**docs.PUBLIC)), name="schema"),
    path("docs/", docs.page(SpectacularSwaggerSplitView.as_view(url_name="api:schema", **docs.PUBLIC)),
         name="swagger"),
]
