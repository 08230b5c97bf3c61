"""Print the Terraform files named on the command line as one JSON object {path: parsed HCL}.

Runs under .venv-infra's Python with python-hcl2 on PYTHONPATH (it cannot share a venv with
checkov, whose bc-python-hcl2 owns the same ``hcl2`` import name); tests/infra calls it once
per session.
"""

import json
import sys

import hcl2
from hcl2.utils import SerializationOptions

OPTIONS = SerializationOptions(
    with_comments=False, explicit_blocks=False, strip_string_quotes=True, preserve_heredocs=False
)


def main(paths: list[str]) -> None:
    parsed = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            parsed[path] = hcl2.load(handle, serialization_options=OPTIONS)
    json.dump(parsed, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
