"""Carts and checkout over the public API: thin views over shop.checkout's services."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shop.checkout.models import Cart
from shop.checkout.selectors import cart_summary
from shop.checkout.services import (
    cart_create,
    cart_line_add,
    cart_line_remove,
    cart_line_set,
    cart_open,
    checkout_place,
)
from storefront.api.base import PublicApi, cart_token, idempotency_key, parse_id
from storefront.api.serializers import (
    CartOutput,
    CheckoutInput,
    CheckoutOutput,
    ErrorOutput,
    LineInput,
    NewCartOutput,
    QuantityInput,
    amount,
)

CART_TOKEN = OpenApiParameter("X-Cart-Token", str, OpenApiParameter.HEADER, required=True,
                              description="the cart's secret token, from POST /carts")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="at most 100 characters; a retry with the same key and the same cart "
                "returns the same order")
REFUSALS = {403: OpenApiResponse(ErrorOutput, "the cart token does not match"),
            404: OpenApiResponse(ErrorOutput, "no such cart, or SKU not in the cart"),
            409: OpenApiResponse(ErrorOutput, "not enough stock"),
            422: OpenApiResponse(ErrorOutput, "invalid input")}


def cart_output(cart: Cart) -> dict:
    # The API has always named lines in Spanish (the catalog's first language).
    summary = cart_summary(cart=cart, locale="es", with_labels=False)
    currency = summary.currency
    return {
        "id": str(cart.pk), "currency": currency,
        "lines": [{"sku": line.sku, "name": line.product_name, "quantity": line.quantity,
                   "unit_price": amount(line.unit_price_minor, currency),
                   "total": amount(line.total_minor, currency),
                   "available": max(line.available, 0)} for line in summary.lines],
        "subtotal": amount(summary.subtotal_minor, currency),
        "checked_out_order_id": (str(cart.checked_out_order_id)
                                 if cart.checked_out_order_id else None),
    }


def _opened(request: Request, cart_id: str) -> Cart:
    token = cart_token(request)
    return cart_open(cart_id=parse_id(cart_id, f"there is no cart {cart_id}"), token=token)


class CartsApi(PublicApi):
    @extend_schema(operation_id="cart_create", request=None, responses={201: NewCartOutput})
    def post(self, request: Request) -> Response:
        cart, token = cart_create()
        return Response({"id": str(cart.pk), "token": token}, status=status.HTTP_201_CREATED)


class CartApi(PublicApi):
    @extend_schema(operation_id="cart_get", parameters=[CART_TOKEN],
                   responses={200: CartOutput, **REFUSALS})
    def get(self, request: Request, cart_id: str) -> Response:
        return Response(cart_output(_opened(request, cart_id)))


class CartLinesApi(PublicApi):
    @extend_schema(operation_id="cart_line_add", parameters=[CART_TOKEN], request=LineInput,
                   responses={200: CartOutput, **REFUSALS},
                   description="Adds to the quantity already in the cart.")
    def post(self, request: Request, cart_id: str) -> Response:
        data = LineInput(data=request.data)
        data.is_valid(raise_exception=True)
        cart = _opened(request, cart_id)
        return Response(cart_output(cart_line_add(cart=cart, **data.validated_data)))


class CartLineApi(PublicApi):
    @extend_schema(operation_id="cart_line_set", parameters=[CART_TOKEN],
                   request=QuantityInput, responses={200: CartOutput, **REFUSALS})
    def patch(self, request: Request, cart_id: str, sku: str) -> Response:
        data = QuantityInput(data=request.data)
        data.is_valid(raise_exception=True)
        cart = _opened(request, cart_id)
        quantity = data.validated_data["quantity"]
        return Response(cart_output(cart_line_set(cart=cart, sku=sku, quantity=quantity)))

    @extend_schema(operation_id="cart_line_remove", parameters=[CART_TOKEN],
                   responses={200: CartOutput, **REFUSALS})
    def delete(self, request: Request, cart_id: str, sku: str) -> Response:
        cart = _opened(request, cart_id)
        return Response(cart_output(cart_line_remove(cart=cart, sku=sku)))


class CheckoutApi(PublicApi):
    @extend_schema(
        operation_id="cart_checkout", parameters=[CART_TOKEN, IDEMPOTENCY_KEY],
        request=CheckoutInput,
        responses={201: CheckoutOutput,
                   402: OpenApiResponse(ErrorOutput, "payment declined"),
                   403: OpenApiResponse(ErrorOutput, "the cart token does not match"),
                   404: OpenApiResponse(ErrorOutput, "no such cart"),
                   409: OpenApiResponse(ErrorOutput, "stock short, cart already checked "
                                        "out, cart changed, or key used for another cart"),
                   422: OpenApiResponse(ErrorOutput, "invalid input"),
                   503: OpenApiResponse(ErrorOutput, "payment provider unreachable")},
        description="Places a pending order; the payment is authorized now and captured "
                    "when the order is confirmed in the background. A retry with the same "
                    "Idempotency-Key and cart answers 201 with the same order.")
    def post(self, request: Request, cart_id: str) -> Response:
        token = cart_token(request)
        key = idempotency_key(request)
        cart_uuid = parse_id(cart_id, f"there is no cart {cart_id}")
        data = CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        placed = checkout_place(cart_id=cart_uuid, token=token, channel="api",
                                idempotency_key=key, **data.validated_data)
        order = placed.order
        # Legacy answered 201 on a replay too; clients rely on that.
        return Response({"order_id": str(order.pk), "number": order.number,
                         "status": order.status, "access_token": placed.access_token},
                        status=status.HTTP_201_CREATED)
