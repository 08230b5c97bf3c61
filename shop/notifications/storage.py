"""The private blob containers, created locally (Bicep provisions them on Azure)."""

from __future__ import annotations

import contextlib

from azure.core.exceptions import ResourceExistsError
from django.core.files.storage import storages


def ensure_containers() -> None:
    for alias in ("media", "invoices", "imports"):
        with contextlib.suppress(ResourceExistsError):
            storages[alias].client.create_container()
