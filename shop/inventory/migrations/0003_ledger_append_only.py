"""The stock ledger is append-only in the database itself, whatever code runs against it.

SQLite and PostgreSQL are tested here; the SQL Server variant (INSTEAD OF triggers) is written
for Azure SQL and has never run against one (docs/operations.md says what is verified where)."""

from django.db import migrations

SQL = {
    "sqlite": (
        [
            "CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements "
            "BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END",
            "CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements "
            "BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END",
        ],
        ["DROP TRIGGER IF EXISTS stock_movements_no_update",
         "DROP TRIGGER IF EXISTS stock_movements_no_delete"],
    ),
    "postgresql": (
        [
            "CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'stock_movements is append-only'; END $$",
            "CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements "
            "FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only()",
        ],
        ["DROP TRIGGER IF EXISTS stock_movements_append_only ON stock_movements",
         "DROP FUNCTION IF EXISTS stock_movements_append_only()"],
    ),
    "microsoft": (
        [
            "CREATE TRIGGER stock_movements_append_only ON stock_movements "
            "INSTEAD OF UPDATE, DELETE AS BEGIN "
            "THROW 51000, 'stock_movements is append-only', 1; END",
        ],
        ["DROP TRIGGER IF EXISTS stock_movements_append_only"],
    ),
}


def forwards(apps, schema_editor):
    for statement in SQL[schema_editor.connection.vendor][0]:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in SQL[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
