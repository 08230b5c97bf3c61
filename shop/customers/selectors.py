"""Customer reads: the account behind a signed-in user, its orders and addresses, and the
one-click unsubscribe link that marketing e-mails carry."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from shop.core.errors import NotFound
from shop.core.tokens import derived_token, same
from shop.customers.models import Address, Customer
from shop.orders.models import Order

ORDER_HISTORY_LIMIT = 100
ORDER_HISTORY_FIELDS = ("id", "number", "status", "placed_at", "total_minor", "currency")
UNSUBSCRIBE_TOKEN_LENGTH = 32


def customer_of_user(*, user) -> Customer | None:
    """The customer record of a signed-in shopper (None for anonymous or staff-only users)."""
    if user is None or not user.is_authenticated:
        return None
    return Customer.objects.filter(user=user).first()


def customer_orders(*, customer: Customer, limit: int = ORDER_HISTORY_LIMIT) -> list[Order]:
    return list(Order.objects.filter(customer=customer).only(*ORDER_HISTORY_FIELDS)
                .order_by("-placed_at", "-number")[:limit])


def customer_order(*, customer: Customer, number: str) -> Order:
    """One of the customer's own orders by number; anybody else's reads as missing."""
    order = (Order.objects.filter(customer=customer, number=number[:20])
             .prefetch_related("lines").first())
    if order is None:
        raise NotFound("this link does not open an order")
    return order


def customer_addresses(*, customer: Customer) -> QuerySet[Address]:
    return Address.objects.filter(customer=customer).order_by("id")


def unsubscribe_token(customer_id: int) -> str:
    return derived_token("unsubscribe", str(customer_id), length=UNSUBSCRIBE_TOKEN_LENGTH)


def unsubscribe_token_valid(*, customer_id: int, token: str) -> bool:
    return same(unsubscribe_token(customer_id), token)


def unsubscribe_url(customer: Customer) -> str:
    """The absolute one-click link for a marketing e-mail (also its `List-Unsubscribe`
    header; send `List-Unsubscribe-Post: List-Unsubscribe=One-Click` with it, RFC 8058)."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/unsubscribe/{customer.pk}/{unsubscribe_token(customer.pk)}"
