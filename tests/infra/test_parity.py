"""Bicep gives each deployment exactly what its Django settings module reads.

The set a deployment reads is taken from the code (shop.settings.env.READ after importing the
settings module in a fresh process), the set Bicep gives from the parsed templates; the two
must match up to the explicit, commented lists below. Queue and container names are compared
with settings.QUEUES and settings.CONTAINERS, the Function App's connections with the
`connection=` names in azure_functions/function_app.py, the parameter files with main.bicep."""

from __future__ import annotations

import ast
import re

import pytest

from tests.infra import bicep

# Read by the code but deliberately NOT set on Azure, with the reason. Everything else a
# settings module reads must be set on its app (and slot), or the test fails.
NOT_SET_ON_AZURE = {
    # Local files: on Azure the database, blobs, mail and warehouse are services.
    "TIENDA_DATA_DIR": "SQLite, DuckDB and captured mail live there; none is used on Azure",
    "TIENDA_MAIL_CAPTURE_PORT": "the local SMTP capture (manage.py mail_capture)",
    # Shared keys are off: the apps reach storage with their managed identity.
    "TIENDA_STORAGE_CONNECTION_STRING": "Azurite locally; on Azure the account name + identity",
    # manage.py runworker's knobs; the Function App takes them from host.json and the timers'
    # NCRONTAB schedules (azure_functions/function_app.py).
    "TIENDA_WORKER_BATCH_SIZE": "host.json queues.batchSize",
    "TIENDA_WORKER_CONCURRENCY": "runworker threads; Functions scale out instead",
    "TIENDA_WORKER_PROCESSES": "runworker processes; Functions scale out instead",
    "TIENDA_WORKER_VISIBILITY_TIMEOUT": "host.json queues.visibilityTimeout",
    "TIENDA_WORKER_MAX_DEQUEUE_COUNT": "host.json queues.maxDequeueCount",
    "TIENDA_WORKER_RETRY_DELAY_SECONDS": "host.json queues.visibilityTimeout (retry delay)",
    "TIENDA_WORKER_IDLE_POLL_SECONDS": "host.json queues.maxPollingInterval",
    "TIENDA_OUTBOX_SWEEP_SECONDS": "timer_outbox_sweep's schedule",
    "TIENDA_PENDING_ORDER_SWEEP_SECONDS": "timer_pending_orders' schedule",
    "TIENDA_ETL_INTERVAL_SECONDS": "timer_warehouse_etl's schedule",
    "TIENDA_BACK_IN_STOCK_INTERVAL_SECONDS": "timer_back_in_stock's schedule",
    "TIENDA_LOW_STOCK_DIGEST_INTERVAL_SECONDS": "timer_low_stock_digest's schedule",
    "TIENDA_CAMPAIGNS_DUE_SECONDS": "timer_campaigns_due's schedule",
    # The documented default (500 rows per transaction) is the chunk size on Azure too.
    "TIENDA_INVENTORY_JOB_CHUNK_ROWS": "the default chunk size of inventory jobs",
}
NOT_SET_PER_DEPLOYMENT = {
    # The storefront never opens the warehouse (reports are the backoffice's); it gets no
    # PostgreSQL role and no URL.
    "storefront": {"TIENDA_WAREHOUSE_URL", "TIENDA_WAREHOUSE_AUTH"},
    "backoffice": set(),
    # The Function App serves no HTTP: host checks, HSTS and proxy hops do not apply.
    "worker": {"TIENDA_ALLOWED_HOSTS", "TIENDA_HSTS_PRELOAD", "TIENDA_TRUSTED_PROXY_HOPS"},
}
# Set on Azure but read by the platform, not by a settings module.
PLATFORM_SETTINGS = {
    "DJANGO_SETTINGS_MODULE",  # Django itself: picks the deployment's settings module
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
}
WEB_PLATFORM_SETTINGS = {
    "SCM_DO_BUILD_DURING_DEPLOYMENT",  # Oryx: pip install + collectstatic on deploy
    "WEBSITE_SWAP_WARMUP_PING_PATH",
    "WEBSITE_SWAP_WARMUP_PING_STATUSES",
    "WEBSITE_HEALTHCHECK_MAXPINGFAILURES",
    "ApplicationInsightsAgent_EXTENSION_VERSION",  # App Service's Python auto-instrumentation
}
FUNCTIONS_HOST_PREFIXES = ("AzureWebJobsStorage__",)

