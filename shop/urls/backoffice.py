"""The backoffice deployment: the staff API, the Django admin, the SPA's files."""

from django.contrib import admin
from django.urls import include, path

from shop.core.health import healthz

urlpatterns = [
    path("healthz", healthz),
    path("api/", include("backoffice.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("backoffice.spa_views")),  # the staff SPA: index.html for client routes
]
handler404 = "backoffice.spa_views.page_not_found"  # not the storefront's 404.html
