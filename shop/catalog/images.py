"""Product pictures: drawn silhouettes for the demo shop (the seed uses
`render_product_picture`), and the processing of a staff upload: validated, re-encoded as an
upright JPEG of at most 2400 px and a 320 px thumbnail (`prepare_upload`).

Pictures are drawn at twice their size and halved, which smooths polygon edges for a fraction of
the cost of a Lanczos resize. Everything is local: no downloads, Pillow's embedded font only.
Ported from the legacy `tienda.adapters.product_images`; no Django import here.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, UnidentifiedImageError

PICTURE_SIDE = 800
THUMBNAIL_SIDE = 320
ORIGINAL_MAX_SIDE = 2400
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_TYPES = ("image/jpeg", "image/png", "image/webp")
JPEG_QUALITY = 82
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# 8000 x 5000: more than any phone camera, far less than a decompression bomb.
MAX_PIXELS = 40_000_000

_SCALE = 2
_CANVAS = PICTURE_SIDE * _SCALE
_OUTLINE = 3 * _SCALE

RGB = tuple[int, int, int]
Point = tuple[float, float]


class Shape(NamedTuple):
    """One drawing operation in unit-square coordinates; ``size`` is a line width or a corner
    radius as a fraction of the side."""

    operation: str
    geometry: Sequence[Point] | tuple[float, float, float, float]
    role: str
    size: float = 0.0


@dataclass(frozen=True, slots=True)
class PictureSpec:
    """What to draw: a silhouette ``kind`` in ``colour`` over a ``background`` tint."""

    kind: str
    colour: RGB
    background: RGB
    zoom: float = 1.0
    shift: Point = (0.0, 0.0)
    mirrored: bool = False
    caption: str = ""


def _shirt() -> list[Shape]:
    body = [(0.42, 0.20), (0.30, 0.24), (0.15, 0.37), (0.23, 0.47), (0.32, 0.41),
            (0.32, 0.82), (0.68, 0.82), (0.68, 0.41), (0.77, 0.47), (0.85, 0.37),
            (0.70, 0.24), (0.58, 0.20), (0.55, 0.25), (0.50, 0.265), (0.45, 0.25)]
    return [Shape("poly", body, "main"),
            Shape("line", [(0.42, 0.20), (0.45, 0.25), (0.50, 0.265), (0.55, 0.25), (0.58, 0.20)],
             "dark", 0.012),
            Shape("line", [(0.19, 0.42), (0.26, 0.36)], "dark", 0.006),
            Shape("line", [(0.81, 0.42), (0.74, 0.36)], "dark", 0.006)]


def _hoodie() -> list[Shape]:
    body = [(0.38, 0.22), (0.28, 0.27), (0.16, 0.52), (0.14, 0.76), (0.22, 0.77),
            (0.26, 0.55), (0.31, 0.47), (0.31, 0.82), (0.69, 0.82), (0.69, 0.47),
            (0.74, 0.55), (0.78, 0.77), (0.86, 0.76), (0.84, 0.52), (0.72, 0.27), (0.62, 0.22)]
    return [Shape("poly", body, "main"),
            Shape("ellipse", (0.37, 0.13, 0.63, 0.33), "dark"),
            Shape("ellipse", (0.42, 0.17, 0.58, 0.31), "shade"),
            Shape("rounded", (0.39, 0.60, 0.61, 0.74), "dark", 0.03),
            Shape("line", [(0.47, 0.31), (0.46, 0.44)], "light", 0.006),
            Shape("line", [(0.53, 0.31), (0.54, 0.44)], "light", 0.006)]


def _trousers() -> list[Shape]:
    legs = [(0.33, 0.22), (0.67, 0.22), (0.71, 0.86), (0.55, 0.86), (0.50, 0.40),
            (0.45, 0.86), (0.29, 0.86)]
    return [Shape("poly", legs, "main"),
            Shape("rect", (0.33, 0.15, 0.67, 0.22), "dark"),
            Shape("line", [(0.50, 0.22), (0.50, 0.36)], "dark", 0.006),
            Shape("line", [(0.38, 0.25), (0.42, 0.31)], "dark", 0.005),
            Shape("line", [(0.62, 0.25), (0.58, 0.31)], "dark", 0.005)]


def _jacket() -> list[Shape]:
    shapes = _hoodie()[:1]
    return [*shapes,
            Shape("poly", [(0.38, 0.22), (0.50, 0.40), (0.44, 0.44), (0.34, 0.27)], "dark"),
            Shape("poly", [(0.62, 0.22), (0.50, 0.40), (0.56, 0.44), (0.66, 0.27)], "dark"),
            Shape("line", [(0.50, 0.40), (0.50, 0.82)], "light", 0.008),
            Shape("rect", (0.36, 0.62, 0.45, 0.64), "dark"),
            Shape("rect", (0.55, 0.62, 0.64, 0.64), "dark")]


def _shoe() -> list[Shape]:
    upper = [(0.16, 0.66), (0.18, 0.50), (0.30, 0.44), (0.42, 0.40), (0.50, 0.46),
             (0.62, 0.52), (0.78, 0.56), (0.86, 0.62), (0.86, 0.66)]
    sole = [(0.13, 0.66), (0.87, 0.66), (0.89, 0.71), (0.85, 0.75), (0.16, 0.75), (0.12, 0.71)]
    return [Shape("poly", upper, "main"), Shape("poly", sole, "accent"),
            Shape("poly", [(0.16, 0.66), (0.18, 0.50), (0.24, 0.48), (0.24, 0.66)], "dark"),
            Shape("line", [(0.30, 0.62), (0.48, 0.52), (0.70, 0.62)], "light", 0.014),
            Shape("line", [(0.44, 0.44), (0.48, 0.48)], "accent", 0.008),
            Shape("line", [(0.50, 0.47), (0.54, 0.51)], "accent", 0.008),
            Shape("line", [(0.56, 0.50), (0.60, 0.54)], "accent", 0.008)]


def _boot() -> list[Shape]:
    upper = [(0.22, 0.68), (0.22, 0.22), (0.45, 0.22), (0.47, 0.50), (0.63, 0.54),
             (0.77, 0.59), (0.81, 0.68)]
    return [Shape("poly", upper, "main"),
            Shape("rect", (0.20, 0.68, 0.83, 0.76), "ink"),
            Shape("rect", (0.22, 0.22, 0.45, 0.27), "dark"),
            Shape("line", [(0.45, 0.30), (0.47, 0.50)], "dark", 0.008),
            Shape("line", [(0.25, 0.60), (0.78, 0.64)], "dark", 0.005)]


def _mug() -> list[Shape]:
    return [Shape("ring", (0.55, 0.38, 0.80, 0.66), "main", 0.045),
            Shape("rounded", (0.26, 0.28, 0.64, 0.78), "main", 0.04),
            Shape("ellipse", (0.26, 0.25, 0.64, 0.32), "dark"),
            Shape("ellipse", (0.28, 0.26, 0.62, 0.31), "shade"),
            Shape("rect", (0.26, 0.46, 0.64, 0.52), "light")]


def _lamp() -> list[Shape]:
    return [Shape("ellipse", (0.26, 0.38, 0.74, 0.58), "glow"),
            Shape("rect", (0.485, 0.44, 0.515, 0.77), "ink"),
            Shape("ellipse", (0.34, 0.74, 0.66, 0.82), "dark"),
            Shape("poly", [(0.34, 0.18), (0.66, 0.18), (0.78, 0.46), (0.22, 0.46)], "main"),
            Shape("line", [(0.22, 0.46), (0.78, 0.46)], "dark", 0.01)]


def _cushion() -> list[Shape]:
    outline = [(0.22, 0.26), (0.36, 0.285), (0.50, 0.29), (0.64, 0.285), (0.78, 0.26),
               (0.755, 0.38), (0.75, 0.50), (0.755, 0.62), (0.78, 0.74), (0.64, 0.715),
               (0.50, 0.71), (0.36, 0.715), (0.22, 0.74), (0.245, 0.62), (0.25, 0.50),
               (0.245, 0.38)]
    return [Shape("poly", outline, "main"),
            Shape("line", [(0.30, 0.34), (0.50, 0.50), (0.70, 0.34)], "light", 0.006),
            Shape("line", [(0.30, 0.66), (0.50, 0.50), (0.70, 0.66)], "light", 0.006),
            Shape("ellipse", (0.475, 0.475, 0.525, 0.525), "dark")]


def _book() -> list[Shape]:
    return [Shape("rect", (0.72, 0.18, 0.76, 0.82), "accent"),
            Shape("rect", (0.30, 0.16, 0.73, 0.84), "main"),
            Shape("rect", (0.30, 0.16, 0.35, 0.84), "dark"),
            Shape("line", [(0.40, 0.30), (0.67, 0.30)], "accent", 0.005),
            Shape("line", [(0.40, 0.70), (0.67, 0.70)], "accent", 0.005),
            Shape("caption", (0.40, 0.34, 0.68, 0.66), "accent")]


def _backpack() -> list[Shape]:
    return [Shape("ring", (0.40, 0.14, 0.60, 0.32), "dark", 0.02),
            Shape("rounded", (0.27, 0.22, 0.73, 0.84), "main", 0.09),
            Shape("rounded", (0.33, 0.56, 0.67, 0.80), "dark", 0.04),
            Shape("line", [(0.36, 0.60), (0.64, 0.60)], "light", 0.006),
            Shape("line", [(0.33, 0.38), (0.67, 0.38)], "light", 0.006)]


def _cap() -> list[Shape]:
    return [Shape("poly", [(0.48, 0.55), (0.90, 0.58), (0.86, 0.65), (0.48, 0.63)], "dark"),
            Shape("chord", (0.22, 0.28, 0.74, 0.84), "main"),
            Shape("line", [(0.48, 0.29), (0.48, 0.56)], "dark", 0.006),
            Shape("line", [(0.33, 0.36), (0.40, 0.56)], "dark", 0.005),
            Shape("ellipse", (0.46, 0.26, 0.50, 0.30), "dark")]


# Where each silhouette stands, for its shadow (unit-square y); others stand at 0.84.
_FLOORS = {"shoe": 0.75, "boot": 0.76, "cap": 0.72, "cushion": 0.76, "lamp": 0.82,
           "mug": 0.78, "backpack": 0.84, "trousers": 0.86, "book": 0.84}
_WHITE = (255, 255, 255)

SILHOUETTES = {
    "shirt": _shirt, "hoodie": _hoodie, "trousers": _trousers, "jacket": _jacket,
    "shoe": _shoe, "boot": _boot, "mug": _mug, "lamp": _lamp, "cushion": _cushion,
    "book": _book, "backpack": _backpack, "cap": _cap,
}


def render_product_picture(spec: PictureSpec) -> bytes:
    """A ``PICTURE_SIDE`` square JPEG of ``spec``."""
    if spec.kind not in SILHOUETTES:
        raise ValueError(f"unknown picture kind {spec.kind!r}; known: {sorted(SILHOUETTES)}")
    canvas = _backdrop(spec)
    palette = _palette(spec.colour, spec.background)
    draw = ImageDraw.Draw(canvas)
    for shape in SILHOUETTES[spec.kind]():
        _draw_shape(draw, shape, palette, spec)
    return _jpeg(canvas.reduce(_SCALE))


def _backdrop(spec: PictureSpec) -> Image.Image:
    # Background and shadow are smooth, so they are composed small and enlarged once: far
    # cheaper than gradients and blurs at full size.
    side = 100
    gradient = Image.linear_gradient("L").resize((side, side), Image.Resampling.BILINEAR)
    small = ImageOps.colorize(gradient, black=_mix(spec.background, _WHITE, 0.55),
                              white=spec.background)
    floor = _FLOORS.get(spec.kind, 0.84)
    box = [edge * side / _CANVAS for edge in _corners((0.22, floor - 0.03, 0.78, floor + 0.04),
                                                      spec)]
    shadow = Image.new("L", (side, side), 0)
    ImageDraw.Draw(shadow).ellipse(box, fill=90)
    small.paste(_mix(spec.background, (0, 0, 0), 0.55),
                mask=shadow.filter(ImageFilter.GaussianBlur(3)))
    # Blocks of 4x4 identical pixels become 2x2 after the final halving: invisible steps.
    smooth = small.resize((_CANVAS // 4, _CANVAS // 4), Image.Resampling.BILINEAR)
    return smooth.resize((_CANVAS, _CANVAS), Image.Resampling.NEAREST)


def _palette(colour: RGB, background: RGB) -> dict[str, RGB]:
    return {
        "main": colour,
        "dark": _mix(colour, (0, 0, 0), 0.35),
        "light": _mix(colour, _WHITE, 0.45),
        "shade": _mix(colour, (0, 0, 0), 0.6),
        "accent": (246, 244, 238),
        "ink": (52, 52, 58),
        "glow": _mix(background, (255, 236, 160), 0.6),
    }


def _draw_shape(draw: ImageDraw.ImageDraw, shape: Shape, palette: dict[str, RGB],
                spec: PictureSpec) -> None:
    fill, outline = palette[shape.role], palette["dark"]
    if shape.operation == "poly":
        draw.polygon(_points(shape, spec), fill=fill, outline=outline, width=_OUTLINE)
    elif shape.operation == "line":
        draw.line(_points(shape, spec), fill=fill, width=_width(shape.size), joint="curve")
    elif shape.operation == "caption":
        _caption(draw, _box(shape, spec), spec.caption, fill)
    elif shape.operation == "ellipse":
        draw.ellipse(_box(shape, spec), fill=fill)
    elif shape.operation == "ring":
        draw.ellipse(_box(shape, spec), outline=fill, width=_width(shape.size))
    elif shape.operation == "rect":
        draw.rectangle(_box(shape, spec), fill=fill)
    elif shape.operation == "rounded":
        draw.rounded_rectangle(_box(shape, spec), radius=_width(shape.size), fill=fill,
                               outline=outline, width=_OUTLINE)
    elif shape.operation == "chord":
        draw.chord(_box(shape, spec), 180, 360, fill=fill, outline=outline, width=_OUTLINE)


def _caption(draw: ImageDraw.ImageDraw, box: list[float], text: str, fill: RGB) -> None:
    if not text:
        return
    left, top, right, bottom = box
    size = int((right - left) / 7)
    font = ImageFont.load_default(size=size)
    # The embedded font has ASCII glyphs only; "jardín" would show a box for the "í".
    lines = _wrap(_ascii(text), draw, font, right - left)[:4]
    step = size * 1.25
    y = top + (bottom - top - step * len(lines)) / 2
    for line in lines:
        draw.text(((left + right) / 2, y), line, fill=fill, font=font, anchor="ma")
        y += step


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _wrap(text: str, draw: ImageDraw.ImageDraw,
          font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _place(point: Point, spec: PictureSpec) -> tuple[float, float]:
    x, y = point
    if spec.mirrored:
        x = 1 - x
    x = 0.5 + (x - 0.5) * spec.zoom + spec.shift[0]
    y = 0.5 + (y - 0.5) * spec.zoom + spec.shift[1]
    return x * _CANVAS, y * _CANVAS


def _points(shape: Shape, spec: PictureSpec) -> list[tuple[float, float]]:
    return [_place(point, spec) for point in shape.geometry]  # type: ignore[arg-type]


def _box(shape: Shape, spec: PictureSpec) -> list[float]:
    return _corners(shape.geometry, spec)  # type: ignore[arg-type]


def _corners(box: tuple[float, float, float, float], spec: PictureSpec) -> list[float]:
    x0, y0 = _place((box[0], box[1]), spec)
    x1, y1 = _place((box[2], box[3]), spec)
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


def _width(fraction: float) -> int:
    return max(1, round(fraction * _CANVAS))


def _mix(colour: RGB, other: RGB, amount: float) -> RGB:
    r, g, b = (round(c + (o - c) * amount) for c, o in zip(colour, other, strict=True))
    return r, g, b


def make_thumbnail(image_bytes: bytes, max_side: int = THUMBNAIL_SIDE) -> bytes:
    """A JPEG no larger than ``max_side`` on either side, upright, transparency on white.

    Raises ``ValueError`` with a message fit for the uploader when ``image_bytes`` is not a
    readable JPEG, PNG or WebP picture."""
    if max_side < 1:
        raise ValueError(f"max_side must be positive, not {max_side}")
    image = load_image(image_bytes, reduce_to=max_side)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _jpeg(_flatten(image))


def load_image(image_bytes: bytes, *, reduce_to: int | None = None) -> Image.Image:
    """The decoded picture in ``image_bytes``; ``ValueError`` if it is not a usable JPEG, PNG
    or WebP. ``reduce_to`` lets JPEG decoding skip detail a thumbnail of that side won't need."""
    if not image_bytes:
        raise ValueError("the file is empty; expected a JPEG, PNG or WebP image")
    try:
        with warnings.catch_warnings():
            # Size is judged against MAX_PIXELS just below, with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(image_bytes), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        raise ValueError("the file is not a JPEG, PNG or WebP image") from None
    except Image.DecompressionBombError:
        raise ValueError(_too_large_message()) from None
    except (OSError, SyntaxError, EOFError):
        # A header cut short: the legacy code let this through as a server error.
        raise ValueError("the image is damaged or truncated") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValueError(_too_large_message(f"{width}x{height} pixels"))
    if reduce_to is not None:
        image.draft("RGB", (reduce_to, reduce_to))
    try:
        image.load()
    except (OSError, SyntaxError, EOFError):
        raise ValueError(f"the {image.format} image is damaged or truncated") from None
    return image


def _too_large_message(size: str = "too large") -> str:
    return f"the image is {size}; at most {MAX_PIXELS // 1_000_000} megapixels are accepted"


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, _WHITE)
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class PreparedPicture:
    """An upload made ready to store: the re-encoded original and its thumbnail, both JPEG."""

    original_jpeg: bytes
    thumbnail_jpeg: bytes
    width: int
    height: int


def prepare_upload(data: bytes) -> PreparedPicture:
    """Decode, right the orientation, re-encode as JPEG (at most ORIGINAL_MAX_SIDE) and make
    the thumbnail; `ValueError` with a message for the uploader when `data` is not a usable
    JPEG, PNG or WebP picture."""
    original = make_thumbnail(data, ORIGINAL_MAX_SIDE)
    width, height = load_image(original).size
    return PreparedPicture(original, make_thumbnail(data), width, height)
