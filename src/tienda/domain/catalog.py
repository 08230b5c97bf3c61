"""Catalog: categories, products and their sellable variants, as the shop shows them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from tienda.domain.money import Money

LOCALES = ("es", "en")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Localized:
    es: str
    en: str

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.es


@dataclass(frozen=True, slots=True)
class AttributeLabels:
    """What shoppers read for stored variant attribute values, per language. The stored
    value stays the key (filters and the API use it) and reads as itself where no label
    was given, so a value typed in by staff shows before anyone translates it."""

    labels: Mapping[tuple[str, str, str], str] = field(default_factory=dict)

    def value(self, attribute: str, value: str, locale: str) -> str:
        return self.labels.get((attribute, value, locale), value)

    def of(self, attributes: Mapping[str, str], locale: str) -> str:
        """A variant's options as one line, e.g. "Red / M"."""
        return " / ".join(self.value(name, value, locale) for name, value in attributes.items())


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    slug: str
    name: Localized
    parent_id: int | None = None


@dataclass(frozen=True, slots=True)
class Image:
    blob_key: str
    thumbnail_key: str
    alt: Localized
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Variant:
    id: int
    sku: str
    attributes: dict[str, str]
    price: Money
    available: int


@dataclass(frozen=True, slots=True)
class ProductCard:
    """A product as lists show it: one thumbnail, the lowest price, whether anything is left."""

    id: int
    slug: str
    name: Localized
    from_price: Money
    thumbnail_key: str | None
    in_stock: bool


@dataclass(frozen=True, slots=True)
class ProductDetail:
    id: int
    slug: str
    name: Localized
    description: Localized
    category: Category
    variants: list[Variant] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)

    @property
    def from_price(self) -> Money | None:
        prices = [v.price for v in self.variants]
        return min(prices, key=lambda m: m.minor) if prices else None

    @property
    def in_stock(self) -> bool:
        return any(v.available > 0 for v in self.variants)
