"""Order e-mails in Spanish and English, as plain text with an HTML alternative."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from tienda.adapters.documents.money_format import format_money
from tienda.service_layer.notifications import AccountMail, OrderMail, StockMail

SUBJECTS = {
    ("order_confirmed", "es"): "Pedido {number} confirmado",
    ("order_confirmed", "en"): "Order {number} confirmed",
    ("order_cancelled", "es"): "Pedido {number} cancelado",
    ("order_cancelled", "en"): "Order {number} cancelled",
    ("order_refunded", "es"): "Reembolso del pedido {number}",
    ("order_refunded", "en"): "Order {number} refunded",
    ("order_shipped", "es"): "Tu pedido {number} va en camino",
    ("order_shipped", "en"): "Your order {number} is on its way",
}
INTROS = {
    ("order_confirmed", "es"): "¡Gracias! Hemos cobrado y confirmado tu pedido.",
    ("order_confirmed", "en"): "Thank you! We have taken payment and confirmed your order.",
    ("order_cancelled", "es"): "Tu pedido se ha cancelado y no se te ha cobrado nada.",
    ("order_cancelled", "en"): "Your order was cancelled and you have not been charged.",
    ("order_refunded", "es"): "Hemos reembolsado tu pedido.",
    ("order_refunded", "en"): "We have refunded your order.",
    ("order_shipped", "es"): "Tu pedido ha salido de nuestro almacén.",
    ("order_shipped", "en"): "Your order has left our warehouse.",
}
LABELS = {
    "es": {"total": "Total", "invoice": "Factura", "order": "Ver el pedido",
           "tracking": "Número de seguimiento"},
    "en": {"total": "Total", "invoice": "Invoice", "order": "View the order",
           "tracking": "Tracking number"},
}


ACCOUNT_MAILS = {
    ("password_reset", "es"): ("Cambia tu contraseña de Tienda",
                               "Para elegir una contraseña nueva abre este enlace (caduca en "
                               "una hora). Si no lo has pedido tú, ignora este mensaje."),
    ("password_reset", "en"): ("Reset your Tienda password",
                               "To choose a new password open this link (it expires in one "
                               "hour). If you did not ask for it, ignore this message."),
}

# One e-mail per request: no list to leave, so no unsubscribe link (see docs/operations.md).
STOCK_MAILS = {
    "es": ("Ya tenemos {product}",
           "Buenas noticias: vuelve a haber {item}. Te escribimos solo esta "
           "vez, como pediste; si se agota y quieres otro aviso, pídelo de nuevo en la página "
           "del producto.", "Ver el producto"),
    "en": ("{product} is back in stock",
           "Good news: {item} is back in stock. We write only this once, as "
           "you asked; if it sells out and you want another alert, ask again on the product "
           "page.", "View the product"),
}


class OrderMailRenderer:
    def __init__(self, sender: str) -> None:
        self._sender = sender

    def render(self, mail: OrderMail) -> EmailMessage:
        order, locale = mail.order, mail.order.locale if mail.order.locale in LABELS else "es"
        labels = LABELS[locale]
        lines = [f"{line.quantity} x {line.name} ({line.sku}): "
                 f"{format_money(line.total, locale)}" for line in order.lines]
        text = [INTROS[(mail.kind, locale)], "", *lines, "",
                f"{labels['total']}: {format_money(order.totals.total, locale)}", "",
                f"{labels['order']}: {mail.order_link}"]
        if mail.kind == "order_confirmed":
            text.append(f"{labels['invoice']}: {mail.invoice_link}")
        if mail.kind == "order_shipped" and order.tracking_number:
            text.append(f"{labels['tracking']}: {order.tracking_number}")
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = order.email
        message["Subject"] = SUBJECTS[(mail.kind, locale)].format(number=order.number)
        message["Message-ID"] = make_msgid(domain="tienda.local")
        message["X-Tienda-Order"] = order.id
        message.set_content("\n".join(text))
        message.add_alternative("<html><body>" + "".join(
            f"<p>{escape(line)}</p>" if line else "" for line in text) + "</body></html>",
            subtype="html")
        return message

    def render_account(self, mail: AccountMail) -> EmailMessage:
        locale = mail.locale if mail.locale in LABELS else "es"
        subject, intro = ACCOUNT_MAILS[(mail.kind, locale)]
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = mail.to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="tienda.local")
        message.set_content(f"{intro}\n\n{mail.link}\n")
        return message

    def render_stock(self, mail: StockMail) -> EmailMessage:
        subject, intro, view = STOCK_MAILS[mail.locale if mail.locale in STOCK_MAILS else "es"]
        item = f"{mail.product} ({mail.variant})" if mail.variant else mail.product
        names = {"product": mail.product, "item": item}
        text = [intro.format(**names), "", f"{view}: {mail.link}"]
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = mail.to
        message["Subject"] = subject.format(**names)
        message["Message-ID"] = make_msgid(domain="tienda.local")
        message.set_content("\n".join(text) + "\n")
        message.add_alternative(
            f"<html><body><p>{escape(text[0])}</p><p><a href=\"{escape(mail.link)}\">"
            f"{escape(view)}</a></p></body></html>", subtype="html")
        return message
