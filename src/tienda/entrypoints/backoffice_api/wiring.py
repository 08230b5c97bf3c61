"""Builds the backoffice's collaborators from the process's Tienda (the composition root)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from tienda.adapters.db.backoffice.audit import SqlAuditReads
from tienda.adapters.db.backoffice.catalog import SqlCatalogReads
from tienda.adapters.db.backoffice.customers import SqlCustomerReads
from tienda.adapters.db.backoffice.inventory import SqlInventoryReads
from tienda.adapters.db.backoffice.jobs import SqlJobReads
from tienda.adapters.db.backoffice.orders import SqlOrderReads
from tienda.adapters.db.backoffice.staff import SqlStaffReads
from tienda.adapters.db.backoffice.unit_of_work import SqlBackofficeUnitOfWorkFactory
from tienda.adapters.mail.capture import CapturedMail, read_mailbox
from tienda.adapters.passwords import hash_password, verify_password
from tienda.adapters.product_images import load_image, make_thumbnail
from tienda.bootstrap import Tienda
from tienda.service_layer.backoffice.context import Backoffice, BackofficeConfig
from tienda.service_layer.backoffice.ports import PreparedPicture, Row

# The largest side kept of an uploaded original: more than any product page shows.
ORIGINAL_MAX_SIDE = 2400


class Argon2Passwords:
    def hash(self, password: str) -> str:
        return hash_password(password)

    def verify(self, password_hash: str, password: str) -> bool:
        return verify_password(password_hash, password)


class PillowPictures:
    def prepare(self, data: bytes) -> PreparedPicture:
        original = make_thumbnail(data, ORIGINAL_MAX_SIDE)
        width, height = load_image(original).size
        return PreparedPicture(original, make_thumbnail(data), width, height)


class CapturedMailbox:
    """The local SMTP capture's directory of .eml files."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def messages(self) -> list[Row]:
        return [_summary(mail) for mail in read_mailbox(self._directory)]

    def message(self, message_id: str) -> Row | None:
        for mail in read_mailbox(self._directory):
            if mail.id == message_id:
                return {**_summary(mail), "text": mail.text(), "html": _html(mail.message)}
        return None


def _summary(mail: CapturedMail) -> Row:
    return {"id": mail.id, "subject": mail.subject, "to": mail.to, "date": mail.received_at}


def _html(message: EmailMessage) -> str | None:
    part = message.get_body(preferencelist=("html",))
    return str(part.get_content()) if part is not None else None


def build_backoffice(tienda: Tienda) -> Backoffice:
    s = tienda.settings
    reads = tienda.read_engine
    return Backoffice(
        uows=SqlBackofficeUnitOfWorkFactory(tienda.engine),
        catalog=SqlCatalogReads(reads), orders=SqlOrderReads(reads),
        customers=SqlCustomerReads(reads), inventory=SqlInventoryReads(reads),
        audit=SqlAuditReads(reads), staff=SqlStaffReads(reads), jobs=SqlJobReads(reads),
        queues=tienda.queues, blobs=tienda.blobs, pictures=PillowPictures(),
        passwords=Argon2Passwords(), fulfilment=tienda.fulfilment,
        config=BackofficeConfig(
            currency=s.currency, container_media=s.container_media,
            container_invoices=s.container_invoices, queue_names=tuple(tienda.queue_names),
            media_base_url=s.public_base_url, sas_ttl_seconds=s.sas_ttl_seconds),
        mailbox=CapturedMailbox(s.mail_dir) if s.is_local else None,
    )
