"""The invoice PDF (ReportLab, no Django): what an EU invoice must show — the seller's name,
address and tax id, the buyer, a sequential number and its date, the lines, the tax base and
the VAT per rate, the total — in es/en, paginated. Byte-stable (invariant) for one input."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from shop.orders.money import format_money, format_rate_bp

TEXTS = {
    "es": {"title": "Factura", "number": "Número", "date": "Fecha", "order": "Pedido",
           "seller": "Vendedor", "buyer": "Cliente", "tax_id": "NIF", "qty": "Cant.",
           "item": "Artículo", "unit": "Precio", "amount": "Importe", "shipping": "Envío",
           "base": "Base imponible", "vat": "IVA", "total": "Total", "page": "Página",
           "continued": "continúa en la página siguiente",
           "prices": "Precios con IVA incluido."},
    "en": {"title": "Invoice", "number": "Number", "date": "Date", "order": "Order",
           "seller": "Seller", "buyer": "Customer", "tax_id": "Tax ID", "qty": "Qty",
           "item": "Item", "unit": "Unit price", "amount": "Amount", "shipping": "Shipping",
           "base": "Tax base", "vat": "VAT", "total": "Total", "page": "Page",
           "continued": "continued on the next page",
           "prices": "Prices include VAT."},
}
TOP, BOTTOM, ROW = 790, 70, 16


@dataclass(frozen=True)
class InvoiceLine:
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    total_minor: int


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    issued_on: date
    order_number: str
    locale: str
    currency: str
    seller: dict[str, str]
    buyer_name: str
    buyer_address: list[str]
    buyer_email: str
    lines: list[InvoiceLine]
    shipping_minor: int
    tax_rate_bp: int
    tax_minor: int
    total_minor: int


class _Pages:
    """A canvas that starts a new page (with the invoice's header) when a row will not fit."""

    def __init__(self, doc: InvoiceDocument, texts: dict[str, str]) -> None:
        self.doc, self.t, self.buffer = doc, texts, io.BytesIO()
        # Uncompressed: the text stays searchable by tests and archivers; files stay small.
        self.pdf = Canvas(self.buffer, pagesize=A4, invariant=True, pageCompression=0)
        self.pdf.setTitle(f"{texts['title']} {doc.number}")
        self.page, self.y = 1, TOP

    def money(self, minor: int) -> str:
        return format_money(minor, self.doc.currency, self.doc.locale)

    def text(self, x: float, text: str, *, bold: bool = False, size: int = 10,
             right: bool = False) -> None:
        self.pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        (self.pdf.drawRightString if right else self.pdf.drawString)(x, self.y, text)

    def row(self, height: int = ROW) -> None:
        if self.y - height < BOTTOM:
            self.text(50, f"… {self.t['continued']}", size=8)
            self.new_page()
        self.y -= height

    def new_page(self) -> None:
        self.footer()
        self.pdf.showPage()
        self.page += 1
        self.y = TOP
        self.text(50, f"{self.t['title']} {self.doc.number}", bold=True, size=12)
        self.y -= 24
        self.column_heads()

    def footer(self) -> None:
        self.pdf.setFont("Helvetica", 8)
        self.pdf.drawRightString(545, 40, f"{self.t['page']} {self.page}")
        self.pdf.drawString(50, 40, f"{self.doc.seller['name']} · {self.doc.seller['tax_id']}")

    def column_heads(self) -> None:
        for x, key, right in ((50, "qty", False), (90, "item", False), (440, "unit", True),
                              (545, "amount", True)):
            self.text(x, self.t[key], bold=True, right=right)

    def save(self) -> bytes:
        self.footer()
        self.pdf.showPage()
        self.pdf.save()
        return self.buffer.getvalue()


def _header(p: _Pages) -> None:
    doc, t = p.doc, p.t
    p.text(50, f"{t['title']} {doc.number}", bold=True, size=18)
    p.y -= 22
    p.text(50, f"{t['number']}: {doc.number}   {t['date']}: {doc.issued_on.isoformat()}   "
               f"{t['order']}: {doc.order_number}")
    p.y -= 26
    top = p.y
    p.text(50, t["seller"], bold=True)
    for text in (doc.seller["name"], doc.seller["address"],
                 f"{t['tax_id']}: {doc.seller['tax_id']}"):
        p.y -= 14
        p.text(50, text)
    p.y = top
    p.text(310, t["buyer"], bold=True)
    for text in (doc.buyer_name, *doc.buyer_address, doc.buyer_email):
        p.y -= 14
        p.text(310, text)
    p.y -= 36
    p.column_heads()


def _lines(p: _Pages) -> None:
    for line in p.doc.lines:
        p.row()
        p.text(50, str(line.quantity))
        p.text(90, f"{line.name} ({line.sku})"[:60])
        p.text(440, p.money(line.unit_price_minor), right=True)
        p.text(545, p.money(line.total_minor), right=True)


def _totals(p: _Pages) -> None:
    doc, t = p.doc, p.t
    rate = format_rate_bp(doc.tax_rate_bp)
    rows = ((f"{t['shipping']}", doc.shipping_minor, False),
            (f"{t['base']} ({rate} %)", doc.total_minor - doc.tax_minor, False),
            (f"{t['vat']} {rate} %", doc.tax_minor, False),
            (t["total"], doc.total_minor, True))
    p.row(24)
    for label, minor, bold in rows:
        p.row(18)
        p.text(330, label, bold=bold)
        p.text(545, p.money(minor), bold=bold, right=True)
    p.row(24)
    p.text(50, t["prices"], size=8)


def render_invoice(doc: InvoiceDocument) -> bytes:
    pages = _Pages(doc, TEXTS.get(doc.locale, TEXTS["es"]))
    _header(pages)
    _lines(pages)
    _totals(pages)
    return pages.save()
