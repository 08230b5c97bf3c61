"""Settings: defaults that run locally, and one clear line for a bad value."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tienda.config import ConfigurationError, load_settings


def test_defaults_point_at_the_embedded_local_stack():
    settings = load_settings()

    assert settings.sqlalchemy_url == "sqlite:///.data/tienda.db"
    assert "127.0.0.1:10001/devstoreaccount1" in settings.storage_connection_string
    assert (settings.frontoffice_port, settings.backoffice_port, settings.spa_port) == (
        8000, 8001, 8002)


def test_postgres_urls_get_the_psycopg_driver():
    settings = load_settings(database_url="postgresql://u@db:5432/tienda")

    assert settings.sqlalchemy_url == "postgresql+psycopg://u@db:5432/tienda"


@pytest.mark.parametrize(("field", "value", "named"), [
    ("database_url", "foo://", "TIENDA_DATABASE_URL"),
    ("frontoffice_port", 70000, "TIENDA_FRONTOFFICE_PORT"),
    ("currency", "euro", "TIENDA_CURRENCY"),
    ("storage_connection_string", "nonsense", "TIENDA_STORAGE_CONNECTION_STRING"),
])
def test_a_bad_value_is_one_error_naming_the_setting(field, value, named):
    with pytest.raises(ConfigurationError) as error:
        load_settings(**{field: value})

    assert str(error.value).startswith(f"{named}: ")
    assert "\n" not in str(error.value)


def test_the_cli_stops_on_bad_configuration_with_one_line_and_no_traceback(tmp_path):
    env = {**os.environ, "TIENDA_DATABASE_URL": "foo://"}

    result = subprocess.run([sys.executable, "-m", "tienda", "migrate"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: TIENDA_DATABASE_URL: must start with sqlite:/// or postgresql://")
    assert result.stdout == ""
