"""Test doubles for the campaign tests: an SMTP server that stores like the local capture but
refuses chosen recipients and can hold the n-th message at RCPT until told (so a worker can be
killed with a message in flight), and an in-memory mailer that calls a hook after each send."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.core.mail.backends.locmem import EmailBackend

from shop.notifications.capture import _StoreHandler
from tests.conftest import free_port


class ScriptedSmtp(_StoreHandler):
    def __init__(self, directory: Path, *, refuse: frozenset[str] = frozenset(),
                 hold_at: int | None = None) -> None:
        super().__init__(directory)
        self.refuse, self.hold_at = refuse, hold_at
        self.recipients_seen = 0
        self.holding = threading.Event()  # set while the held message waits at RCPT
        self.release = threading.Event()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 <" + address + ">: mailbox unavailable"
        self.recipients_seen += 1
        if self.recipients_seen == self.hold_at:
            self.holding.set()
            await server.loop.run_in_executor(None, self.release.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextmanager
def scripted_smtp(directory: Path, *, port: int | None = None,
                  **script: Any) -> Iterator[tuple[ScriptedSmtp, int]]:
    handler = ScriptedSmtp(directory, **script)
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.release.set()
        controller.stop()


def smtp_mailer(port: int) -> dict[str, Any]:
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 20}}}


AFTER_SEND: list[Callable[[int], None]] = []  # hooks, called with the number sent so far


class HookedBackend(EmailBackend):
    """Django's in-memory mailer (mail.outbox) that runs AFTER_SEND hooks after each message."""

    sent = 0

    def send_messages(self, messages: list[Any]) -> int:
        count = super().send_messages(messages)
        HookedBackend.sent += count
        for hook in AFTER_SEND:
            hook(HookedBackend.sent)
        return count