DEPLOYMENT_OF_APP = {
    "storefront": "storefront",
    "storefront/staging": "storefront",
    "backoffice": "backoffice",
    "backoffice/staging": "backoffice",
    "worker": "worker",
}
APPS = sorted(DEPLOYMENT_OF_APP)


def _expected(app: str) -> set[str]:
    deployment = DEPLOYMENT_OF_APP[app]
    read = bicep.settings_probe(deployment)["read"]
    return read - set(NOT_SET_ON_AZURE) - NOT_SET_PER_DEPLOYMENT[deployment]


def _connection_names() -> set[str]:
    """The `connection=` values of the triggers in azure_functions/function_app.py."""
    tree = ast.parse((bicep.ROOT / "azure_functions" / "function_app.py").read_text("utf-8"))
    constants = {target.id: node.value.value for node in tree.body
                 if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                 for target in node.targets if isinstance(target, ast.Name)}
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "connection":
            value = node.value
            names.add(constants[value.id] if isinstance(value, ast.Name) else value.value)
    return names


@pytest.mark.parametrize("app", APPS)
def test_every_variable_the_deployment_reads_is_set_on_the_app(app: str) -> None:
    given = set(bicep.app_settings(app))

    missing = sorted(_expected(app) - given)

    assert missing == []


@pytest.mark.parametrize("app", APPS)
def test_nothing_is_set_that_no_code_reads(app: str) -> None:
    deployment = DEPLOYMENT_OF_APP[app]
    allowed = _expected(app) | PLATFORM_SETTINGS
    if deployment == "worker":
        connections = tuple(f"{name}__" for name in _connection_names())
        unread = [name for name in bicep.app_settings(app) if name not in allowed
                  and not name.startswith(FUNCTIONS_HOST_PREFIXES + connections)]
    else:
        allowed |= WEB_PLATFORM_SETTINGS | bicep.gunicorn_reads()
        unread = [name for name in bicep.app_settings(app) if name not in allowed]

    assert unread == []


def test_the_not_set_lists_name_only_variables_the_code_reads() -> None:
    read = set().union(*(bicep.settings_probe(name)["read"] for name in bicep.SETTINGS_MODULES))
    per_deployment = set().union(*NOT_SET_PER_DEPLOYMENT.values())

    stale = sorted((set(NOT_SET_ON_AZURE) | per_deployment) - read)

    assert stale == []


@pytest.mark.parametrize("app", APPS)
def test_each_app_runs_its_own_settings_module(app: str) -> None:
    module = bicep.app_settings(app)["DJANGO_SETTINGS_MODULE"]

    assert module == bicep.SETTINGS_MODULES[DEPLOYMENT_OF_APP[app]]


def test_slot_and_production_differ_only_in_sticky_host_settings() -> None:
    template = bicep.module_template("storefront")
    sticky = bicep.one_resource(template, "Microsoft.Web/sites/config", "slotConfigNames")
    names = bicep.resolve_names(sticky["properties"]["appSettingNames"], template["variables"])

    for app in ("storefront", "backoffice"):
        production, staging = bicep.app_settings(app), bicep.app_settings(f"{app}/staging")
        differing = {name for name in production.keys() | staging.keys()
                     if production.get(name) != staging.get(name)}
        assert set(production) == set(staging)
        assert differing == set(names) == {"TIENDA_ALLOWED_HOSTS", "TIENDA_CSRF_TRUSTED_ORIGINS"}


def test_queues_are_the_settings_queues_each_with_its_poison_queue() -> None:
    code = bicep.settings_probe("worker")["queues"]
    main = bicep.main()
    storage = bicep.module_template("storage")
    passed = bicep.resolve_names(main["modules"]["storage"]["config"]["params"]["queueNames"],
                                 main["variables"])
    queues = bicep.one_resource(storage, "Microsoft.Storage/storageAccounts/queueServices/queues")
    loop = storage["resources"]["queues"]["config"]["loop_type"]["detail"]

    created = bicep.resolve_names(loop["array_name"], storage["variables"],
                                  {"queueNames": passed})

    assert queues["name"] == loop["item_name"]
    assert sorted(created) == sorted([*code.values(), *(f"{q}-poison" for q in code.values())])


