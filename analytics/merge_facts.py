"""Fact merges: every order in staging replaces its rows (delete by order id, insert), so a
batch merged twice, or retried after a crash, leaves the same rows.

Amounts (docs/analytics.md): prices include VAT. Per line, ``gross`` is price x quantity,
``discount`` the line's discount plus its share of any order-level discount, ``tax`` the VAT
on the line plus its share of the VAT on shipping, ``net`` = gross - discount - VAT on goods
(revenue excluding VAT), ``shipping`` the line's share of shipping excluding VAT. So per order
sum(net + tax + shipping) = total. Order-level amounts are split across lines in proportion
to gross with cumulative rounding, so the shares add up to the cent."""

from __future__ import annotations

from collections.abc import Callable

from analytics.warehouse import Warehouse

IntDiv = Callable[[str, str], str]


def _clamp(expression: str) -> str:
    return f"(CASE WHEN ({expression}) > 0 THEN ({expression}) ELSE 0 END)"


def order_split(div: IntDiv, gross: str, line_discounts: str, line_taxes: str,
                discount: str, tax: str, shipping: str) -> dict[str, str]:
    """Order-level amounts left to split across lines, as SQL over integer cents; the source
    side of the reconciliation uses the same definitions."""
    extra_discount = _clamp(f"{discount} - {line_discounts}")
    extra_tax = _clamp(f"{tax} - {line_taxes}")
    goods = _clamp(f"{gross} - {line_discounts} - {extra_discount}")
    goods_tax = (f"(CASE WHEN {goods} + {shipping} > 0 THEN "
                 f"{div(f'{extra_tax} * {goods}', f'{goods} + {shipping}')} "
                 f"ELSE {extra_tax} END)")
    return {"extra_discount": extra_discount, "goods_tax": goods_tax,
            "shipping_tax": f"({extra_tax} - {goods_tax})", "shipping": shipping}


def order_net(div: IntDiv, gross: str, line_discounts: str, line_taxes: str, discount: str,
              tax: str, shipping: str) -> str:
    """Net sales of one order in cents: gross - all discounts - VAT on goods."""
    split = order_split(div, gross, line_discounts, line_taxes, discount, tax, shipping)
    return (f"({gross} - {line_discounts} - {split['extra_discount']} - {line_taxes} "
            f"- {split['goods_tax']})")


_WEIGHTED_LINES = """
  SELECT l.*, o.placed_at, o.placed_date_key, o.customer_id, o.channel, o.currency,
    o.discount_minor AS order_discount, o.tax_minor AS order_tax,
    o.shipping_minor AS order_shipping,
    l.unit_price_minor * l.quantity AS gross, l.unit_cost_minor * l.quantity AS cost,
    CAST(SUM(l.unit_price_minor * l.quantity) OVER (PARTITION BY l.order_id) AS BIGINT)
      AS total_weight,
    CAST(SUM(l.unit_price_minor * l.quantity) OVER (PARTITION BY l.order_id
      ORDER BY l.order_line_id ROWS UNBOUNDED PRECEDING) AS BIGINT) AS running_weight,
    ROW_NUMBER() OVER (PARTITION BY l.order_id ORDER BY l.order_line_id) AS line_number,
    COUNT(*) OVER (PARTITION BY l.order_id) AS line_count,
    CAST(SUM(l.discount_minor) OVER (PARTITION BY l.order_id) AS BIGINT) AS line_discounts,
    CAST(SUM(l.tax_minor) OVER (PARTITION BY l.order_id) AS BIGINT) AS line_taxes
  FROM stg_order_lines l JOIN stg_orders o ON o.order_id = l.order_id"""


def _share(div: IntDiv, amount: str) -> str:
    """This line's part of ``amount``: cumulative rounding, so the parts sum exactly."""
    return (f"({div(f'({amount}) * w.upto', 'w.whole')} "
            f"- {div(f'({amount}) * (w.upto - w.own)', 'w.whole')})")


def _split_lines(div: IntDiv) -> str:
    """Staged lines with their order's amounts left to split, one layer per step so every
    expression is computed once (definitions as in ``order_split``)."""
    shares = (f"{_share(div, 'w.extra_discount')} AS discount_share, "
              f"{_share(div, 'w.goods_tax')} AS goods_tax_share, "
              f"{_share(div, 'w.order_shipping')} AS shipping_share, "
              f"{_share(div, 'w.extra_tax - w.goods_tax')} AS shipping_tax_share")
    goods_tax = (f"CASE WHEN w.goods + w.order_shipping > 0 THEN "
                 f"{div('w.extra_tax * w.goods', 'w.goods + w.order_shipping')} "
                 f"ELSE w.extra_tax END")
    return f"""
  SELECT w.*, {shares} FROM (
  SELECT w.*, {goods_tax} AS goods_tax FROM (
  SELECT w.*, {_clamp('w.total_weight - w.line_discounts - w.extra_discount')} AS goods FROM (
  SELECT w.*,
    CASE WHEN w.total_weight = 0 THEN w.line_number ELSE w.running_weight END AS upto,
    CASE WHEN w.total_weight = 0 THEN 1 ELSE w.gross END AS own,
    CASE WHEN w.total_weight = 0 THEN w.line_count ELSE w.total_weight END AS whole,
    {_clamp('w.order_discount - w.line_discounts')} AS extra_discount,
    {_clamp('w.order_tax - w.line_taxes')} AS extra_tax
  FROM ({_WEIGHTED_LINES}) w) w) w) w"""


