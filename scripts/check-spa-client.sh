#!/usr/bin/env bash
# Fails (exit 1) when the staff SPA's committed API description or client is stale:
#   1. backoffice/spa/openapi.json must be what drf-spectacular makes from the backoffice API now;
#   2. backoffice/spa/src/api/schema.d.ts must be what openapi-typescript makes from it.
# Both are regenerated into a temporary folder and compared; nothing in the tree is changed.
# To refresh them:
#   .venv/bin/python manage.py spectacular --settings shop.settings.backoffice \
#       --format openapi-json --file backoffice/spa/openapi.json
#   (cd backoffice/spa && npm run generate)
# Needs the Python virtualenv (.venv) and the SPA's node_modules (npm ci in backoffice/spa).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SPA="$ROOT/backoffice/spa"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$SPA/node_modules/.bin/openapi-typescript" ]; then
  echo "check-spa-client: run \`npm ci\` in backoffice/spa first" >&2
  exit 1
fi

(cd "$ROOT" && "$PYTHON" manage.py spectacular --settings shop.settings.backoffice \
  --format openapi-json --file "$TMP/openapi.json")
(cd "$SPA" && node_modules/.bin/openapi-typescript "$TMP/openapi.json" -o "$TMP/schema.d.ts" \
  >/dev/null)

stale=0
if ! diff -u "$SPA/openapi.json" "$TMP/openapi.json" >"$TMP/openapi.diff"; then
  echo "check-spa-client: backoffice/spa/openapi.json is stale (the API changed):" >&2
  head -40 "$TMP/openapi.diff" >&2
  stale=1
fi
if ! diff -u "$SPA/src/api/schema.d.ts" "$TMP/schema.d.ts" >"$TMP/schema.diff"; then
  echo "check-spa-client: backoffice/spa/src/api/schema.d.ts is stale:" >&2
  head -40 "$TMP/schema.diff" >&2
  stale=1
fi
if [ "$stale" -ne 0 ]; then
  echo "check-spa-client: regenerate both (see the top of scripts/check-spa-client.sh) and commit them" >&2
  exit 1
fi
echo "check-spa-client: openapi.json and schema.d.ts match the backoffice API"
