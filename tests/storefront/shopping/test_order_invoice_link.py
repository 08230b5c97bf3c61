"""Once the background confirmation has stored the invoice, the order page links to it and
the status fragment no longer polls."""

from __future__ import annotations

import pytest

from shop.orders.models import Order
from shop.orders.services import order_confirm
from tests.storefront.shopping.test_checkout_pages import _place, _review

pytestmark = [pytest.mark.django_db, pytest.mark.azurite]


def test_a_confirmed_order_links_its_invoice_and_stops_polling(browser, azurite):
    client, token = browser
    location = _place(client, _review(client, token))["Location"]
    order = Order.objects.get()

    order_confirm(order_id=order.pk)
    page = client.get(location).content.decode()

    access_token = location.split("access_token=")[1]
    assert 'data-status="confirmed"' in page and "Confirmed" in page
    assert "hx-trigger" not in page
    assert (f'href="/api/v1/orders/{order.pk}/invoice?access_token={access_token}"'
            in page)
    invoice = client.get(f"/api/v1/orders/{order.pk}/invoice?access_token={access_token}")
    assert invoice.status_code == 307
