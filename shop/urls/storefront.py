"""The storefront deployment: pages, the public API /api/v1 and its documentation."""

from django.urls import include, path

from shop.core.health import healthz

urlpatterns = [
    path("healthz", healthz),
    path("api/v1/", include("storefront.api.urls")),
    path("", include("storefront.api.docs")),  # /openapi.json, /docs, /redoc
    path("", include("storefront.urls")),
]
