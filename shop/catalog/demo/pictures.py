"""Drawing one demo picture and its thumbnail. Run in the seed's worker processes, so this
module imports no Django: a spawned interpreter loads only Pillow and shop.catalog.images."""

from __future__ import annotations

from shop.catalog.images import PictureSpec, make_thumbnail, render_product_picture


def draw_picture(spec: PictureSpec) -> tuple[bytes, bytes]:
    """The JPEG picture of `spec` and its thumbnail."""
    picture = render_product_picture(spec)
    return picture, make_thumbnail(picture)
