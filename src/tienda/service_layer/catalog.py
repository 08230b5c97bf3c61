"""Catalog use cases for the storefront and the public API."""

from __future__ import annotations

from dataclasses import dataclass

from tienda.domain.catalog import Category, ProductCard, ProductDetail
from tienda.service_layer.ports import CatalogQueries

FEATURED_ON_HOME = 12


class ProductNotFound(LookupError):
    pass


@dataclass(frozen=True)
class HomePage:
    categories: list[Category]
    featured: list[ProductCard]


def home_page(catalog: CatalogQueries) -> HomePage:
    return HomePage(catalog.categories(), catalog.featured_products(FEATURED_ON_HOME))


def product_page(catalog: CatalogQueries, slug: str) -> ProductDetail:
    product = catalog.product_by_slug(slug)
    if product is None:
        raise ProductNotFound(f"no published product {slug!r}")
    return product


@dataclass(frozen=True)
class ProductPage:
    items: list[ProductCard]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def browse_products(catalog: CatalogQueries, category: str | None, text: str | None,
                    page: int, per_page: int = 24) -> ProductPage:
    cleaned = (text or "").strip()[:100] or None
    items, total = catalog.list_products(category or None, cleaned, page, per_page)
    return ProductPage(items, total, page, per_page)
