"""The browser's session: a signed, HttpOnly cookie holding the cart's id and token, the
customer's session token, the orders placed from this browser and a one-shot notice.

The cookie is signed with HMAC-SHA256 under the shop's secret; a cookie whose signature does
not match is ignored (a new session starts and the page says so), so a tampered cart token
never reaches a use case. CSRF tokens are derived from the session id: a form posted without
the token of the session that shows it is refused before anything runs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "tienda_session"
MAX_AGE = 30 * 24 * 3600
MAX_FORM_BYTES = 16 * 1024
MAX_ORDERS = 10


def _sign(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()[:40]


@dataclass
class ShopSession:
    secret: bytes
    data: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False
    tampered: bool = False

    @classmethod
    def load(cls, secret: bytes, raw: str | None) -> ShopSession:
        if not raw:
            return cls(secret)
        payload, _, signature = raw.rpartition(".")
        if not payload or not hmac.compare_digest(_sign(secret, payload), signature):
            return cls(secret, tampered=True, dirty=True)
        try:
            data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        except ValueError:
            return cls(secret, tampered=True, dirty=True)
        return cls(secret, data if isinstance(data, dict) else {})

    def cookie_value(self) -> str:
        payload = base64.urlsafe_b64encode(
            json.dumps(self.data, separators=(",", ":")).encode()).decode()
        return f"{payload}.{_sign(self.secret, payload)}"

    @property
    def sid(self) -> str:
        if not isinstance(self.data.get("sid"), str):
            self.set("sid", secrets.token_urlsafe(16))
        return str(self.data["sid"])

    @property
    def csrf_token(self) -> str:
        return hmac.new(self.secret, f"csrf:{self.sid}".encode(),
                        hashlib.sha256).hexdigest()[:32]

    def set(self, key: str, value: object) -> None:
        if value is None:
            self.data.pop(key, None)
        else:
            self.data[key] = value
        self.dirty = True

    @property
    def cart(self) -> tuple[str, str] | None:
        found = self.data.get("cart")
        if isinstance(found, list) and len(found) == 2 and all(isinstance(v, str) for v in found):
            return found[0], found[1]
        return None

    @property
    def cart_count(self) -> int:
        count = self.data.get("n", 0)
        return count if isinstance(count, int) else 0

    @property
    def auth(self) -> str | None:
        token = self.data.get("auth")
        return token if isinstance(token, str) else None

    @property
    def orders(self) -> list[str]:
        found = self.data.get("orders", [])
        return [o for o in found if isinstance(o, str)] if isinstance(found, list) else []

    def remember_order(self, order_id: str) -> None:
        self.set("orders", [*self.orders, order_id][-MAX_ORDERS:])

    def pop_notice(self) -> str | None:
        notice = self.data.get("notice")
        if notice is not None:
            self.set("notice", None)
        return notice if isinstance(notice, str) else None


def session_of(request: Request) -> ShopSession:
    session: ShopSession = request.state.shop_session
    return session


class SessionMiddleware:
    """Loads the session before the route; writes the cookie back only if it changed."""

    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.secret = secret.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = ShopSession.load(self.secret, _cookie(scope))
        scope.setdefault("state", {})["shop_session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.dirty:
                secure = "; Secure" if scope.get("scheme") == "https" else ""
                MutableHeaders(scope=message).append(
                    "set-cookie", f"{COOKIE}={session.cookie_value()}; Path=/; "
                    f"Max-Age={MAX_AGE}; HttpOnly; SameSite=Lax{secure}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, found = part.strip().partition("=")
                if key == COOKIE:
                    return str(found)
    return None


async def require_csrf(request: Request) -> None:
    """Every state-changing page request carries this session's CSRF token (the body's size
    is bounded before it is read, by ``FormSizeLimitMiddleware``)."""
    session = session_of(request)
    sent = request.headers.get("x-csrf-token") or str(
        (await request.form()).get("csrf_token") or "")
    if session.tampered or not hmac.compare_digest(sent, session.csrf_token):
        raise HTTPException(403, "csrf")
