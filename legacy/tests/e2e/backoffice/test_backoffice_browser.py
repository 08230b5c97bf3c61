"""Acceptance (issues 5 and 6) in a real Chromium against the real servers: staff work in the
backoffice SPA and the effects show on the storefront, in the mailbox, on the queues and on
the dashboard."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.backoffice.conftest import sign_in
from tests.e2e.conftest import Shots
from tests.waiting import poll
from tienda.adapters.mail.capture import read_mailbox
from tienda.entrypoints.analytics.etl import run_etl

pytestmark = [pytest.mark.browser, pytest.mark.azurite]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


SHIPPED_SUBJECTS = ("Tu pedido {number} va en camino", "Your order {number} is on its way")
ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def order_status(engine, order_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT status FROM orders WHERE id = :id"),
                            {"id": order_id}).scalar_one()


def a_confirmed_order(backoffice, email: str) -> dict[str, str]:
    """A guest buys one unit through the storefront's JSON API; the worker confirms it."""
    shop = httpx.Client(base_url=f"{backoffice.shop}/api/v1", timeout=20)
    listing = shop.get("/products").json()["items"]
    sku = next(v["sku"] for card in listing
               for v in shop.get(f"/products/{card['slug']}").json()["variants"]
               if v["available"] > 0)
    cart = shop.post("/carts").json()
    auth = {"X-Cart-Token": cart["token"]}
    shop.post(f"/carts/{cart['id']}/lines", headers=auth, json={"sku": sku, "quantity": 1})
    placed = shop.post(f"/carts/{cart['id']}/checkout", headers=auth, json={
        "email": email, "shipping_address": ADDRESS, "shipping_method": "standard",
        "payment_token": "tok_sandbox_ok", "locale": "en"})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    poll(lambda: order_status(backoffice.tienda.engine, order["order_id"]) == "confirmed", 60,
         f"the worker to confirm {order['number']}")
    return {"id": order["order_id"], "number": order["number"], "email": email}


def a_seeded_order(engine, statuses: tuple[str, ...]) -> sa.Row:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT id, number, email FROM orders WHERE status IN :statuses "
            "AND email NOT LIKE '%@example.test' ORDER BY number LIMIT 1"
        ).bindparams(sa.bindparam("statuses", expanding=True)),
            {"statuses": list(statuses)}).one()


def shipped_mails(mailbox, address: str, number: str) -> list:
    subjects = {s.format(number=number) for s in SHIPPED_SUBJECTS}
    return [m for m in read_mailbox(mailbox)
            if address in str(m.message["To"]) and str(m.message["Subject"]) in subjects]


def test_a_manager_creates_a_product_with_a_picture_and_stock_and_the_shop_sells_it(
        backoffice, browser_context):
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/manager-creates-a-product")
    slug, sku = f"lampara-{uuid.uuid4().hex[:6]}", f"LAMP-{uuid.uuid4().hex[:6].upper()}"
    picture = backoffice.mailbox.parent / "lamp.png"
    picture.write_bytes(png_bytes())

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

    product = httpx.get(f"{backoffice.shop}/api/v1/products/{slug}", timeout=10).json()
    assert [(v["sku"], v["price_minor"], v["available"]) for v in product["variants"]] == [
        (sku, 2490, 7)]
    assert len(product["images"]) == 1
    image = httpx.get(f"{backoffice.shop}{product['images'][0]}", timeout=10)
    # uploads are re-encoded (size limits, metadata stripped): the shop serves a JPEG
    assert (image.status_code, image.headers["content-type"].split(";")[0]) == (200, "image/jpeg")
    page.goto(f"{backoffice.shop}/p/{slug}?lang=en")
    expect(page.get_by_role("heading", name="Test lamp")).to_be_visible()
    shot("storefront-product-page")


def test_a_manager_ships_an_order_and_the_customer_gets_the_email(backoffice, browser_context):
    order = a_confirmed_order(backoffice, f"ship-{uuid.uuid4().hex[:8]}@example.test")
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/manager-ships-an-order")
    tracking = f"TRK{uuid.uuid4().hex[:10].upper()}"

    sign_in(page, backoffice, "manager")
    page.goto(f"{backoffice.spa}/orders/{order['id']}")
    page.get_by_test_id("order-ship-tracking").fill(tracking)  # not in the e-mail (yet)
    shot("order-before-shipping")
    page.get_by_test_id("order-ship").click()
    expect(page.get_by_test_id("order-deliver")).to_be_visible()
    shot("order-shipped")

    mails = poll(lambda: shipped_mails(backoffice.mailbox, order["email"], order["number"]), 60,
                 f"the shipping e-mail of {order['number']}")
    assert len(mails) == 1
    text = mails[0].message.get_body(("plain",)).get_content()
    assert "Your order has left our warehouse." in text
    assert f"/orders/{order['id']}?access_token=" in text
    assert order_status(backoffice.tienda.engine, order["id"]) == "shipped"


