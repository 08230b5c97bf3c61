"""The blob adapter against a real Azurite: private containers, SAS downloads."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tienda.adapters.azure_clients import blob_service
from tienda.adapters.blobs.azure_blob import AzureBlobStore
from tienda.config import load_settings

pytestmark = pytest.mark.azurite


@pytest.fixture
def store(azurite) -> AzureBlobStore:
    service = blob_service(load_settings(storage_connection_string=azurite.connection_string))
    return AzureBlobStore(service, service.credential.account_key)


@pytest.fixture
def container(store: AzureBlobStore) -> str:
    name = f"c-{uuid.uuid4().hex[:10]}"
    store.ensure([name])
    return name


def test_uploaded_bytes_come_back_unchanged(store, container):
    store.put(container, "invoices/T-1.pdf", b"%PDF-1.7 fake", "application/pdf")

    assert store.get(container, "invoices/T-1.pdf") == b"%PDF-1.7 fake"
    assert store.exists(container, "invoices/T-1.pdf") is True


def test_a_missing_blob_is_a_file_not_found(store, container):
    assert store.exists(container, "nope") is False
    with pytest.raises(FileNotFoundError, match=f"{container}/nope"):
        store.get(container, "nope")


def test_a_sas_url_downloads_the_blob_with_its_content_type(store, container):
    store.put(container, "a/b.txt", b"hola", "text/plain")

    response = httpx.get(store.signed_url(container, "a/b.txt", ttl_seconds=300))

    assert response.status_code == 200
    assert response.content == b"hola"
    assert response.headers["content-type"] == "text/plain"


def test_the_container_is_private_without_a_sas(store, container):
    store.put(container, "secret.txt", b"x", "text/plain")
    url = store.signed_url(container, "secret.txt", 300).split("?")[0]

    response = httpx.get(url)

    assert response.status_code in (403, 404)
    assert response.content != b"x"


def test_a_tampered_sas_is_refused(store, container):
    store.put(container, "x.txt", b"x", "text/plain")
    url = store.signed_url(container, "x.txt", 300)

    response = httpx.get(url.replace("sp=r", "sp=rw"))

    assert response.status_code == 403
