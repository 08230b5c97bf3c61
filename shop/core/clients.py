"""The address of the client that made a request, for rate limits and logs.

`X-Forwarded-For` is a list every proxy appends to; only the entries added by proxies we run
behind can be believed, so the client is the address `TRUSTED_PROXY_HOPS` entries from the
right (App Service's front end adds one). Anything left of it is whatever the client sent.
With no trusted hops (local runs) the header is ignored and the socket peer is the client."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops == 0 or not forwarded:
        return peer
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return peer
    # Fewer entries than hops: the request skipped a proxy; the leftmost is still one that
    # a trusted proxy wrote.
    candidate = entries[-hops] if len(entries) >= hops else entries[0]
    return _address_only(candidate) or peer


def _address_only(entry: str) -> str | None:
    """The IP address in an entry, without the port App Service appends
    (`203.0.113.5:51234`, `[2001:db8::1]:51234`); None if it is not an address."""
    host = entry
    if entry.startswith("["):
        host = entry[1:].split("]", 1)[0]
    elif entry.count(":") == 1:
        host = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None
