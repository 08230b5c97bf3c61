"""`manage.py mail_capture`: the local SMTP relay that stores every message as an .eml file
under TIENDA_DATA_DIR/mail (read by the backoffice mailbox and the tests)."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from shop.notifications.capture import start_capture


class Command(BaseCommand):
    help = "Capture outgoing mail locally as .eml files."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=settings.MAIL_CAPTURE_PORT)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options) -> None:  # type: ignore[no-untyped-def]
        controller = start_capture(settings.MAIL_CAPTURE_DIR, host, port)
        self.stdout.write(f"mail capture on {host}:{port}, messages in {settings.MAIL_CAPTURE_DIR}")
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()
        controller.stop()
