"""Parse Bicep files with pycep-parser and print {path: template} as JSON.

Runs in .venv-pycep (pycep-parser 0.7.1), not in the project's venv: checkov pins 0.5.1 and
the two cannot share an environment. tests/infra/bicep.py calls this in a subprocess."""

import json
import sys
from pathlib import Path

from pycep import BicepParser


def main(paths: list[str]) -> int:
    parser = BicepParser()
    parsed = {}
    for path in paths:
        try:
            parsed[path] = parser.parse(text=Path(path).read_text(encoding="utf-8"))
        except Exception as exc:  # any parser error: reported as one line per file
            print(f"{path}: pycep could not parse it: {str(exc).splitlines()[0]}", file=sys.stderr)
            return 1
    json.dump(parsed, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
