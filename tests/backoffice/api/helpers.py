"""Things the staff API tests set up outside the shop's tables: poison messages on Azurite,
a captured e-mail, the analytics warehouse."""

from __future__ import annotations

from itertools import count

from django.conf import settings

from tests.backoffice.builders import a_staff_member
from workers import queues

_serial = count(1)
MAIL_ID = "20250101T100000000000-abcd1234"


def poison_message(queue: str, body: str = '{"order_id": "nope"}') -> str:
    """Puts `body` on `queue`'s poison queue; returns its message id."""
    client = queues.queue_client(f"{settings.QUEUES[queue]}-poison")
    return str(client.send_message(body.encode()).id)


def clear_poison(queue: str) -> None:
    queues.queue_client(f"{settings.QUEUES[queue]}-poison").clear_messages()


def temp_staff() -> int:
    return a_staff_member("viewer", email=f"temp{next(_serial)}@tienda.test").pk


def capture_mail() -> str:
    """One captured message, as the SMTP capture would have stored it."""
    directory = settings.MAIL_CAPTURE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.eml"):
        old.unlink()
    (directory / f"{MAIL_ID}.eml").write_text(
        "From: shop@tienda.local\r\nTo: ana@example.com\r\nSubject: Pedido confirmado\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nGracias por tu pedido.\r\n")
    return MAIL_ID


def load_warehouse() -> None:
    """Reports read the warehouse: load it as the worker's ETL timer would."""
    from django.core.management import call_command

    call_command("etl_run", "--full", verbosity=0)
