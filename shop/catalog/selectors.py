"""Catalog reads for the storefront, each a small fixed number of queries whatever the
catalog's size, and each kept in the catalog cache (shop/catalog/cache.py) under the catalog
version. Values are plain frozen dataclasses holding both languages, so one cached read serves
es and en."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from shop.catalog import rules, search
from shop.catalog.cache import cached
from shop.catalog.models import AttributeLabel, Category, Product, ProductImage, Variant
from shop.inventory.models import StockLevel
from shop.orders.models import OrderLine

HOME_SHELF = 8
RELATED = 4
NOT_SOLD = ("cancelled", "refunded")


@dataclass(frozen=True)
class CategoryNode:
    id: int
    slug: str
    name_es: str
    name_en: str
    parent_id: int | None


@dataclass(frozen=True)
class Card:
    id: int
    slug: str
    name_es: str
    name_en: str
    price_minor: int
    currency: str
    thumbnail_key: str | None
    in_stock: bool


@dataclass(frozen=True)
class VariantView:
    id: int
    sku: str
    attributes: dict[str, str]
    price_minor: int
    currency: str
    available: int


@dataclass(frozen=True)
class ImageView:
    blob_key: str
    thumbnail_key: str
    alt_es: str
    alt_en: str
    width: int
    height: int


@dataclass(frozen=True)
class ProductPage:
    id: int
    slug: str
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    category: CategoryNode
    variants: list[VariantView]
    images: list[ImageView]
    related: list[Card]

    @property
    def from_price(self) -> VariantView | None:
        return min(self.variants, key=lambda v: v.price_minor, default=None)

    @property
    def in_stock(self) -> bool:
        return any(v.available > 0 for v in self.variants)

    @property
    def first_available_sku(self) -> str | None:
        return next((v.sku for v in self.variants if v.available > 0), None)

    @property
    def sold_out_variants(self) -> list[VariantView]:
        return [v for v in self.variants if v.available <= 0]


@dataclass(frozen=True)
class Listing:
    items: list[Card]
    total: int
    query: rules.ListingQuery
    facets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return rules.page_count(self.total)


@dataclass(frozen=True)
class Home:
    featured: list[Card]
    newest: list[Card]
    best_sellers: list[Card]


# --- categories and labels ------------------------------------------------------------------

def categories() -> list[CategoryNode]:
    return cached("categories", lambda: [
        CategoryNode(c.id, c.slug, c.name_es, c.name_en, c.parent_id)
        for c in Category.objects.order_by("position", "id")])


def nav_categories(*, locale: str) -> list[dict[str, str]]:
    return [{"slug": c.slug, "name": c.name_en if locale == "en" else c.name_es}
            for c in categories() if c.parent_id is None]


def attribute_labels() -> dict[tuple[str, str, str], str]:
    return cached("attribute_labels", lambda: {
        (a, v, loc): label for a, v, loc, label
        in AttributeLabel.objects.values_list("attribute", "value", "locale", "label")})


# --- cards ----------------------------------------------------------------------------------

def _published_variants() -> QuerySet[Variant]:
    return Variant.objects.filter(product=OuterRef("pk"), is_published=True)


def _on_sale() -> QuerySet[Product]:
    """Published products with at least one published variant."""
    return Product.objects.filter(Exists(_published_variants()), is_published=True)


def _sold() -> Coalesce:
    sold = (OrderLine.objects.filter(variant__product=OuterRef("pk"))
            .exclude(order__status__in=NOT_SOLD).values("variant__product")
            .annotate(units=Sum("quantity")).values("units"))
    return Coalesce(Subquery(sold), Value(0))


def _cards(products: QuerySet[Product]) -> list[Card]:
    cheapest = _published_variants().order_by("price_minor", "id")
    rows = products.annotate(
        from_price=Subquery(cheapest.values("price_minor")[:1]),
        price_currency=Subquery(cheapest.values("currency")[:1]),
        thumbnail=Subquery(ProductImage.objects.filter(product=OuterRef("pk"))
                           .order_by("position", "id").values("thumbnail_key")[:1]),
        stocked=Exists(StockLevel.objects.filter(
            variant__product=OuterRef("pk"), variant__is_published=True,
            on_hand__gt=F("reserved"))),
    ).values_list("id", "slug", "name_es", "name_en", "from_price", "price_currency",
                  "thumbnail", "stocked")
    return [Card(*row) for row in rows]


def home() -> Home:
    def compute() -> Home:
        on_sale = _on_sale()
        return Home(
            featured=_cards(on_sale.filter(is_featured=True).order_by("id")[:HOME_SHELF]),
            newest=_cards(on_sale.order_by("-created_at", "-id")[:HOME_SHELF]),
            best_sellers=_cards(on_sale.annotate(sold=_sold()).filter(sold__gt=0)
                                .order_by("-sold", "id")[:HOME_SHELF]),
        )
    return cached("home", compute)


# --- listings and search ----------------------------------------------------------------------

def _filtered(query: rules.ListingQuery) -> QuerySet[Product]:
    products = _on_sale()
    if query.category_ids is not None:
        products = products.filter(category_id__in=query.category_ids)
    variant = Q()
    if query.min_price is not None:
        variant &= Q(price_minor__gte=query.min_price)
    if query.max_price is not None:
        variant &= Q(price_minor__lte=query.max_price)
    for name, value in query.attributes:
        variant &= Q(**{f"attributes__{name}": value})
    if query.in_stock_only:
        variant &= Q(Exists(StockLevel.objects.filter(variant=OuterRef("pk"),
                                                      on_hand__gt=F("reserved"))))
    if variant:
        products = products.filter(Exists(_published_variants().filter(variant)))
    return products


ORDERINGS = {
    "featured": ("-is_featured", "id"),
    "price_asc": ("from_price", "id"),
    "price_desc": ("-from_price", "id"),
    "newest": ("-created_at", "-id"),
    "best_selling": ("-sold", "id"),
}


def _ordered(products: QuerySet[Product], sort: str) -> QuerySet[Product]:
    if sort in ("price_asc", "price_desc"):
        cheapest = _published_variants().order_by("price_minor")
        products = products.annotate(from_price=Subquery(cheapest.values("price_minor")[:1]))
    elif sort == "best_selling":
        products = products.annotate(sold=_sold())
    return products.order_by(*ORDERINGS.get(sort, ORDERINGS["featured"]))


def _facets(category_ids: tuple[int, ...] | None) -> dict[str, list[str]]:
    variants = Variant.objects.filter(is_published=True, product__is_published=True)
    if category_ids is not None:
        variants = variants.filter(product__category_id__in=category_ids)
    values: dict[str, set[str]] = {}
    for attributes in variants.values_list("attributes", flat=True).distinct():
        for name, value in (attributes or {}).items():
            if name in rules.FACETS:
                values.setdefault(name, set()).add(str(value))
    return {name: sorted(found, key=rules.facet_order) for name, found in sorted(values.items())}


def _listing(query: rules.ListingQuery) -> Listing:
    products = _filtered(query)
    if query.terms:
        return _search_listing(query, products)
    total = products.count()
    items = (_cards(_ordered(products, query.sort)[query.offset:query.offset + rules.PER_PAGE])
             if total > query.offset else [])
    return Listing(items, total, query, _facets(query.category_ids))


def _search_listing(query: rules.ListingQuery, products: QuerySet[Product]) -> Listing:
    ranked = search.ranked_product_ids(list(query.terms))
    products = products.filter(pk__in=ranked)
    if query.sort not in ("relevance", "featured"):
        total = products.count()
        page = _ordered(products, query.sort)[query.offset:query.offset + rules.PER_PAGE]
        return Listing(_cards(page) if total > query.offset else [], total, query)
    found = set(products.values_list("pk", flat=True))
    matching = [pk for pk in ranked if pk in found]
    page_ids = matching[query.offset:query.offset + rules.PER_PAGE]
    by_id = {card.id: card for card in _cards(Product.objects.filter(pk__in=page_ids))}
    return Listing([by_id[pk] for pk in page_ids if pk in by_id], len(matching), query)


def listing(query: rules.ListingQuery) -> Listing:
    return cached(("listing", query), lambda: _listing(query))


def category_listing(slug: str, query: rules.ListingQuery
                     ) -> tuple[CategoryNode, list[CategoryNode], Listing] | None:
    """The category, its trail from the top and its listing (descendants included)."""
    nodes = categories()
    category = next((c for c in nodes if c.slug == slug), None)
    if category is None:
        return None
    ids = rules.descendants_and_self(nodes, category.id)
    return category, rules.trail(nodes, category), listing(query.with_categories(ids))


# --- the product page -------------------------------------------------------------------------

def _product_page(slug: str) -> ProductPage | None:
    product = (Product.objects.select_related("category")
               .filter(slug=slug, is_published=True).first())
    if product is None:
        return None
    available = (StockLevel.objects.filter(variant=OuterRef("pk")).values("variant")
                 .annotate(units=Sum(F("on_hand") - F("reserved"))).values("units"))
    variants = [VariantView(v.id, v.sku, dict(v.attributes), v.price_minor, v.currency,
                            max(int(v.units), 0))
                for v in product.variants.filter(is_published=True)
                .annotate(units=Coalesce(Subquery(available), Value(0))).order_by("id")]
    images = [ImageView(i.blob_key, i.thumbnail_key, i.alt_es, i.alt_en, i.width, i.height)
              for i in product.images.order_by("position", "id")]
    related = _cards(_on_sale().filter(category_id=product.category_id)
                     .exclude(pk=product.pk).order_by("-is_featured", "id")[:RELATED])
    c = product.category
    return ProductPage(product.id, product.slug, product.name_es, product.name_en,
                       product.description_es, product.description_en,
                       CategoryNode(c.id, c.slug, c.name_es, c.name_en, c.parent_id),
                       variants, images, related)


def product_page(slug: str) -> ProductPage | None:
    return cached(("product", slug), lambda: _product_page(slug))
