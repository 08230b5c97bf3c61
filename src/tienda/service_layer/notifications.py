"""Customer e-mail: every one is a message on the notifications queue, rendered and sent by
its handler exactly once per message (the claim and the send share one transaction)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from tienda.domain.orders import Order
from tienda.service_layer.policy import ShopPolicy
from tienda.service_layer.ports import Mailer, UnitOfWorkFactory

HANDLER = "notifications"
ORDER_KINDS = ("order_confirmed", "order_cancelled", "order_refunded", "order_shipped")
ACCOUNT_KINDS = ("password_reset",)
STOCK_KINDS = ("back_in_stock",)


class MalformedMessage(ValueError):
    """A message no retry can fix; after the last attempt it goes to the poison queue."""


@dataclass(frozen=True)
class OrderMail:
    kind: str
    order: Order
    invoice_link: str
    order_link: str


@dataclass(frozen=True)
class AccountMail:
    kind: str
    to: str
    locale: str
    link: str


@dataclass(frozen=True)
class StockMail:
    """A variant someone asked about is back: names already in the shopper's language."""

    to: str
    locale: str
    product: str
    variant: str
    link: str


class MailRenderer(Protocol):
    def render(self, mail: OrderMail) -> EmailMessage: ...

    def render_account(self, mail: AccountMail) -> EmailMessage: ...

    def render_stock(self, mail: StockMail) -> EmailMessage: ...


def parse_message(body: str, required: tuple[str, ...]) -> dict[str, str]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise MalformedMessage("the message is not JSON") from None
    if not isinstance(payload, dict):
        raise MalformedMessage("the message is not a JSON object")
    missing = [name for name in ("message_id", *required)
               if not isinstance(payload.get(name), str)]
    if missing:
        raise MalformedMessage(f"the message lacks {', '.join(missing)}")
    return payload


def send_notification(uows: UnitOfWorkFactory, mailer: Mailer, renderer: MailRenderer,
                      policy: ShopPolicy, body: str) -> str:
    kind = parse_message(body, ("kind",))["kind"]
    if kind in ACCOUNT_KINDS:
        return _send_account_mail(uows, mailer, renderer, body)
    if kind in STOCK_KINDS:
        return _send_stock_mail(uows, mailer, renderer, body)
    payload = parse_message(body, ("kind", "order_id"))
    if payload["kind"] not in ORDER_KINDS:
        raise MalformedMessage(f"unknown notification kind {payload['kind']!r}")
    with uows() as uow:
        if not uow.processed.claim(HANDLER, payload["message_id"]):
            return "duplicate: already sent"
        order = uow.orders.get(payload["order_id"])
        if order is None:
            raise MalformedMessage(f"there is no order {payload['order_id']}")
        link = f"{policy.public_base_url}/orders/{order.id}?access_token=" \
               f"{policy.order_access_token(order.id)}"
        mailer.send(renderer.render(OrderMail(payload["kind"], order,
                                              policy.invoice_link(order.id), link)))
        uow.commit()
    return f"sent {payload['kind']}"


def _send_account_mail(uows: UnitOfWorkFactory, mailer: Mailer, renderer: MailRenderer,
                       body: str) -> str:
    payload = parse_message(body, ("kind", "email", "locale", "link"))
    with uows() as uow:
        if not uow.processed.claim(HANDLER, payload["message_id"]):
            return "duplicate: already sent"
        mailer.send(renderer.render_account(AccountMail(
            payload["kind"], payload["email"], payload["locale"], payload["link"])))
        uow.commit()
    return f"sent {payload['kind']}"


def _send_stock_mail(uows: UnitOfWorkFactory, mailer: Mailer, renderer: MailRenderer,
                     body: str) -> str:
    payload = parse_message(body, ("email", "locale", "product", "variant", "link"))
    with uows() as uow:
        if not uow.processed.claim(HANDLER, payload["message_id"]):
            return "duplicate: already sent"
        mailer.send(renderer.render_stock(StockMail(
            payload["email"], payload["locale"], payload["product"], payload["variant"],
            payload["link"])))
        uow.commit()
    return f"sent {payload['kind']}"
