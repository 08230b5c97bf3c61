"""The stock import file and row rules, without a database."""

from __future__ import annotations

import pytest

from shop.core.errors import TooLarge
from shop.inventory import imports
from shop.inventory.imports import ImportFileError, Row, RowError, check_row, read_csv
from shop.inventory.rules import Level


def _raw(quantity: str = "5", mode: str = "", reason: str = "", sku: str = "TEE-M",
         warehouse: str = "MAD", extra: bool = False) -> imports.RawRow:
    return imports.RawRow(2, sku, warehouse, quantity, mode, reason, extra)


def test_a_file_is_read_with_its_line_numbers_the_header_being_line_1():
    data = "\ufeffSKU,Warehouse,Quantity,mode,reason\nA,MAD,5,,\n\nB,BCN,-2,add,broken\n"

    rows = read_csv(data.encode())

    assert [(r.line, r.sku, r.warehouse, r.quantity, r.mode, r.reason) for r in rows] == [
        (2, "A", "MAD", "5", "", ""), (4, "B", "BCN", "-2", "add", "broken")]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "file: empty; line 1 must be the header sku,warehouse,quantity[,mode][,reason]"),
    (b"sku,quantity\nA,1\n", "file: line 1 must be the header "
                             "sku,warehouse,quantity[,mode][,reason]; missing warehouse"),
    (b"sku,warehouse,quantity,colour\nA,MAD,1,red\n",
     "file: line 1 must be the header sku,warehouse,quantity[,mode][,reason]; unknown colour"),
    (b"sku,warehouse,quantity\n", "file: no rows after the header"),
    (b"sku,warehouse,quantity\nA,MAD,\xff\n", "file: line 2 is not UTF-8 text"),
])
def test_a_file_that_is_no_stock_import_is_refused_whole(data, message):
    with pytest.raises(ImportFileError) as refused:
        read_csv(data)

    assert str(refused.value) == message


def test_more_than_100000_rows_are_refused_and_100000_are_read():
    header = b"sku,warehouse,quantity\n"

    assert len(read_csv(header + b"A,MAD,1\n" * imports.MAX_ROWS)) == imports.MAX_ROWS
    with pytest.raises(ImportFileError, match="file: more than 100,000 rows"):
        read_csv(header + b"A,MAD,1\n" * (imports.MAX_ROWS + 1))


def test_a_file_over_10_mb_is_too_large():
    with pytest.raises(TooLarge, match="file: larger than 10 MB"):
        read_csv(b"sku,warehouse,quantity\n" + b"x" * imports.MAX_BYTES)


@pytest.mark.parametrize(("raw", "message"), [
    (_raw(sku=""), "missing sku"),
    (_raw(warehouse=""), "missing warehouse"),
    (_raw(quantity=""), "missing quantity"),
    (_raw(quantity="1.5"), "quantity '1.5' is not a whole number"),
    (_raw(quantity="ten"), "quantity 'ten' is not a whole number"),
    (_raw(quantity="-3"), "an absolute count cannot be negative (-3)"),
    (_raw(quantity="0", mode="add"), "a delta of zero changes nothing"),
    (_raw(mode="replace"), "mode must be set or add, not 'replace'"),
    (_raw(reason="x" * 201), "reason longer than 200 characters"),
    (_raw(extra=True), "more cells than the header has"),
])
def test_a_row_that_breaks_a_rule_is_an_error_naming_it(raw, message):
    assert check_row(raw, default_mode="set") == RowError(2, raw.sku, raw.warehouse, message)


def test_rows_take_the_default_mode_unless_they_say_their_own():
    assert check_row(_raw("7"), default_mode="set") == Row(2, "TEE-M", "MAD", 7, "set", "")
    assert check_row(_raw("-2", mode="ADD"), default_mode="set") == Row(
        2, "TEE-M", "MAD", -2, "add", "")
    assert check_row(_raw("+4"), default_mode="add").quantity == 4


def test_transfers_and_receipts_move_positive_quantities_only():
    assert check_row(_raw("-1"), default_mode="add", positive_only=True).message == (
        "quantity must be more than zero, not -1")


def test_the_second_row_of_a_sku_and_warehouse_is_a_duplicate_of_the_first():
    rows = [Row(2, "A", "MAD", 1, "set", ""), Row(3, "A", "BCN", 1, "set", ""),
            Row(4, "A", "MAD", 2, "set", "")]

    kept, duplicates = imports.first_of_each(rows)

    assert kept == rows[:2]
    assert duplicates == [RowError(4, "A", "MAD",
                                   "duplicate of line 2 (same sku and warehouse)")]


def test_set_and_add_and_the_reserved_units_they_may_not_go_below():
    level = Level(1, on_hand=10, reserved=4)

    assert imports.on_hand_after(level, "set", 6) == 6
    assert imports.on_hand_after(level, "add", -5) == 5
    assert imports.below_reserved(level, 4, "MAD") is None
    assert imports.below_reserved(level, 3, "MAD") == (
        "on hand would become 3, below the 4 reserved for placed orders in MAD")
    assert imports.short_of_available(level, 6, "A", "MAD") is None
    assert imports.short_of_available(level, 7, "A", "MAD") == (
        "not enough available: only 6 of A in MAD, 7 to transfer")


def test_lines_of_a_transfer_or_receipt_become_the_same_csv_shape():
    data = imports.write_csv([("A", "MAD", 3), ("B", "MAD", 1)])

    assert [(r.line, r.sku, r.quantity) for r in read_csv(data)] == [(2, "A", "3"),
                                                                   (3, "B", "1")]
