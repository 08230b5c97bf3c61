"""The staff API's route table, read from the URL conf: every (method, route) with the
permission its view declares. The role-matrix and schema tests derive their cases from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from backoffice.roles import PUBLIC

URLCONF = "shop.urls.backoffice"
# A value for each path converter, for requests that are refused before the view runs.
# Included URL confs that are not the API: the staff SPA's client-side routes.
NOT_API = {"backoffice.spa_views"}
PLACEHOLDERS = {"id": "1", "uuid": str(uuid.UUID(int=1)), "name": "x", "str": "x"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str            # as in OpenAPI: /api/products/{product_id}
    pattern: str         # as in the URL conf: /api/products/<id:product_id>
    permission: str | None

    def placeholder_path(self) -> str:
        path = self.pattern
        for converter, value in PLACEHOLDERS.items():
            while f"<{converter}:" in path:
                start = path.index(f"<{converter}:")
                path = path[:start] + value + path[path.index(">", start) + 1:]
        return path


def _openapi_path(pattern: str) -> str:
    out, rest = "", pattern
    while "<" in rest:
        before, _, after = rest.partition("<")
        inside, _, rest = after.partition(">")
        out += before + "{" + inside.split(":")[-1] + "}"
    return out + rest


def _walk(patterns: list, prefix: str = "/") -> list[tuple[str, object]]:  # type: ignore[type-arg]
    found: list[tuple[str, object]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", entry.urlconf_name)
            if entry.app_name == "admin" or module in NOT_API:
                continue  # the Django admin and the SPA's pages have their own tests
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def api_routes() -> list[Route]:
    routes = []
    for pattern, callback in _walk(get_resolver(URLCONF).url_patterns):
        view_class = getattr(callback, "view_class", None)
        declared = getattr(view_class, "permissions", None)
        if pattern == "/healthz":
            routes.append(Route("GET", pattern, pattern, PUBLIC))
        elif not declared:
            routes.append(Route("?", _openapi_path(pattern), pattern, None))
        else:
            routes += [Route(method, _openapi_path(pattern), pattern, permission)
                       for method, permission in declared.items()]
    return routes
