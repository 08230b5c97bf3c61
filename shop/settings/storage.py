"""STORAGES for the private blob containers (django-storages' Azure backend) and whitenoise.

Locally: Azurite's full connection string (a SAS needs the account key, so
``UseDevelopmentStorage=true`` would not do). On Azure: the account name and the app's managed
identity; ``url()`` then signs a user-delegation SAS, so no shared key exists anywhere."""

from __future__ import annotations

import functools

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


AZURITE_CONNECTION_STRING = azurite_connection_string()
BLOB_BACKEND = "storages.backends.azure_storage.AzureStorage"


def storages(*, connection_string: str, account_name: str, client_id: str,
             containers: dict[str, str], sas_ttl: int) -> dict[str, dict[str, object]]:
    def blob(container: str) -> dict[str, object]:
        options: dict[str, object] = {
            "azure_container": container,
            "expiration_secs": sas_ttl,
            "overwrite_files": True,
            "timeout": 20,
        }
        if connection_string:
            options["connection_string"] = connection_string
        else:
            options["account_name"] = account_name
            options["token_credential"] = managed_identity(client_id)
        return {"BACKEND": BLOB_BACKEND, "OPTIONS": options}

    return {
        "default": blob(containers["media"]),
        "media": blob(containers["media"]),
        "invoices": blob(containers["invoices"]),
        "imports": blob(containers["imports"]),
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


@functools.cache
def managed_identity(client_id: str):  # type: ignore[no-untyped-def]
    """One credential per identity and process: it caches its tokens, so the blob storages,
    the queue client and the warehouse's sign-in share them instead of asking again."""
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    return ManagedIdentityCredential(client_id=client_id) if client_id else DefaultAzureCredential()
