"""Full-text search and listing filters over the products table.

SQLite searches the FTS5 table ``products_fts`` (bm25, names weigh ten times descriptions);
PostgreSQL searches a GIN-indexed tsvector expression (ts_rank, names weigh A, descriptions
B). Both match every word of the query as a prefix, accents ignored. Migration 0003 creates
these objects; they live outside tables.py, and ``include_object`` keeps Alembic's schema
comparison from reporting them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import Float, Integer, and_, exists, false, func, literal, select, text
from sqlalchemy.sql import ColumnElement

from tienda.adapters.db.tables import stock_levels, variants

# Must equal the expression of the index in migration 0003 character for character.
PG_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, translate(lower(name_es || ' ' || name_en), "
    "'áàäâéèëêíìïîóòöôúùüûñç', 'aaaaeeeeiiiioooouuuunc')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, translate(lower(description_es || ' ' || "
    "description_en), 'áàäâéèëêíìïîóòöôúùüûñç', 'aaaaeeeeiiiioooouuuunc')), 'B')"
)
SEARCH_OBJECTS = frozenset({
    "products_fts", "products_fts_data", "products_fts_idx", "products_fts_docsize",
    "products_fts_config", "products_fts_content", "ix_products_search",
})
MAX_TERMS = 8


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic hook: full-text objects are dialect-specific and not in tables.py."""
    return name not in SEARCH_OBJECTS


def search_terms(raw: str) -> list[str]:
    """Lower-case, accent-free words of the query: the same folding both indexes use."""
    folded = unicodedata.normalize("NFKD", raw.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"\w+", plain)[:MAX_TERMS]


def ranked_matches(dialect: str, raw: str) -> Any:
    """A subquery (product_id, score) of matching products, lower score ranking first."""
    terms = search_terms(raw)
    if not terms:
        return select(literal(0, Integer).label("product_id"), literal(0.0, Float).label("score")
                      ).where(false()).subquery("search")
    if dialect == "postgresql":
        match = " & ".join(f"{term}:*" for term in terms)
        statement = text(
            f"SELECT id AS product_id, -ts_rank({PG_DOCUMENT}, to_tsquery('simple', :match)) "
            f"AS score FROM products WHERE {PG_DOCUMENT} @@ to_tsquery('simple', :match)")
    else:
        match = " AND ".join(f'"{term}"*' for term in terms)
        statement = text(
            "SELECT rowid AS product_id, bm25(products_fts, 10.0, 10.0, 1.0, 1.0) AS score "
            "FROM products_fts WHERE products_fts MATCH :match")
    return statement.bindparams(match=match).columns(product_id=Integer, score=Float) \
        .subquery("search")


def variant_available() -> Any:
    return (select(func.coalesce(func.sum(stock_levels.c.on_hand - stock_levels.c.reserved), 0))
            .where(stock_levels.c.variant_id == variants.c.id)
            .scalar_subquery())


def variant_filter(product_id: Any, min_price: int | None, max_price: int | None,
                   attributes: tuple[tuple[str, str], ...], in_stock_only: bool
                   ) -> ColumnElement[bool] | None:
    """EXISTS a published variant of the product within every variant-level filter."""
    conditions: list[ColumnElement[bool]] = []
    if min_price is not None:
        conditions.append(variants.c.price_minor >= min_price)
    if max_price is not None:
        conditions.append(variants.c.price_minor <= max_price)
    for name, value in attributes:
        conditions.append(variants.c.attributes[name].as_string() == value)
    if in_stock_only:
        conditions.append(variant_available() > 0)
    if not conditions:
        return None
    return exists(select(variants.c.id).where(
        variants.c.product_id == product_id, variants.c.is_published.is_(True),
        and_(*conditions)))
