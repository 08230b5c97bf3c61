"""The Terraform under infra/ provides what the code reads.

`terraform validate` cannot run here (no provider registry), so the HCL is parsed with
python-hcl2 and held to tienda.config: every setting a deployable reads is in its app
settings, every TIENDA_* setting is a real Settings field, every queue the functions bind
exists (with its poison twin), and every module variable is typed and described.

python-hcl2 lives in .venv-infra (scripts/infra-checks.sh --bootstrap creates it); it is run
in a subprocess once per session.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tienda.config import AZURE_APP_SETTINGS, FUNCTIONS_STORAGE_CONNECTION, Settings

ROOT = Path(__file__).resolve().parents[3]
INFRA = ROOT / "infra"
MODULES = INFRA / "modules"
ENVS = ("dev", "prod")
INFRA_VENV = Path(os.environ.get("TIENDA_INFRA_VENV", ROOT / ".venv-infra"))
HCL_TO_JSON = Path(__file__).with_name("hcl_to_json.py")

EXPECTED_MODULES = {
    "foundation", "data", "storage", "frontoffice", "backoffice", "functions", "analytics",
    "monitoring",
}
# deployable (tienda.config.AZURE_APP_SETTINGS key) -> (module, resource type, resource name)
DEPLOYABLE_RESOURCES = {
    "frontoffice": ("frontoffice", "azurerm_linux_web_app", "this"),
    "backoffice_api": ("backoffice", "azurerm_linux_web_app", "api"),
    "functions": ("functions", "azurerm_function_app_flex_consumption", "this"),
}
APP_SETTINGS_EXPRESSION = "${merge(local.app_settings, var.additional_app_settings)}"
FUNCTIONS_CONNECTION_SUFFIXES = {"queueServiceUri", "credential", "clientId"}


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing_tool(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}: run scripts/infra-checks.sh --bootstrap before the tests")
    pytest.skip(f"!!! INFRA TESTS NOT RUN: {reason} (run scripts/infra-checks.sh --bootstrap)")


@functools.cache
def _parse_all() -> dict[str, Any] | None:
    python = INFRA_VENV / "bin" / "python"
    if not python.exists() or not (INFRA_VENV / "hcl2" / "hcl2").is_dir():
        return None
    files = [path for path in INFRA.rglob("*.tf") if ".terraform" not in path.parts]
    paths = sorted(str(path.relative_to(ROOT)) for path in files)
    env = {**os.environ, "PYTHONPATH": str(INFRA_VENV / "hcl2")}
    completed = subprocess.run(
        [str(python), str(HCL_TO_JSON), *paths], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True, timeout=120,
    )
    parsed: dict[str, Any] = json.loads(completed.stdout)
    return parsed


@pytest.fixture(scope="module")
def hcl() -> dict[str, Any]:
    parsed = _parse_all()
    if parsed is None:
        _missing_tool(f"python-hcl2 is not installed in {INFRA_VENV}")
    assert parsed is not None
    return parsed


def _blocks(hcl: dict[str, Any], directory: Path, kind: str) -> list[dict[str, Any]]:
    """Every top-level block of one kind (resource, variable, locals...) in a directory."""
    found: list[dict[str, Any]] = []
    for path, parsed in hcl.items():
        if Path(path).parent == directory.relative_to(ROOT):
            found.extend(parsed.get(kind, []))
    return found


def _locals(hcl: dict[str, Any], directory: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in _blocks(hcl, directory, "locals"):
        merged.update(block)
    return merged


def _resource(hcl: dict[str, Any], module: str, rtype: str, name: str) -> dict[str, Any]:
    for block in _blocks(hcl, MODULES / module, "resource"):
        if rtype in block and name in block[rtype]:
            found: dict[str, Any] = block[rtype][name]
            return found
    raise AssertionError(f"{rtype}.{name} not found in infra/modules/{module}")


def _app_settings(hcl: dict[str, Any], deployable: str) -> dict[str, Any]:
    """The app settings map of a deployable, resolved statically.

    The resource must set app_settings to exactly merge(local.app_settings,
    var.additional_app_settings): the local is an object literal we can read, and the
    additional map can only add settings, never remove one.
    """
    module, rtype, name = DEPLOYABLE_RESOURCES[deployable]
    resource = _resource(hcl, module, rtype, name)
    assert resource["app_settings"] == APP_SETTINGS_EXPRESSION
    settings = _locals(hcl, MODULES / module)["app_settings"]
    assert isinstance(settings, dict)
    return settings


def test_every_azure_deployable_is_mapped_to_a_terraform_resource() -> None:
    assert set(AZURE_APP_SETTINGS) == set(DEPLOYABLE_RESOURCES)


@pytest.mark.parametrize("deployable", sorted(DEPLOYABLE_RESOURCES))
def test_every_setting_the_deployable_reads_is_provided(
    hcl: dict[str, Any], deployable: str
) -> None:
    provided = set(_app_settings(hcl, deployable))

    missing = sorted(set(AZURE_APP_SETTINGS[deployable]) - provided)

    assert missing == []


@pytest.mark.parametrize("deployable", sorted(DEPLOYABLE_RESOURCES))
def test_every_tienda_setting_terraform_sets_is_a_settings_field(
    hcl: dict[str, Any], deployable: str
) -> None:
    connection_prefix = f"{FUNCTIONS_STORAGE_CONNECTION}__"
    fields = Settings.model_fields
    unknown = []
    for name in _app_settings(hcl, deployable):
        if name.startswith(connection_prefix) and deployable == "functions":
            if name[len(connection_prefix):] not in FUNCTIONS_CONNECTION_SUFFIXES:
                unknown.append(name)
        elif name.startswith("TIENDA_") and name.removeprefix("TIENDA_").lower() not in fields:
            unknown.append(name)

    assert unknown == []


@pytest.mark.parametrize("deployable", sorted(DEPLOYABLE_RESOURCES))
def test_apps_use_identities_and_key_vault_references(hcl: dict[str, Any], deployable: str) -> None:
    settings = _app_settings(hcl, deployable)
    module = DEPLOYABLE_RESOURCES[deployable][0]
    kv_reference = _locals(hcl, MODULES / module)["kv_reference"]

    assert kv_reference == "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=%s)"
    assert settings["TIENDA_SECRET_KEY"] == '${format(local.kv_reference, "secret-key")}'
    assert settings["TIENDA_SMTP_PASSWORD"] == '${format(local.kv_reference, "smtp-password")}'
    assert settings["TIENDA_STORAGE_CONNECTION_STRING"] == ""
    assert settings["TIENDA_DATABASE_AUTH"] == "entra"
    assert settings["TIENDA_STORAGE_CLIENT_ID"] == "${var.identity.client_id}"
    assert settings["AZURE_CLIENT_ID"] == "${var.identity.client_id}"


def test_functions_queue_connection_is_identity_based(hcl: dict[str, Any]) -> None:
    settings = _app_settings(hcl, "functions")

    prefix = FUNCTIONS_STORAGE_CONNECTION

    assert settings[f"{prefix}__queueServiceUri"] == "${var.data_storage.queue_endpoint}"
    assert settings[f"{prefix}__credential"] == "managedidentity"
    assert settings[f"{prefix}__clientId"] == "${var.identity.client_id}"


def test_every_queue_the_functions_bind_exists_with_its_poison_queue(hcl: dict[str, Any]) -> None:
    fields = Settings.model_fields
    bound = [
        fields[name].default
        for name in ("queue_order_confirmation", "queue_notifications", "queue_inventory_jobs")
    ]
    expected = sorted(bound + [f"{queue}-poison" for queue in bound])

    queues = _resource(hcl, "storage", "azurerm_storage_queue", "this")

    assert queues["for_each"] == "${toset(local.queue_names)}"
    assert sorted(_locals(hcl, MODULES / "storage")["queue_names"]) == expected


def test_every_container_the_code_uses_exists_and_is_private(hcl: dict[str, Any]) -> None:
    fields = Settings.model_fields
    names = ("container_media", "container_invoices", "container_imports")
    expected = sorted(fields[name].default for name in names)

    containers = _resource(hcl, "storage", "azurerm_storage_container", "this")

    assert containers["for_each"] == "${toset(local.container_names)}"
    assert containers["container_access_type"] == "private"
    assert sorted(_locals(hcl, MODULES / "storage")["container_names"]) == expected


def test_storage_accounts_refuse_shared_keys(hcl: dict[str, Any]) -> None:
    data = _resource(hcl, "storage", "azurerm_storage_account", "this")
    host = _resource(hcl, "functions", "azurerm_storage_account", "host")

    assert (data["shared_access_key_enabled"], host["shared_access_key_enabled"]) == (False, False)
    assert data["min_tls_version"] == "TLS1_2"
    assert data["sas_policy"][0]["expiration_period"] == "${var.sas_expiration_period}"


@pytest.mark.parametrize(
    ("module", "name", "factory"),
    [
        ("frontoffice", "this", "tienda.entrypoints.frontoffice.app:create_app()"),
        ("backoffice", "api", "tienda.entrypoints.backoffice_api.app:create_app()"),
    ],
)
def test_web_apps_run_gunicorn_with_uvicorn_workers_and_a_health_check(
    hcl: dict[str, Any], module: str, name: str, factory: str
) -> None:
    app = _resource(hcl, module, "azurerm_linux_web_app", name)
    site = app["site_config"][0]
    startup = _locals(hcl, MODULES / module)["startup_command"]

    assert site["app_command_line"] == "${local.startup_command}"
    assert startup.startswith("gunicorn -k uvicorn.workers.UvicornWorker ")
    assert startup.endswith(f" '{factory}'")
    assert site["health_check_path"] == "/healthz"
    assert site["application_stack"][0]["python_version"] == "3.11"
    assert site["minimum_tls_version"] == "1.2"
    assert site["ftps_state"] == "Disabled"
    assert app["https_only"] is True


def test_every_module_has_the_verified_module_layout() -> None:
    layout = ["README.md", "main.tf", "outputs.tf", "terraform.tf", "variables.tf"]

    modules = {path.name for path in MODULES.iterdir() if path.is_dir()}
    missing = [
        f"{module}/{name}"
        for module in sorted(modules)
        for name in layout
        if not (MODULES / module / name).is_file()
    ]

    assert modules == EXPECTED_MODULES
    assert missing == []


def test_every_module_pins_azurerm_v4(hcl: dict[str, Any]) -> None:
    pins = {}
    for module in sorted(EXPECTED_MODULES) + [f"../envs/{env}" for env in ENVS]:
        (terraform,) = _blocks(hcl, (MODULES / module).resolve(), "terraform")
        pins[module] = terraform["required_providers"][0]["azurerm"]["version"]

    assert set(pins.values()) == {"~> 4.42"}


def _terraform_directories() -> list[Path]:
    modules = [MODULES / module for module in sorted(EXPECTED_MODULES)]
    return modules + [INFRA / "envs" / env for env in ENVS]


def test_every_variable_has_a_type_and_a_description(hcl: dict[str, Any]) -> None:
    incomplete = []
    for directory in _terraform_directories():
        for block in _blocks(hcl, directory, "variable"):
            for name, body in block.items():
                if not body.get("type") or not str(body.get("description", "")).strip():
                    incomplete.append(f"{directory.relative_to(INFRA)}: {name}")

    assert incomplete == []


def test_every_output_has_a_description(hcl: dict[str, Any]) -> None:
    undescribed = [
        f"{directory.relative_to(INFRA)}: {name}"
        for directory in _terraform_directories()
        for block in _blocks(hcl, directory, "output")
        for name, body in block.items()
        if not str(body.get("description", "")).strip()
    ]

    assert undescribed == []


@pytest.mark.parametrize("env", ENVS)
def test_each_environment_uses_every_module_and_a_remote_backend(
    hcl: dict[str, Any], env: str
) -> None:
    directory = INFRA / "envs" / env
    sources = {
        body["source"]
        for block in _blocks(hcl, directory, "module")
        for body in block.values()
    }
    (terraform,) = _blocks(hcl, directory, "terraform")

    assert sources == {f"../../modules/{module}" for module in EXPECTED_MODULES}
    assert list(terraform["backend"][0]) == ["azurerm"]
    assert terraform["backend"][0]["azurerm"] == {}
    assert (directory / "terraform.tfvars.example").is_file()
    assert (directory / "backend.hcl.example").is_file()
