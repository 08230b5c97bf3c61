#!/usr/bin/env bash
# Deploy Tienda to an Azure environment (dev or prod). docs/deployment.md walks through the
# first deployment; .github/workflows/deploy.yml runs the same steps with OIDC credentials.
#
#   scripts/deploy.sh infra      ENV   terraform init/plan/apply infra/envs/ENV, write the targets file
#   scripts/deploy.sh db-roles   ENV   create the apps' PostgreSQL roles (Entra identities)
#   scripts/deploy.sh migrate    ENV   tienda migrate against ENV's database, then grant the app roles
#   scripts/deploy.sh package    ENV   build the SPA, the web app zip and the Function App zip
#   scripts/deploy.sh apps       ENV   deploy the packages (web apps, Function App, Static Web App)
#   scripts/deploy.sh smoke      ENV   poll /healthz of both web apps and the SPA until they answer
#   scripts/deploy.sh all        ENV   every step above, in that order
#
# Needs: az (logged in: `az login` or azure/login in CI), terraform >= 1.9, python3.11, node 20+
# with npm, psql, zip, curl, jq.
#
# Environment:
#   TFSTATE_RESOURCE_GROUP, TFSTATE_STORAGE_ACCOUNT   remote state (or infra/envs/ENV/backend.hcl)
#   TFSTATE_CONTAINER (default tfstate)
#   PG_ADMIN_USER     the Entra administrator (display name) that db-roles and migrate sign in as;
#                     it must be the principal az is logged in as
#   TF_AUTO_APPROVE=1 apply without asking (CI)
#   OPEN_DB_FIREWALL=1  dev only: db-roles/migrate open the server's firewall to this host's public
#                     IP for the duration of the step (GitHub-hosted runners, your laptop)
#
# db-roles and migrate talk to PostgreSQL: in prod the server is private, so run them from a
# host inside the VNet (the deploy workflow's MIGRATION_RUNNER, see docs/deployment.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
}

