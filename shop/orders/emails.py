"""What an order's e-mails say about it: the context for shop.notifications' templates."""

from __future__ import annotations

from django.conf import settings

from shop.orders.models import Order
from shop.orders.money import format_money
from shop.orders.tokens import order_access_token
from shop.payments.models import Payment, PaymentStatus


def order_link(order: Order) -> str:
    return (f"{settings.PUBLIC_BASE_URL}/orders/{order.pk}"
            f"?access_token={order_access_token(order.pk)}")


def invoice_link(order: Order) -> str:
    return (f"{settings.PUBLIC_BASE_URL}/api/v1/orders/{order.pk}/invoice"
            f"?access_token={order_access_token(order.pk)}")


def _refunded(order: Order) -> bool:
    try:
        return order.payment.status == PaymentStatus.REFUNDED
    except Payment.DoesNotExist:
        return False


def order_email_context(order: Order) -> dict:
    locale = order.locale

    def money(minor: int) -> str:
        return format_money(minor, order.currency, locale)

    return {
        "order_id": str(order.pk), "number": order.number,
        "lines": [{"quantity": line.quantity, "name": line.product_name, "sku": line.sku,
                   "total": money(line.total_minor)} for line in order.lines.all()],
        "total": money(order.total_minor), "order_link": order_link(order),
        "invoice_link": invoice_link(order), "tracking_number": order.tracking_number or "",
        "refunded": _refunded(order),
    }
