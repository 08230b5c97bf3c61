"""Text helpers the demo planners need, kept free of Django so the planners stay pure."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """Accents dropped, lower case, runs of anything else become one dash (the shop's rule,
    as in shop.catalog.services.slugify)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
