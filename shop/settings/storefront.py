"""The storefront deployment: SSR shop in es/en, the public API /api/v1, the media route."""

from shop.settings import env
from shop.settings.base import *  # noqa: F403

ROOT_URLCONF = "shop.urls.storefront"
SESSION_COOKIE_NAME = "tienda_session"
SESSION_COOKIE_AGE = 30 * 24 * 3600
CSRF_COOKIE_NAME = "tienda_csrf"
CSRF_TRUSTED_ORIGINS = env.listing("TIENDA_CSRF_TRUSTED_ORIGINS", "")
# `?lang=` → the language cookie, before LocaleMiddleware reads it; Permissions-Policy header.
_LOCALE = MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware")  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE[:_LOCALE], "storefront.middleware.StorefrontMiddleware",  # noqa: F405
              *MIDDLEWARE[_LOCALE:]]  # noqa: F405
CSRF_FAILURE_VIEW = "storefront.views.checkout.csrf_failure"
