"""The SMTP mailer against the real local capture server."""

from __future__ import annotations

from email.message import EmailMessage

from tienda.adapters.mail.capture import read_mailbox
from tienda.adapters.mail.smtp import SmtpMailer
from tienda.config import load_settings


def test_a_sent_message_is_stored_by_the_capture_and_read_back(smtp_capture):
    port, directory = smtp_capture
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@t.local", "ana@example.com", "Pedido"
    message.set_content("Gracias por tu pedido T-000001 — ¡llega pronto!")

    SmtpMailer(load_settings(smtp_port=port)).send(message)

    [mail] = read_mailbox(directory)
    assert mail.to == "ana@example.com"
    assert mail.subject == "Pedido"
    assert mail.text().strip() == "Gracias por tu pedido T-000001 — ¡llega pronto!"
    assert list(directory.glob("*.part")) == []


def test_the_mailbox_lists_the_newest_first(smtp_capture):
    port, directory = smtp_capture
    mailer = SmtpMailer(load_settings(smtp_port=port))
    for subject in ("first", "second"):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@t.local", "b@t.local", subject
        message.set_content(subject)
        mailer.send(message)

    assert [m.subject for m in read_mailbox(directory)] == ["second", "first"]


def test_an_empty_mailbox_is_an_empty_list(tmp_path):
    assert read_mailbox(tmp_path / "never-created") == []
