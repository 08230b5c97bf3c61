"""Azure Blob Storage: private containers; browsers get short-lived read-only SAS URLs."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import (
    BlobSasPermissions,
    BlobServiceClient,
    ContentSettings,
    generate_blob_sas,
)


class AzureBlobStore:
    def __init__(self, service: BlobServiceClient, account_key: str | None = None) -> None:
        self._service = service
        self._account_key = account_key

    def ensure(self, containers: list[str]) -> None:
        for name in containers:
            # No public access level: every container is private.
            with contextlib.suppress(ResourceExistsError):
                self._service.create_container(name)

    def put(self, container: str, key: str, data: bytes, content_type: str) -> None:
        self._service.get_blob_client(container, key).upload_blob(
            data, overwrite=True, content_settings=ContentSettings(content_type=content_type)
        )

    def get(self, container: str, key: str) -> bytes:
        try:
            return self._service.get_blob_client(container, key).download_blob().readall()
        except ResourceNotFoundError:
            raise FileNotFoundError(f"{container}/{key}") from None

    def exists(self, container: str, key: str) -> bool:
        return bool(self._service.get_blob_client(container, key).exists())

    def signed_url(self, container: str, key: str, ttl_seconds: int) -> str:
        now = datetime.now(UTC)
        expiry = now + timedelta(seconds=ttl_seconds)
        blob = self._service.get_blob_client(container, key)
        delegation = None
        if not self._account_key:
            delegation = self._service.get_user_delegation_key(now, expiry)
        sas = generate_blob_sas(
            str(self._service.account_name), container, key,
            account_key=self._account_key, user_delegation_key=delegation,
            permission=BlobSasPermissions(read=True), expiry=expiry,
            start=now - timedelta(minutes=5),
        )
        return f"{blob.url}?{sas}"

    def ping(self, container: str) -> None:
        self._service.get_container_client(container).get_container_properties()
