"""The catalog's pure rules: listing parameters, the category tree, option labels, search
terms and highlighting. No database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shop.catalog import rules
from shop.catalog.search import search_terms, stem
from storefront.templatetags.storefront import highlight


@pytest.mark.parametrize(("raw", "minor"), [(None, None), ("", None), ("12", 1200),
                                            ("12,5", 1250), ("0.99", 99), (" 7,05 ", 705)])
def test_prices_read_with_a_comma_or_a_point(raw, minor):
    assert rules.price_minor(raw, "min_price") == minor


@pytest.mark.parametrize("raw", ["abc", "-1", "NaN", "Infinity", "1e9", "1,2,3"])
def test_a_price_that_is_not_an_amount_is_refused_naming_the_filter(raw):
    with pytest.raises(rules.InvalidListing, match=r"^max_price must be a number"):
        rules.price_minor(raw, "max_price")


def test_pages_run_from_1_to_1000():
    assert [rules.page_number(raw) for raw in (None, "", "1", "1000")] == [1, 1, 1, 1000]
    for raw in ("0", "1001", "-1", "2.5", "x"):
        with pytest.raises(rules.InvalidListing, match=r"^page must be a whole number"):
            rules.page_number(raw)


def test_page_counts():
    assert [rules.page_count(n) for n in (0, 1, 24, 25, 48, 49)] == [1, 1, 1, 2, 2, 3]


@dataclass(frozen=True)
class N:
    id: int
    parent_id: int | None


def test_a_category_includes_all_its_descendants_and_survives_a_cycle():
    tree = [N(1, None), N(2, 1), N(3, 2), N(4, None), N(5, 6), N(6, 5)]

    assert rules.descendants_and_self(tree, 1) == (1, 2, 3)
    assert rules.descendants_and_self(tree, 4) == (4,)
    assert rules.descendants_and_self(tree, 5) == (5, 6)


def test_the_trail_runs_from_the_top_category_down():
    tree = [N(1, None), N(2, 1), N(3, 2)]

    assert [n.id for n in rules.trail(tree, tree[2])] == [1, 2, 3]


def test_options_read_with_labels_colour_first_and_as_stored_without_one():
    labels = {("color", "Rojo", "en"): "Red"}

    assert rules.options_label(labels, {"size": "M", "color": "Rojo"}, "en") == "Red / M"
    assert rules.options_label(labels, {"size": "M", "color": "Rojo"}, "es") == "Rojo / M"
    assert rules.options_label(labels, {"talla": "L", "color": "Azul"}, "en") == "Azul / L"
    assert rules.options_label(labels, {}, "en") == ""


def test_plurals_are_stemmed_and_short_words_kept():
    assert [stem(w) for w in ("camisetas", "libros", "pantalones", "shoes", "boxes", "dress",
                              "mes", "gafas", "mug")] == [
        "camiseta", "libro", "pantalon", "shoe", "box", "dress", "mes", "gafa", "mug"]


def test_search_terms_are_folded_words_without_syntax():
    assert search_terms('"Camisetas" AND (café*)') == ["camiseta", "and", "cafe"]
    assert search_terms("  ") == []
    assert search_terms("camiseta camisetas") == ["camiseta"]


def test_highlighting_marks_word_starts_ignoring_accents_and_escapes_the_rest():
    assert highlight("Taza de cerámica <b>", ["ceram"]) == (
        "Taza de <mark>cerámica</mark> &lt;b&gt;")
    assert highlight("Chaqueta vaquera", ["chaq", "vaq"]) == (
        "<mark>Chaqueta</mark> <mark>vaquera</mark>")
    assert highlight("Pantalón", []) == "Pantalón"
    assert highlight("achaq", ["chaq"]) == "achaq"


def test_each_vendor_gets_a_search_statement_with_its_own_syntax():
    """Only the SQL Server one cannot run here: at least its shape and parameters are pinned."""
    from shop.catalog.search import _STATEMENTS

    sqlite, postgresql, microsoft = (_STATEMENTS[v](["camiseta", "roja"])
                                     for v in ("sqlite", "postgresql", "microsoft"))

    assert sqlite[1] == ['"camiseta"* AND "roja"*']
    assert postgresql[1] == ["camiseta:* & roja:*"]
    assert microsoft[1] == ['"camiseta*" AND "roja*"'] * 2
    assert microsoft[0].count("%s") == 2 and "CONTAINSTABLE(dbo.product_search" in microsoft[0]
