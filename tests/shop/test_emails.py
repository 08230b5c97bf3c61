"""E-mails over a real SMTP capture: es/en by locale, text plus HTML, the headers the
backoffice mailbox and mail clients rely on (ports legacy/tests/integration/test_smtp_mail.py
and the e-mail halves of test_confirmation.py)."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage

from shop.core.errors import ShopError
from shop.notifications.capture import read_mailbox
from shop.notifications.emails import EMAILS, RenderedEmail, email_send
from shop.notifications.tasks import send_email_task

ORDER = {"order_id": "0b6c3f5e-8f0d-4a57-9d68-0a1b2c3d4e5f", "number": "T-261128-ABCDEF",
         "lines": [{"quantity": 2, "name": "Camiseta", "sku": "TEE-M", "total": "39,90 €"}],
         "total": "44,85 €", "order_link": "http://shop.test/orders/x?access_token=t",
         "invoice_link": "http://shop.test/api/v1/orders/x/invoice?access_token=t",
         "tracking_number": "1Z999AA1", "refunded": False}


def test_a_sent_message_is_stored_by_the_capture_and_read_back(mailbox):
    message = EmailMessage("Pedido", "Gracias por tu pedido T-000001 — ¡llega pronto!",
                           "shop@t.local", ["ana@example.com"])

    message.send()

    [mail] = mailbox()
    assert mail.to == "ana@example.com"
    assert mail.subject == "Pedido"
    assert mail.text().strip() == "Gracias por tu pedido T-000001 — ¡llega pronto!"


def test_the_mailbox_lists_the_newest_first(mailbox):
    for subject in ("first", "second"):
        EmailMessage(subject, subject, "a@t.local", ["b@t.local"]).send()

    assert [m.subject for m in mailbox()] == ["second", "first"]


def test_an_empty_mailbox_is_an_empty_list(tmp_path):
    assert read_mailbox(tmp_path / "never-created") == []


@pytest.mark.parametrize(("kind", "locale", "subject", "fragment"), [
    ("order_confirmed", "es", "Pedido T-261128-ABCDEF confirmado",
     "Factura: http://shop.test/api/v1/orders/x/invoice?access_token=t"),
    ("order_confirmed", "en", "Order T-261128-ABCDEF confirmed",
     "Invoice: http://shop.test/api/v1/orders/x/invoice?access_token=t"),
    ("order_cancelled", "es", "Pedido T-261128-ABCDEF cancelado", "no se te ha cobrado nada"),
    ("order_cancelled", "en", "Order T-261128-ABCDEF cancelled", "you have not been charged"),
    ("order_refunded", "es", "Reembolso del pedido T-261128-ABCDEF", "te devolvemos 44,85 €"),
    ("order_refunded", "en", "Order T-261128-ABCDEF refunded", "We have refunded your order"),
    ("order_shipped", "es", "Tu pedido T-261128-ABCDEF va en camino",
     "Número de seguimiento: 1Z999AA1"),
    ("order_shipped", "en", "Your order T-261128-ABCDEF is on its way",
     "Tracking number: 1Z999AA1"),
])
def test_order_mails_speak_the_order_language_with_text_and_html(mailbox, kind, locale,
                                                                  subject, fragment):
    email_send(kind=kind, to="ana@example.com", locale=locale, context=ORDER,
               message_id="msg-1")

    [mail] = mailbox()
    assert mail.subject == subject
    assert fragment in mail.text()
    assert "2 x Camiseta (TEE-M): 39,90 €" in mail.text()
    assert mail.message["Message-ID"] == "<msg-1@tienda.local>"
    assert mail.message["X-Tienda-Order"] == ORDER["order_id"]
    assert mail.message["From"] == "Tienda <shop@tienda.local>"
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{ORDER["order_link"]}"' in html


def test_a_cancellation_after_payment_says_refunded_not_uncharged(mailbox):
    email_send(kind="order_cancelled", to="ana@example.com", locale="en",
               context={**ORDER, "refunded": True})

    text = mailbox()[0].text()
    assert "was cancelled and we have refunded the 44,85 € you paid" in text
    assert "not been charged" not in text


def test_account_and_stock_mails_go_through_the_generic_task(mailbox):
    send_email_task.call(kind="password_reset", to="ana@example.com", locale="en",
                         context={"link": "http://shop.test/account/reset/u/t"})
    send_email_task.call(kind="back_in_stock", to="ana@example.com", locale="es",
                         context={"product": "Camiseta", "item": "Camiseta (rojo, M)",
                                  "link": "http://shop.test/p/camiseta?lang=es"})

    stock, reset = mailbox()
    assert reset.subject == "Reset your Tienda password"
    assert "http://shop.test/account/reset/u/t" in reset.text()
    assert reset.message.get_content_type() == "text/plain"  # text only, as before
    assert "X-Tienda-Order" not in reset.message
    assert stock.subject == "Ya tenemos Camiseta"
    assert "vuelve a haber Camiseta (rojo, M)" in stock.text()


def test_other_apps_add_kinds_to_the_registry(mailbox, monkeypatch):
    monkeypatch.setitem(EMAILS, "welcome", lambda locale, context: RenderedEmail(
        f"Hola {context['name']}" if locale == "es" else f"Hi {context['name']}", "text"))

    email_send(kind="welcome", to="ana@example.com", locale="fr", context={"name": "Ana"})

    assert mailbox()[0].subject == "Hola Ana"  # an unknown locale reads the default


def test_an_unknown_kind_is_refused_naming_the_known_ones():
    with pytest.raises(ShopError, match=r"^unknown e-mail kind 'nope'; known: back_in_stock,"):
        email_send(kind="nope", to="ana@example.com", locale="es", context={})
