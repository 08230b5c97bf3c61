"""Staff journeys in a real Chromium against the backoffice deployment (ported from the legacy
legacy/tests/e2e/backoffice/test_backoffice_browser.py): the SPA and the API on one origin,
Strict cookies, the CSRF header on every write, the data-testid contract of
backoffice/spa/README.md. Where a journey's effect shows elsewhere, the storefront and the
worker run beside it (the `storefront` fixture): a new product is bought on the shop's pages,
and a shipped order's e-mail arrives in the SMTP capture."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from shop.audit.models import AuditEntry
from shop.inventory.models import StockLevel
from shop.orders.models import Order
from tests.backoffice.api.builders import SKU, png_bytes
from tests.backoffice.api.helpers import poison_message
from tests.backoffice.e2e.conftest import csrf_header, sign_in
from tests.conftest import poll
from tests.e2e.browser import Shots
from workers import queues
from workers.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.azurite, pytest.mark.slow,
              pytest.mark.django_db(transaction=True)]

EMAIL_TASK = "shop.notifications.tasks.send_order_email_task"
# The legacy journey's guest address (the public API takes no line2 it is not given).
ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def shipping_emails(order_id: str) -> list[dict]:
    return [m.payload["kwargs"] for m in OutboxMessage.objects.filter(task=EMAIL_TASK)
            if m.payload["kwargs"] == {"order_id": order_id, "kind": "order_shipped"}]


def test_a_manager_signs_in_finds_an_order_and_signs_out(backoffice, shop, browser_context):
    order = Order.objects.get(pk=shop.order("confirmed"))
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/manager-signs-in")

    sign_in(page, backoffice, "manager")
    shot("signed-in")
    page.get_by_test_id("nav-orders").click()

    expect(page).to_have_url(f"{backoffice.base}/orders")
    expect(page.get_by_test_id("table-total")).to_contain_text("1")
    expect(page.get_by_text(order.number)).to_be_visible()
    shot("orders")
    page.reload()  # a client route served by the deployment, the session cookie still sent
    expect(page.get_by_test_id("signed-in-role")).to_have_text("manager")
    expect(page.get_by_text(order.number)).to_be_visible()

    page.get_by_test_id("sign-out").click()  # a write: it needs the CSRF header too
    expect(page.get_by_test_id("sign-in-form")).to_be_visible()
    assert page.request.get(f"{backoffice.base}/api/auth/me").status == 401


def a_confirmed_order(request, storefront, email: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A guest buys one unit through the storefront's public API (in English); the worker
    confirms it, as the legacy journey's order was made."""
    api = f"{storefront.base}/api/v1"
    cart = request.post(f"{api}/carts").json()
    auth = {"X-Cart-Token": cart["token"]}
    added = request.post(f"{api}/carts/{cart['id']}/lines", headers=auth,
                         data={"sku": SKU, "quantity": 1})
    assert added.status == 200, added.text()
    placed = request.post(f"{api}/carts/{cart['id']}/checkout", headers=auth, data={
        "email": email, "shipping_address": ADDRESS, "shipping_method": "standard",
        "payment_token": "tok_sandbox_ok", "locale": "en"})
    assert placed.status == 201, placed.text()
    order = placed.json()
    poll(lambda: Order.objects.get(pk=order["order_id"]).status == "confirmed", 60,
         f"the worker to confirm {order['number']}")
    return {"id": order["order_id"], "number": order["number"], "email": email}


def test_a_manager_ships_an_order_and_the_customer_gets_the_email(backoffice, storefront, shop,
                                                                  browser_context):
    order = a_confirmed_order(browser_context.request, storefront,
                              f"ship-{uuid.uuid4().hex[:8]}@example.test")
    order_id, number = order["id"], order["number"]
    tracking = f"TRK{uuid.uuid4().hex[:10].upper()}"
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/manager-ships-an-order")

    sign_in(page, backoffice, "manager")
    page.goto(f"{backoffice.base}/orders/{order_id}")
    page.get_by_test_id("order-ship-tracking").fill(tracking)
    shot("order-before-shipping")
    page.get_by_test_id("order-ship").click()
    expect(page.get_by_test_id("order-deliver")).to_be_visible()
    shot("order-shipped")

    stored = Order.objects.get(pk=order_id)
    assert (stored.status, stored.tracking_number) == ("shipped", tracking)
    assert shipping_emails(order_id) == [{"order_id": order_id, "kind": "order_shipped"}]
    assert AuditEntry.objects.filter(entity_id=order_id, actor="manager@tienda.test").count() == 1
    # The worker took the task off the queue and the customer's e-mail arrived.
    subject = f"Your order {number} is on its way"
    mails = poll(lambda: [m for m in storefront.mailbox() if m.subject == subject], 60,
                 f"the shipping e-mail of {number}")
    assert [m.to for m in mails] == [order["email"]]
    text = mails[0].text()
    assert f"Your order {number} has left our warehouse." in text
    assert f"Tracking number: {tracking}" in text
    assert f"{storefront.base}/orders/{order_id}?access_token=" in text


