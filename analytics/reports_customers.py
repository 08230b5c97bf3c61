"""Customer reports: cohort retention by first-order month, RFM segments."""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics.reports_sales import Comparison, compare, money, params, ratio
from analytics.warehouse import Warehouse


def _month(wh: Warehouse, key: str) -> str:
    """Months since year 0 of a yyyymmdd key, without a calendar join."""
    return f"({wh.int_div(key, '10000')} * 12 + {wh.int_div(key, '100')} % 100 - 1)"


def _cohort_sql(wh: Warehouse) -> tuple[str, str]:
    month = _month(wh, "o.placed_date_key")
    firsts = (f"SELECT o.customer_id, {month} AS cohort FROM fact_order o "
              f"WHERE o.is_first_order AND o.currency = :currency "
              f"AND o.placed_date_key BETWEEN :start AND :end")
    active = f"""
WITH firsts AS ({firsts}),
active AS (
  SELECT DISTINCT o.customer_id, {month} AS month FROM fact_order o
  JOIN firsts f ON f.customer_id = o.customer_id
  WHERE o.status <> 'cancelled' AND o.currency = :currency AND o.placed_date_key <= :end)
SELECT f.cohort, a.month - f.cohort AS age, COUNT(*)
FROM firsts f JOIN active a ON a.customer_id = f.customer_id AND a.month >= f.cohort
GROUP BY f.cohort, a.month - f.cohort"""
    sizes = f"SELECT cohort, COUNT(*) FROM ({firsts}) f GROUP BY cohort"
    return sizes, active


def _cohorts(wh: Warehouse, start: date, end: date, *, currency: str) -> list[dict[str, Any]]:
    sizes_sql, active_sql = _cohort_sql(wh)
    sizes = {int(c): int(n) for c, n in wh.rows(sizes_sql, params(start, end, currency))}
    active: dict[int, dict[int, int]] = {cohort: {} for cohort in sizes}
    for cohort, age, customers in wh.rows(active_sql, params(start, end, currency)):
        active[int(cohort)][int(age)] = int(customers)
    last_month = end.year * 12 + end.month - 1
    return [{"cohort": f"{cohort // 12:04d}-{cohort % 12 + 1:02d}",
             "customers": sizes[cohort],
             "retention": [ratio(active[cohort].get(age, 0), sizes[cohort])
                           for age in range(last_month - cohort + 1)]}
            for cohort in sorted(sizes)]


def cohort_retention(wh: Warehouse, start: date, end: date, *,
                     currency: str = "EUR") -> Comparison:
    """Customers grouped by the month of their first order ever, for first orders in the
    range; ``retention[k]`` is the share of the cohort that ordered (not cancelled) in its
    k-th month after the first (k = 0 is the first month), up to the range's end."""
    return compare(_cohorts, wh, start, end, currency=currency)


_RFM_SCORED = """
WITH totals AS (
  SELECT o.customer_id, MAX(o.placed_date_key) AS last_key, COUNT(*) AS frequency,
    CAST(SUM(o.net_amount) AS {money}) AS monetary
  FROM fact_order o
  WHERE o.customer_id IS NOT NULL AND o.status <> 'cancelled' AND o.currency = :currency
    AND o.placed_date_key BETWEEN :start AND :end
  GROUP BY o.customer_id),
customers AS (
  SELECT t.customer_id, :end_date - d.full_date AS recency, t.frequency, t.monetary
  FROM totals t JOIN dim_date d ON d.date_key = t.last_key),
scored AS (
  SELECT customer_id, monetary,
    NTILE(5) OVER (ORDER BY recency DESC, customer_id) AS r,
    NTILE(5) OVER (ORDER BY frequency, customer_id) AS f,
    NTILE(5) OVER (ORDER BY monetary, customer_id) AS m
  FROM customers)"""
_RFM_SEGMENT = """CASE
    WHEN r >= 4 AND f >= 4 THEN 'champions'
    WHEN r >= 3 AND f >= 3 THEN 'loyal'
    WHEN r >= 4 AND f <= 2 THEN 'new_or_promising'
    WHEN r <= 2 AND f >= 3 THEN 'at_risk'
    WHEN r <= 2 AND f <= 2 THEN 'hibernating'
    ELSE 'needs_attention' END"""
_RFM_MEMBERS = f"{_RFM_SCORED}\nSELECT customer_id FROM scored WHERE {_RFM_SEGMENT} = :segment"
_RFM = f"""{_RFM_SCORED}
SELECT {_RFM_SEGMENT} AS segment,
  COUNT(*), SUM(monetary), AVG(r), AVG(f), AVG(m)
FROM scored GROUP BY 1"""

SEGMENTS = ("champions", "loyal", "new_or_promising", "needs_attention", "at_risk",
            "hibernating")


def _rfm(wh: Warehouse, start: date, end: date, *, currency: str) -> list[dict[str, Any]]:
    # Scores sort by monetary: a bounded DECIMAL sorts as a 64-bit integer, a sum's
    # DECIMAL(38,2) as a 128-bit one.
    sql = _RFM.format(money=wh.type("money"))
    rows = {r[0]: r[1:] for r in wh.rows(sql, params(start, end, currency, end_date=end))}
    result = []
    for segment in SEGMENTS:
        customers, net, r, f, m = rows.get(segment, (0, 0, None, None, None))
        result.append({"segment": segment, "customers": int(customers),
                       "net_sales": money(net),
                       "average_scores": {"recency": _round(r), "frequency": _round(f),
                                          "monetary": _round(m)}})
    return result


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def rfm_segments(wh: Warehouse, start: date, end: date, *, currency: str = "EUR") -> Comparison:
    """Registered customers with orders in the range, scored 1-5 (quintiles) on recency (days
    from their last order to the range's end), frequency (orders) and monetary value (net
    sales at sale time), grouped into segments by recency and frequency scores."""
    return compare(_rfm, wh, start, end, currency=currency)


def rfm_segment_customer_ids(wh: Warehouse, segment: str, start: date, end: date, *,
                             currency: str = "EUR") -> list[int]:
    """The customer ids in one RFM segment of `rfm_segments` for the range (campaigns target
    them)."""
    if segment not in SEGMENTS:
        raise ValueError(f"unknown RFM segment {segment!r}; known: {', '.join(SEGMENTS)}")
    sql = _RFM_MEMBERS.format(money=wh.type("money"))
    rows = wh.rows(sql, params(start, end, currency, end_date=end, segment=segment))
    return sorted(int(row[0]) for row in rows)
