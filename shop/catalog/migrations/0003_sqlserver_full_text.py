"""Product search on SQL Server (Azure SQL): a `product_search` table kept by triggers and a
full-text index over it, queried with CONTAINSTABLE (shop/catalog/search.py).

SQL Server refuses CREATE FULLTEXT CATALOG/INDEX inside a user transaction, so this migration
is not atomic; on SQLite and PostgreSQL it does nothing (0002 built their search). Written for
mssql-django and never run against a SQL Server (none can run here)."""

from django.db import migrations

MSSQL_DOCUMENT = ("SELECT p.id, p.name_es + N' ' + p.name_en, "
                  "p.name_es + N' ' + p.name_en + N' ' + c.name_es + N' ' + c.name_en + N' ' + "
                  "p.description_es + N' ' + p.description_en "
                  "FROM dbo.products p JOIN dbo.categories c ON c.id = p.category_id")
MSSQL_FORWARDS = [
    # `names` ranks; `document` (names, category, descriptions) decides what matches.
    "CREATE TABLE dbo.product_search (product_id bigint NOT NULL "
    "CONSTRAINT pk_product_search PRIMARY KEY, names nvarchar(500) NOT NULL, "
    "document nvarchar(max) NOT NULL)",
    "CREATE TRIGGER dbo.product_search_on_product ON dbo.products AFTER INSERT, UPDATE, DELETE "
    "AS BEGIN SET NOCOUNT ON; "
    "DELETE FROM dbo.product_search WHERE product_id IN (SELECT id FROM deleted); "
    f"INSERT INTO dbo.product_search (product_id, names, document) {MSSQL_DOCUMENT} "
    "WHERE p.id IN (SELECT id FROM inserted); END",
    "CREATE TRIGGER dbo.product_search_on_category ON dbo.categories AFTER UPDATE "
    "AS BEGIN SET NOCOUNT ON; "
    "DELETE FROM dbo.product_search WHERE product_id IN "
    "(SELECT id FROM dbo.products WHERE category_id IN (SELECT id FROM inserted)); "
    f"INSERT INTO dbo.product_search (product_id, names, document) {MSSQL_DOCUMENT} "
    "WHERE p.category_id IN (SELECT id FROM inserted); END",
    f"INSERT INTO dbo.product_search (product_id, names, document) {MSSQL_DOCUMENT}",
    # Accent-insensitive, so "camiseta" finds "camisetá" as the other vendors do.
    "CREATE FULLTEXT CATALOG product_search_catalog WITH ACCENT_SENSITIVITY = OFF",
    "CREATE FULLTEXT INDEX ON dbo.product_search (names LANGUAGE 0, document LANGUAGE 0) "
    "KEY INDEX pk_product_search ON product_search_catalog WITH CHANGE_TRACKING AUTO",
]
MSSQL_BACKWARDS = [
    "DROP FULLTEXT INDEX ON dbo.product_search",
    "DROP FULLTEXT CATALOG product_search_catalog",
    "DROP TRIGGER IF EXISTS dbo.product_search_on_category",
    "DROP TRIGGER IF EXISTS dbo.product_search_on_product",
    "DROP TABLE IF EXISTS dbo.product_search",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "microsoft":
        for statement in MSSQL_FORWARDS:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "microsoft":
        for statement in MSSQL_BACKWARDS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("catalog", "0002_search_and_catalog_version")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
