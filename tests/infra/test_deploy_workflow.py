"""The deploy workflow follows the release order of docs/deployment.md: build once -> Bicep ->
data plane -> staging slots -> migrate once -> smoke staging -> swap (+ smoke production) ->
Function App, with OIDC and no stored secret."""

from __future__ import annotations

import re

import yaml

from tests.infra import bicep

WORKFLOW = bicep.ROOT / ".github" / "workflows" / "deploy.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def _needs(job: dict) -> set[str]:
    needs = job.get("needs", [])
    return {needs} if isinstance(needs, str) else set(needs)


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_jobs_run_in_release_order() -> None:
    jobs = _workflow()["jobs"]

    assert "checks" in _needs(jobs["infra"])
    assert "infra" in _needs(jobs["data-plane"])
    assert {"build", "data-plane"} <= _needs(jobs["staging"])
    assert "staging" in _needs(jobs["migrate"])
    assert "migrate" in _needs(jobs["smoke-staging"])
    assert "smoke-staging" in _needs(jobs["swap"])
    assert {"build", "swap"} <= _needs(jobs["functions"])


def test_the_packages_are_built_once_and_deployed_from_that_build() -> None:
    jobs = _workflow()["jobs"]
    builders = [name for name, job in jobs.items()
                if re.search(r"^\s*zip\s", _runs(job), flags=re.MULTILINE)
                or "build-functions.sh" in _runs(job)]
    downloads = {name for name, job in jobs.items() for step in job["steps"]
                 if step.get("uses", "").startswith("actions/download-artifact")}

    assert builders == ["build"]
    assert downloads == {"staging", "functions"}
    assert "--slot staging" in _runs(jobs["staging"])
    assert "--build-remote true" in _runs(jobs["functions"])


def test_migrations_run_once_with_the_staging_slots_settings() -> None:
    jobs = _workflow()["jobs"]
    migrating = [name for name, job in jobs.items() if "manage.py migrate" in _runs(job)]

    assert migrating == ["migrate"]
    assert "--slot staging" in _runs(jobs["migrate"])


def test_staging_and_production_are_smoke_tested_around_the_swap() -> None:
    jobs = _workflow()["jobs"]
    staging, swap = _runs(jobs["smoke-staging"]), _runs(jobs["swap"])

    for script in (staging, swap):
        assert script.count("/healthz") == 2
        assert "/api/v1/products" in script
    assert "/api/auth/me" in staging
    assert swap.count("az webapp deployment slot swap") == 2  # the swap, and back on failure


def test_azure_access_is_oidc_with_no_stored_secret() -> None:
    workflow = _workflow()
    text = WORKFLOW.read_text("utf-8")

    assert workflow["permissions"] == {"contents": "read", "id-token": "write"}
    assert not re.search(r"\$\{\{\s*secrets\.", text)
    assert re.findall(r"uses: (azure/login@\S+)", text)
    assert "infra_bicep/main.bicep" in _runs(workflow["jobs"]["infra"])
    assert 'infra_bicep/$TARGET_ENV.bicepparam' in _runs(workflow["jobs"]["infra"])
