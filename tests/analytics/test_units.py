"""No source database: store-local date keys, calendar rows, report periods, warehouse
parameter binding and schema, the source SQL helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

from analytics.reports_sales import money, previous_period
from analytics.schema import ensure_schema
from analytics.source import bind, canonical_uuids
from analytics.timekeys import calendar_rows, local_date_keys, utc_range_of_local_day
from analytics.warehouse import Warehouse, WarehouseNotReady, WarehouseUrlError, connect


def test_local_date_keys_agree_with_zoneinfo_across_both_dst_changes():
    zone = ZoneInfo("Europe/Madrid")
    start = datetime(2024, 3, 30, 20, 0)
    instants = [start + timedelta(minutes=7 * i) for i in range(700)]  # to past 31 March
    instants += [datetime(2024, 10, 26, 21, 0) + timedelta(minutes=7 * i) for i in range(700)]
    expected = [int(i.replace(tzinfo=UTC).astimezone(zone).strftime("%Y%m%d"))
                for i in instants]

    keys = local_date_keys(pa.array([*instants, None], pa.timestamp("us")), "Europe/Madrid")

    assert keys.to_pylist() == [*expected, None]


def test_an_instant_at_2330_in_madrid_is_that_day():
    keys = local_date_keys(pa.array([datetime(2024, 7, 14, 21, 30),
                                     datetime(2024, 1, 14, 22, 30),
                                     datetime(2024, 1, 14, 23, 0)], pa.timestamp("us")),
                           "Europe/Madrid")

    assert keys.to_pylist() == [20240714, 20240114, 20240115]


def test_the_utc_range_of_a_local_day_is_23_hours_on_the_spring_change():
    start, end = utc_range_of_local_day(date(2024, 3, 31), "Europe/Madrid")

    assert (start, end) == (datetime(2024, 3, 30, 23, 0), datetime(2024, 3, 31, 22, 0))


def test_calendar_rows_have_weeks_from_monday_and_months_from_the_first():
    rows = calendar_rows(date(2024, 2, 28), date(2024, 3, 4)).to_pylist()

    assert [r["date_key"] for r in rows] == [20240228, 20240229, 20240301, 20240302,
                                             20240303, 20240304]
    assert [r["week_start_key"] for r in rows] == [20240226] * 5 + [20240304]
    assert [r["month_start_key"] for r in rows] == [20240201] * 2 + [20240301] * 4
    assert [r["is_weekend"] for r in rows] == [False, False, False, True, True, False]


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert previous_period(date(2024, 3, 1), date(2024, 3, 31)) == (
        date(2024, 1, 30), date(2024, 2, 29))


def test_money_is_a_two_place_decimal_string():
    assert [money(None), money(0), money(12), money(Decimal("3.5"))] == [
        "0.00", "0.00", "12.00", "3.50"]


def test_parameters_are_bound_in_each_dialect_style_with_only_the_values_used():
    sql = "SELECT x::text FROM t WHERE a = :a AND b LIKE '%' AND c = :c"
    given = {"a": 1, "c": 2, "unused": 3}

    duck = Warehouse("duckdb", None)._bind(sql, given)
    postgres = Warehouse("postgresql", None)._bind(sql, given)

    assert duck == ("SELECT x::text FROM t WHERE a = $a AND b LIKE '%' AND c = $c",
                    {"a": 1, "c": 2})
    assert postgres == ("SELECT x::text FROM t WHERE a = %(a)s AND b LIKE '%%' AND c = %(c)s",
                        {"a": 1, "c": 2})


def test_source_parameters_become_positional_in_order_of_appearance():
    sql = "SELECT 1 FROM o WHERE a >= :since AND b <= :until AND c IN (SELECT d WHERE e >= :since)"

    assert bind(sql, {"since": 1, "until": 2}) == (
        "SELECT 1 FROM o WHERE a >= %s AND b <= %s AND c IN (SELECT d WHERE e >= %s)",
        [1, 2, 1])


def test_uuids_are_canonical_whether_stored_as_32_digits_or_dashed():
    values = pa.array(["0F8FAD5BD9CB469FA16570867728950E",
                       "0f8fad5b-d9cb-469f-a165-70867728950e", None])

    assert canonical_uuids(values).to_pylist() == [
        "0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950e", None]


def test_staging_tables_are_temporary_and_old_persistent_ones_are_dropped(tmp_path):
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    wh = connect(url)
    wh.execute("CREATE TABLE stg_orders (order_id VARCHAR)")  # as versions before kept it

    ensure_schema(wh)
    staged = wh.scalar("SELECT COUNT(*) FROM stg_order_lines")
    wh.close()
    reopened = connect(url)
    names = reopened.table_names()
    reopened.close()

    assert staged == 0
    assert not {n for n in names if n.startswith("stg_")}
    assert {"fact_sales_line", "dim_date", "etl_runs"} <= names


def test_a_duckdb_warehouse_open_for_writing_in_this_process_is_not_ready(tmp_path):
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    writer = connect(url)

    try:
        with pytest.raises(WarehouseNotReady, match="being refreshed"):
            connect(url, read_only=True)
    finally:
        writer.close()


def test_a_warehouse_url_of_another_kind_is_refused_with_its_scheme(tmp_path):
    with pytest.raises(WarehouseUrlError, match="must start with duckdb:/// or postgresql:// "
                                                "\\(got 'mysql'\\)"):
        connect("mysql://127.0.0.1/warehouse")
