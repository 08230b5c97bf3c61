"""Settings every deployment shares. Each role module (storefront, backoffice, worker, test)
starts from this one and changes only what its role needs; INSTALLED_APPS and migrations are
the same everywhere."""

from __future__ import annotations

from pathlib import Path

from django.utils.csp import CSP

from shop.settings import env
from shop.settings.databases import database_settings
from shop.settings.storage import AZURITE_CONNECTION_STRING, storages

BASE_DIR = Path(__file__).resolve().parents[2]

# --- environment ------------------------------------------------------------------------------
ENVIRONMENT = env.text("TIENDA_ENVIRONMENT", "local", choices=("local", "test", "dev", "prod"))
IS_LOCAL = ENVIRONMENT in ("local", "test")
DATA_DIR = env.path("TIENDA_DATA_DIR", str(BASE_DIR / ".data"))
SECRET_KEY = env.text("TIENDA_SECRET_KEY", "local-development-only-secret-change-me" if IS_LOCAL
                      else "", min_length=32 if not IS_LOCAL else 16)
DEBUG = env.boolean("TIENDA_DEBUG", False)
ALLOWED_HOSTS = env.listing("TIENDA_ALLOWED_HOSTS", "127.0.0.1,localhost" if IS_LOCAL else "")
PUBLIC_BASE_URL = env.text("TIENDA_PUBLIC_BASE_URL", "http://127.0.0.1:8000",
                           pattern=r"https?://[^\s/]+(/[^\s]*)?")

# --- apps -------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shop.users",
    "shop.audit",
    "shop.catalog",
    "shop.inventory",
    "shop.customers",
    "shop.checkout",
    "shop.orders",
    "shop.payments",
    "shop.notifications",
    "shop.campaigns",
    "workers",
    "analytics",
    "storefront",
    "backoffice",
]
AUTH_USER_MODEL = "users.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "shop.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.template.context_processors.csp",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "storefront.context.storefront",
    ]},
}]
WSGI_APPLICATION = "shop.wsgi.application"

# --- database ---------------------------------------------------------------------------------
DATABASE_URL = env.text("TIENDA_DATABASE_URL", f"sqlite:///{DATA_DIR / 'tienda.db'}")
DATABASE_CLIENT_ID = env.text("TIENDA_DATABASE_CLIENT_ID", "")
DATABASES = {"default": database_settings(
    DATABASE_URL,
    auth=env.text("TIENDA_DATABASE_AUTH", "password", choices=("password", "entra")),
    client_id=DATABASE_CLIENT_ID,
    conn_max_age=env.integer("TIENDA_DATABASE_CONN_MAX_AGE", 60, low=0, high=3600),
)}

