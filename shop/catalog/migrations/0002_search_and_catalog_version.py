"""Full-text search over products and the catalog version, in the database itself so every
writer (services, admin, SQL) keeps them current.

- Search: a `product_search` document per product (both names, the category's names, both
  descriptions), kept by triggers on products and categories. SQLite: an FTS5 table
  (`unicode61 remove_diacritics 2`). PostgreSQL: a tsvector column with a GIN index, folded
  with `lower` + `translate` (the `simple` config; no `unaccent` extension needed).
- Catalog version: bumped by triggers on every table a catalog page reads (products,
  variants, images, categories, stock levels, attribute labels). SQLite: a counter row.
  PostgreSQL: a sequence bumped by deferred constraint triggers, so the bump happens at
  commit time and concurrent writers never queue on one row.

SQL Server (Azure SQL) gets the same objects in 0003 (a full-text index cannot be created
inside a transaction); its catalog-version triggers are here. That variant is written for
mssql-django and has never run against a SQL Server (none can run here)."""

from django.db import migrations

VERSIONED_TABLES = ("products", "variants", "product_images", "categories", "stock_levels",
                    "attribute_labels")
VERBS = ("INSERT", "UPDATE", "DELETE")

# SQLite -------------------------------------------------------------------------------------
SQLITE_CATEGORY = ("(SELECT c.name_es || ' ' || c.name_en FROM categories c "
                   "WHERE c.id = new.category_id)")
SQLITE_INSERT = ("INSERT INTO product_search(rowid, names, category, descriptions) VALUES "
                 f"(new.id, new.name_es || ' ' || new.name_en, {SQLITE_CATEGORY}, "
                 "new.description_es || ' ' || new.description_en);")
SQLITE_FORWARDS = [
    "CREATE TABLE catalog_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)",
    "INSERT INTO catalog_version (id, version) VALUES (1, 0)",
    *(f"CREATE TRIGGER catalog_version_{table}_{verb.lower()} AFTER {verb} ON {table} "
      "BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END"
      for table in VERSIONED_TABLES for verb in VERBS),
    "CREATE VIRTUAL TABLE product_search USING fts5(names, category, descriptions, "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER product_search_insert AFTER INSERT ON products BEGIN {SQLITE_INSERT} END",
    "CREATE TRIGGER product_search_update AFTER UPDATE ON products BEGIN "
    f"DELETE FROM product_search WHERE rowid = old.id; {SQLITE_INSERT} END",
    "CREATE TRIGGER product_search_delete AFTER DELETE ON products BEGIN "
    "DELETE FROM product_search WHERE rowid = old.id; END",
    "CREATE TRIGGER product_search_category AFTER UPDATE OF name_es, name_en ON categories "
    "BEGIN UPDATE product_search SET category = new.name_es || ' ' || new.name_en "
    "WHERE rowid IN (SELECT id FROM products WHERE category_id = new.id); END",
    "INSERT INTO product_search(rowid, names, category, descriptions) "
    "SELECT p.id, p.name_es || ' ' || p.name_en, c.name_es || ' ' || c.name_en, "
    "p.description_es || ' ' || p.description_en FROM products p "
    "JOIN categories c ON c.id = p.category_id",
]
SQLITE_BACKWARDS = [
    *(f"DROP TRIGGER IF EXISTS catalog_version_{table}_{verb.lower()}"
      for table in VERSIONED_TABLES for verb in VERBS),
    *(f"DROP TRIGGER IF EXISTS product_search_{name}"
      for name in ("insert", "update", "delete", "category")),
    "DROP TABLE IF EXISTS product_search",
    "DROP TABLE IF EXISTS catalog_version",
]

# PostgreSQL ---------------------------------------------------------------------------------
# Lower-case and strip the accents of Spanish and its neighbours, one character for one.
PG_FOLD = "translate(lower({}), 'áàäâãéèëêíìïîóòöôõúùüûñç', 'aaaaaeeeeiiiiooooouuuunc')"


def pg_vector(text: str, weight: str) -> str:
    return f"setweight(to_tsvector('simple'::regconfig, {PG_FOLD.format(text)}), '{weight}')"