def _sales_line_select(wh: Warehouse) -> str:
    discount = "(w.discount_minor + w.discount_share)"
    goods_tax = "(w.tax_minor + w.goods_tax_share)"
    return f"""
  SELECT w.order_line_id, w.order_id, w.placed_date_key AS date_key,
    COALESCE(p.product_key, 0) AS product_key, w.variant_id,
    COALESCE(c.customer_key, 0) AS customer_key, w.customer_id,
    COALESCE(h.warehouse_key, 0) AS warehouse_key, COALESCE(ch.channel_key, 0) AS channel_key,
    w.currency, w.placed_at, w.quantity, {wh.money('w.gross')} AS gross_amount,
    {wh.money(discount)} AS discount_amount,
    {wh.money(f'w.gross - {discount} - {goods_tax}')} AS net_amount,
    {wh.money(f'{goods_tax} + w.shipping_tax_share')} AS tax_amount,
    {wh.money('w.shipping_share - w.shipping_tax_share')} AS shipping_amount,
    {wh.money('w.cost')} AS cost_amount
  FROM ({_split_lines(wh.int_div)}) w
  LEFT JOIN dim_product p ON p.variant_id = w.variant_id
    AND w.placed_at >= p.valid_from AND w.placed_at < p.valid_to
  LEFT JOIN dim_customer c ON c.customer_id = w.customer_id
    AND w.placed_at >= c.valid_from AND w.placed_at < c.valid_to
  LEFT JOIN dim_warehouse h ON h.warehouse_id = w.warehouse_id
  LEFT JOIN dim_channel ch ON ch.channel = w.channel"""


_SALE_COLUMNS = ("order_line_id, order_id, date_key, product_key, variant_id, customer_key, "
                 "customer_id, warehouse_key, channel_key, currency")
_MEASURES = ("quantity, gross_amount, discount_amount, net_amount, tax_amount, "
             "shipping_amount, cost_amount")

_RETURNS = f"""
INSERT INTO fact_return_line ({_SALE_COLUMNS}, return_type, returned_at, sale_date_key,
  {_MEASURES})
SELECT f.order_line_id, f.order_id, r.date_key, f.product_key, f.variant_id, f.customer_key,
  f.customer_id, f.warehouse_key, f.channel_key, f.currency, r.return_type, r.returned_at,
  f.date_key, -f.quantity, -f.gross_amount, -f.discount_amount, -f.net_amount,
  -f.tax_amount, -f.shipping_amount, -f.cost_amount
FROM tmp_sales f JOIN (
  SELECT order_id,
    CASE status WHEN 'cancelled' THEN 'cancellation' ELSE 'refund' END AS return_type,
    CASE status WHEN 'cancelled' THEN COALESCE(cancelled_at, updated_at)
      ELSE COALESCE(refunded_at, updated_at) END AS returned_at,
    CASE status WHEN 'cancelled' THEN COALESCE(cancelled_date_key, updated_date_key)
      ELSE COALESCE(refunded_date_key, updated_date_key) END AS date_key
  FROM stg_orders WHERE status IN ('cancelled', 'refunded')) r ON r.order_id = f.order_id
ORDER BY r.date_key"""


def _milestone(status: str) -> str:
    """The day an order first reached ``status``; a cancelled or refunded order without
    the event is dated by its last update; 0 (unknown member) when not reached."""
    if status in ("cancelled", "refunded"):
        return (f"COALESCE(o.{status}_date_key, "
                f"CASE WHEN o.status = '{status}' THEN o.updated_date_key END, 0)")
    return f"COALESCE(o.{status}_date_key, 0)"