def test_a_viewer_sees_no_edit_controls_and_the_api_refuses_a_write(backoffice, shop,
                                                                     browser_context):
    order_id = shop.order("confirmed")
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/viewer-read-only")

    sign_in(page, backoffice, "viewer")
    page.get_by_test_id("nav-products").click()
    expect(page.get_by_test_id("table-total")).to_be_visible()
    expect(page.get_by_test_id("product-new")).to_have_count(0)
    expect(page.get_by_test_id("bulk-actions")).to_have_count(0)
    shot("products")
    page.get_by_test_id("nav-inventory").click()
    expect(page.get_by_test_id("table-total")).to_be_visible()
    expect(page.get_by_test_id("stock-adjust-open")).to_have_count(0)
    page.goto(f"{backoffice.base}/orders/{order_id}")
    expect(page.get_by_test_id("order-timeline")).to_be_visible()
    expect(page.get_by_test_id("order-actions")).to_have_count(0)
    expect(page.get_by_test_id("order-ship")).to_have_count(0)
    shot("order")

    # With the CSRF header, so what refuses them is the role, not the CSRF check.
    refused = page.request.post(f"{backoffice.base}/api/inventory/adjustments",
                                headers=csrf_header(page), data={
                                    "sku": SKU, "warehouse": "MAD", "delta": 1,
                                    "reason": "viewer tries"})
    shipped = page.request.post(f"{backoffice.base}/api/orders/{order_id}/ship",
                                headers=csrf_header(page), data={"tracking_number": "X1"})
    assert (refused.status, shipped.status) == (403, 403)
    assert refused.json()["detail"] == "the viewer role may not do this (it needs inventory:write)"
    assert Order.objects.get(pk=order_id).status == "confirmed"
    assert shipping_emails(order_id) == []


def test_a_write_without_the_csrf_header_is_refused(backoffice, shop, browser_context):
    page = browser_context.new_page()
    sign_in(page, backoffice, "manager")

    refused = page.request.post(f"{backoffice.base}/api/categories",
                                data={"name_es": "Jardín", "name_en": "Garden"})

    assert refused.status == 403
    assert "CSRF" in refused.json()["detail"]


def test_a_manager_creates_a_product_with_a_picture_and_stock_and_the_shop_sells_it(
        backoffice, storefront, shop, browser_context, tmp_path):
    slug, sku = f"lampara-{uuid.uuid4().hex[:6]}", f"LAMP-{uuid.uuid4().hex[:6].upper()}"
    picture = tmp_path / "lamp.png"
    picture.write_bytes(png_bytes((64, 48)))
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/manager-creates-a-product")

    sign_in(page, backoffice, "manager")
    page.get_by_test_id("nav-products").click()
    page.get_by_test_id("product-new").click()
    page.get_by_test_id("product-name-es").fill("Lámpara de prueba")
    page.get_by_test_id("product-name-en").fill("Test lamp")
    page.get_by_test_id("product-slug").fill(slug)
    page.get_by_test_id("product-category").click()
    page.get_by_role("option").first.click()
    published = page.get_by_test_id("product-form").get_by_role("switch", name="Published")
    published.check(force=True)
    expect(published).to_be_checked()
    shot("new-product-form")
    page.get_by_test_id("product-save").click()
    page.wait_for_url(lambda url: "/products/new" not in url and "/products/" in url)

    page.get_by_test_id("variant-add").click()
    page.get_by_test_id("variant-sku").fill(sku)
    page.get_by_test_id("variant-price").fill("24,90")
    page.get_by_test_id("variant-save").click()
    expect(page.get_by_test_id(f"variant-edit-{sku}")).to_be_visible()
    page.get_by_test_id("image-upload-input").set_input_files(str(picture))
    page.get_by_test_id("image-upload-submit").click()
    expect(page.get_by_role("img", name="Picture", exact=False)).to_have_count(1)
    shot("product-with-variant-and-picture")

    page.get_by_test_id("nav-inventory").click()
    page.get_by_test_id("stock-adjust-open").click()
    page.get_by_test_id("stock-adjustment-sku").fill(sku)
    page.get_by_test_id("stock-adjustment-warehouse").fill("MAD")
    page.get_by_test_id("stock-adjustment-delta").fill("7")
    page.get_by_test_id("stock-adjustment-reason").fill("first delivery")
    page.get_by_test_id("stock-adjustment-submit").click()
    expect(page.get_by_text(f"{sku} in MAD: 7 on hand, 7 available")).to_be_visible()
    shot("stock-adjusted")

    from shop.catalog.models import Product

    product = Product.objects.get(slug=slug)
    assert (product.name_en, product.is_published) == ("Test lamp", True)
    assert [(v.sku, v.price_minor) for v in product.variants.all()] == [(sku, 2490)]
    assert [i.content_type for i in product.images.all()] == ["image/jpeg"]
    level = StockLevel.objects.get(variant__sku=sku, warehouse__code="MAD")
    assert (level.on_hand, level.reserved) == (7, 0)

    # The shop sells it: public API, picture, page, then a guest buys it through the pages.
    api = f"{storefront.base}/api/v1/products/{slug}"
    listed = page.request.get(api).json()
    assert [(v["sku"], v["price_minor"], v["available"]) for v in listed["variants"]] == [
        (sku, 2490, 7)]
    assert len(listed["images"]) == 1
    image = page.request.get(f"{storefront.base}{listed['images'][0]}")
    # uploads are re-encoded (size limits, metadata stripped): the shop serves a JPEG
    assert (image.status, image.headers["content-type"].split(";")[0]) == (200, "image/jpeg")
    buy_on_the_storefront(page, storefront.base, slug, sku, shot)
    bought = Order.objects.get(lines__sku=sku)
    assert bought.status == "confirmed"
    assert [(line.sku, line.quantity, line.unit_price_minor)
            for line in bought.lines.all()] == [(sku, 1, 2490)]
    assert [v["available"] for v in page.request.get(api).json()["variants"]] == [6]


