"""The backoffice URL conf plus its OpenAPI document at /openapi.json, for schemathesis."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from shop.urls.backoffice import urlpatterns as backoffice

urlpatterns = [  # before the SPA's catch-all
    path("openapi.json", SpectacularJSONAPIView.as_view(urlconf="shop.urls.backoffice")),
    *backoffice,
]