def _orders_insert(wh: Warehouse) -> str:
    milestones = ", ".join(_milestone(s) for s in
                           ("confirmed", "shipped", "delivered", "cancelled", "refunded"))
    money = wh.type("money")
    return f"""
INSERT INTO fact_order (order_id, order_number, customer_key, customer_id, channel_key,
  currency, status, placed_at, placed_date_key, confirmed_date_key, shipped_date_key,
  delivered_date_key, cancelled_date_key, refunded_date_key, line_count, units,
  subtotal_amount, discount_amount, shipping_amount, tax_amount, total_amount, net_amount,
  is_first_order, updated_at)
SELECT o.order_id, o.order_number, COALESCE(c.customer_key, 0), o.customer_id,
  COALESCE(ch.channel_key, 0), o.currency, o.status, o.placed_at, o.placed_date_key,
  {milestones}, COALESCE(f.line_count, 0), COALESCE(f.units, 0),
  {wh.money('o.subtotal_minor')}, {wh.money('o.discount_minor')},
  {wh.money('o.shipping_minor')}, {wh.money('o.tax_minor')}, {wh.money('o.total_minor')},
  CAST(COALESCE(f.net, 0) AS {money}), FALSE, o.updated_at
FROM stg_orders o
LEFT JOIN (SELECT order_id, COUNT(*) AS line_count, SUM(quantity) AS units,
  SUM(net_amount) AS net FROM tmp_sales GROUP BY order_id) f ON f.order_id = o.order_id
LEFT JOIN dim_customer c ON c.customer_id = o.customer_id
  AND o.placed_at >= c.valid_from AND o.placed_at < c.valid_to
LEFT JOIN dim_channel ch ON ch.channel = o.channel
ORDER BY o.placed_date_key"""


_FIRST_ORDERS = """
UPDATE fact_order SET is_first_order = (r.position = 1)
FROM (SELECT order_id, ROW_NUMBER() OVER (PARTITION BY customer_id
        ORDER BY placed_at, order_id) AS position
      FROM fact_order WHERE customer_id IN
        (SELECT customer_id FROM stg_orders WHERE customer_id IS NOT NULL)) r
WHERE fact_order.order_id = r.order_id AND fact_order.is_first_order <> (r.position = 1)"""


def clear_facts(wh: Warehouse) -> None:
    """A full run rebuilds the order facts; inventory snapshots are history and stay."""
    for table in ("fact_sales_line", "fact_return_line", "fact_order"):
        wh.execute(f"DELETE FROM {table}")


def merge_order_facts(wh: Warehouse) -> None:
    """The staged orders' facts, replaced. Their lines are split once into ``tmp_sales`` (a
    temporary table) that the three inserts read. Rows go in by day: the date ranges of the
    reports then read only the row groups of their days (DuckDB's zone maps)."""
    for table in ("fact_sales_line", "fact_return_line", "fact_order"):
        wh.execute(f"DELETE FROM {table} WHERE order_id IN (SELECT order_id FROM stg_orders)")
    wh.execute("DROP TABLE IF EXISTS tmp_sales")
    wh.execute(f"CREATE TEMPORARY TABLE tmp_sales AS {_sales_line_select(wh)}")
    wh.analyze(["tmp_sales"])
    wh.execute(f"INSERT INTO fact_sales_line ({_SALE_COLUMNS}, placed_at, {_MEASURES}) "
               f"SELECT {_SALE_COLUMNS}, placed_at, {_MEASURES} FROM tmp_sales "
               f"ORDER BY date_key")
    wh.execute(_RETURNS)
    wh.execute(_orders_insert(wh))
    wh.execute("DROP TABLE tmp_sales")
    wh.execute(_FIRST_ORDERS)


def rekey_facts(wh: Warehouse, product_before: int, customer_before: int) -> None:
    """Facts placed after a new dimension version opened point to that version."""
    for table in ("fact_sales_line", "fact_order"):
        if table == "fact_sales_line":
            _rekey(wh, table, "dim_product", "product_key", "variant_id", product_before)
        _rekey(wh, table, "dim_customer", "customer_key", "customer_id", customer_before)
    wh.execute(
        "UPDATE fact_return_line SET product_key = s.product_key, customer_key = s.customer_key "
        "FROM fact_sales_line s WHERE s.order_line_id = fact_return_line.order_line_id "
        "AND (s.product_key <> fact_return_line.product_key "
        "OR s.customer_key <> fact_return_line.customer_key)")


def _rekey(wh: Warehouse, fact: str, dim: str, key: str, natural: str, before: int) -> None:
    wh.execute(
        f"UPDATE {fact} SET {key} = d.{key} FROM {dim} d "
        f"WHERE d.{key} > :before AND d.{natural} = {fact}.{natural} "
        f"AND {fact}.placed_at >= d.valid_from AND {fact}.placed_at < d.valid_to "
        f"AND {fact}.{key} <> d.{key}", {"before": before})


def snapshot_inventory(wh: Warehouse, today_key: int, now: object) -> None:
    wh.execute("DELETE FROM fact_inventory_daily WHERE date_key = :day", {"day": today_key})
    wh.execute(
        "INSERT INTO fact_inventory_daily (date_key, product_key, variant_id, warehouse_key, "
        "on_hand, reserved, available, snapshot_at) "
        "SELECT :day, COALESCE(p.product_key, 0), s.variant_id, COALESCE(h.warehouse_key, 0), "
        "s.on_hand, s.reserved, s.on_hand - s.reserved, :now FROM stg_stock s "
        "LEFT JOIN dim_product p ON p.variant_id = s.variant_id AND p.is_current "
        "LEFT JOIN dim_warehouse h ON h.warehouse_id = s.warehouse_id",
        {"day": today_key, "now": now})
