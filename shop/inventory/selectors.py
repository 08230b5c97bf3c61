"""Stock reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Sum

from shop.inventory.models import StockLevel


def variant_availability(*, variant_ids: Iterable[int]) -> dict[int, int]:
    """Units that can still be sold, per variant (0 for a variant without levels)."""
    ids = list(variant_ids)
    found = dict(StockLevel.objects.filter(variant_id__in=ids).values("variant_id")
                 .annotate(units=Sum(F("on_hand") - F("reserved")))
                 .values_list("variant_id", "units"))
    return {variant_id: max(int(found.get(variant_id) or 0), 0) for variant_id in ids}
