"""The public JSON API /api/v1 (its contract kept from before the port: docs/api.md)."""

from django.urls import path

from storefront.api.carts import CartApi, CartLineApi, CartLinesApi, CartsApi, CheckoutApi
from storefront.api.docs import schema_view
from storefront.api.orders import OrderApi, OrderInvoiceApi
from storefront.api.products import ProductApi, ProductsApi

urlpatterns = [
    path("products", ProductsApi.as_view(), name="api-products"),
    path("products/<str:slug>", ProductApi.as_view(), name="api-product"),
    path("carts", CartsApi.as_view(), name="api-carts"),
    path("carts/<str:cart_id>", CartApi.as_view(), name="api-cart"),
    path("carts/<str:cart_id>/lines", CartLinesApi.as_view(), name="api-cart-lines"),
    path("carts/<str:cart_id>/lines/<str:sku>", CartLineApi.as_view(), name="api-cart-line"),
    path("carts/<str:cart_id>/checkout", CheckoutApi.as_view(), name="api-checkout"),
    path("orders/<str:order_id>", OrderApi.as_view(), name="api-order"),
    path("orders/<str:order_id>/invoice", OrderInvoiceApi.as_view(), name="api-invoice"),
    path("schema", schema_view, name="api-v1-schema"),
]
