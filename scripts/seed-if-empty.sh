#!/usr/bin/env bash
# Migrate; on the first run only, start Azurite for the seed's product pictures, build the demo
# shop, and stop Azurite again (honcho starts the real one).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .data
.venv/bin/python manage.py migrate --noinput -v0
if .venv/bin/python manage.py seed_demo --check >/dev/null; then
  exit 0
fi
started=""
if ! (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; then
  node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --loose \
    --location .data/azurite --blobHost 127.0.0.1 --blobPort 10000 \
    --queueHost 127.0.0.1 --queuePort 10001 --tableHost 127.0.0.1 --tablePort 10002 &
  started=$!
  trap '[ -n "$started" ] && kill "$started" 2>/dev/null; wait 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null && break
    sleep 0.1
  done
fi
.venv/bin/python manage.py seed_demo
