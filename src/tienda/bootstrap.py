"""The composition root: every process turns its Settings into adapters here, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine, text

from tienda.adapters.azure_clients import blob_service, queue_service
from tienda.adapters.blobs.azure_blob import AzureBlobStore
from tienda.adapters.db.accounts import SqlStockSubscriptions
from tienda.adapters.db.catalog_queries import SqlCatalogQueries
from tienda.adapters.db.engine import build_engine
from tienda.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from tienda.adapters.documents.invoice_pdf import PdfInvoiceRenderer
from tienda.adapters.documents.order_mail import OrderMailRenderer
from tienda.adapters.mail.smtp import SmtpMailer
from tienda.adapters.payments.sandbox import SandboxPaymentProvider
from tienda.adapters.queues.azure_queue import AzureQueues
from tienda.adapters.queues.outbox_relay import SqlOutboxRelay
from tienda.config import Settings
from tienda.service_layer.fulfilment import Fulfilment
from tienda.service_layer.policy import ShopPolicy


@dataclass
class Tienda:
    """Everything a process needs, built lazily from one Settings object."""

    settings: Settings
    _closers: list[Engine] = field(default_factory=list)

    @cached_property
    def engine(self) -> Engine:
        engine = build_engine(self.settings)
        self._closers.append(engine)
        return engine

    @cached_property
    def read_engine(self) -> Engine:
        if not self.settings.sqlalchemy_url.startswith("sqlite"):
            return self.engine
        engine = build_engine(self.settings, read_only=True)
        self._closers.append(engine)
        return engine

    @cached_property
    def queues(self) -> AzureQueues:
        return AzureQueues(queue_service(self.settings))

    @cached_property
    def blobs(self) -> AzureBlobStore:
        service = blob_service(self.settings)
        return AzureBlobStore(service, getattr(service.credential, "account_key", None))

    @cached_property
    def mailer(self) -> SmtpMailer:
        return SmtpMailer(self.settings)

    @cached_property
    def catalog(self) -> SqlCatalogQueries:
        return SqlCatalogQueries(self.read_engine)

    @cached_property
    def stock_alerts(self) -> SqlStockSubscriptions:
        return SqlStockSubscriptions(self.engine)

    @cached_property
    def uows(self) -> SqlUnitOfWorkFactory:
        return SqlUnitOfWorkFactory(self.engine)

    @cached_property
    def payments(self) -> SandboxPaymentProvider:
        return SandboxPaymentProvider(self.engine)

    @cached_property
    def relay(self) -> SqlOutboxRelay:
        return SqlOutboxRelay(self.engine, self.queues)

    @cached_property
    def policy(self) -> ShopPolicy:
        s = self.settings
        return ShopPolicy(
            currency=s.currency, tax_rate_bp=s.tax_rate_bp, token_secret=s.secret_key,
            queue_order_confirmation=s.queue_order_confirmation,
            queue_notifications=s.queue_notifications, container_invoices=s.container_invoices,
            pending_order_ttl_minutes=s.pending_order_ttl_minutes,
            public_base_url=s.public_base_url,
        )

    @cached_property
    def fulfilment(self) -> Fulfilment:
        return Fulfilment(self.uows, self.payments, self.relay, self.policy)

    @cached_property
    def invoices(self) -> PdfInvoiceRenderer:
        return PdfInvoiceRenderer()

    @cached_property
    def mail_renderer(self) -> OrderMailRenderer:
        return OrderMailRenderer(self.settings.mail_from)

    @property
    def queue_names(self) -> list[str]:
        s = self.settings
        return [s.queue_order_confirmation, s.queue_notifications, s.queue_inventory_jobs]

    def ensure_storage(self) -> None:
        """Create queues and containers where they may be missing (Azurite). On Azure,
        Terraform creates them and the identities have data-plane rights only."""
        if self.settings.is_local:
            s = self.settings
            self.queues.ensure(self.queue_names)
            self.blobs.ensure([s.container_media, s.container_invoices, s.container_imports])

    def health(self) -> dict[str, str]:
        checks: dict[str, Callable[[], object]] = {
            "database": self._check_database,
            "queue": lambda: self.queues.depth(self.settings.queue_order_confirmation),
            "blob": lambda: self.blobs.ping(self.settings.container_media),
        }
        report = {}
        for name, check in checks.items():
            try:
                check()
                report[name] = "ok"
            except Exception as exc:  # a probe reports any failure rather than raising it
                report[name] = f"error: {type(exc).__name__}"
        return report

    def _check_database(self) -> None:
        with self.read_engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        for engine in self._closers:
            engine.dispose()


def bootstrap(settings: Settings) -> Tienda:
    return Tienda(settings)
