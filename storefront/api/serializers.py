"""Request and response shapes of the public API /api/v1. The contract is the legacy one:
same fields, money as decimal strings in major units, unknown request fields refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from django.core.validators import MaxValueValidator, MinValueValidator
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from shop.orders.rules import COUNTRIES, MAX_QUANTITY


def amount(minor: int, currency: str) -> str:
    """Decimal text in major units ("19.95"): exact, unlike a JSON float."""
    return str(Decimal(int(minor)).scaleb(-get_currency_precision(currency)))


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer and nothing else: "3", 3.0 and true are refused (legacy StrictInt).
    The range is the service's rule, so its message is the same for the page and the API:
    `min_value`/`max_value` only document it in the OpenAPI schema."""

    default_error_messages = {"invalid": "Input should be a valid integer"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators
                           if not isinstance(v, MinValueValidator | MaxValueValidator)]

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming them (legacy `extra="forbid"`)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Extra inputs are not permitted"] for name in unknown})
        return super().to_internal_value(data)


class StrictSerializerSchema(OpenApiSerializerExtension):
    """In the OpenAPI document a strict request body says so: `additionalProperties: false`."""

    target_class = StrictSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        return {**schema, "additionalProperties": False}


# --- requests ---------------------------------------------------------------------------------

class LineInput(StrictSerializer):
    sku = serializers.CharField(min_length=1, max_length=64)
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY)


class QuantityInput(StrictSerializer):
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY)


class AddressInput(StrictSerializer):
    name = serializers.CharField(min_length=1, max_length=200)
    line1 = serializers.CharField(min_length=1, max_length=300)
    line2 = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    city = serializers.CharField(min_length=1, max_length=120)
    postal_code = serializers.RegexField(r"^[A-Za-z0-9 -]+$", min_length=3, max_length=12)
    # One rule with the checkout page: the countries the shop ships to.
    country = serializers.ChoiceField(choices=COUNTRIES, help_text="ISO 3166-1 alpha-2")


class CheckoutInput(StrictSerializer):
    email = serializers.CharField(min_length=3, max_length=320)
    shipping_address = AddressInput()
    shipping_method = serializers.CharField(min_length=1, max_length=30,
                                            help_text="standard or express")
    payment_token = serializers.CharField(
        min_length=1, max_length=60,
        help_text="sandbox: tok_sandbox_ok, tok_sandbox_declined, tok_sandbox_error, "
                  "tok_sandbox_capture_fails")
    locale = serializers.ChoiceField(choices=("es", "en"), default="es")


# --- responses (documented in the OpenAPI schema; built from plain dicts) ---------------------

class NewCartOutput(serializers.Serializer):
    id = serializers.CharField()
    token = serializers.CharField()


class CartLineOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.CharField()
    total = serializers.CharField()
    available = serializers.IntegerField()


class CartOutput(serializers.Serializer):
    id = serializers.CharField()
    currency = serializers.CharField()
    lines = CartLineOutput(many=True)
    subtotal = serializers.CharField()
    checked_out_order_id = serializers.CharField(allow_null=True)


class CheckoutOutput(serializers.Serializer):
    order_id = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    access_token = serializers.CharField()


class VariantOutput(serializers.Serializer):
    sku = serializers.CharField()
    attributes = serializers.DictField(child=serializers.CharField())
    price = serializers.CharField()
    price_minor = serializers.IntegerField()
    currency = serializers.CharField()
    available = serializers.IntegerField()


class ProductCardOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    from_price = serializers.CharField()
    currency = serializers.CharField()
    in_stock = serializers.BooleanField()
    thumbnail_url = serializers.CharField(allow_null=True)


class ProductListOutput(serializers.Serializer):
    items = ProductCardOutput(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()


class ProductDetailOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    variants = VariantOutput(many=True)
    images = serializers.ListField(child=serializers.CharField())


class OrderLineOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.CharField()
    total = serializers.CharField()


class OrderEventOutput(serializers.Serializer):
    status_from = serializers.CharField(allow_null=True)
    status_to = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class OrderOutput(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    currency = serializers.CharField()
    lines = OrderLineOutput(many=True)
    subtotal = serializers.CharField()
    shipping = serializers.CharField()
    tax = serializers.CharField()
    total = serializers.CharField()
    events = OrderEventOutput(many=True)
    invoice_url = serializers.CharField(allow_null=True)


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()
