"""sitemap.xml: categories and published products, once per language (`?lang=`), since the
shop's addresses carry no language prefix."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from shop.catalog.models import Category, Product


class _PerLanguage(Sitemap):
    url_name = ""

    def slugs(self) -> list[str]:
        raise NotImplementedError

    def items(self) -> list[tuple[str, str]]:
        return [(slug, code) for slug in self.slugs() for code, _ in settings.LANGUAGES]

    def location(self, item: tuple[str, str]) -> str:
        slug, code = item
        return f"{reverse(self.url_name, args=[slug])}?lang={code}"


class CategorySitemap(_PerLanguage):
    url_name = "catalog:category"
    changefreq = "daily"

    def slugs(self) -> list[str]:
        return list(Category.objects.order_by("position", "id").values_list("slug", flat=True))


class ProductSitemap(_PerLanguage):
    url_name = "catalog:product"
    changefreq = "weekly"

    def slugs(self) -> list[str]:
        return list(Product.objects.filter(is_published=True).order_by("id")
                    .values_list("slug", flat=True))


SITEMAPS = {"categories": CategorySitemap, "products": ProductSitemap}
