"""Read the Bicep under infra_bicep/ (parsed by pycep-parser in .venv-pycep) and what the
Django settings modules read (each imported in a fresh process), for the infra tests.

pycep gives a JSON tree: literals as plain values, a bare identifier as its name (a string,
like a literal string), and expressions as {"function": ...} or {"operator": ...}. The few
forms the templates use for app settings, queue and container names are resolved here: object
literals, variables, module parameters, union()/concat(), property access and the one
`[for x in names: '${x}-poison']` loop. Anything else fails loudly instead of guessing."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BICEP_DIR = ROOT / "infra_bicep"
MAIN = "infra_bicep/main.bicep"
PYCEP_VENV = Path(os.environ.get("TIENDA_PYCEP_VENV", ROOT / ".venv-pycep"))
DUMP = Path(__file__).with_name("pycep_dump.py")
BOOTSTRAP = ROOT / "scripts" / "bicep-checks.sh"

SETTINGS_MODULES = {
    "storefront": "shop.settings.storefront",
    "backoffice": "shop.settings.backoffice",
    "worker": "shop.settings.worker",
}


def _pycep_python() -> Path:
    """pycep's venv, created by scripts/bicep-checks.sh --bootstrap when it is missing (the
    script is idempotent and quiet; it reuses a venv built with the same pins)."""
    if not (PYCEP_VENV / ".tienda-stamp").is_file():
        done = subprocess.run([str(BOOTSTRAP), "--bootstrap"], cwd=ROOT, capture_output=True,
                              text=True, timeout=1200, check=False)
        assert done.returncode == 0, f"bicep-checks.sh --bootstrap failed:\n{done.stderr}"
    return PYCEP_VENV / "bin" / "python"


@functools.cache
def templates() -> dict[str, dict[str, Any]]:
    """Every .bicep file under infra_bicep/, parsed, by path relative to the repository."""
    files = sorted(path.relative_to(ROOT).as_posix() for path in BICEP_DIR.rglob("*.bicep"))
    done = subprocess.run([str(_pycep_python()), str(DUMP), *files], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    parsed: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return parsed


def main() -> dict[str, Any]:
    return templates()[MAIN]


def module_template(name: str) -> dict[str, Any]:
    """The template a module of main.bicep deploys (a local path, resolved from infra_bicep/)."""
    detail = main()["modules"][name]["detail"]
    return templates()[(Path("infra_bicep") / detail["path"]).as_posix()]


def resources(template: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    """Resources of one type, by symbolic name, with loops and conditions unwrapped."""
    found = {}
    for name, resource in template.get("resources", {}).items():
        if resource["type"] == rtype:
            found[name] = body(resource)
    return found


def body(resource: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = resource["config"]
    while "loop_type" in config or ("condition" in config and "config" in config):
        config = config["config"]
    return config


def one_resource(template: dict[str, Any], rtype: str, name: str | None = None) -> dict[str, Any]:
    """The resource of `rtype` (with that `name:` when given) in a template; exactly one."""
    matches = [res for res in resources(template, rtype).values()
               if name is None or res.get("name") == name]
    assert len(matches) == 1, f"expected one {rtype} {name or ''}, found {len(matches)}"
    return matches[0]


# --- expressions -------------------------------------------------------------------------------


def resolve_object(expr: Any, variables: dict[str, Any],
                   params: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The object an expression builds: a literal, a variable, a parameter given by the caller,
    or union() of those (later arguments win, as in Bicep)."""
    params = params or {}
    if isinstance(expr, str):
        if expr in params:
            return params[expr]
        assert expr in variables, f"cannot resolve {expr!r} to an object"
        return resolve_object(variables[expr]["value"], variables, params)
    assert isinstance(expr, dict), f"not an object expression: {expr!r}"
    if "function" in expr:
        function = expr["function"]
        assert function["type"] == "union", f"unexpected {function['type']}() building an object"
        merged: dict[str, Any] = {}
        for argument in function["parameters"].values():
            merged.update(resolve_object(argument, variables, params))
        return merged
    assert "operator" not in expr, f"cannot resolve {expr!r} statically"
    return expr


def resolve_value(expr: Any, variables: dict[str, Any]) -> Any:
    """A literal, or `variable.property` read from an object-literal variable."""
    if isinstance(expr, dict) and "operator" in expr:
        operator = expr["operator"]
        assert operator["type"] == "property_accessor", f"cannot resolve {expr!r}"
        holder = resolve_object(operator["operands"]["operand_1"], variables)
        return resolve_value(holder[operator["operands"]["operand_2"]], variables)
    return expr


