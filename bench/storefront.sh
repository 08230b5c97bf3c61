#!/usr/bin/env bash
# Storefront throughput of the Django port: wrk (-t2 -c32 -d15s --latency) against the home
# page, a category listing and a product page of a shop built by `manage.py seed_demo`
# (1,000 products, 2,000 orders), served by gunicorn with 2 workers (`-c shop/gunicorn_conf.py
# shop.wsgi`, settings shop.settings.storefront), on SQLite and on PostgreSQL. Also the
# storefront's CPU per request, from /proc (utime + stime of the master and its workers).
# Writes the "## Storefront" section of docs/PERFORMANCE.md (NO_WRITE=1: print only).
# Loopback only; every process it starts and the scratch database are gone at the end.
#
#   bench/storefront.sh                        # both databases, full size
#   DATABASES=sqlite DURATION=3s PRODUCTS=40 ORDERS=50 NO_WRITE=1 bench/storefront.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
DATABASES=${DATABASES:-"sqlite postgresql"}
PG_URL=${TIENDA_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
DURATION=${DURATION:-15s}
PRODUCTS=${PRODUCTS:-1000}
CUSTOMERS=${CUSTOMERS:-300}
ORDERS=${ORDERS:-2000}
NO_WRITE=${NO_WRITE:-0}
command -v wrk >/dev/null || { echo "error: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tienda-bench-storefront-django.XXXXXX)
PIDS=()
PG_NAME=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_NAME" ]; then drop_pg "$PG_NAME" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # $1 port, $2 pid that must stay alive
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "error: process $2 exited before listening on $1" >&2; exit 1; }
    sleep 0.1
  done
  echo "error: nothing listens on port $1" >&2; exit 1
}
drop_pg() {
  "$BIN/python" - "$PG_URL" "$1" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PY
}
create_pg() {
  "$BIN/python" - "$PG_URL" "$1" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"'); c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
}
# CPU ticks (utime + stime + reaped children) of a process and its children, from /proc.
tree_ticks() {
  "$BIN/python" - "$1" <<'PY'
import os, sys
from pathlib import Path
table = {}
for entry in os.scandir("/proc"):
    if entry.name.isdigit():
        try:
            fields = Path(entry.path, "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        table[int(entry.name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
def tree(pid):
    return table.get(pid, (0, 0))[1] + sum(tree(p) for p, (pp, _) in table.items() if pp == pid)
print(tree(int(sys.argv[1])))
PY
}

BLOB=$(free_port); QUEUE=$(free_port)
node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --loose \
  --location "$WORK/azurite" --blobHost 127.0.0.1 --blobPort "$BLOB" --queueHost 127.0.0.1 \
  --queuePort "$QUEUE" --tablePort "$(free_port)" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$BLOB" "${PIDS[-1]}"; wait_port "$QUEUE" "${PIDS[-1]}"
# Only this run's settings: nothing from the caller's TIENDA_* environment leaks in.
for name in $(compgen -e | grep '^TIENDA_' || true); do unset "$name"; done
export DJANGO_SETTINGS_MODULE=shop.settings.storefront TIENDA_ENVIRONMENT=local \
  TIENDA_DATA_DIR=$WORK/data TIENDA_LOG_LEVEL=WARNING
TIENDA_STORAGE_CONNECTION_STRING=$("$BIN/python" -c \
  "import sys; from shop.settings.storage import azurite_connection_string as a; print(a(blob_port=int(sys.argv[1]), queue_port=int(sys.argv[2])))" \
  "$BLOB" "$QUEUE")
export TIENDA_STORAGE_CONNECTION_STRING
mkdir -p "$WORK/data"

# As a deployment does: the manifest storage serves hashed, compressed files from STATIC_ROOT
# (staticfiles/, git-ignored build output).
"$BIN/python" manage.py collectstatic --noinput -v 0

RESULTS=$WORK/results.md
: > "$RESULTS"

run_wrk() {  # $1 label, $2 url, $3 gunicorn pid -> one table row
  local out rps p99 non2xx requests before after cpu_ms
  before=$(tree_ticks "$3")
  out=$(wrk -t2 -c32 -d"$DURATION" --latency "$2")
  after=$(tree_ticks "$3")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu_ms=$("$BIN/python" -c "import os,sys; t=os.sysconf('SC_CLK_TCK'); print(f'{(int(sys.argv[2])-int(sys.argv[1]))*1000/t/max(int(sys.argv[3]),1):.2f}')" \
    "$before" "$after" "$requests")
  echo "| $DB | $1 | ${rps} | ${p99} | ${cpu_ms} | ${non2xx:-0} |" >> "$RESULTS"
  echo "$DB $1: $rps req/s, p99 $p99, storefront CPU $cpu_ms ms/request, non-2xx ${non2xx:-0}"
}

for DB in $DATABASES; do
  if [ "$DB" = sqlite ]; then
    export TIENDA_DATABASE_URL="sqlite:///$WORK/bench.sqlite3"
  else
    PG_NAME=tienda_bench_sf_$$
    create_pg "$PG_NAME"
    export TIENDA_DATABASE_URL="${PG_URL%/*}/$PG_NAME"
  fi
  echo "== $DB: migrating, seeding $PRODUCTS products and $ORDERS orders"
  "$BIN/python" manage.py migrate --noinput -v 0
  SEED_START=$(date +%s)
  "$BIN/python" manage.py seed_demo --products "$PRODUCTS" --customers "$CUSTOMERS" \
    --orders "$ORDERS" >/dev/null
  echo "   seeded in $(( $(date +%s) - SEED_START )) s"
  # The leaf category with the most products on sale, and its first product.
  read -r _ CATEGORY PRODUCT <<<"$("$BIN/python" manage.py shell -c "
from django.db.models import Count
from shop.catalog.models import Category, Product
leaf = Category.objects.annotate(n=Count('products')).order_by('-n', 'id').first()
print('PICK', leaf.slug, Product.objects.filter(category=leaf).order_by('id').first().slug)
" | grep '^PICK ')"
  echo "   listing /c/$CATEGORY, product /p/$PRODUCT"
  PORT=$(free_port)
  TIENDA_BIND=127.0.0.1:$PORT TIENDA_WEB_WORKERS=2 "$BIN/gunicorn" -c shop/gunicorn_conf.py \
    shop.wsgi &
  PIDS+=($!)
  GUNICORN=${PIDS[-1]}
  wait_port "$PORT" "$GUNICORN"
  BASE="http://127.0.0.1:$PORT"
  for path in / "/c/$CATEGORY" "/p/$PRODUCT"; do
    curl -sf -o /dev/null "$BASE$path" || { echo "error: $BASE$path does not answer 200" >&2; exit 1; }
    # Warm-up, not measured: both workers fill their caches and open their connections.
    wrk -t2 -c32 -d2s "$BASE$path" >/dev/null
  done
  run_wrk "home \`/\`" "$BASE/" "$GUNICORN"
  run_wrk "listing \`/c/$CATEGORY\`" "$BASE/c/$CATEGORY" "$GUNICORN"
  run_wrk "product \`/p/$PRODUCT\`" "$BASE/p/$PRODUCT" "$GUNICORN"
  kill "$GUNICORN"; wait "$GUNICORN" 2>/dev/null || true; unset 'PIDS[-1]'
  if [ "$DB" = postgresql ]; then drop_pg "$PG_NAME"; PG_NAME=""; fi
done

"$BIN/python" - "$RESULTS" "$DURATION" "$PRODUCTS" "$ORDERS" "$NO_WRITE" <<'PY'
import os, platform, sys
from datetime import datetime
from pathlib import Path
results, duration, products, orders, no_write = sys.argv[1:6]
rows = Path(results).read_text().strip()
load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")), "unknown CPU")
section = f"""## Storefront

`bench/storefront.sh` — wrk `-t2 -c32 -d{duration} --latency` against a shop built by
`manage.py seed_demo --products {products} --orders {orders}`, served by gunicorn with 2 sync
workers (`-c shop/gunicorn_conf.py shop.wsgi`, `shop.settings.storefront`) on the same machine
({os.cpu_count()} cores, {cpu}, {platform.machine()}, Python {platform.python_version()}; load
average at the end {load} (1/5/15 min); {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}). wrk
itself shares the cores. Targets: listing ≥ 500 req/s, product ≥ 700 req/s, p99 < 100 ms.
"CPU/request" is the storefront's (master and workers, from /proc) over the run, per request.

| database | page | req/s | p99 | CPU/request (ms) | non-2xx |
|---|---|---|---|---|---|
{rows}

When the load average above exceeds the number of cores, other processes shared the CPU with
the shop and wrk, and the figures understate it (p99 most of all).
"""
print(section)
if no_write != "1":
    sys.path.insert(0, "bench")
    from perf_doc import write_section

    write_section(Path("docs/PERFORMANCE.md"), "## Storefront", section)
    print("written to docs/PERFORMANCE.md")
PY