PG_DOCUMENT = " || ".join((
    pg_vector("p.name_es || ' ' || p.name_en", "A"),
    pg_vector("c.name_es || ' ' || c.name_en", "B"),
    pg_vector("p.description_es || ' ' || p.description_en", "C"),
))
PG_FORWARDS = [
    "CREATE SEQUENCE catalog_version_seq",
    "CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN PERFORM nextval('catalog_version_seq'); RETURN NULL; END $$",
    # Deferred to commit: a reader that sees the new version also (but for the instant between
    # the bump and the commit, which the cache's TTL bounds) sees the new rows.
    *(f"CREATE CONSTRAINT TRIGGER catalog_version_{table} AFTER INSERT OR UPDATE OR DELETE "
      f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
      "EXECUTE FUNCTION bump_catalog_version()" for table in VERSIONED_TABLES),
    # No foreign key: a TRUNCATE of products (test flushes) must not need CASCADE; rows of
    # deleted products are removed by the trigger and never joined anyway.
    "CREATE TABLE product_search (product_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX ix_product_search_document ON product_search USING gin (document)",
    "CREATE FUNCTION product_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$ "
    "INSERT INTO product_search (product_id, document) "
    f"SELECT p.id, {PG_DOCUMENT} FROM products p JOIN categories c ON c.id = p.category_id "
    "WHERE p.id = ANY(ids) "
    "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document $$",
    "CREATE FUNCTION product_search_on_product() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM product_search WHERE product_id = OLD.id; "
    "ELSE PERFORM product_search_refresh(ARRAY[NEW.id]); END IF; RETURN NULL; END $$",
    "CREATE TRIGGER product_search_on_product AFTER INSERT OR UPDATE OR DELETE ON products "
    "FOR EACH ROW EXECUTE FUNCTION product_search_on_product()",
    "CREATE FUNCTION product_search_on_category() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "PERFORM product_search_refresh(ARRAY(SELECT id FROM products WHERE category_id = NEW.id)); "
    "RETURN NULL; END $$",
    "CREATE TRIGGER product_search_on_category AFTER UPDATE OF name_es, name_en ON categories "
    "FOR EACH ROW EXECUTE FUNCTION product_search_on_category()",
    "SELECT product_search_refresh(ARRAY(SELECT id FROM products))",
]
PG_BACKWARDS = [
    "DROP TRIGGER IF EXISTS product_search_on_category ON categories",
    "DROP TRIGGER IF EXISTS product_search_on_product ON products",
    "DROP FUNCTION IF EXISTS product_search_on_category()",
    "DROP FUNCTION IF EXISTS product_search_on_product()",
    "DROP FUNCTION IF EXISTS product_search_refresh(bigint[])",
    "DROP TABLE IF EXISTS product_search",
    *(f"DROP TRIGGER IF EXISTS catalog_version_{table} ON {table}" for table in VERSIONED_TABLES),
    "DROP FUNCTION IF EXISTS bump_catalog_version()",
    "DROP SEQUENCE IF EXISTS catalog_version_seq",
]

# SQL Server (not runnable here) -------------------------------------------------------------
# AFTER triggers with no deferral: the version can move before the commit is visible; the
# cache's TTL bounds how long a stale read can be kept under the new version.
MSSQL_FORWARDS = [
    "CREATE SEQUENCE dbo.catalog_version_seq AS bigint START WITH 1 INCREMENT BY 1",
    *(f"CREATE TRIGGER dbo.catalog_version_{table} ON dbo.{table} AFTER INSERT, UPDATE, DELETE "
      "AS BEGIN SET NOCOUNT ON; DECLARE @v bigint; "
      "SELECT @v = NEXT VALUE FOR dbo.catalog_version_seq; END" for table in VERSIONED_TABLES),
]
MSSQL_BACKWARDS = [
    *(f"DROP TRIGGER IF EXISTS dbo.catalog_version_{table}" for table in VERSIONED_TABLES),
    "DROP SEQUENCE IF EXISTS dbo.catalog_version_seq",
]

SQL = {
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
    "postgresql": (PG_FORWARDS, PG_BACKWARDS),
    "microsoft": (MSSQL_FORWARDS, MSSQL_BACKWARDS),
}


def forwards(apps, schema_editor):
    for statement in SQL[schema_editor.connection.vendor][0]:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in SQL[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    # After the last migration that rebuilds stock_levels: SQLite drops triggers with a rebuilt
    # table (a later migration altering a versioned table must re-create them; a test checks).
    dependencies = [("catalog", "0001_initial"), ("inventory", "0003_ledger_append_only")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
