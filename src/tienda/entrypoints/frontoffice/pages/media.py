"""Catalog media from the private blob container. Keys never change content (a new upload
gets a new key), so the browser and any CDN may keep them for a year."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

router = APIRouter()


@router.get("/media/{key:path}")
def media(request: Request, key: str) -> Response:
    tienda = request.app.state.tienda
    if ".." in key or not key.startswith("products/"):
        raise HTTPException(404, "no such image")
    try:
        data = tienda.blobs.get(tienda.settings.container_media, key)
    except FileNotFoundError:
        raise HTTPException(404, "no such image") from None
    media_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return Response(data, media_type=media_type,
                    headers={"Cache-Control": "public, max-age=31536000, immutable"})
