"""scripts/bicep-checks.sh fails on what checkov itself would let through: a template its
parser cannot read (checkov exits 0 on parsing errors) and a failed check."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.infra import bicep

pytestmark = pytest.mark.slow

WEAK_STORAGE = """
resource weak 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'weak'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowBlobPublicAccess: true
    minimumTlsVersion: 'TLS1_0'
  }
}
"""
# A user-defined function: valid Bicep that checkov's pycep-parser 0.5.1 cannot read.
UNPARSABLE = """
func greeting(name string) string => 'hola ${name}'
output text string = greeting('mundo')
"""


def _run_checkov_gate(directory) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    environ = {**os.environ, "TIENDA_BICEP_DIR": str(directory)}
    return subprocess.run([str(bicep.BOOTSTRAP), "--checkov-only"], cwd=bicep.ROOT, env=environ,
                          capture_output=True, text=True, timeout=900, check=False)


def test_a_parsing_error_alone_fails_the_gate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A real module that passes every check, beside a file the parser cannot read.
    (tmp_path / "keyvault.bicep").write_text(
        (bicep.BICEP_DIR / "modules" / "keyvault.bicep").read_text("utf-8"), encoding="utf-8")
    (tmp_path / "broken.bicep").write_text(UNPARSABLE, encoding="utf-8")

    done = _run_checkov_gate(tmp_path)

    assert done.returncode == 1
    assert "failed=0 skipped=2 parsing_errors=1" in done.stdout
    assert f"PARSING ERROR {tmp_path / 'broken.bicep'}: " in done.stdout


def test_a_failed_check_fails_the_gate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "weak.bicep").write_text(WEAK_STORAGE, encoding="utf-8")

    done = _run_checkov_gate(tmp_path)

    assert done.returncode == 1
    assert "FAILED CKV_AZURE_44" in done.stdout  # TLS 1.0
    assert "parsing_errors=0" in done.stdout
