"""A campaign's e-mail: the plain-text body as written, an HTML alternative with every
character escaped and blank-line-separated paragraphs, and the unsubscribe link in the body and
in the `List-Unsubscribe` headers (RFC 2369 and the one-click POST of RFC 8058)."""

from __future__ import annotations

import binascii
import email.policy
import re
import uuid
from email.utils import formatdate
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape

from shop.campaigns.models import Campaign
from shop.notifications.emails import LOCALES, MAIL_DOMAIN, RenderedEmail

WHY = {"es": "Recibes este correo porque aceptaste nuestras comunicaciones.",
       "en": "You receive this e-mail because you opted in to our news."}
UNSUBSCRIBE_LABEL = {"es": "Darte de baja", "en": "Unsubscribe"}
TEST_PREFIX = "[TEST] "
_PARAGRAPHS = re.compile(r"\n\s*\n")


def html_paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: everything escaped, single newlines kept as <br>."""
    paragraphs = [part.strip() for part in _PARAGRAPHS.split(text.replace("\r\n", "\n"))]
    return "\n".join("<p>" + escape(part).replace("\n", "<br>\n") + "</p>"
                     for part in paragraphs if part)


def campaign_render(campaign: Campaign, *, locale: str, unsubscribe: str) -> RenderedEmail:
    locale = locale if locale in LOCALES else settings.LANGUAGE_CODE
    subject = getattr(campaign, f"subject_{locale}")
    body = getattr(campaign, f"body_{locale}").strip()
    text = f"{body}\n\n-- \n{WHY[locale]}\n{UNSUBSCRIBE_LABEL[locale]}: {unsubscribe}\n"
    link = f'<a href="{escape(unsubscribe)}">{UNSUBSCRIBE_LABEL[locale]}</a>'
    html = (f'<!doctype html>\n<html lang="{locale}"><body>\n{html_paragraphs(body)}\n'
            f"<hr>\n<p><small>{WHY[locale]} {link}</small></p>\n</body></html>\n")
    headers = {"List-Unsubscribe": f"<{unsubscribe}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return RenderedEmail(subject, text, html, headers)


def campaign_message_id(campaign_id: int, customer_id: int) -> str:
    """The same Message-ID every time this recipient's e-mail of this campaign is sent, so a
    mail store folds the rare resend after a crash."""
    return f"<campaign-{campaign_id}-{customer_id}@{MAIL_DOMAIN}>"


def campaign_email(rendered: RenderedEmail, *, to: str, message_id: str,
                   campaign_id: int) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id, "X-Tienda-Campaign": str(campaign_id),
               **rendered.headers}
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text, to=[to],
                                     from_email=settings.DEFAULT_FROM_EMAIL, headers=headers)
    message.attach_alternative(rendered.html, "text/html")
    return message


# --- many recipients: bytes ready for SMTP ----------------------------------------------------

# An address written as is in To and in the envelope; any other goes through the email package.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_LINK = "\x00unsubscribe\x00"  # stands for the link while a locale's parts are prepared
_SMTP = email.policy.SMTP


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF line ends (binascii: in C)."""
    return binascii.b2a_qp(text.replace("\r\n", "\n").replace("\n", "\r\n").encode(),
                           istext=True)


def _header(name: str, value: str) -> bytes:
    """The header folded and RFC 2047-encoded as the email package writes it."""
    return _SMTP.header_factory(name, value).fold(policy=_SMTP).encode("ascii")


class _Parts(NamedTuple):
    head: bytes  # the headers every recipient of the locale shares, and the blank line
    text: str  # the bodies with _LINK for the unsubscribe link
    html: str
    text_start: bytes  # boundary and part headers
    html_start: bytes
    end: bytes


class CampaignMime:
    """A campaign's e-mail as the bytes SMTP sends, for many recipients. Building it with
    `campaign_email` costs 4-8 ms of CPU in the email package; here, per locale, the headers
    every recipient shares and the two bodies are prepared once, and per recipient only To,
    Date, Message-ID and the unsubscribe link (List-Unsubscribe and both bodies) are filled in
    and the bodies quoted-printable encoded. Parsed, it is the message `campaign_email`
    builds (tests/shop/campaigns/test_emails.py compares them)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self._locales: dict[str, _Parts] = {}

    def _parts(self, locale: str) -> _Parts:
        if locale not in self._locales:
            rendered = campaign_render(self.campaign, locale=locale, unsubscribe=_LINK)
            boundary = f"=============={uuid.uuid4().hex}=="
            head = b"".join((
                b"MIME-Version: 1.0\r\n",
                f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'.encode(),
                _header("Subject", rendered.subject),
                _header("From", settings.DEFAULT_FROM_EMAIL),
                f"X-Tienda-Campaign: {self.campaign.pk}\r\n".encode(),
                b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n"))
            part = ('--{}\r\nContent-Type: text/{}; charset="utf-8"\r\n'
                    "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
            self._locales[locale] = _Parts(
                head, rendered.text, rendered.html, part.format(boundary, "plain").encode(),
                b"\r\n" + part.format(boundary, "html").encode(),
                f"\r\n--{boundary}--\r\n".encode())
        return self._locales[locale]

    def message(self, *, to: str, locale: str, customer_id: int, unsubscribe: str) -> bytes:
        parts = self._parts(locale if locale in LOCALES else settings.LANGUAGE_CODE)
        to_header = (f"To: {to}\r\n".encode() if PLAIN_ADDRESS.fullmatch(to)
                     else _header("To", to))
        return b"".join((
            to_header,
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}\r\n"
            f"Message-ID: {campaign_message_id(self.campaign.pk, customer_id)}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>\r\n".encode(),
            parts.head, parts.text_start, _qp(parts.text.replace(_LINK, unsubscribe)),
            parts.html_start, _qp(parts.html.replace(_LINK, escape(unsubscribe))), parts.end))


def sample_unsubscribe_url() -> str:
    """The link previews and test sends carry: the shape of the real one, for no customer."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/unsubscribe/0/preview"


def campaign_preview(campaign: Campaign, *, locale: str, test: bool = False) -> RenderedEmail:
    rendered = campaign_render(campaign, locale=locale, unsubscribe=sample_unsubscribe_url())
    if not test:
        return rendered
    return RenderedEmail(TEST_PREFIX + rendered.subject, rendered.text, rendered.html,
                         rendered.headers)
