"""Product search, one statement per database vendor, over the `product_search` document the
triggers of migrations 0002/0003 keep (both names, the category's names, both descriptions).

Every term of the query must match the start of a word, accents ignored; names rank above
category names, which rank above descriptions. The query is folded and split into plain words
here, so search syntax (quotes, AND, *, parentheses) is only ever words. Plurals find their
singular: a small es/en stemming strips a final -s/-es before the prefix match.

SQLite and PostgreSQL run in the tests; the SQL Server statement (CONTAINSTABLE) is written
for Azure SQL and has never run against one."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection

MAX_TERMS = 8
MAX_TEXT = 100
MAX_MATCHES = 1000
VOWELS = frozenset("aeiou")


def fold(text: str) -> str:
    """Lower case without accents: the folding the search documents use."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """camisetas → camiseta, pantalones → pantalon, shoes → shoe; short words stay."""
    if len(word) > 4 and word.endswith("es") and word[-3] not in VOWELS:
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def search_terms(raw: str) -> list[str]:
    """At most MAX_TERMS distinct word stems of the first MAX_TEXT characters."""
    terms: list[str] = []
    for word in re.findall(r"\w+", fold(raw[:MAX_TEXT])):
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def ranked_product_ids(terms: list[str]) -> list[int]:
    """Ids of the products whose document matches every term, best match first."""
    if not terms:
        return []
    statement, params = _STATEMENTS[connection.vendor](terms)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [int(row[0]) for row in cursor.fetchall()]


def _sqlite(terms: list[str]) -> tuple[str, list[str]]:
    # bm25: lower is better; weights follow the columns (names, category, descriptions).
    return (f"SELECT rowid FROM product_search WHERE product_search MATCH %s "
            f"ORDER BY bm25(product_search, 10.0, 5.0, 1.0), rowid LIMIT {MAX_MATCHES}",
            [" AND ".join(f'"{term}"*' for term in terms)])


def _postgresql(terms: list[str]) -> tuple[str, list[str]]:
    return ("SELECT product_id FROM product_search, to_tsquery('simple', %s) AS query "
            "WHERE document @@ query ORDER BY ts_rank(document, query) DESC, product_id "
            f"LIMIT {MAX_MATCHES}",
            [" & ".join(f"{term}:*" for term in terms)])


def _microsoft(terms: list[str]) -> tuple[str, list[str]]:
    # Not runnable here. `document` decides the match; a match in `names` adds rank.
    return (f"SELECT TOP {MAX_MATCHES} m.[KEY] FROM CONTAINSTABLE(dbo.product_search, "
            "document, %s) AS m LEFT JOIN CONTAINSTABLE(dbo.product_search, names, %s) AS n "
            "ON n.[KEY] = m.[KEY] ORDER BY m.RANK + 10 * COALESCE(n.RANK, 0) DESC, m.[KEY]",
            [" AND ".join(f'"{term}*"' for term in terms)] * 2)


_STATEMENTS = {"sqlite": _sqlite, "postgresql": _postgresql, "microsoft": _microsoft}
