"""A small shop for the staff API tests: a staff member of every role, a product with stock in
MAD (and an empty BCN), a customer, a captured e-mail; orders placed and taken to a state the
way the shop does it (checkout, confirmation, fulfilment services)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from PIL import Image

from shop.catalog.models import Category, Product, Variant
from shop.customers.models import Customer
from shop.inventory.services import stock_set
from tests.backoffice.builders import a_staff_member
from tests.builders import a_category, a_product, a_variant, a_warehouse

ROLES = ("admin", "manager", "support", "viewer")
SKU = "TEE-M"
BASE_URL = "127.0.0.1:8001"
ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "line2": "", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def email_of(role: str) -> str:
    return f"{role}@tienda.test"


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    category: Category
    product: Product
    variant: Variant
    customer: Customer
    staff: dict[str, Any] = field(default_factory=dict)
    mail_id: str = ""
    load_warehouse: Callable[[], None] = lambda: None

    def client(self, role: str | None) -> Client:
        """A browser signed in as `role` (anonymous for None)."""
        client = Client(HTTP_HOST=BASE_URL)
        if role is not None:
            client.force_login(self.staff[role])
        return client

    def order(self, state: str = "confirmed") -> str:
        """A new order of one item, taken to `state` through the shop's own services."""
        from shop.checkout.services import cart_create, cart_line_add, checkout_place
        from shop.orders.services import order_confirm, order_deliver, order_ship

        cart, token = cart_create()
        cart_line_add(cart=cart, sku=SKU, quantity=1)
        placed = checkout_place(cart_id=cart.pk, token=token, email=self.customer.email,
                                shipping_address=ADDRESS, shipping_method="standard",
                                payment_token="tok_sandbox_ok", locale="es")
        order_id = placed.order.pk
        if state != "pending":
            order_confirm(order_id=order_id)
        if state in ("shipped", "delivered"):
            order_ship(order_id=order_id, tracking_number="TRACK-1", actor="system")
        if state == "delivered":
            order_deliver(order_id=order_id, actor="system")
        return str(order_id)


def build_world(stock: int = 1000) -> World:
    a_warehouse("MAD")
    a_warehouse("BCN")
    category = a_category("ropa")
    product = a_product("producto-1", category=category, name_es="Camiseta roja",
                        name_en="Red T-shirt")
    variant = a_variant(SKU, product=product, price=2500)
    stock_set(sku=SKU, quantity=stock, warehouse_code="MAD", actor="system")  # with its ledger
    customer = Customer.objects.create(email="ana@example.com", name="Ana García",
                                       marketing_consent=True)
    staff = {role: a_staff_member(role, email=email_of(role)) for role in ROLES}
    return World(category, product, variant, customer, staff)
