"""`manage.py stock set SKU QTY [--warehouse CODE]`: make QTY the SKU's available stock (in
one warehouse, or the default gets QTY and the others zero), recorded in the ledger as
adjustments. A mistake the operator can fix is one line on stderr and exit status 1."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser

from shop.core.errors import ShopError
from shop.inventory.services import stock_set


class Command(BaseCommand):
    help = "Stock operations: `stock set SKU QTY [--warehouse CODE]`."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        set_parser = actions.add_parser("set", help="make QTY the SKU's available stock")
        set_parser.add_argument("sku")
        set_parser.add_argument("quantity", type=int)
        set_parser.add_argument("--warehouse", default=None, help="warehouse code")

    def handle(self, *args, action: str, sku: str, quantity: int, warehouse: str | None,
               **options) -> None:
        try:
            levels = stock_set(sku=sku, quantity=quantity, warehouse_code=warehouse, actor="cli")
        except ShopError as exc:
            self.stderr.write(f"stock {action}: {exc}")
            sys.exit(1)
        where = ", ".join(f"{level.warehouse.code} {level.available}" for level in levels)
        self.stdout.write(f"{sku}: available {quantity}"
                          + (f" in {warehouse}" if warehouse else "") + f" ({where})")
