"""Bodies of the staff API for auth, staff and the catalog, with the field names and shapes
of the legacy OpenAPI document the SPA's client is generated from. Money is integer minor units
plus a currency code."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from backoffice.api.base import MAX_ID
from backoffice.roles import ROLES

MAX_MINOR = 10**12


def page_of(item: serializers.Serializer, name: str) -> type[serializers.Serializer]:
    """The `{items, total, page, per_page}` envelope of every list."""
    return type(name, (serializers.Serializer,), {
        "items": item.__class__(many=True), "total": serializers.IntegerField(),
        "page": serializers.IntegerField(), "per_page": serializers.IntegerField(),
    })


class Problem(serializers.Serializer):
    detail = serializers.CharField()


class StaleProblem(Problem):
    current_version = serializers.IntegerField()


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- auth and staff ----------------------------------------------------------------------------

class LoginBody(serializers.Serializer):
    request_only = True
    email = serializers.CharField(max_length=320, trim_whitespace=True)
    password = serializers.CharField(max_length=200, trim_whitespace=False)


class Me(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=ROLES)
    permissions = serializers.ListField(child=serializers.CharField())


class StaffMember(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=ROLES)
    is_active = serializers.BooleanField()
    locked_until = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class StaffCreate(serializers.Serializer):
    request_only = True
    email = serializers.CharField(max_length=320)
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    role = serializers.ChoiceField(choices=ROLES)
    password = serializers.CharField(min_length=10, max_length=200, trim_whitespace=False)


class StaffUpdate(serializers.Serializer):
    request_only = True
    role = serializers.ChoiceField(choices=ROLES)
    is_active = serializers.BooleanField()


# --- catalog -----------------------------------------------------------------------------------

class ProductBody(serializers.Serializer):
    request_only = True
    category_id = id_field()
    slug = serializers.CharField(max_length=160, required=False, allow_null=True,
                                 allow_blank=True, default=None)
    name_es = serializers.CharField(min_length=1, max_length=200)
    name_en = serializers.CharField(min_length=1, max_length=200)
    description_es = serializers.CharField(max_length=20000, required=False, default="",
                                           allow_blank=True, trim_whitespace=False)
    description_en = serializers.CharField(max_length=20000, required=False, default="",
                                           allow_blank=True, trim_whitespace=False)
    is_published = serializers.BooleanField(required=False, default=False)
    is_featured = serializers.BooleanField(required=False, default=False)


class ProductRow(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()
    category_id = serializers.IntegerField()
    category_name = serializers.CharField()
    is_published = serializers.BooleanField()
    is_featured = serializers.BooleanField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    variant_count = serializers.IntegerField()
    min_price_minor = serializers.IntegerField(allow_null=True)


class ProductsQuery(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=100, default=25)
    sort = serializers.CharField(max_length=40, required=False)
    q = serializers.CharField(max_length=100, required=False)
    category_id = id_field(required=False)
    published = serializers.BooleanField(required=False, allow_null=True, default=None)


class VariantBody(serializers.Serializer):
    request_only = True
    sku = serializers.CharField(min_length=1, max_length=64)
    attributes = serializers.DictField(child=serializers.CharField(max_length=100,
                                                                   allow_blank=True),
                                       required=False, default=dict)
    price_minor = serializers.IntegerField(min_value=0, max_value=MAX_MINOR)
    cost_minor = serializers.IntegerField(min_value=0, max_value=MAX_MINOR, required=False,
                                          default=0)
    currency = serializers.RegexField(r"^[A-Z]{3}$")
    is_published = serializers.BooleanField(required=False, default=True)

    def validate_attributes(self, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 20:
            raise serializers.ValidationError("at most 20 attributes")
        if any(len(name) > 50 or not name for name in value):
            raise serializers.ValidationError("attribute names are 1 to 50 characters")
        return value


class Variant(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    sku = serializers.CharField()
    attributes = serializers.DictField()
    price_minor = serializers.IntegerField()
    cost_minor = serializers.IntegerField()
    currency = serializers.CharField()
    is_published = serializers.BooleanField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class ProductImage(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    position = serializers.IntegerField()
    blob_key = serializers.CharField()
    thumbnail_key = serializers.CharField()
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()
    content_type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_es = serializers.CharField()
    alt_en = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProductDetail(serializers.Serializer):
    id = serializers.IntegerField()
    category_id = serializers.IntegerField()
    slug = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()
    description_es = serializers.CharField()
    description_en = serializers.CharField()
    is_published = serializers.BooleanField()
    is_featured = serializers.BooleanField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    variants = Variant(many=True)
    images = ProductImage(many=True)


class BulkBody(serializers.Serializer):
    request_only = True
    ids = serializers.ListField(child=id_field(), min_length=1, max_length=500)
    action = serializers.ChoiceField(choices=("publish", "unpublish", "feature", "unfeature"))


class BulkResult(serializers.Serializer):
    updated = serializers.IntegerField()


class ImageUpload(serializers.Serializer):
    file = serializers.FileField(help_text="JPEG, PNG or WebP, 5 MB")


class CategoryBody(serializers.Serializer):
    request_only = True
    slug = serializers.CharField(max_length=120, required=False, allow_null=True,
                                 allow_blank=True, default=None)
    name_es = serializers.CharField(min_length=1, max_length=200)
    name_en = serializers.CharField(min_length=1, max_length=200)
    parent_id = id_field(required=False, allow_null=True, default=None)
    position = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000,
                                        required=False, default=0)


class Category(serializers.Serializer):
    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    slug = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()
    position = serializers.IntegerField()
    product_count = serializers.IntegerField(default=0)


ProductPage = page_of(ProductRow(), "PageOf_ProductRow_")
