"""Read-side catalog queries for the storefront: a fixed, small number of queries per page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Row, and_, func, select

from tienda.adapters.db.tables import categories, product_images, products, stock_levels, variants
from tienda.domain.catalog import Category, Image, Localized, ProductCard, ProductDetail, Variant
from tienda.domain.money import Money

_available = (
    select(
        stock_levels.c.variant_id,
        func.sum(stock_levels.c.on_hand - stock_levels.c.reserved).label("available"),
    )
    .group_by(stock_levels.c.variant_id)
    .subquery("available")
)


def _category(row: Row[Any]) -> Category:
    return Category(row.id, row.slug, Localized(row.name_es, row.name_en), row.parent_id)


class SqlCatalogQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def categories(self) -> list[Category]:
        query = select(categories).order_by(categories.c.position, categories.c.id)
        with self._engine.connect() as conn:
            return [_category(row) for row in conn.execute(query)]

    def featured_products(self, limit: int) -> list[ProductCard]:
        return self._cards(products.c.is_featured.is_(True), limit)

    def list_products(self, category_slug: str | None, text: str | None, page: int,
                      per_page: int) -> tuple[list[ProductCard], int]:
        condition: Any = products.c.is_published.is_(True)
        if category_slug:
            ids = self._category_and_children(category_slug)
            condition = and_(condition, products.c.category_id.in_(ids))
        if text:
            pattern = f"%{text.lower()}%"
            condition = and_(condition, func.lower(products.c.name_es).like(pattern)
                             | func.lower(products.c.name_en).like(pattern))
        count = select(func.count()).select_from(products).where(condition)
        with self._engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
        return self._cards(condition, per_page, (page - 1) * per_page), total

    def _category_and_children(self, slug: str) -> list[int]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(categories.c.id, categories.c.parent_id,
                                       categories.c.slug)).all()
        wanted = {row.id for row in rows if row.slug == slug}
        for row in rows:
            if row.parent_id in wanted:
                wanted.add(row.id)
        return sorted(wanted)

    def _cards(self, condition: Any, limit: int, offset: int = 0) -> list[ProductCard]:
        prices = (
            select(
                variants.c.product_id,
                func.min(variants.c.price_minor).label("from_price"),
                func.min(variants.c.currency).label("currency"),
                func.coalesce(func.max(_available.c.available), 0).label("best_available"),
            )
            .outerjoin(_available, _available.c.variant_id == variants.c.id)
            .where(variants.c.is_published.is_(True))
            .group_by(variants.c.product_id)
            .subquery("prices")
        )
        thumbnail = (
            select(product_images.c.thumbnail_key)
            .where(and_(product_images.c.product_id == products.c.id))
            .order_by(product_images.c.position, product_images.c.id)
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(products.c.id, products.c.slug, products.c.name_es, products.c.name_en,
                   prices.c.from_price, prices.c.currency, prices.c.best_available,
                   thumbnail.label("thumbnail_key"))
            .join(prices, prices.c.product_id == products.c.id)
            .where(products.c.is_published.is_(True), condition)
            .order_by(products.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self._engine.connect() as conn:
            return [
                ProductCard(r.id, r.slug, Localized(r.name_es, r.name_en),
                            Money(r.from_price, r.currency), r.thumbnail_key,
                            r.best_available > 0)
                for r in conn.execute(query)
            ]

    def product_by_slug(self, slug: str) -> ProductDetail | None:
        head = (
            select(products, categories.c.slug.label("category_slug"),
                   categories.c.name_es.label("category_name_es"),
                   categories.c.name_en.label("category_name_en"),
                   categories.c.parent_id.label("category_parent_id"))
            .join(categories, categories.c.id == products.c.category_id)
            .where(products.c.slug == slug, products.c.is_published.is_(True))
        )
        with self._engine.connect() as conn:
            row = conn.execute(head).first()
            if row is None:
                return None
            return ProductDetail(
                id=row.id, slug=row.slug,
                name=Localized(row.name_es, row.name_en),
                description=Localized(row.description_es, row.description_en),
                category=Category(row.category_id, row.category_slug,
                                  Localized(row.category_name_es, row.category_name_en),
                                  row.category_parent_id),
                variants=self._variants(conn, row.id),
                images=self._images(conn, row.id),
            )

    @staticmethod
    def _variants(conn: Any, product_id: int) -> list[Variant]:
        query = (
            select(variants, func.coalesce(_available.c.available, 0).label("available"))
            .outerjoin(_available, _available.c.variant_id == variants.c.id)
            .where(variants.c.product_id == product_id, variants.c.is_published.is_(True))
            .order_by(variants.c.id)
        )
        return [
            Variant(r.id, r.sku, dict(r.attributes), Money(r.price_minor, r.currency),
                    int(r.available))
            for r in conn.execute(query)
        ]

    @staticmethod
    def _images(conn: Any, product_id: int) -> list[Image]:
        query = (
            select(product_images)
            .where(product_images.c.product_id == product_id)
            .order_by(product_images.c.position, product_images.c.id)
        )
        return [
            Image(r.blob_key, r.thumbnail_key, Localized(r.alt_es, r.alt_en), r.width, r.height)
            for r in conn.execute(query)
        ]
