"""Builders for the account tests: accounts, guest and account orders."""

from __future__ import annotations

import uuid
from itertools import count

from shop.customers.models import Customer
from shop.orders.models import Order
from shop.users.models import User

PASSWORD = "a long enough password"
_numbers = count(1)


def an_account(email: str = "ana@example.com", *, password: str = PASSWORD, name: str = "Ana",
               marketing: bool = False) -> Customer:
    user = User.objects.create_user(email, password, name=name)
    return Customer.objects.create(email=email, user=user, name=name,
                                   marketing_consent=marketing)


def an_order(email: str = "ana@example.com", *, customer: Customer | None = None,
             total: int = 2495, status: str = "confirmed") -> Order:
    """An order row as checkout leaves it (lines are not needed by the account pages)."""
    return Order.objects.create(
        id=uuid.uuid4(), number=f"T-261202-{next(_numbers):06X}", customer=customer,
        email=email, status=status, currency="EUR", subtotal_minor=total - 495,
        shipping_minor=495, tax_minor=433, total_minor=total, shipping_method="standard",
        shipping_address={"name": "Ana García", "line1": "Calle Mayor 1", "line2": "",
                          "city": "Madrid", "postal_code": "28013", "country": "ES"})
