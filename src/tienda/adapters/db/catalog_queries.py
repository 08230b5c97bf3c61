"""Read-side catalog queries for the storefront: a fixed, small number of queries per page
(listing: count, cards and facets; product: head, variants, images and related)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, Row, Text, and_, cast, func, select, text

from tienda.adapters.db.search import ranked_matches, variant_filter
from tienda.adapters.db.tables import (
    attribute_labels,
    categories,
    order_lines,
    orders,
    product_images,
    products,
    stock_levels,
    variants,
)
from tienda.domain.catalog import (
    AttributeLabels,
    Category,
    Image,
    Localized,
    ProductCard,
    ProductDetail,
    Variant,
)
from tienda.domain.money import Money
from tienda.service_layer.storefront import ListingQuery

_available = (
    select(
        stock_levels.c.variant_id,
        func.sum(stock_levels.c.on_hand - stock_levels.c.reserved).label("available"),
    )
    .group_by(stock_levels.c.variant_id)
    .subquery("available")
)
_sold = (
    select(variants.c.product_id, func.sum(order_lines.c.quantity).label("sold"))
    .join(variants, variants.c.id == order_lines.c.variant_id)
    .join(orders, orders.c.id == order_lines.c.order_id)
    .where(orders.c.status.notin_(("cancelled", "refunded")))
    .group_by(variants.c.product_id)
    .subquery("sold")
)


def _category(row: Row[Any]) -> Category:
    return Category(row.id, row.slug, Localized(row.name_es, row.name_en), row.parent_id)


def _prices() -> Any:
    return (
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


def _card(r: Any) -> ProductCard:
    return ProductCard(r.id, r.slug, Localized(r.name_es, r.name_en),
                       Money(r.from_price, r.currency), r.thumbnail_key, r.best_available > 0)


class SqlCatalogQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def catalog_version(self) -> int:
        if self._engine.dialect.name == "postgresql":
            statement = text("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END "
                             "FROM catalog_version_seq")
        else:
            statement = text("SELECT version FROM catalog_version WHERE id = 1")
        with self._engine.connect() as conn:
            return int(conn.execute(statement).scalar() or 0)

    def categories(self) -> list[Category]:
        query = select(categories).order_by(categories.c.position, categories.c.id)
        with self._engine.connect() as conn:
            return [_category(row) for row in conn.execute(query)]

    def attribute_labels(self) -> AttributeLabels:
        with self._engine.connect() as conn:
            rows = conn.execute(select(attribute_labels)).all()
        return AttributeLabels({(r.attribute, r.value, r.locale): r.label for r in rows})

    def featured_products(self, limit: int) -> list[ProductCard]:
        return self._cards(products.c.is_featured.is_(True), limit)

    def newest_products(self, limit: int) -> list[ProductCard]:
        return self._cards(None, limit, order=[products.c.created_at.desc(),
                                               products.c.id.desc()])

    def best_sellers(self, limit: int) -> list[ProductCard]:
        return self._cards(_sold.c.sold > 0, limit, order=[_sold.c.sold.desc(), products.c.id],
                           sold=True)

    def related_products(self, product: ProductDetail, limit: int) -> list[ProductCard]:
        condition = and_(products.c.category_id == product.category.id,
                         products.c.id != product.id)
        return self._cards(condition, limit)

    def list_products(self, category_slug: str | None, text: str | None, page: int,
                      per_page: int) -> tuple[list[ProductCard], int]:
        ids = self._category_and_children(category_slug) if category_slug else None
        return self.listing(ListingQuery(category_ids=tuple(ids) if ids is not None else None,
                                         text=text, page=page, per_page=per_page))

    def listing(self, query: ListingQuery) -> tuple[list[ProductCard], int]:
        search = ranked_matches(self._engine.dialect.name, query.text) if query.text else None
        condition = self._condition(query)
        count = select(func.count()).select_from(products).where(
            products.c.is_published.is_(True), condition)
        if search is not None:
            count = count.join(search, search.c.product_id == products.c.id)
        with self._engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
        if total <= (query.page - 1) * query.per_page:
            return [], total
        items = self._cards(condition, query.per_page, (query.page - 1) * query.per_page,
                            order=self._order(query, search), search=search,
                            sold=query.sort == "best_selling")
        return items, total

    def facets(self, category_ids: tuple[int, ...] | None) -> dict[str, list[str]]:
        query = (select(cast(variants.c.attributes, Text)).distinct()
                 .join(products, products.c.id == variants.c.product_id)
                 .where(products.c.is_published.is_(True), variants.c.is_published.is_(True)))
        if category_ids is not None:
            query = query.where(products.c.category_id.in_(category_ids))
        values: dict[str, set[str]] = {}
        with self._engine.connect() as conn:
            for (attributes,) in conn.execute(query):
                for name, value in json.loads(attributes).items():
                    values.setdefault(str(name), set()).add(str(value))
        return {name: sorted(found, key=_facet_order) for name, found in sorted(values.items())}

    @staticmethod
    def _condition(query: ListingQuery) -> Any:
        conditions: list[Any] = []
        if query.category_ids is not None:
            conditions.append(products.c.category_id.in_(query.category_ids))
        exists_variant = variant_filter(products.c.id, query.min_price_minor,
                                        query.max_price_minor, query.attributes,
                                        query.in_stock_only)
        if exists_variant is not None:
            conditions.append(exists_variant)
        return and_(True, *conditions)

    @staticmethod
    def _order(query: ListingQuery, search: Any) -> list[Any]:
        prices = {"price_asc": "from_price", "price_desc": "from_price"}
        if query.sort in prices:
            column = text("from_price DESC" if query.sort == "price_desc" else "from_price")
            return [column, products.c.id]
        if query.sort == "newest":
            return [products.c.created_at.desc(), products.c.id.desc()]
        if query.sort == "best_selling":
            return [func.coalesce(_sold.c.sold, 0).desc(), products.c.id]
        if search is not None:
            return [search.c.score, products.c.id]
        return [products.c.is_featured.desc(), products.c.id]

    def _category_and_children(self, slug: str) -> list[int]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(categories.c.id, categories.c.parent_id,
                                       categories.c.slug)).all()
        wanted = {row.id for row in rows if row.slug == slug}
        for row in rows:
            if row.parent_id in wanted:
                wanted.add(row.id)
        return sorted(wanted)

    def _cards(self, condition: Any, limit: int, offset: int = 0, *,
               order: list[Any] | None = None, search: Any = None,
               sold: bool = False) -> list[ProductCard]:
        prices = _prices()
        thumbnail = (
            select(product_images.c.thumbnail_key)
            .where(product_images.c.product_id == products.c.id)
            .order_by(product_images.c.position, product_images.c.id)
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(products.c.id, products.c.slug, products.c.name_es, products.c.name_en,
                   prices.c.from_price, prices.c.currency, prices.c.best_available,
                   thumbnail.label("thumbnail_key"))
            .join(prices, prices.c.product_id == products.c.id)
            .where(products.c.is_published.is_(True))
        )
        if condition is not None:
            query = query.where(condition)
        if search is not None:
            query = query.join(search, search.c.product_id == products.c.id)
        if sold:
            query = query.outerjoin(_sold, _sold.c.product_id == products.c.id)
        query = query.order_by(*(order or [products.c.id])).limit(limit).offset(offset)
        with self._engine.connect() as conn:
            return [_card(r) for r in conn.execute(query)]

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


_SIZES = ("XS", "S", "M", "L", "XL", "XXL")


def _facet_order(value: str) -> tuple[int, str]:
    return (_SIZES.index(value), value) if value in _SIZES else (len(_SIZES), value)
