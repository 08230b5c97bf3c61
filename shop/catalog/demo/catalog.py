"""The demo shop's catalogue: a category tree, and products with es/en names, descriptions,
variants and picture specs. Pure data and a ``random.Random``; nothing touches the database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from shop.catalog.demo.text import slugify
from shop.catalog.images import RGB, PictureSpec


@dataclass(frozen=True, slots=True)
class Colour:
    es: str
    en: str
    code: str
    rgb: RGB


_COLOURS = {c.code: c for c in (
    Colour("Negro", "Black", "BLK", (38, 38, 42)),
    Colour("Blanco", "White", "WHT", (240, 240, 234)),
    Colour("Azul marino", "Navy", "NAV", (34, 52, 98)),
    Colour("Gris", "Grey", "GRY", (128, 130, 134)),
    Colour("Rojo", "Red", "RED", (188, 42, 48)),
    Colour("Verde oliva", "Olive", "OLV", (112, 120, 62)),
    Colour("Mostaza", "Mustard", "MUS", (214, 166, 44)),
    Colour("Beige", "Beige", "BEI", (214, 196, 162)),
    Colour("Azul cielo", "Sky blue", "SKY", (122, 172, 222)),
    Colour("Terracota", "Terracotta", "TER", (192, 102, 72)),
    Colour("Rosa", "Pink", "PNK", (230, 152, 172)),
    Colour("Verde bosque", "Forest green", "FOR", (44, 92, 62)),
    Colour("Burdeos", "Burgundy", "BUR", (112, 32, 48)),
    Colour("Marrón", "Brown", "BRN", (112, 76, 50)),
)}



def attribute_labels() -> list[tuple[str, str, str, str]]:
    """(attribute, stored value, locale, label): colours are stored in Spanish, so English
    needs a label; sizes read the same in both languages."""
    return [("color", c.es, "en", c.en) for c in _COLOURS.values() if c.en != c.es]


_BACKGROUNDS: tuple[RGB, ...] = (
    (232, 222, 208), (214, 226, 236), (226, 232, 218), (238, 226, 226), (226, 222, 238),
    (236, 232, 214), (218, 232, 232),
)
_COLLECTIONS = (
    "Alba", "Brisa", "Cala", "Duna", "Faro", "Gaia", "Hiedra", "Iris", "Jara", "Lino", "Mar",
    "Nube", "Olivo", "Pino", "Roca", "Sal", "Siena", "Tierra", "Vela", "Zafiro", "Arena",
    "Bruma", "Coral", "Delta",
)
_AUTHORS = (
    "Lucía Ferrer", "Martín Ochoa", "Carmen Vidal", "Julia Aranda", "Pablo Rivas",
    "Elena Castro", "Hugo Santos", "Irene Molina", "Diego Prieto", "Nora Galindo",
)
CLOTHING_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
TROUSER_SIZES = ("38", "40", "42", "44", "46", "48")
SHOE_SIZES = tuple(str(size) for size in range(36, 47))
_SIZE_POPULARITY = {"XS": 0.35, "S": 0.8, "M": 1.2, "L": 1.1, "XL": 0.6, "XXL": 0.3}


@dataclass(frozen=True, slots=True)
class Leaf:
    """A category products are filed under, and how to invent its products."""

    slug: str
    name_es: str
    name_en: str
    parent: str
    kind: str
    code: str
    euros: tuple[int, int]
    share: int
    bases: tuple[tuple[str, str], ...]
    blurb: tuple[str, str]
    materials: tuple[tuple[str, str], ...]
    sizes: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    parts: tuple[tuple[str, str], ...] = ()
    english_title_first: bool = False


_CLOTHES = ("BLK", "WHT", "NAV", "GRY", "RED", "OLV", "MUS", "BEI", "SKY", "FOR", "BUR")
_HOME = ("WHT", "BLK", "TER", "MUS", "SKY", "PNK", "OLV", "GRY", "FOR")
_COTTON = (("algodón orgánico", "organic cotton"), ("algodón peinado", "combed cotton"),
           ("lino y algodón", "linen and cotton"), ("algodón reciclado", "recycled cotton"))

PARENTS = (
    ("ropa", "Ropa", "Clothing"), ("calzado", "Calzado", "Footwear"), ("hogar", "Hogar", "Home"),
    ("libros", "Libros", "Books"), ("accesorios", "Accesorios", "Accessories"),
)
LEAVES = (
    Leaf("camisetas", "Camisetas", "T-shirts", "ropa", "shirt", "TSH", (15, 35), 12,
         (("Camiseta básica", "Basic T-shirt"), ("Camiseta de rayas", "Striped T-shirt"),
          ("Camiseta con bolsillo", "Pocket T-shirt"), ("Camiseta oversize", "Oversized T-shirt"),
          ("Camiseta de manga larga", "Long-sleeve T-shirt")),
         ("{name} de {material}. Corte recto, costuras reforzadas y un tacto suave que mejora "
          "con cada lavado.", "{name} in {material}. Straight fit, reinforced seams and a soft "
          "hand feel that gets better with every wash."), _COTTON, CLOTHING_SIZES, _CLOTHES),
    Leaf("sudaderas", "Sudaderas", "Sweatshirts", "ropa", "hoodie", "SWT", (40, 70), 9,
         (("Sudadera con capucha", "Hoodie"), ("Sudadera de felpa", "Fleece sweatshirt"),
          ("Sudadera con cremallera", "Zip hoodie")),
         ("{name} de {material} con interior perchado, puños elásticos y bolsillo canguro.",
          "{name} in {material} with a brushed lining, ribbed cuffs and a kangaroo pocket."),
         _COTTON, CLOTHING_SIZES, _CLOTHES),
    Leaf("pantalones", "Pantalones", "Trousers", "ropa", "trousers", "TRS", (35, 80), 8,
         (("Pantalón chino", "Chinos"), ("Vaquero recto", "Straight jeans"),
          ("Pantalón de lino", "Linen trousers"), ("Pantalón cargo", "Cargo trousers")),
         ("{name} de {material}, con cintura cómoda y cinco bolsillos.",
          "{name} in {material}, with a comfortable waist and five pockets."),
         (("sarga de algodón", "cotton twill"), ("denim elástico", "stretch denim"),
          ("lino lavado", "washed linen")), TROUSER_SIZES, ("NAV", "BEI", "BLK", "OLV", "GRY")),
    Leaf("chaquetas", "Chaquetas", "Jackets", "ropa", "jacket", "JKT", (60, 150), 6,
         (("Chaqueta vaquera", "Denim jacket"), ("Cazadora acolchada", "Quilted jacket"),
          ("Chaqueta impermeable", "Rain jacket"), ("Sobrecamisa", "Overshirt")),
         ("{name} de {material}. Abrigo ligero para entretiempo, con bolsillos interiores.",
          "{name} in {material}. A light layer for in-between weather, with inside pockets."),
         (("nailon reciclado", "recycled nylon"), ("denim", "denim"), ("pana", "corduroy")),
         CLOTHING_SIZES, ("NAV", "BLK", "OLV", "MUS", "BRN")),
    Leaf("zapatillas", "Zapatillas", "Trainers", "calzado", "shoe", "SNK", (50, 120), 10,
         (("Zapatillas urbanas", "City trainers"), ("Zapatillas de running", "Running shoes"),
          ("Zapatillas de lona", "Canvas trainers"), ("Zapatillas de piel", "Leather trainers")),
         ("{name} con suela de caucho natural y parte superior de {material}. Plantilla "
          "extraíble.", "{name} with a natural rubber sole and a {material} upper. Removable "
          "insole."), (("piel", "leather"), ("lona", "canvas"), ("malla técnica", "tech mesh")),
         SHOE_SIZES, ("WHT", "BLK", "NAV", "GRY", "RED", "SKY")),
    Leaf("botas", "Botas", "Boots", "calzado", "boot", "BOT", (70, 160), 5,
         (("Botas chelsea", "Chelsea boots"), ("Botines de piel", "Leather ankle boots"),
          ("Botas de montaña", "Hiking boots")),
         ("{name} de {material}, cosidas a mano, con suela antideslizante.",
          "{name} in {material}, hand-stitched, with a non-slip sole."),
         (("piel engrasada", "oiled leather"), ("ante", "suede")), SHOE_SIZES,
         ("BRN", "BLK", "BEI")),
    Leaf("tazas", "Tazas", "Mugs", "hogar", "mug", "MUG", (9, 20), 9,
         (("Taza de cerámica", "Ceramic mug"), ("Taza esmaltada", "Enamel mug"),
          ("Taza grande", "Large mug"), ("Taza de gres", "Stoneware mug")),
         ("{name} de {material}, 350 ml. Apta para lavavajillas y microondas.",
          "{name} in {material}, 350 ml. Dishwasher and microwave safe."),
         (("gres esmaltado", "glazed stoneware"), ("porcelana", "porcelain"),
          ("cerámica artesanal", "handmade ceramic")), (), _HOME),
    Leaf("lamparas", "Lámparas", "Lamps", "hogar", "lamp", "LMP", (30, 130), 6,
         (("Lámpara de mesa", "Table lamp"), ("Lámpara de pie", "Floor lamp"),
          ("Lámpara de lectura", "Reading lamp")),
         ("{name} con pantalla de {material} y casquillo E27. Luz cálida y acogedora.",
          "{name} with a {material} shade and an E27 socket. Warm, cosy light."),
         (("lino", "linen"), ("algodón", "cotton"), ("papel de arroz", "rice paper")), (),
         ("WHT", "MUS", "TER", "SKY", "OLV")),
    Leaf("cojines", "Cojines", "Cushions", "hogar", "cushion", "CSH", (15, 35), 6,
         (("Cojín de terciopelo", "Velvet cushion"), ("Cojín de lino", "Linen cushion"),
          ("Cojín bordado", "Embroidered cushion")),
         ("{name} de {material}, 45 x 45 cm, con relleno de fibra y funda desenfundable.",
          "{name} in {material}, 45 x 45 cm, with a fibre filling and a removable cover."),
         (("terciopelo de algodón", "cotton velvet"), ("lino lavado", "washed linen")), (),
         _HOME),
    Leaf("novela", "Novela", "Fiction", "libros", "book", "NOV", (15, 25), 8,
         (("El jardín", "The Garden"), ("La casa", "The House"), ("El silencio", "The Silence"),
          ("La ciudad", "The City"), ("El último verano", "The Last Summer"),
          ("La memoria", "The Memory"), ("El mapa", "The Map"), ("La sombra", "The Shadow")),
         ("«{name}», de {material}. Una novela luminosa sobre la memoria y los lugares que "
          "nos cambian.", "“{name}” by {material}. A luminous novel about memory and the "
          "places that change us."), tuple((a, a) for a in _AUTHORS), (), (),
         (("de las palabras perdidas", "of Lost Words"), ("del norte", "of the North"),
          ("junto al mar", "by the Sea"), ("de los relojes", "of Clocks"),
          ("sin nombre", "Without a Name"), ("de cristal", "of Glass"),
          ("bajo la lluvia", "in the Rain"), ("de medianoche", "at Midnight")), True),
    Leaf("cocina", "Cocina", "Cookbooks", "libros", "book", "CKB", (20, 35), 5,
         (("Cocina", "Cooking"), ("Recetas", "Recipes"), ("Sabores", "Flavours"),
          ("Platos", "Dishes"), ("Postres", "Desserts"), ("Guisos", "Stews")),
         ("«{name}», de {material}. Más de cien recetas explicadas paso a paso, con fotografías.",
          "“{name}” by {material}. Over a hundred recipes explained step by step, with "
          "photographs."), tuple((a, a) for a in _AUTHORS), (), (),
         (("de la abuela", "from Grandma's Kitchen"), ("de temporada", "of the Season"),
          ("del mercado", "from the Market"), ("de la huerta", "from the Garden"),
          ("para cada día", "for Every Day"), ("en 30 minutos", "in 30 Minutes"),
          ("de Galicia", "from Galicia"), ("de Andalucía", "from Andalusia")), True),
    Leaf("mochilas", "Mochilas", "Backpacks", "accesorios", "backpack", "BPK", (30, 90), 6,
         (("Mochila urbana", "City backpack"), ("Mochila enrollable", "Roll-top backpack"),
          ("Mochila de viaje", "Travel backpack")),
         ("{name} de {material}, 20 litros, con funda acolchada para portátil de 15\".",
          "{name} in {material}, 20 litres, with a padded sleeve for a 15\" laptop."),
         (("lona encerada", "waxed canvas"), ("poliéster reciclado", "recycled polyester")), (),
         ("BLK", "NAV", "OLV", "GRY", "MUS", "TER")),
    Leaf("gorras", "Gorras", "Caps", "accesorios", "cap", "CAP", (13, 30), 5,
         (("Gorra de béisbol", "Baseball cap"), ("Gorra de pana", "Corduroy cap"),
          ("Gorra de cinco paneles", "Five-panel cap")),
         ("{name} de {material}, talla única con cierre ajustable.",
          "{name} in {material}, one size with an adjustable strap."),
         (("algodón", "cotton"), ("pana", "corduroy")), (), ("BLK", "NAV", "BEI", "OLV", "RED")),
)


@dataclass(frozen=True, slots=True)
class CategoryPlan:
    slug: str
    name_es: str
    name_en: str
    parent: str | None
    position: int


@dataclass(frozen=True, slots=True)
class VariantPlan:
    sku: str
    attributes: dict[str, str]
    price_minor: int
    cost_minor: int
    popularity: float


@dataclass(frozen=True, slots=True)
class ProductPlan:
    slug: str
    category: str
    kind: str
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    featured: bool
    pictures: tuple[PictureSpec, ...]
    variants: tuple[VariantPlan, ...]


@dataclass(frozen=True, slots=True)
class CatalogPlan:
    categories: tuple[CategoryPlan, ...]
    products: tuple[ProductPlan, ...]
    variants: tuple[VariantPlan, ...] = field(init=False)

    def __post_init__(self) -> None:
        flat = tuple(v for product in self.products for v in product.variants)
        object.__setattr__(self, "variants", flat)


def plan_catalog(rng: random.Random, products: int, tax_rate_bp: int) -> CatalogPlan:
    categories = [CategoryPlan(slug, es, en, None, i) for i, (slug, es, en) in enumerate(PARENTS)]
    categories += [CategoryPlan(leaf.slug, leaf.name_es, leaf.name_en, leaf.parent,
                                [other.parent for other in LEAVES[:i]].count(leaf.parent))
                   for i, leaf in enumerate(LEAVES)]
    counts = _share_out(products, [leaf.share for leaf in LEAVES])
    featured = set(rng.sample(range(products), max(1, round(products * 0.1)) if products else 0))
    planned: list[ProductPlan] = []
    for leaf, count in zip(LEAVES, counts, strict=True):
        for name_es, name_en in _names(rng, leaf, count):
            number = len(planned) + 1
            planned.append(_product(rng, leaf, number, name_es, name_en,
                                    number - 1 in featured, tax_rate_bp))
    if len({product.slug for product in planned}) != len(planned):
        raise AssertionError("demo product names must give distinct slugs")
    return CatalogPlan(tuple(categories), tuple(planned))


def _share_out(total: int, shares: list[int]) -> list[int]:
    """``total`` split in proportion to ``shares`` (largest remainders get the leftovers)."""
    whole = sum(shares)
    exact = [total * share / whole for share in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _names(rng: random.Random, leaf: Leaf, count: int) -> list[tuple[str, str]]:
    parts = leaf.parts or tuple((name, name) for name in _COLLECTIONS)
    pairs = [(base, part) for base in leaf.bases for part in parts]
    rng.shuffle(pairs)
    names = []
    for i in range(count):
        (base_es, base_en), (part_es, part_en) = pairs[i % len(pairs)]
        edition = f" {i // len(pairs) + 1}" if i >= len(pairs) else ""
        english = (f"{base_en} {part_en}" if leaf.english_title_first
                   else f"{part_en} {base_en}")
        names.append((f"{base_es} {part_es}{edition}", english + edition))
    return names


def _product(rng: random.Random, leaf: Leaf, number: int, name_es: str, name_en: str,
             featured: bool, tax_rate_bp: int) -> ProductPlan:
    material_es, material_en = rng.choice(leaf.materials)
    colours = _colours(rng, leaf)
    price = rng.randrange(leaf.euros[0], leaf.euros[1] + 1) * 100 - (10 if leaf.kind == "book"
                                                                     else 5)
    variants = _variants(rng, leaf, number, colours, price, tax_rate_bp, featured)
    background = rng.choice(_BACKGROUNDS)
    pictures = tuple(_picture(rng, leaf.kind, colours, i, background, name_es)
                     for i in range(rng.choices((1, 2, 3), weights=(3, 4, 3))[0]))
    return ProductPlan(
        slug=slugify(name_es), category=leaf.slug, kind=leaf.kind, name_es=name_es,
        name_en=name_en, featured=featured, pictures=pictures, variants=variants,
        description_es=leaf.blurb[0].format(name=name_es, material=material_es),
        description_en=leaf.blurb[1].format(name=name_en, material=material_en),
    )


def _colours(rng: random.Random, leaf: Leaf) -> list[Colour]:
    if not leaf.colours:
        return [rng.choice(list(_COLOURS.values()))]
    count = rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
    return [_COLOURS[code] for code in rng.sample(leaf.colours, min(count, len(leaf.colours)))]


def _variants(rng: random.Random, leaf: Leaf, number: int, colours: list[Colour], price: int,
              tax_rate_bp: int, featured: bool) -> tuple[VariantPlan, ...]:
    net = price * 10_000 // (10_000 + tax_rate_bp)
    cost = round(net * rng.uniform(0.35, 0.55))
    appeal = min(rng.paretovariate(1.4), 12.0) * (1.8 if featured else 1.0)
    prefix = f"{leaf.code}-{number:04d}"
    if not leaf.colours:
        return (VariantPlan(prefix, {}, price, cost, appeal),)
    sizes = _size_run(rng, leaf.sizes)
    return tuple(
        VariantPlan(
            sku="-".join(filter(None, (prefix, colour.code, size))),
            attributes={"color": colour.es, **({"size": size} if size else {})},
            price_minor=price, cost_minor=cost,
            popularity=appeal * (0.7 ** rank) * _size_popularity(leaf.sizes, size),
        )
        for rank, colour in enumerate(colours) for size in sizes
    )


def _size_run(rng: random.Random, sizes: tuple[str, ...]) -> list[str]:
    """A contiguous run of the leaf's sizes (a product rarely comes in every size)."""
    if not sizes:
        return [""]
    length = rng.randint(min(4, len(sizes)), min(7, len(sizes)))
    start = rng.randint(0, len(sizes) - length)
    return list(sizes[start:start + length])


def _size_popularity(sizes: tuple[str, ...], size: str) -> float:
    if size in _SIZE_POPULARITY:
        return _SIZE_POPULARITY[size]
    if not size:
        return 1.0
    middle = (len(sizes) - 1) / 2
    return max(0.15, 1.2 - abs(sizes.index(size) - middle) * 0.25)


def _picture(rng: random.Random, kind: str, colours: list[Colour], index: int,
             background: RGB, caption: str) -> PictureSpec:
    colour = colours[index % len(colours)].rgb
    if index == 0:
        return PictureSpec(kind, colour, background, caption=caption)
    return PictureSpec(
        kind, colour, rng.choice(_BACKGROUNDS), zoom=round(rng.uniform(0.9, 1.12), 3),
        shift=(round(rng.uniform(-0.04, 0.04), 3), round(rng.uniform(-0.03, 0.03), 3)),
        mirrored=index % 2 == 1, caption=caption,
    )
