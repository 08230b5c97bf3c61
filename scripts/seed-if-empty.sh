#!/usr/bin/env bash
# Migrate; on the first run only, start Azurite for the seed's product images, build the demo
# shop, and stop Azurite again (honcho starts the real one).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .data
if .venv-legacy/bin/tienda seed --check; then
  exit 0
fi
port=${TIENDA_AZURITE_BLOB_PORT:-10000}
started=""
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  tools/node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --loose --location .data/azurite \
    --blobHost 127.0.0.1 --blobPort "$port" \
    --queueHost 127.0.0.1 --queuePort "${TIENDA_AZURITE_QUEUE_PORT:-10001}" \
    --tableHost 127.0.0.1 --tablePort 10002 &
  started=$!
  trap '[ -n "$started" ] && kill "$started" 2>/dev/null; wait 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
fi
.venv-legacy/bin/tienda seed
