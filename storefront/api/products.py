"""The catalog as the public API shows it (legacy `GET /api/v1/products[/<slug>]`): published
products, names in es and en, prices as decimal strings, availability per variant.

Reads go through the catalog helper's selectors (shop/catalog/selectors.py): the same search
per database vendor, the same catalog cache keyed by the catalog version as the pages. The
API keeps its simpler legacy contract: no facets and no sort (featured first, or relevance
when searching)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shop.catalog import rules, search
from shop.catalog.selectors import Card, ProductPage, category_listing, listing, product_page
from shop.core.errors import NotFound
from storefront.api.base import PublicApi
from storefront.api.serializers import ErrorOutput, ProductDetailOutput, ProductListOutput, amount

MAX_PAGE = 10000  # the API's legacy bound; the pages stop at rules.MAX_PAGE


class ListingInput(serializers.Serializer):
    category = serializers.CharField(required=False, allow_blank=True, max_length=120)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=MAX_PAGE)


def _card(card: Card) -> dict:
    return {"slug": card.slug, "name": card.name_es, "name_en": card.name_en,
            "from_price": amount(card.price_minor, card.currency), "currency": card.currency,
            "in_stock": card.in_stock,
            "thumbnail_url": f"/media/{card.thumbnail_key}" if card.thumbnail_key else None}


def _detail(product: ProductPage) -> dict:
    return {
        "slug": product.slug, "name": product.name_es, "name_en": product.name_en,
        "description": product.description_es, "category": product.category.slug,
        "variants": [{"sku": v.sku, "attributes": {k: str(x) for k, x in v.attributes.items()},
                      "price": amount(v.price_minor, v.currency), "price_minor": v.price_minor,
                      "currency": v.currency, "available": max(v.available, 0)}
                     for v in product.variants],
        "images": [f"/media/{image.blob_key}" for image in product.images],
    }


def _products(category: str, text: str, page: int) -> dict:
    query = rules.ListingQuery(terms=tuple(search.search_terms(text)), page=page,
                               sort="relevance" if text else "featured")
    if category:
        found = category_listing(category, query)
        if found is None:  # an unknown category lists nothing, as before
            return {"items": [], "total": 0, "page": page, "pages": 1}
        result = found[2]
    else:
        result = listing(query)
    return {"items": [_card(card) for card in result.items], "total": result.total,
            "page": page, "pages": result.pages}


class ProductsApi(PublicApi):
    @extend_schema(operation_id="product_list", parameters=[
        OpenApiParameter("category", str, description="a category slug; includes its "
                                                      "subcategories"),
        OpenApiParameter("q", str, description="search words (≤100 characters)"),
        OpenApiParameter("page", int, description="1 to 10000; 24 products a page")],
        responses={200: ProductListOutput, 422: OpenApiResponse(ErrorOutput)})
    def get(self, request: Request) -> Response:
        query = ListingInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return Response(_products(data.get("category", "").strip(),
                                  data.get("q", "").strip(), data["page"]))


class ProductApi(PublicApi):
    @extend_schema(operation_id="product_get",
                   responses={200: ProductDetailOutput, 404: OpenApiResponse(ErrorOutput)})
    def get(self, request: Request, slug: str) -> Response:
        product = product_page(slug[:160])
        if product is None:
            raise NotFound(f"no published product {slug!r}")
        return Response(_detail(product))
