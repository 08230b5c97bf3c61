"""The storefront's gettext catalogs: English msgids, Spanish in es/LC_MESSAGES/messages.po.

Decision: the compiled ``messages.mo`` is committed next to its ``.po``. The shop then needs
no build step on App Service or in a wheel, and ``tests/unit`` fails if the two disagree or
if a message in a template or page module has no Spanish translation. After editing texts:

    .venv/bin/python -m tienda.entrypoints.frontoffice.i18n update   # new msgids into .po
    (translate the empty msgstr entries)
    .venv/bin/python -m tienda.entrypoints.frontoffice.i18n compile  # .po -> .mo
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).parent
FRONTOFFICE = HERE.parent
PO = HERE / "es" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "t": (2,), "gettext": (2,), "N_": None}
METHODS = [("templates/**.html", "jinja2"), ("pages/**.py", "python"), ("*.py", "python")]


def extract() -> set[str]:
    """Every msgid the templates and page modules use."""
    found = extract_from_dir(str(FRONTOFFICE), METHODS, keywords=KEYWORDS,
                             options_map={"templates/**.html": {"extensions": ""}})
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context in found}


def read_catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="es")


def update() -> list[str]:
    catalog = read_catalog()
    missing = sorted(extract() - {m.id for m in catalog if m.id})
    for msgid in missing:
        catalog.add(msgid, "")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    return missing


def compile_mo() -> None:
    with MO.open("wb") as handle:
        write_mo(handle, read_catalog())

