"""Storefront reads: home, category listings with filters, search, product pages.

Catalog reads go through a cache keyed by the catalog version, a number the database bumps
(by trigger) whenever a product, variant, image, category or stock level changes. Reading
the version is one indexed single-row query; a process checks it at most every
``recheck_seconds`` so a hot page costs no query at all, and an entry never outlives
``ttl_seconds`` whatever the version says."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from tienda.domain.cart import Cart
from tienda.domain.catalog import (
    AttributeLabels,
    Category,
    Localized,
    ProductCard,
    ProductDetail,
)
from tienda.domain.customers import InvalidEmail, normalize_email
from tienda.domain.orders import Address, PricedLine, Totals, price_order, shipping_methods
from tienda.service_layer.catalog import ProductNotFound
from tienda.service_layer.policy import ShopPolicy

Sort = Literal["relevance", "price_asc", "price_desc", "newest", "best_selling"]
SORTS: tuple[Sort, ...] = ("relevance", "price_asc", "price_desc", "newest", "best_selling")
PER_PAGE = 24
MAX_PAGE = 1000
HOME_SHELF = 8
RELATED = 4
T = TypeVar("T")


class InvalidListing(ValueError):
    """A filter or sort that cannot be applied; the message names it."""


@dataclass(frozen=True)
class ListingQuery:
    category_ids: tuple[int, ...] | None = None
    text: str | None = None
    min_price_minor: int | None = None
    max_price_minor: int | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    in_stock_only: bool = False
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class Listing:
    items: list[ProductCard]
    total: int
    query: ListingQuery
    facets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


@dataclass(frozen=True)
class Home:
    categories: list[Category]
    featured: list[ProductCard]
    newest: list[ProductCard]
    best_sellers: list[ProductCard]


@dataclass(frozen=True)
class ProductView:
    product: ProductDetail
    related: list[ProductCard]


@dataclass(frozen=True)
class CategoryView:
    category: Category
    trail: list[Category]
    listing: Listing


class StorefrontQueries(Protocol):
    def catalog_version(self) -> int: ...

    def attribute_labels(self) -> AttributeLabels: ...

    def categories(self) -> list[Category]: ...

    def featured_products(self, limit: int) -> list[ProductCard]: ...

    def newest_products(self, limit: int) -> list[ProductCard]: ...

    def best_sellers(self, limit: int) -> list[ProductCard]: ...

    def product_by_slug(self, slug: str) -> ProductDetail | None: ...

    def related_products(self, product: ProductDetail, limit: int) -> list[ProductCard]: ...

    def listing(self, query: ListingQuery) -> tuple[list[ProductCard], int]: ...

    def facets(self, category_ids: tuple[int, ...] | None) -> dict[str, list[str]]: ...


class CatalogCache:
    """Values computed from the catalog, kept while the catalog version stays the same.

    Under load many threads ask for the same page at once, and every stock change clears the
    cache, so each costly step runs in one thread only: one thread reads the version while
    the others go on with the entries they have; one thread computes a missing entry while
    the others asking for it wait for its result (rather than all running the same queries);
    and one thread recomputes an entry past its TTL while the others get the old value (a
    version change clears the entries, so an old value never outlives its catalog)."""

    def __init__(self, version: Callable[[], int], recheck_seconds: float = 1.0,
                 ttl_seconds: float = 60.0, max_entries: int = 5000,
                 wait_seconds: float = 5.0) -> None:
        self._version = version
        self._recheck, self._ttl, self._max = recheck_seconds, ttl_seconds, max_entries
        self._wait = wait_seconds
        self._known, self._checked_at = -1, float("-inf")
        self._entries: dict[Hashable, tuple[float, object]] = {}
        self._computing: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self._checking = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        self._refresh(now)
        found = self._entries.get(key)
        if found is not None and now - found[0] < self._ttl:
            return found[1]  # type: ignore[return-value]
        with self._lock:
            running = self._computing.get(key)
            if running is None:
                self._computing[key] = threading.Event()
        if running is None:
            return self._compute(key, compute, now)
        if found is None:
            running.wait(self._wait)
            found = self._entries.get(key)
        # Failing that (the other thread's computation raised), compute without caching.
        return found[1] if found is not None else compute()  # type: ignore[return-value]

    def _compute(self, key: Hashable, compute: Callable[[], T], now: float) -> T:
        try:
            value = compute()
            with self._lock:
                if len(self._entries) >= self._max:
                    self._entries.clear()
                self._entries[key] = (now, value)
            return value
        finally:
            with self._lock:
                done = self._computing.pop(key)
            done.set()

    def _refresh(self, now: float) -> None:
        if now - self._checked_at < self._recheck:
            return
        # Only the first check waits for another thread's: before it there is nothing to serve.
        if not self._checking.acquire(blocking=self._known == -1):
            return
        try:
            if now - self._checked_at < self._recheck:
                return
            version = self._version()
            with self._lock:
                self._checked_at = now
                if version != self._known:
                    self._known = version
                    self._entries.clear()
        finally:
            self._checking.release()


@dataclass(frozen=True)
class Storefront:
    queries: StorefrontQueries
    cache: CatalogCache

    def categories(self) -> list[Category]:
        return self.cache.get("categories", self.queries.categories)

    def attribute_labels(self) -> AttributeLabels:
        return self.cache.get("attribute_labels", self.queries.attribute_labels)

    def home(self) -> Home:
        q = self.queries
        return Home(
            self.categories(),
            self.cache.get("featured", lambda: q.featured_products(HOME_SHELF)),
            self.cache.get("newest", lambda: q.newest_products(HOME_SHELF)),
            self.cache.get("best", lambda: q.best_sellers(HOME_SHELF)),
        )

    def product(self, slug: str) -> ProductView:
        view = self.cache.get(("product", slug), lambda: self._product(slug))
        if view is None:
            raise ProductNotFound(f"no published product {slug!r}")
        return view

    def _product(self, slug: str) -> ProductView | None:
        product = self.queries.product_by_slug(slug)
        if product is None:
            return None
        return ProductView(product, self.queries.related_products(product, RELATED))

    def category(self, slug: str, query: ListingQuery) -> CategoryView:
        categories = self.categories()
        by_slug = {c.slug: c for c in categories}
        if slug not in by_slug:
            raise ProductNotFound(f"no category {slug!r}")
        ids = category_and_descendants(categories, by_slug[slug].id)
        listing = self.listing(replace_categories(query, ids))
        return CategoryView(by_slug[slug], trail(categories, by_slug[slug]), listing)

    def listing(self, query: ListingQuery) -> Listing:
        check_listing(query)
        return self.cache.get(("listing", query), lambda: self._listing(query))

    def _listing(self, query: ListingQuery) -> Listing:
        items, total = self.queries.listing(query)
        facets = self.queries.facets(query.category_ids) if not query.text else {}
        return Listing(items, total, query, facets)

    def search(self, query: ListingQuery) -> Listing:
        if not (query.text or "").strip():
            return Listing([], 0, query)
        return self.listing(query)


def check_listing(query: ListingQuery) -> None:
    if query.sort not in SORTS:
        raise InvalidListing(f"unknown sort {query.sort!r}")
    if not 1 <= query.page <= MAX_PAGE:
        raise InvalidListing(f"the page must be between 1 and {MAX_PAGE}")
    for bound in (query.min_price_minor, query.max_price_minor):
        if bound is not None and bound < 0:
            raise InvalidListing("prices cannot be negative")
    if query.text is not None and len(query.text) > 100:
        raise InvalidListing("the search text is limited to 100 characters")


def replace_categories(query: ListingQuery, ids: tuple[int, ...]) -> ListingQuery:
    return ListingQuery(ids, query.text, query.min_price_minor, query.max_price_minor,
                        query.attributes, query.in_stock_only, query.sort, query.page,
                        query.per_page)


def category_and_descendants(categories: list[Category], root: int) -> tuple[int, ...]:
    wanted = {root}
    grew = True
    while grew:
        before = len(wanted)
        wanted |= {c.id for c in categories if c.parent_id in wanted}
        grew = len(wanted) > before
    return tuple(sorted(wanted))


def trail(categories: list[Category], leaf: Category) -> list[Category]:
    by_id = {c.id: c for c in categories}
    path = [leaf]
    while path[0].parent_id is not None and path[0].parent_id in by_id and len(path) < 10:
        path.insert(0, by_id[path[0].parent_id])
    return path


class StockSubscriptions(Protocol):
    def subscribe(self, variant_id: int, email: str, locale: str) -> bool: ...


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def subscribe_when_back(storefront: Storefront, subscriptions: StockSubscriptions, slug: str,
                        sku: str, email: str, locale: str) -> Outcome:
    """Remember to tell ``email`` when the variant is back; asking twice is asking once."""
    product = storefront.product(slug).product
    variant = next((v for v in product.variants if v.sku == sku), None)
    if variant is None:
        return Outcome(False, "That product is not on sale.")
    if variant.available > 0:
        return Outcome(False, "Good news: this one is in stock now.")
    try:
        address = normalize_email(email)
    except InvalidEmail:
        return Outcome(False, "Please enter a valid e-mail address.")
    subscriptions.subscribe(variant.id, address, locale)
    return Outcome(True, "We will e-mail you when it is back in stock.")


@dataclass(frozen=True)
class LineName:
    name: Localized
    label: Localized


def cart_names(storefront: Storefront, cart: Cart) -> dict[str, LineName]:
    """Each line's product name and options in both languages, from the cached catalog."""
    names: dict[str, LineName] = {}
    labels = storefront.attribute_labels()
    for line in cart.lines:
        try:
            product = storefront.product(line.variant.product_slug).product
        except ProductNotFound:
            continue
        variant = next((v for v in product.variants if v.sku == line.variant.sku), None)
        attributes = variant.attributes if variant else {}
        names[line.variant.sku] = LineName(product.name, Localized(
            labels.of(attributes, "es"), labels.of(attributes, "en")))
    return names


