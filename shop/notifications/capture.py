"""The local mail capture: an SMTP server that stores every message it receives as an .eml
file, and a reader for the backoffice mailbox and the tests."""

from __future__ import annotations

import email
import email.policy
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _StoreHandler:
    def __init__(self, directory: Path) -> None:
        self._directory = directory

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self._directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        final = self._directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(final)  # readers never see half a message
        return "250 Message accepted for delivery"


def start_capture(directory: Path, host: str, port: int) -> Controller:
    controller = Controller(_StoreHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


@dataclass(frozen=True)
class CapturedMail:
    id: str
    received_at: datetime
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part else ""


def read_mailbox(directory: Path) -> list[CapturedMail]:
    """Every captured message, newest first."""
    if not directory.exists():
        return []
    mails = []
    for path in sorted(directory.glob("*.eml"), reverse=True):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        received = datetime.strptime(path.name.split("-")[0], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
        mails.append(CapturedMail(path.stem, received, parsed))
    return mails
