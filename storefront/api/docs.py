"""The public API's OpenAPI document and its offline viewers (Swagger UI and ReDoc from
drf_spectacular_sidecar, served by whitenoise): /openapi.json, /docs, /redoc."""

from __future__ import annotations

from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

SCHEMA_SETTINGS = {
    "TITLE": "Tienda public API",
    "VERSION": "1",
    "DESCRIPTION": "Catalog, carts, checkout and order status. See docs/api.md.",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# The viewers inject inline styles and ReDoc starts a blob: worker; they still load scripts
# only from this origin (the split Swagger view serves its init script as a file).
VIEWER_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

schema_view = SpectacularJSONAPIView.as_view(custom_settings=SCHEMA_SETTINGS)  # JSON, as named
swagger_view = csp_override(VIEWER_CSP)(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema", title="Tienda API"))
redoc_view = csp_override(VIEWER_CSP)(SpectacularRedocView.as_view(
    url_name="api-schema", title="Tienda API",
    template_name="storefront/shopping/redoc.html"))

urlpatterns = [
    path("openapi.json", schema_view, name="api-schema"),
    path("docs", swagger_view, name="api-docs"),
    path("redoc", redoc_view, name="api-redoc"),
]
