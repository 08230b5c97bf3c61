"""Write the backoffice API's OpenAPI document to the path given as the only argument, for the
SPA's generated client: ``python scripts/export-openapi.py backoffice-ui/openapi.json``.

The app is built without touching any database, queue or blob store (they are opened lazily)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tienda.config import load_settings
from tienda.entrypoints.backoffice_api.app import create_app


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: export-openapi.py PATH", file=sys.stderr)
        return 2
    document = create_app(load_settings()).openapi()
    target = Path(argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(document['paths'])} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