[[ $# -eq 2 ]] || usage
STEP="$1"
ENVIRONMENT="$2"
[[ "$ENVIRONMENT" == "dev" || "$ENVIRONMENT" == "prod" ]] || { echo "ENV must be dev or prod" >&2; exit 2; }

ENV_DIR="infra/envs/$ENVIRONMENT"
OUT="artifacts/deploy/$ENVIRONMENT"
TARGETS="$OUT/targets.json"
PYTHON="${PYTHON:-python3.11}"

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'deploy: %s\n' "$*" >&2; exit 1; }
target() { jq -r --arg key "$1" 'if has($key) then .[$key] else error("no \($key) in targets") end' "$TARGETS"; }
require_targets() {
    [[ -f "$TARGETS" ]] || die "$TARGETS is missing: run 'scripts/deploy.sh infra $ENVIRONMENT' first"
}

terraform_init() {
    local args=(-chdir="$ENV_DIR" init -input=false -reconfigure)
    if [[ -f "$ENV_DIR/backend.hcl" ]]; then
        args+=(-backend-config=backend.hcl)
    else
        : "${TFSTATE_RESOURCE_GROUP:?set TFSTATE_RESOURCE_GROUP or write $ENV_DIR/backend.hcl}"
        : "${TFSTATE_STORAGE_ACCOUNT:?set TFSTATE_STORAGE_ACCOUNT or write $ENV_DIR/backend.hcl}"
        args+=(
            -backend-config="resource_group_name=$TFSTATE_RESOURCE_GROUP"
            -backend-config="storage_account_name=$TFSTATE_STORAGE_ACCOUNT"
            -backend-config="container_name=${TFSTATE_CONTAINER:-tfstate}"
            -backend-config="key=tienda-$ENVIRONMENT.tfstate"
            -backend-config="use_azuread_auth=true"
        )
    fi
    terraform "${args[@]}"
}

step_infra() {
    log "terraform apply $ENV_DIR"
    terraform_init
    terraform -chdir="$ENV_DIR" plan -input=false -out=tfplan
    if [[ "${TF_AUTO_APPROVE:-0}" == "1" ]]; then
        terraform -chdir="$ENV_DIR" apply -input=false tfplan
    else
        terraform -chdir="$ENV_DIR" apply -input=false tfplan </dev/tty
    fi
    mkdir -p "$OUT"
    terraform -chdir="$ENV_DIR" output -json deploy_targets >"$TARGETS"
    log "targets written to $TARGETS"
}

# psql as the Entra administrator: the password is a short-lived Entra access token.
admin_psql() {
    local database="$1"
    : "${PG_ADMIN_USER:?set PG_ADMIN_USER to the display name of the Entra administrator}"
    PGPASSWORD="$(az account get-access-token --resource-type oss-rdbms --query accessToken -o tsv)" \
        psql "host=$(target postgres_host) port=5432 dbname=$database user=$PG_ADMIN_USER sslmode=require" \
        --no-psqlrc --quiet -v ON_ERROR_STOP=1
}

principal_sql() {
    printf "SELECT * FROM pgaadauth_create_principal_with_oid('%s', '%s', 'service', false, false) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s');\n" \
        "$1" "$2" "$1"
}

# dev's server is public but firewalled to Azure services; a runner or laptop outside Azure
# gets a rule for its own address, removed when the script exits.
open_db_firewall() {
    [[ "${OPEN_DB_FIREWALL:-0}" == "1" ]] || return 0
    [[ "$(target private_networking)" == "false" ]] || die "OPEN_DB_FIREWALL is for dev: prod's server is private"
    [[ -z "${FIREWALL_RULE:-}" ]] || return 0
    local ip server
    ip="$(curl -fsS --max-time 10 https://api.ipify.org)"
    server="$(target postgres_host)"
    server="${server%%.*}"
    FIREWALL_RULE="deploy-$(date +%s)"
    log "temporary firewall rule $FIREWALL_RULE for $ip"
    az postgres flexible-server firewall-rule create --resource-group "$(target resource_group)" \
        --name "$server" --rule-name "$FIREWALL_RULE" --start-ip-address "$ip" --end-ip-address "$ip" \
        --output none
    # shellcheck disable=SC2064  # expand now: the values are fixed for this run
    trap "az postgres flexible-server firewall-rule delete --resource-group '$(target resource_group)' --name '$server' --rule-name '$FIREWALL_RULE' --yes --output none" EXIT
}

step_db_roles() {
    require_targets
    open_db_firewall
    log "PostgreSQL roles for the app identities and the Power BI reader"
    local sql="" name oid
    while IFS=$'\t' read -r name oid; do
        sql+="$(principal_sql "$name" "$oid")"$'\n'
    done < <(jq -r '.app_database_roles as $roles | .app_database_oids | to_entries[] | [$roles[.key], .value] | @tsv' "$TARGETS")
    if [[ -n "${POWERBI_READER_OID:-}" ]]; then
        sql+="$(principal_sql "$(target powerbi_reader)" "$POWERBI_READER_OID")"$'\n'
    fi
    admin_psql postgres <<<"$sql"
}

# Privileges, re-applied after every migration (idempotent):
#   tienda            every app identity reads and writes rows (no DDL; migrations own the schema)
#   tienda_warehouse  the functions identity (ETL) owns the warehouse tables; the backoffice API
#                     and the Power BI reader only SELECT
step_grants() {
    local front back func reader
    front="$(jq -r '.app_database_roles.frontoffice' "$TARGETS")"
    back="$(jq -r '.app_database_roles.backoffice' "$TARGETS")"
    func="$(jq -r '.app_database_roles.functions' "$TARGETS")"
    reader="$(target powerbi_reader)"
    local apps="\"$front\", \"$back\", \"$func\""
    admin_psql "$(target database)" <<SQL
GRANT CONNECT ON DATABASE $(target database) TO $apps;
GRANT USAGE ON SCHEMA public TO $apps;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $apps;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO $apps;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $apps;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO $apps;
SQL
    local readers="\"$back\""
    if [[ -n "${POWERBI_READER_OID:-}" ]]; then readers+=", \"$reader\""; fi
    admin_psql "$(target warehouse_database)" <<SQL
GRANT CONNECT ON DATABASE $(target warehouse_database) TO "$func", $readers;
GRANT USAGE, CREATE ON SCHEMA public TO "$func";
GRANT USAGE ON SCHEMA public TO $readers;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $readers;
GRANT "$func" TO CURRENT_USER;
ALTER DEFAULT PRIVILEGES FOR ROLE "$func" IN SCHEMA public GRANT SELECT ON TABLES TO $readers;
SQL
}

step_migrate() {
    require_targets
    open_db_firewall
    log "tienda migrate ($ENVIRONMENT)"
    : "${PG_ADMIN_USER:?set PG_ADMIN_USER to the display name of the Entra administrator}"
    local venv="$OUT/migrate-venv"
    if [[ ! -x "$venv/bin/tienda" ]]; then
        "$PYTHON" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --require-hashes -r requirements/runtime.txt
        "$venv/bin/python" -m pip install --quiet --no-deps .
    fi
    # The migrating identity is the Entra administrator az is logged in as; the app fetches
    # its token (DefaultAzureCredential picks up the az login).
    local host user
    host="$(target postgres_host)"
    user="$(jq -rn --arg u "$PG_ADMIN_USER" '$u | @uri')"
    TIENDA_ENVIRONMENT="$ENVIRONMENT" \
    TIENDA_DATABASE_AUTH=entra \
    TIENDA_DATABASE_URL="postgresql://$user@$host:5432/$(target database)?sslmode=require" \
    TIENDA_WAREHOUSE_URL="postgresql://$user@$host:5432/$(target warehouse_database)?sslmode=require" \
        "$venv/bin/tienda" migrate
    step_grants
}

step_package() {
    require_targets
    rm -rf "$OUT/webapp" "$OUT/functions" "$OUT"/*.zip
    mkdir -p "$OUT"

    log "backoffice SPA (backoffice-ui: npm ci && npm run build)"
    (cd backoffice-ui && npm ci --no-audit --no-fund && VITE_API_BASE_URL="$(cd "$ROOT" && target backoffice_api_url)" npm run build)
    rm -rf "$OUT/spa" && cp -r backoffice-ui/dist "$OUT/spa"

    log "web app package (frontoffice and backoffice API share it)"
    # App Service (Oryx) installs requirements.txt into a venv at deploy time; the tienda
    # package itself is installed into the zip root, which gunicorn has on sys.path.
    mkdir -p "$OUT/webapp"
    cp requirements/runtime.txt "$OUT/webapp/requirements.txt"
    "$PYTHON" -m pip install --quiet --no-deps --target "$OUT/webapp" .
    (cd "$OUT/webapp" && zip -qr ../webapp.zip .)

    log "Function App package (functions/ + requirements/runtime.txt + tienda)"
    # Flex Consumption runs Linux x86-64 Python 3.11: dependencies are installed here as
    # manylinux wheels into .python_packages, so the deployment needs no remote build.
    mkdir -p "$OUT/functions"
    cp -r functions/. "$OUT/functions/"
    rm -f "$OUT/functions/local.settings.json" "$OUT/functions/local.settings.example.json"
    cp requirements/runtime.txt "$OUT/functions/requirements.txt"
    local site="$OUT/functions/.python_packages/lib/site-packages"
    "$PYTHON" -m pip install --quiet --require-hashes --only-binary=:all: \
        --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp \
        --target "$site" -r requirements/runtime.txt
    "$PYTHON" -m pip install --quiet --no-deps --target "$site" .
    (cd "$OUT/functions" && zip -qr ../functions.zip .)
    ls -lh "$OUT"/*.zip
}

step_apps() {
    require_targets
    [[ -f "$OUT/webapp.zip" && -f "$OUT/functions.zip" && -d "$OUT/spa" ]] \
        || die "packages missing: run 'scripts/deploy.sh package $ENVIRONMENT' first"
    local rg
    rg="$(target resource_group)"
    log "frontoffice and backoffice API (zip deploy, Entra-authenticated)"
    az webapp deploy --resource-group "$rg" --name "$(target frontoffice_app)" \
        --src-path "$OUT/webapp.zip" --type zip --async false
    az webapp deploy --resource-group "$rg" --name "$(target backoffice_api_app)" \
        --src-path "$OUT/webapp.zip" --type zip --async false
    log "Function App (one deploy to Flex Consumption)"
    az functionapp deployment source config-zip --resource-group "$rg" \
        --name "$(target function_app)" --src "$OUT/functions.zip" --build-remote false
    log "backoffice SPA (Static Web App)"
    local token
    token="$(az staticwebapp secrets list --resource-group "$rg" --name "$(target backoffice_spa)" \
        --query properties.apiKey -o tsv)"
    npx --yes @azure/static-web-apps-cli@2.0.10 deploy "$OUT/spa" \
        --deployment-token "$token" --env production
}

wait_healthy() {
    local url="$1" deadline=$((SECONDS + 300))
    until curl -fsS --max-time 10 -o /dev/null "$url"; do
        (( SECONDS < deadline )) || die "$url did not answer within 300 s"
        sleep 10
    done
    echo "ok  $url"
}

step_smoke() {
    require_targets
    log "smoke checks"
    wait_healthy "$(target shop_url)/healthz"
    wait_healthy "$(target backoffice_api_url)/healthz"
    wait_healthy "$(target backoffice_spa_url)/"
}

case "$STEP" in
    infra) step_infra ;;
    db-roles) step_db_roles ;;
    migrate) step_migrate ;;
    package) step_package ;;
    apps) step_apps ;;
    smoke) step_smoke ;;
    all) step_infra; step_db_roles; step_migrate; step_package; step_apps; step_smoke ;;
    *) usage ;;
esac
