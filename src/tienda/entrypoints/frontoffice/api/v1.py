"""The public JSON API, ``/api/v1``: catalog, carts, checkout and order status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response
from fastapi.responses import RedirectResponse

from tienda.bootstrap import Tienda
from tienda.domain.orders import Address
from tienda.entrypoints.frontoffice.api.schemas import (
    CartOut,
    CheckoutIn,
    CheckoutOut,
    LineIn,
    NewCartOut,
    OrderOut,
    ProductDetailOut,
    ProductListOut,
    QuantityIn,
    cart_out,
    order_out,
    product_detail_out,
    product_list_out,
)
from tienda.entrypoints.frontoffice.publishing import PublishAfterResponse
from tienda.service_layer import catalog, checkout

router = APIRouter(prefix="/api/v1", tags=["shop"])
CartToken = Annotated[str, Header(alias="X-Cart-Token", description="the cart's secret token")]


def _tienda(request: Request) -> Tienda:
    tienda: Tienda = request.app.state.tienda
    return tienda


@router.get("/products", response_model=ProductListOut)
def list_products(request: Request, category: str | None = None,
                  q: Annotated[str | None, Query(max_length=100)] = None,
                  page: Annotated[int, Query(ge=1, le=10000)] = 1) -> ProductListOut:
    return product_list_out(catalog.browse_products(_tienda(request).catalog, category, q, page))


@router.get("/products/{slug}", response_model=ProductDetailOut)
def get_product(request: Request, slug: str) -> ProductDetailOut:
    return product_detail_out(catalog.product_page(_tienda(request).catalog, slug))


@router.post("/carts", status_code=201, response_model=NewCartOut)
def create_cart(request: Request) -> NewCartOut:
    tienda = _tienda(request)
    cart_id, token = checkout.create_cart(tienda.uows, tienda.policy)
    return NewCartOut(id=cart_id, token=token)


@router.get("/carts/{cart_id}", response_model=CartOut)
def get_cart(request: Request, cart_id: str, token: CartToken) -> CartOut:
    return cart_out(checkout.get_cart(_tienda(request).uows, cart_id, token))


@router.post("/carts/{cart_id}/lines", response_model=CartOut)
def add_line(request: Request, cart_id: str, line: LineIn, token: CartToken) -> CartOut:
    cart = checkout.add_to_cart(_tienda(request).uows, cart_id, token, line.sku, line.quantity)
    return cart_out(cart)


@router.patch("/carts/{cart_id}/lines/{sku}", response_model=CartOut)
def change_line(request: Request, cart_id: str, sku: str, body: QuantityIn,
                token: CartToken) -> CartOut:
    cart = checkout.change_quantity(_tienda(request).uows, cart_id, token, sku, body.quantity)
    return cart_out(cart)


@router.delete("/carts/{cart_id}/lines/{sku}", response_model=CartOut)
def remove_line(request: Request, cart_id: str, sku: str, token: CartToken) -> CartOut:
    return cart_out(checkout.remove_from_cart(_tienda(request).uows, cart_id, token, sku))


@router.post("/carts/{cart_id}/checkout", status_code=201, response_model=CheckoutOut,
             responses={402: {"description": "payment declined"},
                        409: {"description": "stock short or cart already checked out"},
                        503: {"description": "payment provider unreachable"}})
def place_order(request: Request, cart_id: str, body: CheckoutIn, token: CartToken,
                after_response: BackgroundTasks,
                idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                              max_length=100)] = None
                ) -> CheckoutOut:
    tienda = _tienda(request)
    a = body.shipping_address
    placed = checkout.checkout(
        tienda.uows, tienda.payments, PublishAfterResponse(tienda.relay, after_response),
        tienda.policy, cart_id, token,
        checkout.CheckoutRequest(
            email=body.email,
            address=Address(a.name, a.line1, a.city, a.postal_code, a.country, a.line2),
            shipping_method=body.shipping_method, payment_token=body.payment_token,
            locale=body.locale, channel="api", idempotency_key=idempotency_key),
    )
    return CheckoutOut(order_id=placed.order_id, number=placed.number, status=placed.status,
                       access_token=placed.access_token or "")


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    return token if scheme.lower() == "bearer" else ""


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(request: Request, order_id: str,
              authorization: Annotated[str | None, Header()] = None) -> OrderOut:
    tienda = _tienda(request)
    order = checkout.view_order(tienda.uows, tienda.policy, order_id, _bearer(authorization))
    invoice = None
    if order.invoice_blob_key:
        invoice = tienda.blobs.signed_url(tienda.settings.container_invoices,
                                          order.invoice_blob_key, tienda.settings.sas_ttl_seconds)
    return order_out(order, invoice)


@router.get("/orders/{order_id}/invoice", response_class=RedirectResponse, status_code=307)
def get_invoice(request: Request, order_id: str, access_token: str = "") -> Response:
    tienda = _tienda(request)
    order = checkout.view_order(tienda.uows, tienda.policy, order_id, access_token)
    if not order.invoice_blob_key:
        return Response('{"detail":"the invoice is not ready yet"}', status_code=404,
                        media_type="application/json")
    return RedirectResponse(tienda.blobs.signed_url(
        tienda.settings.container_invoices, order.invoice_blob_key,
        tienda.settings.sas_ttl_seconds), status_code=307)
