"""`seed_demo --reset`: empty the shop's tables in one transaction, children before parents.

Staff accounts stay (they are not shop data; the seed adds the demo ones when missing); the
customers' accounts (non-staff users) go with the customers.

The stock ledger is append-only by trigger (inventory migration 0003), so emptying it needs the
trigger out of the way, and only inside this transaction:
- PostgreSQL: TRUNCATE, which fires no row-level DELETE trigger and is transactional.
- SQLite: the DELETE trigger is dropped, the rows deleted and the trigger recreated from the
  very SQL sqlite_master holds for it; SQLite DDL is transactional, so a failure restores it.
- SQL Server: DISABLE TRIGGER ... DELETE ... ENABLE TRIGGER, all transactional there. Written
  for Azure SQL and never run against one (no SQL Server is reachable from CI).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction

# Children before parents; every table here is shop data the seed writes or the shop fills.
TABLES = (
    "stock_levels", "stock_subscriptions", "order_notes", "order_events", "order_lines",
    "payments", "sandbox_charges", "orders", "cart_lines", "carts", "addresses", "customers",
    "product_images", "variants", "products", "categories", "attribute_labels", "warehouses",
    "audit_log",
)
LEDGER = "stock_movements"
_SQLITE_TRIGGER = "stock_movements_no_delete"
_MSSQL_TRIGGER = "stock_movements_append_only"


@transaction.atomic
def shop_empty() -> None:
    """Delete every row of the shop's tables (and the customers' user accounts)."""
    _ledger_empty()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    get_user_model().objects.filter(is_staff=False).delete()


def _ledger_empty() -> None:
    table = connection.ops.quote_name(LEDGER)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses while deferred foreign-key checks are pending (rows written
            # earlier in this transaction): run those checks now, then defer again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                           [_SQLITE_TRIGGER])
            trigger = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER IF EXISTS {_SQLITE_TRIGGER}")
            cursor.execute(f"DELETE FROM {table}")
            if trigger:
                cursor.execute(trigger[0])
        elif connection.vendor == "microsoft":
            cursor.execute(f"DISABLE TRIGGER {_MSSQL_TRIGGER} ON {table}")
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"ENABLE TRIGGER {_MSSQL_TRIGGER} ON {table}")
        else:
            raise NotImplementedError(f"no ledger reset for the {connection.vendor} database")
