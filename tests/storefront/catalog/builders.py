"""Catalog data for the storefront tests, shaped like the legacy tests' shop: one category
"ropa" (Ropa / Clothing), one featured product per SKU named "Camiseta SKU" / "T-shirt SKU"
(slugs producto-1, producto-2, ...), each with one variant and stock in MAD."""

from __future__ import annotations

from shop.catalog.models import AttributeLabel, Category, Product, ProductImage, Variant
from shop.inventory.models import StockLevel
from shop.orders.models import Order, OrderLine
from tests.builders import a_warehouse


def a_category(slug: str = "ropa", name_es: str = "Ropa", name_en: str = "Clothing", *,
               parent: Category | None = None, position: int = 0) -> Category:
    return Category.objects.create(slug=slug, name_es=name_es, name_en=name_en, parent=parent,
                                   position=position)


def a_product(slug: str, *, category: Category, name_es: str, name_en: str = "",
              description_es: str = "", featured: bool = True, published: bool = True
              ) -> Product:
    return Product.objects.create(
        slug=slug, category=category, name_es=name_es, name_en=name_en or name_es,
        description_es=description_es, is_published=published, is_featured=featured)


def a_variant(product: Product, sku: str, *, price: int = 1995, stock: int = 5,
              **attributes: str) -> Variant:
    variant = Variant.objects.create(product=product, sku=sku, price_minor=price,
                                     cost_minor=price // 3, currency="EUR",
                                     attributes=attributes or {"talla": "M"})
    StockLevel.objects.create(variant=variant, warehouse=a_warehouse("MAD"), on_hand=stock)
    return variant


def a_shop(stock: dict[str, int], *, price: int = 1995,
           category: Category | None = None) -> dict[str, Variant]:
    """One product per SKU with `stock[sku]` units; the variants by SKU."""
    category = category or a_category()
    found = {}
    for n, (sku, units) in enumerate(stock.items(), start=1):
        product = a_product(f"producto-{n}", category=category, name_es=f"Camiseta {sku}",
                            name_en=f"T-shirt {sku}")
        found[sku] = a_variant(product, sku, price=price, stock=units)
    return found


def a_label(attribute: str, value: str, locale: str, label: str) -> AttributeLabel:
    return AttributeLabel.objects.create(attribute=attribute, value=value, locale=locale,
                                         label=label)


def an_image(product: Product, n: int = 1) -> ProductImage:
    return ProductImage.objects.create(
        product=product, position=n, blob_key=f"products/{product.pk}/{n}.jpg",
        thumbnail_key=f"products/{product.pk}/{n}-thumb.jpg", content_type="image/jpeg",
        width=800, height=800, alt_es=f"Foto {n}", alt_en=f"Picture {n}")


def an_order_of(variant: Variant, quantity: int, *, status: str = "confirmed") -> Order:
    order = Order.objects.create(
        number=f"T-{Order.objects.count() + 1:06d}", email="a@example.com", status=status,
        currency="EUR", shipping_method="standard", shipping_address={})
    OrderLine.objects.create(order=order, variant=variant, sku=variant.sku,
                             product_name=variant.product.name_es, quantity=quantity)
    return order
