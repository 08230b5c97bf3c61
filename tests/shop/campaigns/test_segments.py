"""Who a segment reaches: marketing consent always, then language, a category bought in
(counted orders only, subcategories included), the last order before/after a day, and an RFM
segment read from a loaded warehouse (a 409 when it was never loaded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analytics.etl import run_etl
from shop.campaigns.selectors import segment_count, segment_customer_ids
from shop.core.errors import Conflict, ShopError
from shop.customers.models import Customer
from tests.analytics.builders import Shop
from tests.builders import a_category
from tests.shop.campaigns.builders import EMPTY_SEGMENT, a_customer, an_order


def reached(**segment) -> list[str]:  # type: ignore[no-untyped-def]
    ids = list(segment_customer_ids({**EMPTY_SEGMENT, **segment}))
    emails = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "email"))
    assert segment_count({**EMPTY_SEGMENT, **segment}) == len(ids)
    return [emails[pk] for pk in ids]


@pytest.mark.django_db
def test_only_customers_who_consent_are_reached_whatever_the_filters():
    a_customer("yes@example.com")
    a_customer("no@example.com", consent=False)
    a_customer("en-no@example.com", locale="en", consent=False)

    assert reached() == ["yes@example.com"]
    assert reached(language="en") == []


@pytest.mark.django_db
def test_language_picks_the_customers_language():
    a_customer("es@example.com", locale="es")
    a_customer("en@example.com", locale="en")

    assert reached(language="en") == ["en@example.com"]
    assert reached(language="es") == ["es@example.com"]


@pytest.mark.django_db
def test_bought_in_a_category_counts_its_subcategories_and_only_counted_orders():
    clothes = a_category("ropa")
    tees = a_category("camisetas", parent=clothes)
    home = a_category("hogar")
    buyers = {status: a_customer(f"{status}@example.com")
              for status in ("pending", "confirmed", "shipped", "delivered", "cancelled",
                             "refunded")}
    for status, customer in buyers.items():
        an_order(customer, category=tees, status=status)
    an_order(a_customer("home@example.com"), category=home)

    assert reached(bought_in_category=clothes.pk) == [
        "pending@example.com", "confirmed@example.com", "shipped@example.com",
        "delivered@example.com"]
    assert reached(bought_in_category=tees.pk) == reached(bought_in_category=clothes.pk)
    assert reached(bought_in_category=home.pk) == ["home@example.com"]


@pytest.mark.django_db
def test_an_unknown_category_is_refused_naming_the_field():
    with pytest.raises(ShopError, match=r"segment\.bought_in_category: there is no category 999"):
        reached(bought_in_category=999)


@pytest.mark.django_db
def test_last_order_before_and_after_look_at_the_last_counted_order():
    def at(day: int) -> datetime:
        return datetime(2026, 3, day, 12, tzinfo=UTC)

    early = a_customer("early@example.com")
    an_order(early, placed_at=at(2))
    late = a_customer("late@example.com")
    an_order(late, placed_at=at(2))
    an_order(late, placed_at=at(20))
    cancelled_late = a_customer("cancelled-late@example.com")
    an_order(cancelled_late, placed_at=at(3))
    an_order(cancelled_late, placed_at=at(25), status="cancelled")
    a_customer("never@example.com")

    assert reached(last_order_before="2026-03-10") == ["early@example.com",
                                                       "cancelled-late@example.com"]
    assert reached(last_order_after="2026-03-10") == ["late@example.com"]
    assert reached(last_order_after="2026-03-19") == ["late@example.com"]
    assert reached(last_order_after="2026-03-20") == []  # after the day, not on it
    assert reached(last_order_before="2026-03-20") == ["early@example.com",
                                                       "cancelled-late@example.com"]
    assert reached(last_order_after="2026-03-01", last_order_before="2026-03-10") == [
        "early@example.com", "cancelled-late@example.com"]


@pytest.mark.django_db
def test_an_rfm_segment_without_a_loaded_warehouse_is_a_conflict_not_an_empty_answer(
        settings, tmp_path):
    settings.WAREHOUSE_URL = f"duckdb:///{tmp_path / 'never-loaded.duckdb'}"
    a_customer()

    with pytest.raises(Conflict, match=r"segment\.rfm_segment: the warehouse cannot answer"):
        reached(rfm_segment="champions")


@pytest.mark.django_db(transaction=True)  # the ETL reads the source on a thread
def test_an_rfm_segment_reaches_its_consenting_members_from_the_warehouse(settings,
                                                                          tmp_path):
    settings.WAREHOUSE_URL = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    now = datetime.now(UTC).replace(microsecond=0)
    shop = Shop(now=now - timedelta(days=60)).catalog()
    # Customer k has k orders, the last one k days before today's: with five customers each
    # NTILE(5) score is k, so 4 and 5 are champions, 3 loyal, 1 and 2 hibernating.
    for k in range(1, 6):
        customer_id = shop.customer()
        for n in range(k):
            shop.place_order([(1, 1)], customer_id=customer_id,
                             at=now - timedelta(days=40 - k - n))
    Customer.objects.update(marketing_consent=True)
    assert run_etl(now=now, warehouse_url=settings.WAREHOUSE_URL).status == "succeeded"
    Customer.objects.filter(pk=5).update(marketing_consent=False)

    assert reached(rfm_segment="champions") == ["c4@example.com"]
    assert reached(rfm_segment="loyal") == ["c3@example.com"]
    assert reached(rfm_segment="hibernating") == ["c1@example.com", "c2@example.com"]
    assert reached(rfm_segment="hibernating", language="en") == []
