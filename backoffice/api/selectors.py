"""Reads for the staff API: rows shaped as the SPA expects them (plain dicts), lists as
`{items, total, page, per_page}` with a whitelisted sort."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from backoffice.api.base import Page, ordered, paged
from backoffice.roles import staff_role
from shop.catalog.models import Category, Product, ProductImage, Variant
from shop.core.errors import NotFound
from shop.users.selectors import FAILURE_WINDOW, staff_lock_started

PRODUCT_SORTS = {"id": "id", "name": "name_es", "slug": "slug", "updated_at": "updated_at",
                 "created_at": "created_at"}
VARIANT_FIELDS = ("id", "product_id", "sku", "attributes", "price_minor", "cost_minor",
                  "currency", "is_published", "version", "updated_at")
PRODUCT_FIELDS = ("id", "category_id", "slug", "name_es", "name_en", "description_es",
                  "description_en", "is_published", "is_featured", "version", "created_at",
                  "updated_at")


def _fields(obj: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# --- catalog -----------------------------------------------------------------------------------

def products_page(*, q: str | None, category_id: int | None, published: bool | None,
                  page: Page) -> dict[str, Any]:
    rows: QuerySet[Product] = Product.objects.select_related("category").annotate(
        variant_count=Count("variants"), min_price_minor=Min("variants__price_minor"))
    if q:
        rows = rows.filter(Q(name_es__icontains=q) | Q(name_en__icontains=q)
                           | Q(slug__icontains=q)
                           | Q(pk__in=Variant.objects.filter(sku__icontains=q)
                               .values("product_id")))
    if category_id is not None:
        rows = rows.filter(category_id=category_id)
    if published is not None:
        rows = rows.filter(is_published=published)
    rows = ordered(rows, page.sort, PRODUCT_SORTS, "-updated_at", "-id")
    return paged(rows, page, _product_row)


def _product_row(product: Any) -> dict[str, Any]:
    return {**_fields(product, ("id", "slug", "name_es", "name_en", "category_id",
                                "is_published", "is_featured", "version", "updated_at",
                                "variant_count", "min_price_minor")),
            "category_name": product.category.name_es}


def variant_row(variant: Variant) -> dict[str, Any]:
    return _fields(variant, VARIANT_FIELDS)


def image_row(image: ProductImage) -> dict[str, Any]:
    base = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/media/"
    return {**_fields(image, ("id", "product_id", "position", "blob_key", "thumbnail_key",
                              "content_type", "width", "height", "alt_es", "alt_en",
                              "created_at")),
            "url": base + image.blob_key, "thumbnail_url": base + image.thumbnail_key}


def product_detail(*, product_id: int) -> dict[str, Any]:
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFound(f"there is no product {product_id}")
    return {**_fields(product, PRODUCT_FIELDS),
            "variants": [variant_row(v) for v in product.variants.order_by("id")],
            "images": [image_row(i) for i in product.images.order_by("position", "id")]}


def category_row(category: Category, product_count: int = 0) -> dict[str, Any]:
    return {**_fields(category, ("id", "parent_id", "slug", "name_es", "name_en", "position")),
            "product_count": product_count}


def categories_list() -> list[dict[str, Any]]:
    rows = Category.objects.annotate(count=Count("products")).order_by("position", "id")
    return [category_row(c, c.count) for c in rows]


# --- staff -------------------------------------------------------------------------------------

def staff_member_row(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "name": user.name,
            "role": staff_role(user) or "viewer", "is_active": user.is_active,
            "locked_until": _locked_until(user.email), "created_at": user.date_joined}


def _locked_until(email: str) -> datetime | None:
    started = staff_lock_started(email=email, now=timezone.now())
    return started + FAILURE_WINDOW if started is not None else None


def staff_list() -> list[dict[str, Any]]:
    users = (get_user_model().objects.filter(is_staff=True).prefetch_related("groups")
             .order_by("email"))
    return [staff_member_row(user) for user in users]
