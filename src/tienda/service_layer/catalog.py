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