# --- passwords, sessions, security ----------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600
# In the database, not cached_db: the cache is per process (LocMemCache), so with several
# gunicorn workers a worker would keep serving its own stale copy of a session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not IS_LOCAL
CSRF_COOKIE_SECURE = not IS_LOCAL
# Behind App Service the front end terminates TLS and says so in X-Forwarded-Proto; the
# platform is the only thing in front of the app, so the header is trusted there alone.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not IS_LOCAL
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if IS_LOCAL else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not IS_LOCAL
SECURE_HSTS_PRELOAD = env.boolean("TIENDA_HSTS_PRELOAD", not IS_LOCAL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many proxies put an address into X-Forwarded-For before the app (App Service: 1). The
# client address is the one that many hops from the right; see shop/core/clients.py.
TRUSTED_PROXY_HOPS = env.integer("TIENDA_TRUSTED_PROXY_HOPS", 0 if IS_LOCAL else 1, low=0, high=5)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024  # forms; uploads go through FILE_UPLOAD_* below
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = env.text("TIENDA_DEFAULT_LOCALE", "es", choices=("es", "en"))
LANGUAGES = [("es", "Español"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "tienda_lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "storefront" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
STORE_TIMEZONE = env.text("TIENDA_STORE_TIMEZONE", "Europe/Madrid")

# --- shop -------------------------------------------------------------------------------------
SHOP_CURRENCY = env.text("TIENDA_CURRENCY", "EUR", pattern=r"[A-Z]{3}")
SHOP_TAX_RATE_BP = env.integer("TIENDA_TAX_RATE_BP", 2100, low=0, high=10000)
SHOP_SELLER = {
    "name": env.text("TIENDA_SELLER_NAME", "Tienda Demo S.L."),
    "tax_id": env.text("TIENDA_SELLER_TAX_ID", "ESB00000000"),
    "address": env.text("TIENDA_SELLER_ADDRESS", "Calle Mayor 1, 28013 Madrid, España"),
}
PENDING_ORDER_TTL_MINUTES = env.integer("TIENDA_PENDING_ORDER_TTL_MINUTES", 30, low=1, high=10080)
# Rows an inventory job applies per transaction (one queue message per chunk): short enough
# that checkouts waiting on SQLite's writer lock are not starved.
INVENTORY_JOB_CHUNK_ROWS = env.integer("TIENDA_INVENTORY_JOB_CHUNK_ROWS", 500, low=1, high=5000)

# --- storage: media, invoices and imports in private blob containers --------------------------
STORAGE_CONNECTION_STRING = env.text("TIENDA_STORAGE_CONNECTION_STRING",
                                     AZURITE_CONNECTION_STRING if IS_LOCAL else "")
STORAGE_ACCOUNT_NAME = env.text("TIENDA_STORAGE_ACCOUNT_NAME", "")
STORAGE_CLIENT_ID = env.text("TIENDA_STORAGE_CLIENT_ID", "")
if not STORAGE_CONNECTION_STRING and not STORAGE_ACCOUNT_NAME:
    raise env.ImproperlyConfigured("TIENDA_STORAGE_ACCOUNT_NAME: set it (managed identity) "
                                   "or TIENDA_STORAGE_CONNECTION_STRING")
if STORAGE_CONNECTION_STRING and "AccountName=" not in STORAGE_CONNECTION_STRING:
    raise env.ImproperlyConfigured(
        "TIENDA_STORAGE_CONNECTION_STRING: is not an Azure Storage connection string "
        "with AccountName and AccountKey")
SAS_TTL_SECONDS = env.integer("TIENDA_SAS_TTL_SECONDS", 900, low=60, high=86400)
CONTAINERS = {
    "media": env.text("TIENDA_CONTAINER_MEDIA", "media"),
    "invoices": env.text("TIENDA_CONTAINER_INVOICES", "invoices"),
    "imports": env.text("TIENDA_CONTAINER_IMPORTS", "imports"),
}
STORAGES = storages(
    connection_string=STORAGE_CONNECTION_STRING, account_name=STORAGE_ACCOUNT_NAME,
    client_id=STORAGE_CLIENT_ID, containers=CONTAINERS, sas_ttl=SAS_TTL_SECONDS)
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_MAX_AGE = 365 * 24 * 3600

# --- queues and background work --------------------------------------------------------------
QUEUES = {
    "order-confirmation": env.text("TIENDA_QUEUE_ORDER_CONFIRMATION", "order-confirmation"),
    "notifications": env.text("TIENDA_QUEUE_NOTIFICATIONS", "notifications"),
    "inventory-jobs": env.text("TIENDA_QUEUE_INVENTORY_JOBS", "inventory-jobs"),
}
TASKS = {"default": {
    "BACKEND": "workers.backend.OutboxBackend",
    "QUEUES": list(QUEUES),
}}
# Only these modules' tasks may run from a queue message: a crafted message cannot import
# anything else.
WORKER_TASK_MODULES = (
    "shop.orders.tasks", "shop.notifications.tasks",
    "shop.inventory.tasks",
    "shop.campaigns.tasks",
)
WORKER = {
    "BATCH_SIZE": env.integer("TIENDA_WORKER_BATCH_SIZE", 16, low=1, high=32),
    "CONCURRENCY": env.integer("TIENDA_WORKER_CONCURRENCY", 4, low=1, high=64),
    "PROCESSES": env.integer("TIENDA_WORKER_PROCESSES", 1, low=1, high=16),
    "VISIBILITY_TIMEOUT": env.integer("TIENDA_WORKER_VISIBILITY_TIMEOUT", 60, low=1, high=3600),
    "MAX_DEQUEUE_COUNT": env.integer("TIENDA_WORKER_MAX_DEQUEUE_COUNT", 5, low=1, high=100),
    "RETRY_DELAY_SECONDS": env.integer("TIENDA_WORKER_RETRY_DELAY_SECONDS", 2, low=0, high=600),
    "IDLE_POLL_SECONDS": env.decimal("TIENDA_WORKER_IDLE_POLL_SECONDS", 0.5, low=0.01, high=60),
    "OUTBOX_SWEEP_SECONDS": env.integer("TIENDA_OUTBOX_SWEEP_SECONDS", 10, low=1, high=3600),
    "PENDING_ORDER_SWEEP_SECONDS": env.integer("TIENDA_PENDING_ORDER_SWEEP_SECONDS", 60,
                                               low=1, high=3600),
    "ETL_INTERVAL_SECONDS": env.integer("TIENDA_ETL_INTERVAL_SECONDS", 300, low=10, high=86400),
    "BACK_IN_STOCK_INTERVAL_SECONDS": env.integer("TIENDA_BACK_IN_STOCK_INTERVAL_SECONDS", 60,
                                                  low=1, high=86400),
    "LOW_STOCK_DIGEST_INTERVAL_SECONDS": env.integer(
        "TIENDA_LOW_STOCK_DIGEST_INTERVAL_SECONDS", 3600, low=10, high=86400),
    "CAMPAIGNS_DUE_SECONDS": env.integer("TIENDA_CAMPAIGNS_DUE_SECONDS", 60, low=1, high=3600),
}

# Campaigns (shop/campaigns): one batch of a campaign in flight at a time, its sends paced to
# RATE_PER_SECOND (per campaign; 0 = unthrottled). A batch should last well under the queue's
# visibility timeout (BATCH_SIZE / RATE_PER_SECOND seconds). LEASE_SECONDS: how long a killed
# worker's batch keeps the campaign before another may carry on (> the SMTP timeout).
CAMPAIGNS = {
    "RATE_PER_SECOND": env.integer("TIENDA_CAMPAIGN_RATE_PER_SECOND", 50, low=0, high=10000),
    "BATCH_SIZE": env.integer("TIENDA_CAMPAIGN_BATCH_SIZE", 500, low=1, high=5000),
    "LEASE_SECONDS": 60,
}

# --- mail -------------------------------------------------------------------------------------
MAILERS = {"default": {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {
        "host": env.text("TIENDA_SMTP_HOST", "127.0.0.1"),
        "port": env.integer("TIENDA_SMTP_PORT", 8025, low=1, high=65535),
        "username": env.text("TIENDA_SMTP_USERNAME", ""),
        "password": env.text("TIENDA_SMTP_PASSWORD", ""),
        "use_tls": env.boolean("TIENDA_SMTP_STARTTLS", False),
        "timeout": 20,
    },
}}
DEFAULT_FROM_EMAIL = env.text("TIENDA_MAIL_FROM", "Tienda <shop@tienda.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_CAPTURE_DIR = DATA_DIR / "mail"
MAIL_CAPTURE_PORT = env.integer("TIENDA_MAIL_CAPTURE_PORT", 8025, low=1, high=65535)

# --- analytics --------------------------------------------------------------------------------
WAREHOUSE_URL = env.text("TIENDA_WAREHOUSE_URL", f"duckdb:///{DATA_DIR / 'warehouse.duckdb'}",
                         pattern=r"(duckdb:///|postgresql://).+")
# On Azure the PostgreSQL warehouse takes an Entra token of the app's managed identity (the
# one in TIENDA_DATABASE_CLIENT_ID) as the password.
WAREHOUSE_AUTH = env.text("TIENDA_WAREHOUSE_AUTH", "password", choices=("password", "entra"))

# --- caching ----------------------------------------------------------------------------------
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}}
# How often a process re-reads the catalog version (shop/catalog/cache.py); 0 = every read.
CATALOG_VERSION_RECHECK_SECONDS = env.decimal("TIENDA_CATALOG_VERSION_RECHECK_SECONDS", 1.0,
                                              low=0, high=3600)

# --- APIs -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "EXCEPTION_HANDLER": "shop.core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # The staff API's <id:...> converter (backoffice/api/urls.py) is a 32-bit database id: an
    # integer in the schema, as the SPA's generated client expects.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2147483647}},
    # Choice sets that several staff API fields share get one name each: the inventory job's
    # `status`, and the campaigns' `language`/`locale`.
    "ENUM_NAME_OVERRIDES": {"InventoryJobStatusEnum": "shop.inventory.models.InventoryJob.Status",
                            "LocaleEnum": "shop.campaigns.rules.LOCALES"},
}

# --- logging: one line per event, INFO for what an operator acts on -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env.text(
        "TIENDA_LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))},
    # 4xx answers are the users' doing (Django would log each refused request with a traceback);
    # 5xx still log at ERROR. The local SMTP capture's per-connection chatter stays quiet.
    "loggers": {"azure": {"level": "WARNING"}, "django.db.backends": {"level": "INFO"},
                "django.request": {"level": "ERROR"}, "mail.log": {"level": "WARNING"}},
}
