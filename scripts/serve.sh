#!/usr/bin/env bash
# Start every process of the Procfile under honcho and say where they listen. Ctrl-C stops
# them all; that is a clean stop, not an error.
set -uo pipefail
cd "$(dirname "$0")/.."
cat <<'TEXT'
Tienda is starting (Ctrl-C stops everything):
  shop (storefront)          http://127.0.0.1:8000
  public API docs            http://127.0.0.1:8000/docs
  backoffice (staff SPA)     http://127.0.0.1:8001
  Django admin               http://127.0.0.1:8001/admin/
  staff API                  http://127.0.0.1:8001/api/
  mail capture (SMTP :8025)  messages stored in .data/mail/
  demo staff login           admin@tienda.local / tienda-demo  (also manager@, support@, viewer@)
TEXT
.venv/bin/honcho start -f Procfile
code=$?
case $code in
  0|130|143) exit 0 ;;
  *) exit "$code" ;;
esac