def dotted(expr: Any) -> str:
    """`a.b.c` for a property-access chain (an identifier alone is its name)."""
    if isinstance(expr, str):
        return expr
    operator = expr["operator"]
    assert operator["type"] == "property_accessor", f"not a property access: {expr!r}"
    operands = operator["operands"]
    return f"{dotted(operands['operand_1'])}.{dotted(operands['operand_2'])}"


def resolve_names(expr: Any, variables: dict[str, Any],
                  params: dict[str, list[str]] | None = None) -> list[str]:
    """A list of names: an array literal (of literals or `var.prop`), a variable, a parameter,
    concat(), or the loop `[for x in list: '${x}<suffix>']`."""
    params = params or {}
    if isinstance(expr, str):
        if expr in params:
            return params[expr]
        assert expr in variables, f"cannot resolve {expr!r} to a list"
        return resolve_names(variables[expr]["value"], variables, params)
    if isinstance(expr, list):
        return [resolve_value(item, variables) for item in expr]
    if "function" in expr:
        function = expr["function"]
        assert function["type"] == "concat", f"unexpected {function['type']}() building a list"
        return [name for argument in function["parameters"].values()
                for name in resolve_names(argument, variables, params)]
    if "loop_type" in expr:
        detail = expr["loop_type"]["detail"]
        template = re.fullmatch(r"\$\{" + re.escape(detail["item_name"]) + r"\}(.*)",
                                expr["config"])
        assert template, f"unexpected loop body {expr['config']!r}"
        source = resolve_names(detail["array_name"], variables, params)
        return [f"{item}{template.group(1)}" for item in source]
    raise AssertionError(f"cannot resolve {expr!r} to a list")


# --- app settings per deployment ----------------------------------------------------------------

# deployment -> (main.bicep module, settings resource type in that module's template)
APPS = {
    "storefront": ("storefront", "Microsoft.Web/sites/config"),
    "storefront/staging": ("storefront", "Microsoft.Web/sites/slots/config"),
    "backoffice": ("backoffice", "Microsoft.Web/sites/config"),
    "backoffice/staging": ("backoffice", "Microsoft.Web/sites/slots/config"),
    "worker": ("functions", "Microsoft.Web/sites/config"),
}


def app_settings(app: str) -> dict[str, Any]:
    """The app settings Bicep gives an app or slot: what main.bicep passes as the module's
    `appSettings`, merged as the module's `appsettings` config resource merges it."""
    module_name, settings_type = APPS[app]
    given = resolve_object(main()["modules"][module_name]["config"]["params"]["appSettings"],
                           main()["variables"])
    template = module_template(module_name)
    resource = one_resource(template, settings_type, "appsettings")
    return resolve_object(resource["properties"], template.get("variables", {}),
                          {"appSettings": given})


# --- what the code reads ------------------------------------------------------------------------

_PROBE = """
import json, django
django.setup()
from django.conf import settings
from shop.settings import env
print(json.dumps({"read": sorted(env.READ), "queues": settings.QUEUES,
                  "containers": settings.CONTAINERS}))
"""


@functools.cache
def settings_probe(deployment: str) -> dict[str, Any]:
    """What a settings module reads and the names it uses, imported in a fresh process with no
    TIENDA_* variable set except those an Azure-like (prod) import needs; the reads of a local
    import are added, so a variable read only in one mode is still counted."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("TIENDA_")}
    base["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULES[deployment]
    azure_like = {**base, "TIENDA_ENVIRONMENT": "prod", "TIENDA_SECRET_KEY": "x" * 50,
                  "TIENDA_STORAGE_ACCOUNT_NAME": "probe",
                  "TIENDA_DATA_DIR": tempfile.mkdtemp(prefix="tienda-settings-probe-")}
    runs = []
    for environ in (base, azure_like):
        done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=environ,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    return {"read": set(runs[0]["read"]) | set(runs[1]["read"]),
            "queues": runs[1]["queues"], "containers": runs[1]["containers"]}


def gunicorn_reads() -> set[str]:
    """Variables shop/gunicorn_conf.py reads (the web apps' startup command loads it)."""
    text = (ROOT / "shop" / "gunicorn_conf.py").read_text(encoding="utf-8")
    return set(re.findall(r"os\.environ\.get\(\s*[\"']([A-Z_][A-Z0-9_]*)[\"']", text))
