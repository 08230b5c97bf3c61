"""Request and response shapes of the public API, and their mapping from domain values."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from babel.numbers import get_currency_precision
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from tienda.domain.cart import Cart
from tienda.domain.catalog import ProductCard, ProductDetail
from tienda.domain.money import Money
from tienda.domain.orders import Order
from tienda.service_layer.catalog import ProductPage


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def amount(money: Money) -> str:
    """Decimal text in major units ("19.95"): exact, unlike a JSON float."""
    return str(Decimal(money.minor).scaleb(-get_currency_precision(money.currency)))


class LineIn(Strict):
    sku: str = Field(min_length=1, max_length=64)
    quantity: StrictInt


class QuantityIn(Strict):
    quantity: StrictInt


class AddressIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=300)
    line2: str = Field("", max_length=300)
    city: str = Field(min_length=1, max_length=120)
    postal_code: str = Field(min_length=3, max_length=12, pattern=r"^[A-Za-z0-9 -]+$")
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")


class CheckoutIn(Strict):
    email: str = Field(min_length=3, max_length=320)
    shipping_address: AddressIn
    shipping_method: str = Field(min_length=1, max_length=30)
    payment_token: str = Field(min_length=1, max_length=60)
    locale: Literal["es", "en"] = "es"


class NewCartOut(BaseModel):
    id: str
    token: str


class CartLineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: str
    total: str
    available: int


class CartOut(BaseModel):
    id: str
    currency: str
    lines: list[CartLineOut]
    subtotal: str
    checked_out_order_id: str | None


class CheckoutOut(BaseModel):
    order_id: str
    number: str
    status: str
    access_token: str


class VariantOut(BaseModel):
    sku: str
    attributes: dict[str, str]
    price: str
    price_minor: int
    currency: str
    available: int


class ProductCardOut(BaseModel):
    slug: str
    name: str
    name_en: str
    from_price: str
    currency: str
    in_stock: bool
    thumbnail_url: str | None


class ProductListOut(BaseModel):
    items: list[ProductCardOut]
    total: int
    page: int
    pages: int


class ProductDetailOut(BaseModel):
    slug: str
    name: str
    name_en: str
    description: str
    category: str
    variants: list[VariantOut]
    images: list[str]


class OrderLineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: str
    total: str


class OrderEventOut(BaseModel):
    status_from: str | None
    status_to: str
    actor: str
    note: str
    at: datetime


class OrderOut(BaseModel):
    id: str
    number: str
    status: str
    currency: str
    lines: list[OrderLineOut]
    subtotal: str
    shipping: str
    tax: str
    total: str
    events: list[OrderEventOut]
    invoice_url: str | None


def _card(card: ProductCard) -> ProductCardOut:
    return ProductCardOut(
        slug=card.slug, name=card.name.es, name_en=card.name.en,
        from_price=amount(card.from_price), currency=card.from_price.currency,
        in_stock=card.in_stock,
        thumbnail_url=f"/media/{card.thumbnail_key}" if card.thumbnail_key else None)


def product_list_out(page: ProductPage) -> ProductListOut:
    return ProductListOut(items=[_card(c) for c in page.items], total=page.total,
                          page=page.page, pages=page.pages)


def product_detail_out(p: ProductDetail) -> ProductDetailOut:
    return ProductDetailOut(
        slug=p.slug, name=p.name.es, name_en=p.name.en, description=p.description.es,
        category=p.category.slug,
        variants=[VariantOut(sku=v.sku, attributes=v.attributes, price=amount(v.price),
                             price_minor=v.price.minor, currency=v.price.currency,
                             available=max(v.available, 0)) for v in p.variants],
        images=[f"/media/{image.blob_key}" for image in p.images])


def cart_out(cart: Cart) -> CartOut:
    return CartOut(
        id=cart.id, currency=cart.currency, subtotal=amount(cart.subtotal),
        checked_out_order_id=cart.checked_out_order_id,
        lines=[CartLineOut(sku=line.variant.sku, name=line.variant.product_name,
                           quantity=line.quantity, unit_price=amount(line.variant.price),
                           total=amount(line.total), available=max(line.variant.available, 0))
               for line in cart.lines])


def order_out(order: Order, invoice_url: str | None) -> OrderOut:
    t = order.totals
    return OrderOut(
        id=order.id, number=order.number, status=order.status.value,
        currency=t.total.currency, subtotal=amount(t.subtotal), shipping=amount(t.shipping),
        tax=amount(t.tax), total=amount(t.total), invoice_url=invoice_url,
        lines=[OrderLineOut(sku=line.sku, name=line.name, quantity=line.quantity,
                            unit_price=amount(line.unit_price), total=amount(line.total))
               for line in order.lines],
        events=[OrderEventOut(status_from=e.status_from, status_to=e.status_to, actor=e.actor,
                              note=e.note, at=e.created_at) for e in order.events])
