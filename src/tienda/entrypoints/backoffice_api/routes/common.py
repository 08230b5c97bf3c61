"""Query parameters shared by the list routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from tienda.service_layer.backoffice.ports import PageRequest

MAX_PAGE = 100_000


def paging(page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
           per_page: Annotated[int, Query(ge=1, le=100)] = 25,
           sort: Annotated[str | None, Query(max_length=40,
                                             description="a field, - for descending")] = None,
           ) -> PageRequest:
    return PageRequest(page, per_page, sort)


def page_only(page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
              per_page: Annotated[int, Query(ge=1, le=100)] = 25) -> PageRequest:
    return PageRequest(page, per_page)
