"""Settings, read once per process from the environment (prefix ``TIENDA_``) and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AZURITE_ACCOUNT = "devstoreaccount1"
# Azurite's published development key: not a secret, it only opens the local emulator.
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


def azurite_connection_string(host: str = "127.0.0.1", blob_port: int = 10000,
                              queue_port: int = 10001) -> str:
    return (
        f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
        f"BlobEndpoint=http://{host}:{blob_port}/{AZURITE_ACCOUNT};"
        f"QueueEndpoint=http://{host}:{queue_port}/{AZURITE_ACCOUNT};"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TIENDA_", env_file=".env", extra="ignore", frozen=True
    )

    environment: Literal["local", "dev", "prod", "test"] = "local"
    data_dir: Path = Path(".data")
    secret_key: str = Field("local-development-only-secret-change-me", min_length=16)

    database_url: str = "sqlite:///.data/tienda.db"
    database_auth: Literal["password", "entra"] = "password"
    database_pool_size: int = Field(10, ge=1, le=200)
    warehouse_url: str = "duckdb:///.data/warehouse.duckdb"

    # Storage: a connection string locally (Azurite); on Azure the account name plus the
    # managed identity (``storage_connection_string`` left empty, no shared key anywhere).
    storage_connection_string: str = azurite_connection_string()
    storage_account_name: str = ""
    storage_client_id: str = ""
    queue_order_confirmation: str = "order-confirmation"
    queue_notifications: str = "notifications"
    queue_inventory_jobs: str = "inventory-jobs"
    container_media: str = "media"
    container_invoices: str = "invoices"
    container_imports: str = "imports"
    sas_ttl_seconds: int = Field(900, ge=60, le=86400)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(8025, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Tienda <shop@tienda.local>"
    mail_capture_port: int = Field(8025, ge=1, le=65535)

    host: str = "127.0.0.1"
    frontoffice_port: int = Field(8000, ge=1, le=65535)
    backoffice_port: int = Field(8001, ge=1, le=65535)
    spa_port: int = Field(8002, ge=1, le=65535)
    azurite_blob_port: int = Field(10000, ge=1, le=65535)
    azurite_queue_port: int = Field(10001, ge=1, le=65535)
    public_base_url: str = "http://127.0.0.1:8000"
    backoffice_ui_origin: str = "http://127.0.0.1:8002"

    worker_concurrency: int = Field(4, ge=1, le=64)
    worker_processes: int = Field(1, ge=1, le=16)
    worker_batch_size: int = Field(16, ge=1, le=32)
    worker_visibility_timeout: int = Field(60, ge=1, le=3600)
    worker_max_dequeue_count: int = Field(5, ge=1, le=100)
    worker_retry_delay_seconds: int = Field(2, ge=0, le=600)
    worker_idle_poll_seconds: float = Field(0.5, gt=0, le=60)
    outbox_sweep_seconds: int = Field(10, ge=1, le=3600)
    pending_order_ttl_minutes: int = Field(30, ge=1, le=10080)
    pending_order_sweep_seconds: int = Field(60, ge=1, le=3600)
    etl_interval_seconds: int = Field(300, ge=10, le=86400)
    back_in_stock_interval_seconds: int = Field(60, ge=1, le=86400)

    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    tax_rate_bp: int = Field(2100, ge=0, le=10000, description="VAT in basis points")
    store_timezone: str = "Europe/Madrid"
    default_locale: Literal["es", "en"] = "es"

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("warehouse_url")
    @classmethod
    def _known_warehouse(cls, value: str) -> str:
        if not value.startswith(("duckdb:///", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must start with duckdb:/// or postgresql://")
        return value

    @field_validator("storage_connection_string")
    @classmethod
    def _storage_target(cls, value: str) -> str:
        if value and "AccountName=" not in value and "UseDevelopmentStorage" not in value:
            raise ValueError("is not an Azure Storage connection string")
        return value

    @property
    def is_local(self) -> bool:
        return self.environment in ("local", "test")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url.startswith("postgresql://"):
            return "postgresql+psycopg://" + self.database_url[len("postgresql://"):]
        return self.database_url

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"


# The connection-setting prefix the Functions queue triggers use (identity-based on Azure:
# TIENDA_STORAGE__queueServiceUri, __credential, __clientId; a plain connection string locally).
FUNCTIONS_STORAGE_CONNECTION = "TIENDA_STORAGE"

_COMMON_AZURE = (
    "TIENDA_ENVIRONMENT", "TIENDA_SECRET_KEY", "TIENDA_DATABASE_URL", "TIENDA_DATABASE_AUTH",
    "TIENDA_STORAGE_ACCOUNT_NAME", "TIENDA_STORAGE_CLIENT_ID", "TIENDA_STORAGE_CONNECTION_STRING",
    "TIENDA_SMTP_HOST", "TIENDA_SMTP_PORT", "TIENDA_SMTP_USERNAME", "TIENDA_SMTP_PASSWORD",
    "TIENDA_SMTP_STARTTLS", "TIENDA_MAIL_FROM", "TIENDA_PUBLIC_BASE_URL",
)
# Settings each Azure deployable must be given; the infrastructure tests hold Terraform to this.
AZURE_APP_SETTINGS: dict[str, tuple[str, ...]] = {
    "frontoffice": _COMMON_AZURE,
    "backoffice_api": (*_COMMON_AZURE, "TIENDA_WAREHOUSE_URL", "TIENDA_BACKOFFICE_UI_ORIGIN"),
    "functions": (
        *_COMMON_AZURE, "TIENDA_WAREHOUSE_URL",
        f"{FUNCTIONS_STORAGE_CONNECTION}__queueServiceUri",
        f"{FUNCTIONS_STORAGE_CONNECTION}__credential",
        f"{FUNCTIONS_STORAGE_CONNECTION}__clientId",
    ),
}


class ConfigurationError(Exception):
    """A setting has a value the application cannot use; the message names the setting."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "TIENDA_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigurationError(f"{name}: {message}") from None
