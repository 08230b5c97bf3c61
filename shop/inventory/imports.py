"""Stock import files in plain Python (no Django): the CSV a job reads, the checks each row
must pass on its own, and what a row does to a level. Stock imports, transfers and receipts
all become this one CSV shape (`sku,warehouse,quantity[,mode][,reason]`), so one pipeline
(shop/inventory/jobs.py) serves the three.

Line numbers are the CSV's own, 1-based, the header being line 1."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from shop.core.errors import ShopError, TooLarge
from shop.inventory.rules import Level

REQUIRED = ("sku", "warehouse", "quantity")
OPTIONAL = ("mode", "reason")
MODES = ("set", "add")
MAX_ROWS = 100_000
MAX_BYTES = 10 * 1024 * 1024
MAX_ROW_REASON = 200


class ImportFileError(ShopError):
    """The file as a whole cannot be read as a stock import; nothing is created."""


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    sku: str
    warehouse: str
    quantity: str
    mode: str
    reason: str
    extra_cells: bool = False  # more cells than the header has


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    sku: str
    warehouse: str
    quantity: int
    mode: str
    reason: str


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    sku: str
    warehouse: str
    message: str


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(f"file: line {line} is not UTF-8 text") from None


def _header(names: list[str]) -> list[str]:
    header = [name.strip().lower() for name in names]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown or len(set(header)) != len(header):
        raise ImportFileError(
            "file: line 1 must be the header sku,warehouse,quantity[,mode][,reason]"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else ""))
    return header


def read_csv(data: bytes) -> list[RawRow]:
    """Every data row of an import file, or ImportFileError naming what is wrong with the
    file (size, encoding, header, too many rows). Blank lines are skipped; a row with more
    cells than the header keeps them, and `check_row` refuses it."""
    if len(data) > MAX_BYTES:
        raise TooLarge(f"file: larger than {MAX_BYTES // (1024 * 1024)} MB")
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        header = _header(next(reader))
    except StopIteration:
        raise ImportFileError("file: empty; line 1 must be the header "
                              "sku,warehouse,quantity[,mode][,reason]") from None
    except csv.Error as exc:
        raise ImportFileError(f"file: line 1: {exc}") from None
    return _data_rows(reader, header)


def _data_rows(reader: Iterable[list[str]], header: list[str]) -> list[RawRow]:
    rows, width = [], len(header)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(f"file: more than {MAX_ROWS:,} rows")
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            rows.append(RawRow(reader.line_num,  # type: ignore[attr-defined]
                               values.get("sku", ""), values.get("warehouse", ""),
                               values.get("quantity", ""), values.get("mode", ""),
                               values.get("reason", ""), len(cells) > width))
    except csv.Error as exc:
        raise ImportFileError(f"file: line {reader.line_num}: {exc}") from None  # type: ignore[attr-defined]
    if not rows:
        raise ImportFileError("file: no rows after the header")
    return rows


def write_csv(rows: Iterable[tuple[str, str, int]]) -> bytes:
    """The import file of a transfer's or a receipt's lines (sku, warehouse, quantity)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REQUIRED)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _quantity(text: str) -> int | None:
    digits = text.removeprefix("-").removeprefix("+")
    return int(text) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else None


def check_row(raw: RawRow, *, default_mode: str, positive_only: bool = False) -> Row | RowError:
    """The row's own checks (before anything is looked up): fields present, a whole number
    of the right sign, a known mode. `positive_only`: transfers and receipts move units."""
    def error(message: str) -> RowError:
        return RowError(raw.line, raw.sku, raw.warehouse, message)

    if raw.extra_cells:
        return error("more cells than the header has")
    for name in REQUIRED:
        if not getattr(raw, name):
            return error(f"missing {name}")
    mode = (raw.mode or default_mode).lower()
    if mode not in MODES:
        return error(f"mode must be set or add, not {raw.mode!r}")
    quantity = _quantity(raw.quantity)
    if quantity is None:
        return error(f"quantity {raw.quantity!r} is not a whole number")
    if positive_only and quantity <= 0:
        return error(f"quantity must be more than zero, not {quantity}")
    if mode == "set" and quantity < 0:
        return error(f"an absolute count cannot be negative ({quantity})")
    if mode == "add" and quantity == 0:
        return error("a delta of zero changes nothing")
    if len(raw.reason) > MAX_ROW_REASON:
        return error(f"reason longer than {MAX_ROW_REASON} characters")
    return Row(raw.line, raw.sku, raw.warehouse, quantity, mode, raw.reason)


def first_of_each(rows: Iterable[Row]) -> tuple[list[Row], list[RowError]]:
    """Rows with a (sku, warehouse) seen on an earlier line are errors naming that line."""
    seen: dict[tuple[str, str], int] = {}
    kept, duplicates = [], []
    for row in rows:
        first = seen.setdefault((row.sku, row.warehouse), row.line)
        if first == row.line:
            kept.append(row)
        else:
            duplicates.append(RowError(row.line, row.sku, row.warehouse,
                                       f"duplicate of line {first} (same sku and warehouse)"))
    return kept, duplicates


def on_hand_after(level: Level, mode: str, quantity: int) -> int:
    """"set": the count becomes on hand; "add": on hand moves by the (signed) quantity."""
    return quantity if mode == "set" else level.on_hand + quantity


def below_reserved(level: Level, after: int, warehouse: str) -> str | None:
    if after < level.reserved:
        return (f"on hand would become {after}, below the {level.reserved} reserved "
                f"for placed orders in {warehouse}")
    return None


def short_of_available(level: Level, quantity: int, sku: str, warehouse: str) -> str | None:
    if quantity > level.available:
        return (f"not enough available: only {max(level.available, 0)} of {sku} in "
                f"{warehouse}, {quantity} to transfer")
    return None
