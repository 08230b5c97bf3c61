"""Upload processing (shop/catalog/images.py): what is stored for a staff upload."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from shop.catalog.images import (
    MAX_PIXELS,
    ORIGINAL_MAX_SIDE,
    SILHOUETTES,
    THUMBNAIL_SIDE,
    PictureSpec,
    make_thumbnail,
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

    thumbnail = _opened(picture.thumbnail_jpeg)
    assert thumbnail.mode == "RGB"
    assert thumbnail.getpixel((25, 25)) == (255, 255, 255)


def test_a_sideways_phone_photo_is_stored_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    sideways = _encoded(Image.new("RGB", (400, 200)), "JPEG", exif=exif)

    picture = prepare_upload(sideways)

    assert (picture.width, picture.height) == (200, 400)


def test_a_picture_above_the_pixel_limit_is_refused_before_decoding():
    side = int(MAX_PIXELS ** 0.5) + 10
    huge = _encoded(Image.new("1", (side, side)), "PNG")

    with pytest.raises(ValueError) as refused:
        prepare_upload(huge)

    assert str(refused.value) == (
        "the image is 6334x6334 pixels; at most 40 megapixels are accepted")


def test_a_truncated_picture_is_refused_with_a_message():
    data = _encoded(Image.new("RGB", (300, 300), (1, 2, 3)), "JPEG")[:200]

    with pytest.raises(ValueError, match=r"^the image is damaged or truncated$"):
        prepare_upload(data)


def test_a_jpeg_cut_in_the_middle_of_its_pixels_is_refused_naming_its_format():
    whole = render_product_picture(PictureSpec("book", (190, 40, 45), (232, 222, 208)))

    with pytest.raises(ValueError, match=r"^the JPEG image is damaged or truncated$"):
        prepare_upload(whole[: len(whole) // 2])


def test_the_demo_drawing_is_a_square_jpeg():
    drawn = render_product_picture(PictureSpec("mug", (200, 40, 40), (240, 240, 230)))

    assert _opened(drawn).size == (800, 800)


# --- Ported from legacy unit/test_product_images.py (the other twelve scenarios) -------------

RED = (190, 40, 45)
SAND = (232, 222, 208)


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _refusal(data: bytes, **options: int) -> str:
    with pytest.raises(ValueError) as refused:
        make_thumbnail(data, **options)
    return str(refused.value)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + _chunk(b"IEND", b""))


@pytest.mark.parametrize("kind", sorted(SILHOUETTES))
def test_every_kind_renders_an_800_pixel_square_rgb_jpeg(kind):
    picture = _decoded(render_product_picture(PictureSpec(kind, RED, SAND, caption="La casa")))

    assert (picture.format, picture.size, picture.mode) == ("JPEG", (800, 800), "RGB")


def test_the_product_colour_fills_the_middle_and_the_background_the_corner():
    picture = _decoded(render_product_picture(PictureSpec("shirt", RED, SAND))).convert("RGB")

    middle, corner = picture.getpixel((400, 500)), picture.getpixel((5, 795))
    assert max(abs(a - b) for a, b in zip(middle, RED, strict=True)) <= 8
    assert max(abs(a - b) for a, b in zip(corner, SAND, strict=True)) <= 8


def test_rendering_is_repeatable():
    spec = PictureSpec("mug", RED, SAND, zoom=1.1, shift=(0.02, -0.01), mirrored=True)

    assert render_product_picture(spec) == render_product_picture(spec)


def test_an_unknown_picture_kind_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^unknown picture kind 'sofa'; known: \['backpack'"):
        render_product_picture(PictureSpec("sofa", RED, SAND))


def test_a_square_jpeg_becomes_a_320_pixel_jpeg_thumbnail():
    thumbnail = _decoded(make_thumbnail(render_product_picture(PictureSpec("lamp", RED, SAND))))

    assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 320))


def test_max_side_sets_the_longest_side():
    tall = _encoded(Image.new("RGB", (300, 600), RED), "JPEG")

    assert _decoded(make_thumbnail(tall, max_side=100)).size == (50, 100)


def test_a_small_picture_is_not_enlarged():
    small = _encoded(Image.new("RGB", (120, 80), RED), "WEBP")

    picture = prepare_upload(small)

    assert (picture.width, picture.height) == (120, 80)
    assert _decoded(picture.thumbnail_jpeg).size == (120, 80)


def test_a_webp_is_accepted_and_stored_as_jpeg():
    webp = _encoded(Image.new("RGB", (640, 640), RED), "WEBP")

    picture = prepare_upload(webp)

    assert (_decoded(picture.original_jpeg).format, picture.width, picture.height) == (
        "JPEG", 640, 640)
    assert _decoded(picture.thumbnail_jpeg).size == (320, 320)


def test_empty_bytes_are_refused():
    assert _refusal(b"") == "the file is empty; expected a JPEG, PNG or WebP image"


def test_text_is_refused():
    assert _refusal(b"name,price\nmug,9.95\n") == "the file is not a JPEG, PNG or WebP image"


def test_a_gif_is_refused():
    gif = _encoded(Image.new("P", (50, 50)), "GIF")

    assert _refusal(gif) == "the file is not a JPEG, PNG or WebP image"


def test_a_decompression_bomb_is_refused():
    assert _refusal(_png_claiming(20_000, 20_000)) == (
        "the image is too large; at most 40 megapixels are accepted")


def test_a_max_side_below_one_is_refused():
    tiny = _encoded(Image.new("RGB", (10, 10)), "PNG")

    assert _refusal(tiny, max_side=0) == "max_side must be positive, not 0"