def quotes(cart: Cart, policy: ShopPolicy) -> dict[str, Totals]:
    """The order's totals with each shipping method: the cart page's shipping estimate."""
    lines = [PricedLine(line.variant.id, line.variant.sku, line.variant.product_name,
                        line.quantity, line.variant.price, line.variant.cost)
             for line in cart.lines]
    return {code: price_order(lines, method, policy.tax_rate_bp)
            for code, method in shipping_methods(policy.currency).items()}


ADDRESS_FIELDS = ("name", "line1", "line2", "city", "postal_code", "country")
COUNTRIES = ("ES", "PT", "FR", "DE", "IT", "IE", "NL", "BE")
_POSTAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{2,9}$")


def address_problems(fields: dict[str, str]) -> dict[str, str]:
    """Field name -> what is wrong with it (English; pages translate it)."""
    problems: dict[str, str] = {}
    for name in ("name", "line1", "city"):
        if not fields.get(name, "").strip():
            problems[name] = "This field is required."
        elif len(fields[name]) > 200:
            problems[name] = "At most 200 characters."
    if len(fields.get("line2", "")) > 200:
        problems["line2"] = "At most 200 characters."
    if not _POSTAL.match(fields.get("postal_code", "").strip()):
        problems["postal_code"] = "Enter a valid postal code."
    if fields.get("country", "") not in COUNTRIES:
        problems["country"] = "Choose a country we ship to."
    return problems


def checkout_problems(fields: dict[str, str], policy: ShopPolicy) -> dict[str, str]:
    problems = address_problems(fields)
    try:
        normalize_email(fields.get("email", ""))
    except InvalidEmail:
        problems["email"] = "Enter a valid e-mail address."
    if fields.get("shipping_method", "") not in shipping_methods(policy.currency):
        problems["shipping_method"] = "Choose a shipping method."
    if not fields.get("payment_token", "").startswith("tok_"):
        problems["payment_token"] = "Choose a payment method."
    return problems


def address_of(fields: dict[str, str]) -> Address:
    return Address(fields["name"].strip(), fields["line1"].strip(), fields["city"].strip(),
                   fields["postal_code"].strip().upper(), fields["country"],
                   fields.get("line2", "").strip())