def test_a_viewer_sees_no_edit_controls_and_the_api_refuses_a_write(backoffice,
                                                                     browser_context):
    order = a_confirmed_order(backoffice, f"viewer-{uuid.uuid4().hex[:8]}@example.test")
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
    page.goto(f"{backoffice.spa}/orders/{order['id']}")
    expect(page.get_by_test_id("order-timeline")).to_be_visible()
    expect(page.get_by_test_id("order-actions")).to_have_count(0)
    expect(page.get_by_test_id("order-ship")).to_have_count(0)
    shot("order")

    refused = page.request.post(f"{backoffice.api}/api/inventory/adjustments", data={
        "sku": "ANY", "warehouse": "MAD", "delta": 1, "reason": "viewer tries"})
    shipped = page.request.post(f"{backoffice.api}/api/orders/{order['id']}/ship",
                                data={"tracking_number": "X1"})
    assert (refused.status, shipped.status) == (403, 403)
    assert order_status(backoffice.tienda.engine, order["id"]) == "confirmed"


def test_a_poison_message_is_retried_from_the_jobs_page(backoffice, browser_context):
    queues, queue = backoffice.tienda.queues, backoffice.settings.queue_notifications
    order = a_seeded_order(backoffice.tienda.engine, ("shipped", "delivered"))
    body = json.dumps({"message_id": str(uuid.uuid4()), "kind": "order_shipped",
                       "order_id": order.id})
    queues.send(f"{queue}-poison", body)
    before = len(shipped_mails(backoffice.mailbox, order.email, order.number))
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/poison-retry")

    sign_in(page, backoffice, "manager")
    page.get_by_test_id("nav-jobs").click()
    expect(page.get_by_test_id(f"queue-poison-{queue}")).to_have_text("1")
    page.get_by_test_id(f"poison-open-{queue}").click()
    expect(page.get_by_test_id("poison-retry")).to_have_count(1)
    shot("poison-message")
    page.get_by_test_id("poison-retry").click()

    poll(lambda: queues.depth(f"{queue}-poison") == 0, 30, "the poison queue to empty")
    poll(lambda: len(shipped_mails(backoffice.mailbox, order.email, order.number)) > before, 60,
         f"the retried message's e-mail for {order.number}")
    expect(page.get_by_test_id(f"queue-poison-{queue}")).to_have_text("0")
    shot("poison-retried")


def expected_net_sales(engine, zone: ZoneInfo, start: date, end: date) -> Decimal:
    """Net sales from the transactional tables, by docs/analytics.md: each order's goods net
    of all discounts and of the VAT on goods (the lines' VAT plus the goods' share, in
    proportion to goods vs shipping, of any order-level VAT) on its store-local day placed,
    minus the same for cancelled and refunded orders on the store-local day that happened."""
    with engine.connect() as conn:
        orders = conn.execute(sa.text("""
            SELECT o.id, o.status, o.placed_at, o.updated_at, o.discount_minor, o.tax_minor,
                   o.shipping_minor,
                   SUM(l.unit_price_minor * l.quantity) AS gross,
                   SUM(l.discount_minor) AS line_discounts, SUM(l.tax_minor) AS line_taxes,
                   (SELECT MIN(e.created_at) FROM order_events e
                    WHERE e.order_id = o.id AND e.status_to = o.status) AS returned_at
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.currency = 'EUR' GROUP BY o.id""")).all()
    total = 0
    for order in orders:
        net = order_net(order)
        if start <= local_day(order.placed_at, zone) <= end:
            total += net
        returned = order.returned_at or order.updated_at
        if order.status in ("cancelled", "refunded") and start <= local_day(returned, zone) <= end:
            total -= net
    return Decimal(total) / 100


def order_net(order) -> int:
    extra_discount = max(order.discount_minor - order.line_discounts, 0)
    extra_tax = max(order.tax_minor - order.line_taxes, 0)
    goods = max(order.gross - order.line_discounts - extra_discount, 0)
    base = goods + order.shipping_minor
    goods_tax = extra_tax * goods // base if base > 0 else extra_tax
    return order.gross - order.line_discounts - extra_discount - order.line_taxes - goods_tax


def local_day(value, zone: ZoneInfo) -> date:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def test_the_dashboard_net_sales_tile_equals_the_transactional_sum(backoffice,
                                                                    browser_context):
    run = run_etl(backoffice.settings)
    assert run.status == "succeeded", run.error
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/dashboard")

    sign_in(page, backoffice, "manager")
    page.get_by_test_id("nav-dashboard").click()
    tiles = page.get_by_test_id("kpis")
    expect(tiles).to_be_visible()
    start = date.fromisoformat(tiles.get_attribute("data-start"))
    end = date.fromisoformat(tiles.get_attribute("data-end"))
    assert (end - start).days == 29
    net = expected_net_sales(backoffice.tienda.engine,
                             ZoneInfo(backoffice.settings.store_timezone), start, end)
    assert net > 0
    expect(page.get_by_test_id("kpi-net-sales-value")).to_have_text(f"€{net:,.2f}")
    expect(page.get_by_test_id("reconciliation-status")).to_have_attribute("data-status", "ok")
    expect(page.get_by_test_id("sales-line-chart")).to_be_visible()
    expect(page.get_by_test_id("cohort-heatmap")).to_be_visible()
    shot("dashboard")
