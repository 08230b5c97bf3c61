"""Catalog rules with no Django in them: what a listing may ask for, the category tree, and
how a variant's options read. Unit-tested without a database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Protocol

SORTS = ("featured", "relevance", "price_asc", "price_desc", "newest", "best_selling")
PER_PAGE = 24
MAX_PAGE = 1000
MAX_PRICE = Decimal(1_000_000)
FACETS = ("color", "size")
SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")


class InvalidListing(ValueError):
    """A filter, sort or page that cannot be applied; the message names it."""


@dataclass(frozen=True)
class ListingQuery:
    category_ids: tuple[int, ...] | None = None
    terms: tuple[str, ...] = ()
    min_price: int | None = None
    max_price: int | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    in_stock_only: bool = False
    sort: str = "featured"
    page: int = 1

    def with_categories(self, ids: tuple[int, ...]) -> ListingQuery:
        return replace(self, category_ids=ids)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PER_PAGE


def price_minor(raw: str | None, name: str) -> int | None:
    """A price in the currency's units ("12,50" or "12.50") as minor units; blank is None."""
    if raw is None or not raw.strip():
        return None
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidListing(f"{name} must be a number") from None
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        raise InvalidListing(f"{name} must be a number from 0 to {MAX_PRICE}")
    return int(value * 100)


def page_number(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidListing(f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def sort_order(raw: str | None, default: str) -> str:
    if raw is None or raw == "":
        return default
    if raw not in SORTS:
        raise InvalidListing(f"sort must be one of {', '.join(SORTS)}")
    return raw


def page_count(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


class Node(Protocol):
    id: int
    parent_id: int | None


def descendants_and_self(nodes: Iterable[Node], root: int) -> tuple[int, ...]:
    children: dict[int | None, list[int]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node.id)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:  # a cycle typed in by staff must not loop forever
                found.add(child)
                todo.append(child)
    return tuple(sorted(found))


def trail[N: Node](nodes: Iterable[N], leaf: N) -> list[N]:
    """The path from the top-level category down to `leaf`."""
    by_id = {node.id: node for node in nodes}
    path = [leaf]
    while path[0].parent_id in by_id and len(path) < 10:
        path.insert(0, by_id[path[0].parent_id])  # type: ignore[index]
    return path


Labels = Mapping[tuple[str, str, str], str]


def option_label(labels: Labels, attribute: str, value: str, locale: str) -> str:
    """What shoppers read for a stored value; a value without a label reads as stored."""
    return labels.get((attribute, str(value), locale), str(value))


# The order options read in. PostgreSQL's jsonb does not keep the order keys were written in,
# so the order is decided here: colour before size, any other attribute after, by name.
ATTRIBUTE_ORDER = ("color", "size")


def _attribute_rank(name: str) -> tuple[int, str]:
    known = ATTRIBUTE_ORDER.index(name) if name in ATTRIBUTE_ORDER else len(ATTRIBUTE_ORDER)
    return (known, name)


def options_label(labels: Labels, attributes: Mapping[str, object], locale: str) -> str:
    """A variant's options on one line, e.g. "Red / M"."""
    return " / ".join(option_label(labels, name, str(attributes[name]), locale)
                      for name in sorted(attributes, key=_attribute_rank))


def facet_order(value: str) -> tuple[int, str]:
    return (SIZES.index(value), value) if value in SIZES else (len(SIZES), value)
