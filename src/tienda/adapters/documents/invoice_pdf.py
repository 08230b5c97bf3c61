"""Invoices as PDF, drawn with ReportLab."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tienda.adapters.documents.money_format import format_money
from tienda.domain.orders import Order

TITLES = {"es": ("Factura", "Cantidad", "Artículo", "Importe", "Envío", "IVA incluido"),
          "en": ("Invoice", "Qty", "Item", "Amount", "Shipping", "VAT included")}


class PdfInvoiceRenderer:
    def render(self, order: Order) -> bytes:
        locale = order.locale if order.locale in TITLES else "es"
        title, qty, item, amount, shipping, vat = TITLES[locale]
        buffer = io.BytesIO()
        pdf = Canvas(buffer, pagesize=A4, invariant=True)
        pdf.setTitle(f"{title} {order.number}")
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(50, 790, f"Tienda · {title} {order.number}")
        pdf.setFont("Helvetica", 10)
        a = order.shipping_address
        for i, text in enumerate((a.name, a.line1, f"{a.postal_code} {a.city}", a.country,
                                  order.email)):
            pdf.drawString(50, 760 - 14 * i, text)
        y = 670
        pdf.setFont("Helvetica-Bold", 10)
        for x, text in ((50, qty), (100, item), (450, amount)):
            pdf.drawString(x, y, text)
        pdf.setFont("Helvetica", 10)
        for line in order.lines:
            y -= 16
            pdf.drawString(50, y, str(line.quantity))
            pdf.drawString(100, y, f"{line.name} ({line.sku})"[:70])
            pdf.drawString(450, y, format_money(line.total, locale))
        t = order.totals
        for label, value in ((shipping, t.shipping), (vat, t.tax), ("Total", t.total)):
            y -= 20
            pdf.drawString(300, y, label)
            pdf.drawString(450, y, format_money(value, locale))
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
