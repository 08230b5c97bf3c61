"""Helpers for the storefront's HTTP tests: CSRF tokens, query counting, a small shop."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.builders import make_shop
from tienda.adapters.db.tables import cart_lines
from tienda.entrypoints.frontoffice.app import create_app


def csrf(client: TestClient, path: str = "/") -> str:
    page = client.get(path)
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def shop_client(tienda, recheck_seconds: float = 0.0, **kwargs) -> TestClient:
    """A browser that prefers English (the shop's default is Spanish)."""
    kwargs.setdefault("headers", {"Accept-Language": "en"})
    return TestClient(create_app(tienda=tienda, catalog_recheck_seconds=recheck_seconds),
                      **kwargs)


def small_shop(tienda) -> dict[str, int]:
    return make_shop(tienda.engine, {"TEE-M": 5, "TEE-L": 0, "TEE-S": 2})


def cart_rows(engine: sa.Engine) -> list[tuple[int, int]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(cart_lines.c.variant_id, cart_lines.c.quantity)
            .order_by(cart_lines.c.variant_id))]


@contextmanager
def counting_queries(*engines: sa.Engine) -> Iterator[list[str]]:
    """Every statement the engines run inside the block (one engine listed once)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        if not statement.lstrip().upper().startswith(("PRAGMA", "BEGIN")):
            statements.append(statement)

    unique = list({id(e): e for e in engines}.values())
    for engine in unique:
        sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in unique:
            sa.event.remove(engine, "before_cursor_execute", record)