def buy_on_the_storefront(page, base: str, slug: str, sku: str, shot) -> None:  # type: ignore[no-untyped-def]
    """A guest buys one `sku` through the storefront's pages, in English, and waits on the
    order page for the worker to confirm it."""
    page.goto(f"{base}/p/{slug}?lang=en")
    expect(page.get_by_role("heading", name="Test lamp")).to_be_visible()
    shot("storefront-product-page")
    page.check(f"input[name=sku][value='{sku}']")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#cart-status .count")).to_have_text("1")
    page.goto(f"{base}/cart")
    page.get_by_role("link", name="Checkout", exact=True).click()
    page.fill("#id_email", f"lamp-{uuid.uuid4().hex[:8]}@example.test")
    page.fill("#id_name", "Ana García")
    page.fill("#id_line1", "Calle Mayor 1")
    page.fill("#id_city", "Madrid")
    page.fill("#id_postal_code", "28013")
    page.get_by_role("button", name="Review the order").click()
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url(re.compile(r"/orders/"))
    expect(page.locator("[data-status=confirmed]")).to_be_visible(timeout=45_000)
    shot("storefront-order-confirmed")


def order_net_minor(order: Order) -> int:
    """An order's net sales by docs/analytics.md (as the legacy dashboard test computed it):
    its goods net of all discounts and of the VAT on goods (the lines' VAT plus the goods'
    share, in proportion to goods vs shipping, of any order-level VAT)."""
    lines = list(order.lines.all())
    gross = sum(line.unit_price_minor * line.quantity for line in lines)
    line_discounts = sum(line.discount_minor for line in lines)
    line_taxes = sum(line.tax_minor for line in lines)
    extra_discount = max(order.discount_minor - line_discounts, 0)
    extra_tax = max(order.tax_minor - line_taxes, 0)
    goods = max(gross - line_discounts - extra_discount, 0)
    base = goods + order.shipping_minor
    goods_tax = extra_tax * goods // base if base > 0 else extra_tax
    return gross - line_discounts - extra_discount - line_taxes - goods_tax


def test_the_dashboard_net_sales_tile_equals_the_transactional_sum(backoffice, shop,
                                                                    browser_context):
    orders = [Order.objects.get(pk=shop.order(state)) for state in ("confirmed", "shipped")]
    call_command("etl_run", "--full", verbosity=0)
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/dashboard")

    sign_in(page, backoffice, "manager")  # the manager's home is the dashboard
    tiles = page.get_by_test_id("kpis")
    expect(tiles).to_be_visible()

    net = sum(order_net_minor(order) for order in orders)
    assert net > 0
    expect(page.get_by_test_id("kpi-net-sales-value")).to_have_text(
        f"€{net // 100:,}.{net % 100:02d}")
    expect(page.get_by_test_id("reconciliation-status")).to_have_attribute("data-status", "ok")
    expect(page.get_by_test_id("sales-line-chart")).to_be_visible()
    # Guest orders of one day make no cohort (the legacy test had a seeded demo shop's).
    expect(page.get_by_role("heading", name="Customer retention by cohort")).to_be_visible()
    shot("dashboard")


def test_a_poison_message_is_retried_from_the_jobs_page(backoffice, shop, browser_context):
    queue = settings.QUEUES["notifications"]
    for name in (queue, queues.poison_name(queue)):
        queues.queue_client(name).clear_messages()  # the run's Azurite is shared by suites
    body = json.dumps({"order_id": shop.order("shipped"), "kind": "order_shipped",
                       "marker": uuid.uuid4().hex})
    poison_message("notifications", body)
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/poison-retry")

    sign_in(page, backoffice, "manager")
    page.get_by_test_id("nav-jobs").click()
    expect(page.get_by_test_id(f"queue-poison-{queue}")).to_have_text("1")
    page.get_by_test_id(f"poison-open-{queue}").click()
    expect(page.get_by_test_id("poison-retry")).to_have_count(1)
    shot("poison-message")
    page.get_by_test_id("poison-retry").click()

    expect(page.get_by_test_id(f"queue-poison-{queue}")).to_have_text("0")
    shot("poison-retried")
    assert queues.depth(queues.poison_name(queue)) == 0
    assert [m.body.decode() for m in queues.peek(queue) if b"marker" in m.body] == [body]
