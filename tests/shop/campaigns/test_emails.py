"""The bytes a batch sends (CampaignMime) against the message Django builds for the same
recipient (campaign_email): parsed, every header a reader sees and both bodies are the same,
for both languages, non-ASCII subjects and bodies, long lines and unusual addresses."""

from __future__ import annotations

import email
import email.policy

import pytest

from shop.campaigns.emails import CampaignMime, campaign_email, campaign_render
from shop.campaigns.models import Campaign

LINK = "https://tienda.example/unsubscribe/1234567/" + "t0k3n-" * 8
HEADERS = ("Subject", "From", "To", "Message-ID", "X-Tienda-Campaign", "List-Unsubscribe",
           "List-Unsubscribe-Post", "MIME-Version")


def a_campaign() -> Campaign:
    long_line = "Ofertas en camisetas, pantalones y calcetines " * 6
    return Campaign(pk=42, name="Rebajas", subject_es="Rebajas de invierno: ¡todo al 50 %!",
                    subject_en="Winter sale — everything 50% off",
                    body_es=f"Hola, Begoña:\n\nTodo al 50 % <hoy> & mañana.\n{long_line}\n"
                            ".Una línea que empieza por punto.",
                    body_en="Hello,\n\nEverything 50% off <today>.\r\n\r\nSee you =)",
                    segment={})


def parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def django_message(campaign: Campaign, *, to: str, locale: str) -> email.message.EmailMessage:
    rendered = campaign_render(campaign, locale=locale, unsubscribe=LINK)
    message = campaign_email(rendered, to=to, campaign_id=campaign.pk,
                             message_id=f"<campaign-{campaign.pk}-7@tienda.local>")
    return parsed(message.message(policy=email.policy.SMTP).as_bytes())


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize("to", ["ana.garcia+news@example.com", "Ana García <ana@example.com>"])
def test_the_prepared_bytes_read_as_the_message_django_builds(locale, to):
    campaign = a_campaign()
    mime = CampaignMime(campaign)

    ours = parsed(mime.message(to=to, locale=locale, customer_id=7, unsubscribe=LINK))
    theirs = django_message(campaign, to=to, locale=locale)

    assert {name: str(ours[name]) for name in HEADERS} == {
        name: str(theirs[name]) for name in HEADERS}
    assert ours["Date"] is not None and ours.defects == []
    for kind in ("plain", "html"):
        part = ours.get_body(preferencelist=(kind,))
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert part.get_content() == theirs.get_body(preferencelist=(kind,)).get_content()
    assert LINK in ours.get_body(preferencelist=("plain",)).get_content()


def test_every_line_is_short_crlf_terminated_and_the_link_is_per_recipient():
    mime = CampaignMime(a_campaign())

    first = mime.message(to="a@example.com", locale="es", customer_id=1, unsubscribe=LINK)
    second = mime.message(to="b@example.com", locale="es", customer_id=2,
                          unsubscribe=LINK.replace("1234567", "2"))

    lines = first.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and max(len(line) for line in lines) <= 998
    assert all(len(line) <= 78 for line in lines[lines.index(b""):])  # the bodies
    assert parsed(second)["List-Unsubscribe"] == f"<{LINK.replace('1234567', '2')}>"
    assert parsed(second)["Message-ID"] == "<campaign-42-2@tienda.local>"
    assert "1234567" not in parsed(second).get_body(preferencelist=("html",)).get_content()


def test_an_unknown_locale_gets_the_default_language(settings):
    mime = CampaignMime(a_campaign())

    message = parsed(mime.message(to="a@example.com", locale="fr", customer_id=1,
                                  unsubscribe=LINK))

    assert message["Subject"] == getattr(a_campaign(), f"subject_{settings.LANGUAGE_CODE}")
