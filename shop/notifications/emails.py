"""Transactional e-mails in Spanish and English: plain text with an HTML alternative, rendered
from per-language templates (templates/notifications/<kind>.<locale>.{txt,html}) and sent with
django.core.mail. Other apps add kinds to EMAILS (kind → renderer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from shop.core.errors import ShopError

LOCALES = ("es", "en")
MAIL_DOMAIN = "tienda.local"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


Renderer = Callable[[str, dict], RenderedEmail]   # (locale, context) → the message


def template_email(kind: str, subjects: dict[str, str]) -> Renderer:
    """A renderer over `notifications/<kind>.<locale>.txt` (and `.html` when it exists);
    `subjects` per locale are str.format templates over the context."""

    def render(locale: str, context: dict) -> RenderedEmail:
        subject = subjects[locale].format(**context)
        values = {**context, "locale": locale, "subject": subject}
        text = render_to_string(f"notifications/{kind}.{locale}.txt", values)
        try:
            html = render_to_string(f"notifications/{kind}.{locale}.html", values)
        except TemplateDoesNotExist:
            html = None
        return RenderedEmail(subject, text, html)

    return render


EMAILS: dict[str, Renderer] = {
    "order_confirmed": template_email("order_confirmed", {
        "es": "Pedido {number} confirmado", "en": "Order {number} confirmed"}),
    "order_cancelled": template_email("order_cancelled", {
        "es": "Pedido {number} cancelado", "en": "Order {number} cancelled"}),
    "order_refunded": template_email("order_refunded", {
        "es": "Reembolso del pedido {number}", "en": "Order {number} refunded"}),
    "order_shipped": template_email("order_shipped", {
        "es": "Tu pedido {number} va en camino", "en": "Your order {number} is on its way"}),
    "password_reset": template_email("password_reset", {
        "es": "Cambia tu contraseña de Tienda", "en": "Reset your Tienda password"}),
    "back_in_stock": template_email("back_in_stock", {
        "es": "Ya tenemos {product}", "en": "{product} is back in stock"}),
    "low_stock_digest": template_email("low_stock_digest", {
        "es": "Stock bajo: {count} variantes", "en": "Low stock: {count} variants"}),
}


def _message_id(message_id: str | None) -> str:
    # A message id from the queue gives a redelivered e-mail the same Message-ID, so mail
    # clients can fold a rare duplicate.
    return f"<{message_id}@{MAIL_DOMAIN}>" if message_id else make_msgid(domain=MAIL_DOMAIN)


def email_send(*, kind, to, locale, context, message_id=None) -> None:
    renderer = EMAILS.get(kind)
    if renderer is None:
        raise ShopError(f"unknown e-mail kind {kind!r}; known: {', '.join(sorted(EMAILS))}")
    locale = locale if locale in LOCALES else settings.LANGUAGE_CODE
    with translation.override(locale):
        rendered = renderer(locale, dict(context))
    headers = {"Message-ID": _message_id(message_id), **rendered.headers}
    if context.get("order_id"):
        headers["X-Tienda-Order"] = str(context["order_id"])
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text, to=[to],
                                     from_email=settings.DEFAULT_FROM_EMAIL, headers=headers)
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    message.send()


def order_email_send(*, order_id, kind: str, message_id=None) -> None:
    """An order's e-mail to its customer, in the order's language."""
    from shop.orders.emails import order_email_context
    from shop.orders.selectors import order_detail

    order = order_detail(order_id=order_id)
    email_send(kind=kind, to=order.email, locale=order.locale,
               context=order_email_context(order), message_id=message_id)
