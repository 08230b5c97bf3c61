"""The invoice PDF has what an EU invoice needs, pages past one page, and its number is
sequential per year and given once."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from shop.orders.invoice import InvoiceDocument, InvoiceLine, render_invoice
from shop.orders.models import Order
from shop.orders.selectors import order_invoice_url
from shop.orders.services import order_confirm
from tests.shop.builders import place, stocked

SELLER = {"name": "Tienda Demo S.L.", "tax_id": "ESB00000000",
          "address": "Calle Mayor 1, 28013 Madrid"}


def a_document(lines: int, locale: str = "en") -> InvoiceDocument:
    return InvoiceDocument(
        number="F2026-000042", issued_on=date(2026, 11, 28), order_number="T-261128-ABCDEF",
        locale=locale, currency="EUR", seller=SELLER, buyer_name="Ana Garcia",
        buyer_address=["Calle Sol 2", "28013 Madrid", "ES"], buyer_email="ana@example.com",
        lines=[InvoiceLine(f"SKU-{n}", f"Thing {n}", 1, 1210, 1210) for n in range(lines)],
        shipping_minor=0, tax_rate_bp=2100, tax_minor=210 * lines, total_minor=1210 * lines)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_an_invoice_shows_seller_buyer_number_date_tax_base_vat_and_total():
    pdf = render_invoice(a_document(2))

    assert pdf.startswith(b"%PDF")
    for text in (b"Invoice F2026-000042", b"Date: 2026-11-28", b"Order: T-261128-ABCDEF",
                 b"Tienda Demo S.L.", b"Tax ID: ESB00000000", b"Calle Mayor 1, 28013 Madrid",
                 b"Ana Garcia", b"Calle Sol 2", b"ana@example.com", b"Thing 1 \\(SKU-1\\)",
                 b"Tax base \\(21 %\\)", b"VAT 21 %"):
        assert text in pdf, text
    assert pages(pdf) == 1
    assert render_invoice(a_document(2)) == pdf  # byte-stable


def test_sixty_lines_run_onto_a_second_page_with_the_heading_repeated():
    pdf = render_invoice(a_document(60, locale="es"))

    assert pages(pdf) == 2
    assert pdf.count(b"(Factura F2026-000042) Tj") == 2  # the heading, again on page 2
    assert b"(Thing 59 \\(SKU-59\\)) Tj" in pdf
    assert b"(P\\341gina 2) Tj" in pdf  # "Página 2" in the PDF's WinAnsi encoding


@pytest.mark.django_db
@pytest.mark.azurite
def test_invoice_numbers_are_sequential_per_year_and_given_once(azurite):
    stocked("TEE-M", MAD=5)
    first, second = place({"TEE-M": 1}), place({"TEE-M": 1})

    order_confirm(order_id=second.order.pk)
    order_confirm(order_id=first.order.pk)
    order_confirm(order_id=first.order.pk)

    year = timezone.now().year
    numbers = dict(Order.objects.values_list("pk", "invoice_number"))
    assert numbers == {second.order.pk: f"F{year}-000001", first.order.pk: f"F{year}-000002"}
    order = Order.objects.get(pk=first.order.pk)
    with storages["invoices"].open(order.invoice_blob_key) as stored:
        assert f"Factura F{year}-000002".encode() in stored.read()
    url = order_invoice_url(order=order)
    assert f"/invoices/{order.pk}.pdf?" in url and "sig=" in url
    assert order_invoice_url(order=Order(invoice_blob_key=None)) is None
