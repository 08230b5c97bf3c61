"""Low-stock alerts: staff set a threshold per variant; once a day at most, a digest e-mail
lists every variant whose available units (on hand minus reserved, over all warehouses) are at
or below its threshold, to every active staff member who may change stock, in their language.

The store-local day is the claim: the LowStockDigest row for today and the e-mails' outbox
rows are written in one transaction, so the timer may run as often as it likes. A day with
nothing low sends nothing and claims nothing (a later run that day may still find something)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from shop.audit.services import audit_record
from shop.catalog.models import Variant
from shop.core.errors import NotFound, ShopError
from shop.inventory.models import LowStockDigest, LowStockThreshold, StockLevel
from shop.inventory.services import actor_label

KIND = "low_stock_digest"
# The Django permission behind inventory:write (backoffice/roles.py): who may change stock.
RECIPIENT_PERMISSION = "backoffice.adjust_stock"
# Staff accounts have no language of their own; the backoffice speaks English.
STAFF_LOCALE = "en"
MAX_THRESHOLD = 1_000_000


@transaction.atomic
def low_stock_threshold_set(*, sku: str, threshold: int | None, actor: Any) -> int | None:
    """Set (or with None, remove) the variant's threshold; audited. Returns the threshold."""
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int)
                                  or not 0 <= threshold <= MAX_THRESHOLD):
        raise ShopError(f"threshold: a whole number from 0 to {MAX_THRESHOLD}, or null")
    variant = Variant.objects.filter(sku=sku).first()
    if variant is None:
        raise NotFound(f"there is no SKU {sku!r}")
    before = LowStockThreshold.objects.filter(variant=variant).values_list(
        "threshold", flat=True).first()
    if threshold is None:
        LowStockThreshold.objects.filter(variant=variant).delete()
    else:
        LowStockThreshold.objects.update_or_create(variant=variant,
                                                   defaults={"threshold": threshold})
    audit_record(actor=actor_label(actor), action="stock.threshold", entity="stock",
                 entity_id=sku, before={"threshold": before}, after={"threshold": threshold})
    return threshold


def low_stock_list() -> QuerySet[LowStockThreshold]:
    """Thresholds whose variant's available units are at or below them, by SKU; each with
    `available`."""
    units = (StockLevel.objects.filter(variant=OuterRef("variant")).values("variant")
             .annotate(units=Sum(F("on_hand") - F("reserved"))).values("units"))
    return (LowStockThreshold.objects
            .annotate(available=Coalesce(Subquery(units, output_field=IntegerField()), 0))
            .filter(available__lte=F("threshold"))
            .select_related("variant__product").order_by("variant__sku"))


def _recipients() -> list[Any]:
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("email")
    return [user for user in staff if user.has_perm(RECIPIENT_PERMISSION)]


def _items(rows: QuerySet[LowStockThreshold]) -> list[dict[str, Any]]:
    return [{"sku": row.variant.sku, "product": row.variant.product.name_en,
             "available": row.available, "threshold": row.threshold} for row in rows]


def _today() -> Any:
    return timezone.localtime(timezone.now(), ZoneInfo(settings.STORE_TIMEZONE)).date()


def low_stock_digest_send() -> int:
    """Queue today's digest to each recipient unless it went already; how many were queued."""
    from shop.notifications.tasks import send_email_task

    today = _today()
    if LowStockDigest.objects.filter(day=today).exists():
        return 0
    items, recipients = _items(low_stock_list()), _recipients()
    if not items or not recipients:
        return 0
    try:
        with transaction.atomic():
            LowStockDigest.objects.create(day=today, recipients=len(recipients),
                                          items=len(items))
            for user in recipients:
                send_email_task.enqueue(kind=KIND, to=user.email, locale=STAFF_LOCALE,
                                        context={"items": items, "count": len(items),
                                                 "day": today.isoformat()})
    except IntegrityError:  # another run claimed today first
        return 0
    return len(recipients)
