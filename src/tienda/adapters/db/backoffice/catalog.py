"""Catalog administration SQL: products (versioned), variants (versioned), categories, images."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Table, func, or_, select

from tienda.adapters.db.backoffice.common import like, order_by, page_of, plain
from tienda.adapters.db.repositories import utcnow
from tienda.adapters.db.tables import categories, product_images, products, variants
from tienda.service_layer.backoffice.ports import Page, PageRequest, Row

PRODUCT_SORTS = {"id": products.c.id, "name": products.c.name_es, "slug": products.c.slug,
                 "updated_at": products.c.updated_at, "created_at": products.c.created_at}
_VARIANT_COLUMNS = (variants.c.id, variants.c.product_id, variants.c.sku, variants.c.attributes,
                    variants.c.price_minor, variants.c.cost_minor, variants.c.currency,
                    variants.c.is_published, variants.c.version, variants.c.updated_at)


def _one(conn: Connection, table: Table, key: Any) -> Row | None:
    row = conn.execute(select(table).where(table.c.id == key)).mappings().first()
    return plain(row) if row else None


def _insert(conn: Connection, table: Table, values: Row) -> int:
    result = conn.execute(table.insert().values(**values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


class SqlCatalogRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def product(self, product_id: int, for_update: bool = False) -> Row | None:
        query = select(products).where(products.c.id == product_id)
        row = self._conn.execute(query.with_for_update() if for_update else query)
        found = row.mappings().first()
        return plain(found) if found else None

    def add_product(self, values: Row) -> int:
        now = utcnow()
        return _insert(self._conn, products, {**values, "version": 1, "created_at": now,
                                              "updated_at": now})

    def update_product(self, product_id: int, expected_version: int, values: Row) -> bool:
        return bool(self._conn.execute(
            products.update().where(products.c.id == product_id,
                                    products.c.version == expected_version)
            .values(**values, version=products.c.version + 1, updated_at=utcnow())).rowcount)

    def set_product_flags(self, product_ids: list[int], values: Row) -> list[int]:
        changed = [pid for pid in product_ids if self._conn.execute(
            products.update().where(products.c.id == pid)
            .values(**values, version=products.c.version + 1, updated_at=utcnow())).rowcount]
        return changed

    def slug_taken(self, slug: str, except_id: int | None = None) -> bool:
        return self._taken(products, products.c.slug == slug, except_id)

    def category_exists(self, category_id: int) -> bool:
        return self.category(category_id) is not None

    def category(self, category_id: int) -> Row | None:
        return _one(self._conn, categories, category_id)

    def category_slug_taken(self, slug: str, except_id: int | None = None) -> bool:
        return self._taken(categories, categories.c.slug == slug, except_id)

    def add_category(self, values: Row) -> int:
        now = utcnow()
        return _insert(self._conn, categories, {**values, "created_at": now, "updated_at": now})

    def update_category(self, category_id: int, values: Row) -> None:
        self._conn.execute(categories.update().where(categories.c.id == category_id)
                           .values(**values, updated_at=utcnow()))

    def variant(self, variant_id: int) -> Row | None:
        row = self._conn.execute(select(*_VARIANT_COLUMNS)
                                 .where(variants.c.id == variant_id)).mappings().first()
        return plain(row) if row else None

    def sku_taken(self, sku: str, except_id: int | None = None) -> bool:
        return self._taken(variants, variants.c.sku == sku, except_id)

    def add_variant(self, product_id: int, values: Row) -> int:
        now = utcnow()
        return _insert(self._conn, variants, {**values, "product_id": product_id, "version": 1,
                                              "created_at": now, "updated_at": now})

    def update_variant(self, variant_id: int, expected_version: int, values: Row) -> bool:
        return bool(self._conn.execute(
            variants.update().where(variants.c.id == variant_id,
                                    variants.c.version == expected_version)
            .values(**values, version=variants.c.version + 1, updated_at=utcnow())).rowcount)

    def add_image(self, product_id: int, values: Row) -> int:
        position = self._conn.execute(
            select(func.coalesce(func.max(product_images.c.position), -1) + 1)
            .where(product_images.c.product_id == product_id)).scalar_one()
        return _insert(self._conn, product_images, {**values, "product_id": product_id,
                                                    "position": position,
                                                    "created_at": utcnow()})

    def image(self, image_id: int) -> Row | None:
        return _one(self._conn, product_images, image_id)

    def remove_image(self, image_id: int) -> None:
        self._conn.execute(product_images.delete().where(product_images.c.id == image_id))

    def _taken(self, table: Table, condition: Any, except_id: int | None) -> bool:
        query = select(table.c.id).where(condition)
        if except_id is not None:
            query = query.where(table.c.id != except_id)
        return self._conn.execute(query.limit(1)).first() is not None


class SqlCatalogReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def products(self, q: str | None, category_id: int | None, published: bool | None,
                 page: PageRequest) -> Page:
        counts = (select(variants.c.product_id, func.count().label("variant_count"),
                         func.min(variants.c.price_minor).label("min_price_minor"))
                  .group_by(variants.c.product_id).subquery())
        query = (select(products.c.id, products.c.slug, products.c.name_es, products.c.name_en,
                        products.c.category_id, categories.c.name_es.label("category_name"),
                        products.c.is_published, products.c.is_featured, products.c.version,
                        products.c.updated_at,
                        func.coalesce(counts.c.variant_count, 0).label("variant_count"),
                        counts.c.min_price_minor)
                 .join(categories, categories.c.id == products.c.category_id)
                 .outerjoin(counts, counts.c.product_id == products.c.id))
        if q:
            pattern = like(q)
            sku_match = select(variants.c.product_id).where(
                func.lower(variants.c.sku).like(pattern, escape="\\"))
            query = query.where(or_(func.lower(products.c.name_es).like(pattern, escape="\\"),
                                    func.lower(products.c.name_en).like(pattern, escape="\\"),
                                    products.c.slug.like(pattern, escape="\\"),
                                    products.c.id.in_(sku_match)))
        if category_id is not None:
            query = query.where(products.c.category_id == category_id)
        if published is not None:
            query = query.where(products.c.is_published.is_(published))
        with self._engine.connect() as conn:
            return page_of(conn, query, page, order_by(page.sort, PRODUCT_SORTS, "-updated_at"),
                           products.c.id.desc())

    def product_detail(self, product_id: int) -> Row | None:
        with self._engine.connect() as conn:
            product = _one(conn, products, product_id)
            if product is None:
                return None
            product["variants"] = [plain(r) for r in conn.execute(
                select(*_VARIANT_COLUMNS).where(variants.c.product_id == product_id)
                .order_by(variants.c.id)).mappings()]
            product["images"] = [plain(r) for r in conn.execute(
                select(product_images).where(product_images.c.product_id == product_id)
                .order_by(product_images.c.position, product_images.c.id)).mappings()]
            return product

    def categories(self) -> list[Row]:
        counts = (select(products.c.category_id, func.count().label("product_count"))
                  .group_by(products.c.category_id).subquery())
        query = (select(categories, func.coalesce(counts.c.product_count, 0)
                        .label("product_count"))
                 .outerjoin(counts, counts.c.category_id == categories.c.id)
                 .order_by(categories.c.position, categories.c.id))
        with self._engine.connect() as conn:
            return [plain(r) for r in conn.execute(query).mappings()]
