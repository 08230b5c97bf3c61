#!/usr/bin/env bash
# Assemble the Function App package from the project's own code:
#   build/functions/      function_app.py, host.json, requirements.txt, manage.py and the Django
#                         packages the settings install (INSTALLED_APPS is the same everywhere)
#   build/functions.zip   the same tree, zipped for a zip deploy (remote build installs
#                         requirements.txt; on Flex Consumption: `az functionapp deployment
#                         source config-zip --build-remote true`)
# Usage: scripts/build-functions.sh [OUTPUT_DIR]   (default build/functions)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/build/functions}")"
PACKAGES=(shop workers analytics storefront backoffice)
EXCLUDES=(--exclude=__pycache__ --exclude='*.pyc' --exclude=node_modules --exclude=tests
          --exclude=backoffice/spa --exclude=shop/settings/test.py)

case "$OUT" in
  "$ROOT" | "$ROOT/" | / ) echo "build-functions: refusing to write into $OUT" >&2; exit 2 ;;
esac
rm -rf "$OUT" "$OUT.zip"
mkdir -p "$OUT"

cp "$ROOT/azure_functions/function_app.py" "$ROOT/azure_functions/host.json" "$OUT/"
cp -L "$ROOT/requirements.txt" "$OUT/requirements.txt"  # the runtime pins, with hashes
cp "$ROOT/manage.py" "$OUT/"
(cd "$ROOT" && tar -c "${EXCLUDES[@]}" "${PACKAGES[@]}") | (cd "$OUT" && tar -x)

if command -v zip >/dev/null; then
  (cd "$OUT" && zip -qr -X "$OUT.zip" .)
else
  (cd "$OUT" && python3 -m zipfile -c "$OUT.zip" ./*)
fi
echo "build-functions: $OUT ($(find "$OUT" -type f | wc -l) files) and $OUT.zip"
