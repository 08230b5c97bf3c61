"""The shop's pages; each area keeps its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("storefront.views.catalog")),
    path("", include("storefront.views.cart")),
    path("", include("storefront.views.checkout")),
    path("", include("storefront.views.account")),
]
