"""Assortment and inventory reports: ABC analysis, days of inventory remaining, sell-through,
stock-outs. Inventory figures come from ``fact_inventory_daily``, a snapshot per SKU,
warehouse and day: a stock level is read on one day (the latest snapshot on or before the
range's end), never summed across days."""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics.reports_sales import LINES, Comparison, compare, money, params, ratio
from analytics.warehouse import Warehouse

_ABC = f"""
SELECT p.product_id, MIN(p.product_name), SUM(x.net_amount) AS net
FROM {LINES} x JOIN dim_product p ON p.product_key = x.product_key
GROUP BY p.product_id HAVING SUM(x.net_amount) > 0
ORDER BY net DESC, p.product_id"""


def _abc(wh: Warehouse, start: date, end: date, *, currency: str) -> dict[str, Any]:
    rows = wh.rows(_ABC, params(start, end, currency))
    total = sum(r[2] for r in rows)
    items, running = [], 0
    summary: dict[str, dict[str, Any]] = {
        c: {"products": 0, "net_sales": 0, "share": 0.0} for c in "ABC"}
    for product_id, name, net in rows:
        before = running
        running += net
        # A product belongs to the class where its sales start: the top seller is always A.
        share = before / total
        klass = "A" if share < 0.8 else "B" if share < 0.95 else "C"
        items.append({"product_id": int(product_id), "name": name, "net_sales": money(net),
                      "class": klass})
        summary[klass]["products"] += 1
        summary[klass]["net_sales"] += net
    for values in summary.values():
        values["share"] = ratio(values["net_sales"], total) or 0.0
        values["net_sales"] = money(values["net_sales"])
    return {"summary": summary, "products": items}


def abc_analysis(wh: Warehouse, start: date, end: date, *, currency: str = "EUR") -> Comparison:
    """Products ranked by net sales: class A makes the first 80% of net sales, B the next
    15%, C the rest (products with no positive net sales are left out)."""
    return compare(_abc, wh, start, end, currency=currency)


_LATEST_STOCK = """(
  SELECT i.variant_id, SUM(i.on_hand) AS on_hand, SUM(i.available) AS available
  FROM fact_inventory_daily i
  WHERE i.date_key = (SELECT MAX(date_key) FROM fact_inventory_daily
                      WHERE date_key <= :end AND date_key >= :start)
  GROUP BY i.variant_id)"""

_SOLD = f"""(
  SELECT p.variant_id, SUM(x.quantity) AS units FROM {LINES} x
  JOIN dim_product p ON p.product_key = x.product_key GROUP BY p.variant_id)"""


def _cover(wh: Warehouse, start: date, end: date, *, currency: str,
           limit: int) -> list[dict[str, Any]]:
    days = (end - start).days + 1
    rows = wh.rows(
        f"SELECT s.variant_id, p.sku, s.available, COALESCE(u.units, 0) FROM {_LATEST_STOCK} s "
        f"JOIN dim_product p ON p.variant_id = s.variant_id AND p.is_current "
        f"LEFT JOIN {_SOLD} u ON u.variant_id = s.variant_id "
        f"WHERE COALESCE(u.units, 0) > 0 "
        f"ORDER BY s.available * :days / u.units, s.variant_id LIMIT :limit",
        params(start, end, currency, days=days, limit=limit))
    return [{"variant_id": int(v), "sku": sku, "available": int(available),
             "units_sold": int(units), "daily_units": round(units / days, 4),
             "days_remaining": round(available * days / units, 1)}
            for v, sku, available, units in rows]


def days_of_inventory(wh: Warehouse, start: date, end: date, *, currency: str = "EUR",
                      limit: int = 50) -> Comparison:
    """Per SKU with sales in the range: units available (all warehouses, latest snapshot in
    the range) divided by the average units sold per day over the range; shortest first."""
    return compare(_cover, wh, start, end, currency=currency, limit=limit)


def _sell_through(wh: Warehouse, start: date, end: date, *, currency: str,
                  limit: int) -> dict[str, Any]:
    rows = wh.rows(
        f"SELECT p.product_id, MIN(p.product_name), SUM(COALESCE(u.units, 0)), "
        f"SUM(COALESCE(s.on_hand, 0)) FROM dim_product p "
        f"LEFT JOIN {_SOLD} u ON u.variant_id = p.variant_id "
        f"LEFT JOIN {_LATEST_STOCK} s ON s.variant_id = p.variant_id "
        f"WHERE p.is_current AND p.product_key <> 0 GROUP BY p.product_id "
        f"HAVING SUM(COALESCE(u.units, 0)) + SUM(COALESCE(s.on_hand, 0)) > 0 "
        f"ORDER BY p.product_id", params(start, end, currency))
    products = [{"product_id": int(p), "name": n, "units_sold": int(u), "on_hand": int(h),
                 "sell_through": ratio(u, u + h)} for p, n, u, h in rows]
    sold, held = sum(p["units_sold"] for p in products), sum(p["on_hand"] for p in products)
    products.sort(key=lambda p: (-(p["sell_through"] or 0), p["product_id"]))
    return {"sell_through": ratio(sold, sold + held), "units_sold": sold, "on_hand": held,
            "products": products[:limit]}


def sell_through(wh: Warehouse, start: date, end: date, *, currency: str = "EUR",
                 limit: int = 50) -> Comparison:
    """Sell-through = units sold in the range (net of returns) / (units sold + units on hand
    at the range's end, latest snapshot in the range): the share of the stock available in
    the period that sold. Overall and per product, highest first."""
    return compare(_sell_through, wh, start, end, currency=currency, limit=limit)


def _stock_outs(wh: Warehouse, start: date, end: date, *, limit: int) -> dict[str, Any]:
    p = params(start, end, "", limit=limit)
    days, skus = wh.rows(
        "SELECT COUNT(*), COUNT(DISTINCT variant_id) FROM fact_inventory_daily "
        "WHERE date_key BETWEEN :start AND :end AND available <= 0", p)[0]
    current = wh.rows(
        "SELECT p.sku, w.code, i.available FROM fact_inventory_daily i "
        "JOIN dim_product p ON p.product_key = i.product_key "
        "JOIN dim_warehouse w ON w.warehouse_key = i.warehouse_key "
        "WHERE i.date_key = (SELECT MAX(date_key) FROM fact_inventory_daily "
        "WHERE date_key BETWEEN :start AND :end) AND i.available <= 0 "
        "ORDER BY p.sku, w.code LIMIT :limit", p)
    return {"stock_out_days": int(days), "skus_affected": int(skus),
            "out_of_stock": [{"sku": s, "warehouse": w, "available": int(a)}
                             for s, w, a in current]}


def stock_outs(wh: Warehouse, start: date, end: date, *, limit: int = 100) -> Comparison:
    """SKU x warehouse x days with nothing available in the range, the SKUs concerned, and
    the SKU x warehouse pairs out of stock on the range's latest snapshot."""
    return compare(_stock_outs, wh, start, end, limit=limit)
