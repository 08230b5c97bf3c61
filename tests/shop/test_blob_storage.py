"""The private blob containers through Django's storages (django-storages' Azure backend)
against the run's real Azurite: bytes round-trip, no anonymous reads, SAS downloads, tampered
SAS refused (legacy integration/test_azure_blob.py)."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from azure.core.exceptions import ResourceNotFoundError
from django.core.files.base import ContentFile
from django.core.files.storage import storages

pytestmark = pytest.mark.azurite
PRIVATE = ["media", "invoices"]


@pytest.fixture
def blob_names(azurite) -> Iterator[list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """(alias, name) of every blob a test saved, deleted afterwards: the run shares Azurite."""
    saved: list[tuple[str, str]] = []
    yield saved
    for alias, name in saved:
        storages[alias].delete(name)


def _save(blob_names, alias: str, filename: str, data: bytes) -> str:  # type: ignore[no-untyped-def]
    name = storages[alias].save(f"tests/{uuid.uuid4().hex}/{filename}", ContentFile(data))
    blob_names.append((alias, name))
    return name


def _get(url: str) -> tuple[int, bytes, str]:
    """Status, body and content type of a plain anonymous GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read(), refused.headers.get("Content-Type", "")


@pytest.mark.parametrize("alias", PRIVATE)
def test_saved_bytes_come_back_unchanged(blob_names, alias):
    name = _save(blob_names, alias, "T-1.pdf", b"%PDF-1.7 fake")

    with storages[alias].open(name, "rb") as blob:
        assert blob.read() == b"%PDF-1.7 fake"
    assert storages[alias].exists(name) is True
    assert storages[alias].size(name) == len(b"%PDF-1.7 fake")


def test_a_missing_blob_does_not_exist_and_cannot_be_read(azurite):
    name = f"tests/{uuid.uuid4().hex}/nope.txt"

    assert storages["media"].exists(name) is False
    with pytest.raises(ResourceNotFoundError) as missing:
        storages["media"].open(name, "rb").read()
    assert missing.value.error_code == "BlobNotFound"


@pytest.mark.parametrize(("alias", "filename", "content_type"), [
    ("media", "b.txt", "text/plain"),
    ("invoices", "T-2.pdf", "application/pdf"),
])
def test_a_sas_url_downloads_the_blob_with_its_content_type(blob_names, alias, filename,
                                                           content_type):
    name = _save(blob_names, alias, filename, b"hola")

    status, body, served_type = _get(storages[alias].url(name))

    assert (status, body, served_type) == (200, b"hola", content_type)


@pytest.mark.parametrize("alias", PRIVATE)
def test_the_container_is_private_without_a_sas(blob_names, alias):
    name = _save(blob_names, alias, "secret.txt", b"x")
    signed = storages[alias].url(name)
    assert "sig=" in signed  # the URL the app hands out is signed...

    status, body, _ = _get(signed.split("?")[0])  # ...and without its SAS nothing is served

    assert status in (403, 404)
    assert body != b"x"


@pytest.mark.parametrize("alias", PRIVATE)
def test_a_tampered_sas_is_refused(blob_names, alias):
    name = _save(blob_names, alias, "x.txt", b"x")
    signed = storages[alias].url(name)
    assert "sp=r&" in signed

    status, body, _ = _get(signed.replace("sp=r&", "sp=rw&"))

    assert status == 403
    assert body != b"x"
