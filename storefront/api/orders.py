"""An order as its holder of the access token sees it, and its invoice."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from shop.orders.models import Order
from shop.orders.selectors import order_for_customer_link, order_invoice_url
from storefront.api.base import PublicApi, bearer_token, parse_id
from storefront.api.serializers import ErrorOutput, OrderOutput, amount

NO_ORDER = "this link or token does not open that order"
BEARER = OpenApiParameter("Authorization", str, OpenApiParameter.HEADER, required=False,
                          description="Bearer <access_token> from the checkout answer")
ACCESS_TOKEN = OpenApiParameter("access_token", str, OpenApiParameter.QUERY, required=False,
                                description="the order's access token (the e-mail link)")


def order_output(order: Order, invoice_url: str | None) -> dict:
    currency = order.currency
    return {
        "id": str(order.pk), "number": order.number, "status": order.status,
        "currency": currency,
        "lines": [{"sku": line.sku, "name": line.product_name, "quantity": line.quantity,
                   "unit_price": amount(line.unit_price_minor, currency),
                   "total": amount(line.total_minor, currency)} for line in order.lines.all()],
        "subtotal": amount(order.subtotal_minor, currency),
        "shipping": amount(order.shipping_minor, currency),
        "tax": amount(order.tax_minor, currency),
        "total": amount(order.total_minor, currency),
        "events": [{"status_from": e.status_from, "status_to": e.status_to, "actor": e.actor,
                    "note": e.note, "at": e.created_at} for e in order.events.all()],
        "invoice_url": invoice_url,
    }


def _order(order_id: str, token: str) -> Order:
    # A wrong token and an unknown order read the same: the answer reveals nothing.
    return order_for_customer_link(order_id=parse_id(order_id, NO_ORDER), token=token)


class OrderApi(PublicApi):
    @extend_schema(operation_id="order_get", parameters=[BEARER],
                   responses={200: OrderOutput, 404: OpenApiResponse(ErrorOutput, NO_ORDER)})
    def get(self, request: Request, order_id: str) -> Response:
        order = _order(order_id, bearer_token(request))
        return Response(OrderOutput(order_output(order, order_invoice_url(order=order))).data)


class OrderInvoiceApi(PublicApi):
    @extend_schema(
        operation_id="order_invoice", parameters=[BEARER, ACCESS_TOKEN],
        responses={307: OpenApiResponse(description="redirect to a short-lived read-only URL "
                                                    "of the PDF"),
                   404: OpenApiResponse(ErrorOutput, "no such order, or the invoice is not "
                                        "ready yet")})
    def get(self, request: Request, order_id: str) -> Response | HttpResponseRedirect:
        token = bearer_token(request) or request.query_params.get("access_token", "")
        order = _order(order_id, token[:200])
        url = order_invoice_url(order=order)
        if url is None:
            return Response({"detail": "the invoice is not ready yet"}, status=404)
        return HttpResponseRedirect(url, preserve_request=True)  # 307
