"""Security headers on every response, and long cache lifetimes for static assets.

The CSP allows scripts and styles from our own origin only: no inline script, no eval (htmx
is configured with ``allowEval: false`` and without its inline indicator styles). FastAPI's
/docs page loads Swagger UI from a CDN with an inline script, so it keeps its own policy."""

from __future__ import annotations

from fastapi import HTTPException
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: "
            "https://fastapi.tiangolo.com; frame-ancestors 'none'")
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}
STATIC_CACHE = "public, max-age=31536000, immutable"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                docs = path.startswith(("/docs", "/redoc"))
                headers["content-security-policy"] = DOCS_CSP if docs else CSP
                if scope.get("scheme") == "https":
                    headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
                if path.startswith("/static/") and message["status"] == 200:
                    headers["cache-control"] = STATIC_CACHE
            await send(message)

        await self.app(scope, receive, send_with_headers)


class FormSizeLimitMiddleware:
    """Shop forms are small: a page request whose body outgrows ``limit`` bytes is refused
    (413) while it is being read, before any of it is parsed. The JSON API is not a form."""

    def __init__(self, app: ASGIApp, limit: int = 16 * 1024) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            if not declared.isdigit() or int(declared) > self.limit:
                raise HTTPException(413, "form_too_large")
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, "form_too_large")
            return message

        await self.app(scope, bounded_receive, send)
