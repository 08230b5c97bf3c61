"""Back-in-stock alerts. A shopper asks on a sold-out product page; whatever brings the stock
back (`stock set`, a staff adjustment, a cancelled order's restock), a timer finds the alerts
whose variant can be sold again and e-mails each one once: claiming the alert (a conditional
UPDATE on `notified_at IS NULL`) and queueing its e-mail (an outbox row) share one
transaction, and only the run whose UPDATE claimed it queues the e-mail. Asking again after
the e-mail arms the alert again, in the language of the new request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from shop.catalog.models import AttributeLabel, Variant
from shop.catalog.rules import options_label
from shop.core.errors import NotFound, ShopError
from shop.inventory.models import StockLevel, StockSubscription

KIND = "back_in_stock"
LOCALES = ("es", "en")


def stock_subscription_create(*, variant: Any, email: str, locale: str) -> StockSubscription:
    """Remember to tell `email` when `variant` (anything with its `id`) is back. Asking twice
    is asking once; asking after the e-mail went arms it again, in `locale`."""
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ShopError("enter a valid e-mail address") from None
    if not Variant.objects.filter(pk=variant.id, is_published=True,
                                  product__is_published=True).exists():
        raise NotFound("that product is not on sale")
    subscription, _ = StockSubscription.objects.update_or_create(
        variant_id=variant.id, email=address,
        defaults={"locale": locale if locale in LOCALES else "es", "notified_at": None})
    return subscription


def _due(limit: int) -> list[StockSubscription]:
    """Unsent alerts whose variant, on sale, can be sold again; oldest first."""
    available = StockLevel.objects.filter(variant=OuterRef("variant"), on_hand__gt=F("reserved"))
    return list(StockSubscription.objects
                .filter(Exists(available), notified_at__isnull=True,
                        variant__is_published=True, variant__product__is_published=True)
                .select_related("variant__product").order_by("id")[:limit])


def _email_context(alert: StockSubscription, labels: dict[tuple[str, str, str], str]
                   ) -> dict[str, str]:
    product = alert.variant.product
    name = product.name_en if alert.locale == "en" else product.name_es
    options = options_label(labels, alert.variant.attributes or {}, alert.locale)
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return {"product": name, "variant": options, "sku": alert.variant.sku,
            "item": f"{name} ({options})" if options else name,
            "link": f"{base}/p/{product.slug}?lang={alert.locale}"}


def back_in_stock_alerts_send(*, limit: int = 500) -> int:
    """Queue one e-mail per alert that is due; the number this run queued."""
    from shop.notifications.tasks import send_email_task

    labels = {(a, v, loc): label for a, v, loc, label in
              AttributeLabel.objects.values_list("attribute", "value", "locale", "label")}
    queued = 0
    for alert in _due(limit):
        with transaction.atomic():
            claimed = StockSubscription.objects.filter(
                pk=alert.pk, notified_at__isnull=True).update(notified_at=timezone.now())
            if claimed:
                send_email_task.enqueue(kind=KIND, to=alert.email, locale=alert.locale,
                                        context=_email_context(alert, labels))
                queued += 1
    return queued
