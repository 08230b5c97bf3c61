"""Campaign reads: who a segment reaches now, the campaign lists and details, and RFM segment
members from the warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, QuerySet

from shop.campaigns.models import Campaign, CampaignDelivery
from shop.campaigns.rules import progress
from shop.catalog.models import Category
from shop.core.errors import Conflict, NotFound, ShopError
from shop.customers.models import Customer
from shop.orders.models import Order

# Orders that count as bought: placed (pending) and on their way or done; never cancelled or
# refunded ones.
COUNTED_ORDER_STATUSES = ("pending", "confirmed", "shipped", "delivered")
RFM_PERIOD_DAYS = 365  # the RFM filter scores customers on the last year of orders
ID_CHUNK = 5000
LIVE_STATUSES = ("sending", "paused")


def rfm_segment_names() -> tuple[str, ...]:
    from analytics.reports_customers import SEGMENTS

    return SEGMENTS


def _store_midnight(day: str) -> datetime:
    zone = ZoneInfo(settings.STORE_TIMEZONE)
    return datetime.combine(date.fromisoformat(day), time.min, tzinfo=zone)


def _category_and_below(category_id: int) -> set[int]:
    if not Category.objects.filter(pk=category_id).exists():
        raise ShopError(f"segment.bought_in_category: there is no category {category_id}")
    found, frontier = {category_id}, {category_id}
    while frontier:
        frontier = set(Category.objects.filter(parent_id__in=frontier)
                       .values_list("pk", flat=True)) - found
        found |= frontier
    return found


def segment_queryset(segment: dict[str, Any]) -> QuerySet[Customer]:
    """Consenting customers matching every filter but the RFM one (see segment_customer_ids).
    "last_order_before D": their last counted order was placed before D (store time);
    "last_order_after D": it was placed after D, i.e. on D + 1 or later."""
    rows = Customer.objects.filter(marketing_consent=True)
    if segment.get("language"):
        rows = rows.filter(locale=segment["language"])
    counted = Order.objects.filter(status__in=COUNTED_ORDER_STATUSES, customer__isnull=False)
    if segment.get("bought_in_category"):
        categories = _category_and_below(segment["bought_in_category"])
        rows = rows.filter(pk__in=counted.filter(
            lines__variant__product__category_id__in=categories).values("customer_id"))
    last = counted.values("customer_id").annotate(last=Max("placed_at"))
    if segment.get("last_order_before"):
        rows = rows.filter(pk__in=last.filter(
            last__lt=_store_midnight(segment["last_order_before"])).values("customer_id"))
    if segment.get("last_order_after"):
        after = _store_midnight(segment["last_order_after"]) + timedelta(days=1)
        rows = rows.filter(pk__in=last.filter(last__gte=after).values("customer_id"))
    return rows


def rfm_customer_ids(segment_name: str) -> set[int]:
    """The customers of one RFM segment over the last RFM_PERIOD_DAYS; Conflict (409) when the
    warehouse has never been loaded or cannot be opened: an empty answer would be a lie."""
    from analytics.reports import WarehouseNotReady, open_reports_warehouse
    from analytics.reports_customers import rfm_segment_customer_ids
    from analytics.warehouse import WarehouseUrlError

    end = datetime.now(ZoneInfo(settings.STORE_TIMEZONE)).date()
    start = end - timedelta(days=RFM_PERIOD_DAYS - 1)
    try:
        with open_reports_warehouse() as wh:
            return set(rfm_segment_customer_ids(wh, segment_name, start, end,
                                                currency=settings.SHOP_CURRENCY))
    except (WarehouseNotReady, WarehouseUrlError) as exc:
        raise Conflict(f"segment.rfm_segment: the warehouse cannot answer ({exc}); run "
                       "`manage.py etl_run` first, or choose no RFM segment") from None


def segment_customer_ids(segment: dict[str, Any]) -> Iterator[int]:
    """The ids of the customers the segment reaches now, ascending."""
    wanted = rfm_customer_ids(segment["rfm_segment"]) if segment.get("rfm_segment") else None
    ids = segment_queryset(segment).order_by("pk").values_list("pk", flat=True)
    for customer_id in ids.iterator(chunk_size=ID_CHUNK):
        if wanted is None or customer_id in wanted:
            yield customer_id


def segment_count(segment: dict[str, Any]) -> int:
    if segment.get("rfm_segment"):
        return sum(1 for _ in segment_customer_ids(segment))
    return segment_queryset(segment).count()


# --- campaigns -------------------------------------------------------------------------------

def campaign_get(*, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(f"there is no campaign {campaign_id}")
    return campaign


def campaign_list(*, status: str | None = None) -> QuerySet[Campaign]:
    rows = Campaign.objects.all()
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def campaign_row(campaign: Campaign) -> dict[str, Any]:
    fields = ("id", "name", "subject_es", "subject_en", "body_es", "body_en", "segment",
              "status", "scheduled_at", "recipients_total", "sent", "failed", "skipped",
              "created_by", "created_at", "started_at", "finished_at", "version")
    row = {name: getattr(campaign, name) for name in fields}
    if campaign.status in LIVE_STATUSES:  # between batches the stored counts lag: count now
        counts = delivery_counts(campaign_id=campaign.pk)
        row.update({name: counts.get(name, 0) for name in ("sent", "failed", "skipped")})
    row["progress"] = progress(total=row["recipients_total"], sent=row["sent"],
                               failed=row["failed"], skipped=row["skipped"])
    return row


def delivery_counts(*, campaign_id: int) -> dict[str, int]:
    rows = (CampaignDelivery.objects.filter(campaign_id=campaign_id).values("status")
            .annotate(n=Count("id")).order_by())
    return {row["status"]: row["n"] for row in rows}
