"""Build Django's DATABASES entry from TIENDA_DATABASE_URL: SQLite, PostgreSQL or Azure SQL.

Pure functions: the mssql branch cannot be connected here (no SQL Server), so its output is
held by a unit test to what Azure SQL with a managed identity needs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SCHEMES = ("sqlite:///", "postgresql://", "mssql://")
MSSQL_DRIVER = "ODBC Driver 18 for SQL Server"


def database_settings(url: str, *, auth: str = "password", client_id: str = "",
                      conn_max_age: int = 60) -> dict[str, object]:
    if url.startswith("sqlite:///"):
        return _sqlite(url.removeprefix("sqlite:///"), conn_max_age)
    parts = urlsplit(url)
    if parts.scheme == "postgresql":
        return _postgresql(parts, conn_max_age)
    if parts.scheme == "mssql":
        return _mssql(parts, auth=auth, client_id=client_id, conn_max_age=conn_max_age)
    raise ImproperlyConfigured(
        f"TIENDA_DATABASE_URL: must start with {', '.join(SCHEMES)} (got {url.split(':')[0]}:)")


def _sqlite(file: str, conn_max_age: int) -> dict[str, object]:
    Path(file).parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(Path(file)),
        # Kept open between requests: the PRAGMAs below run once per connection, and setting
        # the journal mode takes a lock that made concurrent requests wait (p99 of 0.2-0.7 s
        # with a new connection per request).
        "CONN_MAX_AGE": conn_max_age,
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue instead of failing a lock upgrade half-way.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def _postgresql(parts, conn_max_age: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/") or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 5},
    }


def _mssql(parts, *, auth: str, client_id: str,  # type: ignore[no-untyped-def]
           conn_max_age: int) -> dict[str, object]:
    """Azure SQL: Entra ID with the app's managed identity; the user-assigned identity's
    client id goes in as the user name and no password is sent."""
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    extra = ["Encrypt=yes", "TrustServerCertificate=no"]
    settings: dict[str, object] = {
        "ENGINE": "mssql",
        "NAME": parts.path.lstrip("/"),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or 1433),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"driver": query.get("driver", MSSQL_DRIVER)},
    }
    if auth == "entra":
        extra.insert(0, "Authentication=ActiveDirectoryMsi")
        if client_id:
            settings["USER"] = client_id
    else:
        settings["USER"] = unquote(parts.username or "")
        settings["PASSWORD"] = unquote(parts.password or "")
    settings["OPTIONS"]["extra_params"] = ";".join(extra)  # type: ignore[index]
    return settings
