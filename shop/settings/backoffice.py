"""The backoffice deployment: the staff API /api/ (DRF), the Django admin /admin/ and the
staff SPA's built files at /, all from one origin (docs/deployment.md says why)."""

from shop.settings import env
from shop.settings.base import *  # noqa: F403
from shop.settings.base import BASE_DIR, MIDDLEWARE, REST_FRAMEWORK, SPECTACULAR_SETTINGS

ROOT_URLCONF = "shop.urls.backoffice"
SESSION_COOKIE_NAME = "tienda_staff_session"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_NAME = "tienda_staff_csrf"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_TRUSTED_ORIGINS = env.listing("TIENDA_CSRF_TRUSTED_ORIGINS", "")
SPA_DIST = BASE_DIR / "backoffice" / "spa" / "dist"
WHITENOISE_ROOT = SPA_DIST if SPA_DIST.is_dir() else None
# `/` is the SPA view (no-cache, a CSP nonce), not a year-cached index.html from whitenoise.
WHITENOISE_INDEX_FILE = False
MIDDLEWARE = [m for m in MIDDLEWARE if m != "django.middleware.locale.LocaleMiddleware"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser",
                               "rest_framework.parsers.MultiPartParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
LANGUAGE_CODE = "en"  # staff screens and API messages are English
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "TITLE": "Tienda staff API", "VERSION": "1"}
