"""Settings come from the environment, are validated once, and build the database entry each
deployment needs, including Azure SQL through mssql-django with a managed identity."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from shop.settings.databases import database_settings

ROOT = Path(__file__).resolve().parents[2]


def test_azure_sql_uses_mssql_django_with_the_apps_managed_identity():
    db = database_settings(
        "mssql://tienda-prod.database.windows.net:1433/tienda", auth="entra",
        client_id="0f6c1a55-1111-2222-3333-444455556666")

    assert db["ENGINE"] == "mssql"
    assert db["HOST"] == "tienda-prod.database.windows.net"
    assert db["PORT"] == "1433"
    assert db["NAME"] == "tienda"
    assert db["USER"] == "0f6c1a55-1111-2222-3333-444455556666"
    assert "PASSWORD" not in db
    assert db["OPTIONS"] == {
        "driver": "ODBC Driver 18 for SQL Server",
        "extra_params": "Authentication=ActiveDirectoryMsi;Encrypt=yes;TrustServerCertificate=no",
    }


def test_mssql_django_builds_the_odbc_connection_string_azure_expects():
    """The backend's own builder, fed our settings (no server needed to build the string)."""
    from mssql.base import DatabaseWrapper

    settings = database_settings("mssql://srv.database.windows.net/shop", auth="entra",
                                 client_id="abc-client")
    settings.update({"TIME_ZONE": None, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
                     "ATOMIC_REQUESTS": False, "TEST": {}})
    wrapper = DatabaseWrapper(settings, alias="azure")
    params = wrapper.get_connection_params()
    conn_str = wrapper._build_connection_string(params, params["OPTIONS"]["driver"])

    parts = dict(p.split("=", 1) for p in conn_str.split(";") if p)
    assert parts["DRIVER"].strip("{}") == "ODBC Driver 18 for SQL Server"
    assert parts["SERVER"] == "srv.database.windows.net,1433"
    assert parts["DATABASE"] == "shop"
    assert parts["UID"] == "abc-client"
    assert parts["Authentication"] == "ActiveDirectoryMsi"
    assert "PWD" not in parts


def test_postgresql_and_sqlite_urls_become_their_backends(tmp_path):
    pg = database_settings("postgresql://shop:s%40cret@db.example:6432/tienda")
    lite = database_settings(f"sqlite:///{tmp_path / 'x' / 'shop.db'}")

    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql", "shop", "s@cret", "db.example", "6432", "tienda")
    assert lite["ENGINE"] == "django.db.backends.sqlite3"
    assert lite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert (tmp_path / "x").is_dir()


def test_an_unknown_database_scheme_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"^TIENDA_DATABASE_URL: must start with"):
        database_settings("mysql://x/y")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A fresh environment: no test-run settings, and not the async-unsafe switch the browser
    # tests set for their own process.
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("TIENDA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean["DJANGO_SETTINGS_MODULE"] = "shop.settings.storefront"
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("TIENDA_WORKER_BATCH_SIZE", "100", "TIENDA_WORKER_BATCH_SIZE: must be between 1 and 32"),
    ("TIENDA_DATABASE_URL", "foo://x", "TIENDA_DATABASE_URL: must start with"),
    ("TIENDA_ENVIRONMENT", "staging", "TIENDA_ENVIRONMENT: must be one of"),
    ("TIENDA_SMTP_STARTTLS", "maybe", "TIENDA_SMTP_STARTTLS: must be true or false"),
    ("TIENDA_CURRENCY", "euro", "TIENDA_CURRENCY: 'euro' does not match"),
])
def test_a_bad_setting_stops_any_command_with_one_line(variable, value, message):
    result = _manage("check", **{variable: value})

    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


# Production-like values. The database is the PostgreSQL here: with an mssql:// URL Django's
# JSONField check asks the server for its version, and no SQL Server can run on this machine.
PRODUCTION = {
    "TIENDA_ENVIRONMENT": "prod",
    "TIENDA_SECRET_KEY": "k" * 20 + "Q9v!x2#Lm@Zp7&Rt5^Wy3*Bn1(Dc8)Fg6",
    "TIENDA_ALLOWED_HOSTS": "shop.example.com",
    "TIENDA_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
    "TIENDA_STORAGE_ACCOUNT_NAME": "tiendaprod",
    "TIENDA_STORAGE_CLIENT_ID": "0f6c1a55-1111-2222-3333-444455556666",
    "TIENDA_PUBLIC_BASE_URL": "https://shop.example.com",
}


@pytest.mark.parametrize("settings_module",
                         ["shop.settings.storefront", "shop.settings.backoffice"])
def test_the_deploy_checklist_is_clean_with_production_values(settings_module):
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DJANGO_SETTINGS_MODULE=settings_module, **PRODUCTION)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "TIENDA_SECRET_KEY"}

    result = _manage("check", **env)

    assert result.returncode == 2
    assert result.stderr.startswith("error: TIENDA_SECRET_KEY: must be at least 32 characters")


def test_the_defaults_are_the_embedded_local_stack():
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
              "s.STORAGE_CONNECTION_STRING, s.MAILERS['default']['OPTIONS']['port'], "
              "s.WAREHOUSE_URL, s.ENVIRONMENT, s.SECURE_SSL_REDIRECT, sep='|')")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TIENDA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings.storefront"

    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().split("|")

    engine, name, storage, smtp_port, warehouse, environment, ssl_redirect = out
    assert (engine, name) == ("django.db.backends.sqlite3", str(ROOT / ".data" / "tienda.db"))
    assert "AccountName=devstoreaccount1" in storage
    assert "BlobEndpoint=http://127.0.0.1:10000/" in storage
    assert "QueueEndpoint=http://127.0.0.1:10001/" in storage
    assert (smtp_port, environment, ssl_redirect) == ("8025", "local", "False")
    assert warehouse == f"duckdb:///{ROOT / '.data' / 'warehouse.duckdb'}"
