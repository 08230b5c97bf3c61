"""What the storefront keeps in the shopper's Django session (cookie `tienda_session`).

Keys:
- ``cart``: ``{"id": str, "token": str}`` — the cart this browser fills; the token is the
  proof of ownership the checkout services ask for (only its hash is stored server-side).
- ``cart_count``: units in that cart, shown by ``_cart_status.html`` on every page.
- ``orders``: the ids of the last ``MAX_ORDERS`` orders placed from this browser; signing in
  or registering claims the guest ones among them.

A notice for the next page goes through Django's messages framework, not the session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shop.core.errors import ShopError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shop.checkout.models import Cart

CART = "cart"
CART_COUNT = "cart_count"
ORDERS = "orders"
MAX_ORDERS = 10


def session_cart_ref(request: HttpRequest) -> tuple[str, str] | None:
    """The (id, token) this browser holds, if the stored value has the expected shape."""
    found = request.session.get(CART)
    if isinstance(found, dict) and isinstance(found.get("id"), str) \
            and isinstance(found.get("token"), str):
        return found["id"], found["token"]
    return None


def session_cart(request: HttpRequest) -> Cart | None:
    """The open cart of this browser, or None. A cart that no longer opens (deleted, token
    no longer matching) or that has already checked out is forgotten, so the next add starts
    a new one."""
    # Imported here so this module loads before the checkout services do (it is imported by
    # the account pages too).
    from shop.checkout.services import cart_open

    ref = session_cart_ref(request)
    if ref is None:
        return None
    try:
        cart = cart_open(cart_id=ref[0], token=ref[1])
    except (ShopError, ValueError):
        forget_cart(request)
        return None
    if cart.checked_out_order_id is not None:
        forget_cart(request)
        return None
    return cart


def remember_cart(request: HttpRequest, cart: Cart, token: str) -> None:
    request.session[CART] = {"id": str(cart.pk), "token": token}


def forget_cart(request: HttpRequest) -> None:
    request.session.pop(CART, None)
    request.session[CART_COUNT] = 0


def cart_count(request: HttpRequest) -> int:
    count = request.session.get(CART_COUNT, 0)
    return count if isinstance(count, int) else 0


def set_cart_count(request: HttpRequest, n: int) -> None:
    request.session[CART_COUNT] = int(n)


def session_orders(request: HttpRequest) -> list[str]:
    """Order ids placed from this browser, oldest first."""
    found = request.session.get(ORDERS, [])
    return [o for o in found if isinstance(o, str)] if isinstance(found, list) else []


def remember_order(request: HttpRequest, order_id: object) -> None:
    order_id = str(order_id)
    kept = [o for o in session_orders(request) if o != order_id]
    request.session[ORDERS] = [*kept, order_id][-MAX_ORDERS:]
