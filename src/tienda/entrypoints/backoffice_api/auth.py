"""Sessions and permissions at the HTTP edge. Every route declares exactly one permission
through ``requires(...)`` (or ``public()``); the authorization matrix test reads it back with
``declared_permission`` and fails for a route that declares none."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import APIKeyCookie

from tienda.service_layer.backoffice.auth import SESSION_HOURS, StaffIdentity, signed_in
from tienda.service_layer.backoffice.context import Backoffice
from tienda.service_layer.backoffice.permissions import PUBLIC, allows

COOKIE = "tienda_staff_session"
_session_cookie = APIKeyCookie(name=COOKIE, auto_error=False,
                               description="Set by POST /api/auth/login")


def backoffice(request: Request) -> Backoffice:
    bo: Backoffice = request.app.state.backoffice
    return bo


class Requires:
    """A dependency that lets the request through only for a signed-in member whose role has
    ``permission``: 401 without a valid session, 403 with one that lacks the permission."""

    def __init__(self, permission: str) -> None:
        self.permission = permission

    def __call__(self, request: Request,
                 token: str | None = Depends(_session_cookie)) -> StaffIdentity:
        staff = signed_in(backoffice(request), token) if token else None
        if staff is None:
            raise HTTPException(401, "sign in first (no valid session)")
        if not allows(staff.role, self.permission):
            raise HTTPException(403, f"the {staff.role} role may not do this "
                                     f"(it needs {self.permission})")
        return staff


class Public:
    permission = PUBLIC

    def __call__(self) -> None:
        return None


def requires(permission: str) -> Any:
    return Depends(Requires(permission))


def public() -> Any:
    return Depends(Public())


def declared_permission(route: APIRoute) -> str | None:
    """The permission a route declares through its dependencies, or None."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        found = getattr(dependency.call, "permission", None)
        if isinstance(found, str):
            return found
        pending.extend(dependency.dependencies)
    return None


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    # Behind a TLS-terminating proxy (App Service) the scheme arrives in X-Forwarded-Proto.
    secure = (request.url.scheme == "https"
              or request.headers.get("x-forwarded-proto", "").lower() == "https")
    response.set_cookie(COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True,
                        samesite="lax", secure=secure, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def session_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE)
