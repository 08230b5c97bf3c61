"""Back-in-stock e-mails. Whatever brought the stock back (``tienda stock set``, a
backoffice adjustment, a cancelled order's restock), a timer finds the alerts whose variant
is available again and sends each one once: marking it sent and adding its e-mail to the
outbox share one transaction, and only the run that marks it adds the e-mail. Asking again
after the e-mail arms the alert again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from tienda.domain.catalog import AttributeLabels, Localized
from tienda.service_layer.checkout import publish_now
from tienda.service_layer.policy import ShopPolicy
from tienda.service_layer.ports import OutboxRelay

KIND = "back_in_stock"
BATCH = 500


@dataclass(frozen=True)
class DueAlert:
    id: int
    email: str
    locale: str
    product_slug: str
    product_name: Localized
    attributes: dict[str, str]


class StockAlerts(Protocol):
    def due(self, limit: int) -> list[DueAlert]:
        """Unsent alerts whose variant, on sale, has available stock again; oldest first."""
        ...

    def mark_sent(self, alert_id: int, at: datetime, queue: str,
                  message: dict[str, object]) -> list[str] | None:
        """In one transaction, mark the alert sent and add ``message`` to the outbox; the
        outbox ids, or None if the alert was already sent (by a concurrent run)."""
        ...


def back_in_stock_message(alert: DueAlert, labels: AttributeLabels,
                          policy: ShopPolicy) -> dict[str, object]:
    locale = alert.locale
    return {"kind": KIND, "email": alert.email, "locale": locale,
            "product": alert.product_name.get(locale),
            "variant": labels.of(alert.attributes, locale),
            "link": f"{policy.public_base_url}/p/{alert.product_slug}?lang={locale}"}


def notify_back_in_stock(alerts: StockAlerts, labels: AttributeLabels, relay: OutboxRelay,
                         policy: ShopPolicy, now: datetime | None = None) -> int:
    """Queue one e-mail per alert that is due; the number queued by this run."""
    at = now or datetime.now(UTC)
    added: list[str] = []
    for alert in alerts.due(BATCH):
        ids = alerts.mark_sent(alert.id, at, policy.queue_notifications,
                               back_in_stock_message(alert, labels, policy))
        added += ids or []
    if added:
        publish_now(relay, added)
    return len(added)
