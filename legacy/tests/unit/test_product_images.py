import io
import struct
import zlib

import pytest
from PIL import Image

from tienda.adapters.product_images import (
    SILHOUETTES,
    PictureSpec,
    make_thumbnail,
    render_product_picture,
)

RED = (190, 40, 45)
SAND = (232, 222, 208)


def _encode(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _refusal(image_bytes: bytes, **options: int) -> str:
    with pytest.raises(ValueError) as refused:
        make_thumbnail(image_bytes, **options)
    return str(refused.value)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + _chunk(b"IEND", b""))


@pytest.mark.parametrize("kind", sorted(SILHOUETTES))
def test_every_kind_renders_an_800_pixel_square_jpeg(kind):
    picture = _decode(render_product_picture(PictureSpec(kind, RED, SAND, caption="La casa")))

    assert (picture.format, picture.size, picture.mode) == ("JPEG", (800, 800), "RGB")


def test_the_product_colour_fills_the_middle_and_the_background_the_corner():
    picture = _decode(render_product_picture(PictureSpec("shirt", RED, SAND))).convert("RGB")

    middle, corner = picture.getpixel((400, 500)), picture.getpixel((5, 795))
    assert max(abs(a - b) for a, b in zip(middle, RED, strict=True)) <= 8
    assert max(abs(a - b) for a, b in zip(corner, SAND, strict=True)) <= 8


def test_rendering_is_repeatable():
    spec = PictureSpec("mug", RED, SAND, zoom=1.1, shift=(0.02, -0.01), mirrored=True)

    assert render_product_picture(spec) == render_product_picture(spec)


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown picture kind 'sofa'"):
        render_product_picture(PictureSpec("sofa", RED, SAND))


def test_a_square_jpeg_becomes_a_320_pixel_jpeg_thumbnail():
    thumbnail = _decode(make_thumbnail(render_product_picture(PictureSpec("lamp", RED, SAND))))

    assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 320))


def test_a_wide_png_keeps_its_proportions():
    wide = _encode(Image.new("RGB", (1000, 500), RED), "PNG")

    assert _decode(make_thumbnail(wide)).size == (320, 160)


def test_max_side_sets_the_longest_side():
    tall = _encode(Image.new("RGB", (300, 600), RED), "JPEG")

    assert _decode(make_thumbnail(tall, max_side=100)).size == (50, 100)


def test_a_small_picture_is_not_enlarged():
    small = _encode(Image.new("RGB", (120, 80), RED), "WEBP")

    assert _decode(make_thumbnail(small)).size == (120, 80)


def test_transparency_becomes_white():
    clear = _encode(Image.new("RGBA", (400, 400), (0, 0, 0, 0)), "PNG")

    thumbnail = _decode(make_thumbnail(clear))
    assert thumbnail.mode == "RGB"
    assert thumbnail.getpixel((160, 160)) == (255, 255, 255)


def test_a_webp_is_accepted():
    webp = _encode(Image.new("RGB", (640, 640), RED), "WEBP")

    assert _decode(make_thumbnail(webp)).size == (320, 320)


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise
    landscape = _encode(Image.new("RGB", (600, 400), RED), "JPEG", exif=exif.tobytes())

    assert _decode(make_thumbnail(landscape)).size == (213, 320)


def test_empty_bytes_are_refused():
    assert _refusal(b"") == "the file is empty; expected a JPEG, PNG or WebP image"


def test_text_is_refused():
    assert _refusal(b"name,price\nmug,9.95\n") == "the file is not a JPEG, PNG or WebP image"


def test_a_gif_is_refused():
    gif = _encode(Image.new("P", (50, 50)), "GIF")

    assert _refusal(gif) == "the file is not a JPEG, PNG or WebP image"


def test_a_truncated_jpeg_is_refused():
    whole = render_product_picture(PictureSpec("book", RED, SAND))

    assert _refusal(whole[: len(whole) // 2]) == "the JPEG image is damaged or truncated"


def test_a_picture_over_40_megapixels_is_refused_before_decoding():
    assert _refusal(_png_claiming(10_000, 5_000)) == (
        "the image is 10000x5000 pixels; at most 40 megapixels are accepted")


def test_a_decompression_bomb_is_refused():
    assert _refusal(_png_claiming(20_000, 20_000)) == (
        "the image is too large; at most 40 megapixels are accepted")


def test_a_max_side_below_one_is_refused():
    tiny = _encode(Image.new("RGB", (10, 10)), "PNG")

    assert _refusal(tiny, max_side=0) == "max_side must be positive, not 0"
