"""Upload processing (shop/catalog/images.py): what is stored for a staff upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from shop.catalog.images import (
    MAX_PIXELS,
    ORIGINAL_MAX_SIDE,
    THUMBNAIL_SIDE,
    PictureSpec,
    prepare_upload,
    render_product_picture,
)


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_large_picture_is_reduced_to_the_longest_side_allowed_and_a_thumbnail():
    picture = prepare_upload(_encoded(Image.new("RGB", (3000, 1500), (10, 20, 30)), "PNG"))

    assert (picture.width, picture.height) == (ORIGINAL_MAX_SIDE, ORIGINAL_MAX_SIDE // 2)
    assert _opened(picture.original_jpeg).format == "JPEG"
    assert _opened(picture.thumbnail_jpeg).size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE // 2)


def test_transparency_becomes_white_not_black():
    transparent = Image.new("RGBA", (50, 50), (255, 0, 0, 0))

    picture = prepare_upload(_encoded(transparent, "PNG"))

    red, green, blue = _opened(picture.thumbnail_jpeg).convert("RGB").getpixel((25, 25))
    assert min(red, green, blue) > 240


def test_a_sideways_phone_photo_is_stored_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    sideways = _encoded(Image.new("RGB", (400, 200)), "JPEG", exif=exif)

    picture = prepare_upload(sideways)

    assert (picture.width, picture.height) == (200, 400)


def test_a_picture_above_the_pixel_limit_is_refused_before_decoding():
    side = int(MAX_PIXELS ** 0.5) + 10
    huge = _encoded(Image.new("1", (side, side)), "PNG")

    with pytest.raises(ValueError, match="at most 40 megapixels are accepted"):
        prepare_upload(huge)


def test_a_truncated_picture_is_refused_with_a_message():
    data = _encoded(Image.new("RGB", (300, 300), (1, 2, 3)), "JPEG")[:200]

    with pytest.raises(ValueError, match="damaged or truncated"):
        prepare_upload(data)


def test_the_demo_drawing_is_a_square_jpeg():
    drawn = render_product_picture(PictureSpec("mug", (200, 40, 40), (240, 240, 230)))

    assert _opened(drawn).size == (800, 800)
