"""Helpers shared by the backoffice SQL: pages with a whitelisted sort, and JSON-ready rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.sql import ColumnElement

from tienda.adapters.db.repositories import as_utc
from tienda.service_layer.backoffice.errors import InvalidInput
from tienda.service_layer.backoffice.ports import Page, PageRequest, Row


def order_by(sort: str | None, columns: Mapping[str, ColumnElement[Any]],
             default: str) -> list[ColumnElement[Any]]:
    """``sort`` like ``-placed_at`` (descending) or ``total`` among ``columns``."""
    wanted = sort or default
    name = wanted.removeprefix("-")
    if name not in columns:
        raise InvalidInput(f"cannot sort by {name!r}; choose one of "
                           f"{', '.join(sorted(columns))} (prefix - for descending)")
    column = columns[name]
    return [column.desc() if wanted.startswith("-") else column.asc()]


def page_of(conn: Connection, query: Select[Any], page: PageRequest,
            ordering: list[ColumnElement[Any]], tiebreak: ColumnElement[Any]) -> Page:
    total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = conn.execute(query.order_by(*ordering, tiebreak)
                        .limit(page.per_page).offset(page.offset)).mappings()
    return Page([plain(row) for row in rows], int(total.scalar_one()), page.page, page.per_page)


def plain(row: Mapping[Any, Any]) -> Row:
    return {key: _value(value) for key, value in row.items()}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value)
    return value


def jsonable(value: Any) -> Any:
    """``value`` with datetimes and dates as ISO strings, for JSON columns."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"