def test_containers_are_the_settings_containers_and_private() -> None:
    code = bicep.settings_probe("worker")["containers"]
    main = bicep.main()
    storage = bicep.module_template("storage")
    passed = bicep.resolve_names(main["modules"]["storage"]["config"]["params"]["appContainers"],
                                 main["variables"])
    loop = storage["resources"]["containers"]["config"]["loop_type"]["detail"]
    containers = bicep.resources(
        storage, "Microsoft.Storage/storageAccounts/blobServices/containers")

    assert loop["array_name"] == "appContainers"
    assert sorted(passed) == sorted(code.values())
    assert {res["properties"]["publicAccess"] for res in containers.values()} == {"None"}


@pytest.mark.parametrize("app", APPS)
def test_apps_name_the_same_queues_and_containers_as_the_code(app: str) -> None:
    code = bicep.settings_probe(DEPLOYMENT_OF_APP[app])
    settings = bicep.app_settings(app)
    variables = bicep.main()["variables"]

    def value(name: str) -> str:
        return bicep.resolve_value(settings[name], variables)

    assert {logical: value(f"TIENDA_QUEUE_{logical.upper().replace('-', '_')}")
            for logical in code["queues"]} == code["queues"]
    assert {logical: value(f"TIENDA_CONTAINER_{logical.upper()}")
            for logical in code["containers"]} == code["containers"]


def test_function_app_settings_satisfy_the_triggers_connections() -> None:
    settings = bicep.app_settings("worker")
    connections = _connection_names()

    assert connections == {"TIENDA_STORAGE"}
    for name in connections:
        assert name not in settings  # no connection string: identity only
        assert settings[f"{name}__credential"] == "managedidentity"
        assert bicep.dotted(settings[f"{name}__queueServiceUri"]) == (
            "storage.outputs.queueEndpoint")
        assert bicep.dotted(settings[f"{name}__clientId"]) == (
            "identities.outputs.functions.clientId")
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert {"AzureWebJobsStorage__accountName", "AzureWebJobsStorage__clientId"} <= set(settings)
    assert "AzureWebJobsStorage" not in settings


@pytest.mark.parametrize("app", APPS)
def test_azure_sql_storage_and_secret_key_come_by_identity_and_key_vault(app: str) -> None:
    settings = bicep.app_settings(app)
    variables = bicep.main()["variables"]
    identity = "functions" if app == "worker" else app.split("/")[0]

    assert settings["TIENDA_DATABASE_URL"] == (
        "mssql://${sql.outputs.serverHost}:1433/${sql.outputs.databaseName}")
    assert settings["TIENDA_DATABASE_AUTH"] == "entra"
    assert bicep.dotted(settings["TIENDA_DATABASE_CLIENT_ID"]) == (
        f"identities.outputs.{identity}.clientId")
    assert bicep.dotted(settings["TIENDA_STORAGE_CLIENT_ID"]) == (
        f"identities.outputs.{identity}.clientId")
    assert bicep.dotted(settings["TIENDA_STORAGE_ACCOUNT_NAME"]) == "storage.outputs.name"
    assert variables[settings["TIENDA_SECRET_KEY"]]["value"] == (
        "@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=secret-key)")
    assert variables[settings["TIENDA_SMTP_PASSWORD"]]["value"] == (
        "@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=smtp-password)")


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_parameter_file_sets_only_declared_and_every_required_parameter(env: str) -> None:
    text = (bicep.BICEP_DIR / f"{env}.bicepparam").read_text("utf-8")
    declared = bicep.main()["parameters"]
    required = {name for name, param in declared.items() if param.get("default") is None}

    given = set(re.findall(r"^param\s+(\w+)\s*=", text, flags=re.MULTILINE))

    assert re.search(r"^using 'main\.bicep'$", text, flags=re.MULTILINE)
    assert sorted(given - set(declared)) == []
    assert sorted(required - given) == []
    assert re.search(rf"^param environmentName = '{env}'$", text, flags=re.MULTILINE)
