"""Storefront middleware: `?lang=` chooses the language (and is remembered in the tienda_lang
cookie), and every response says which browser features the shop never uses."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "interest-cohort=()")


class StorefrontMiddleware:
    """Sits before LocaleMiddleware: a valid `?lang=` is put where LocaleMiddleware looks
    first (the language cookie), then set on the response for a year."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.GET.get("lang")
        if chosen not in self.languages:
            chosen = None
        if chosen:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = chosen
        response = self.get_response(request)
        if chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, chosen, max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax", httponly=True, secure=request.is_secure())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
