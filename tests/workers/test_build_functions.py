"""scripts/build-functions.sh assembles a Function App package that boots on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_holds_the_app_its_django_packages_and_no_tests(tmp_path):
    out = tmp_path / "functions"

    subprocess.run([str(ROOT / "scripts" / "build-functions.sh"), str(out)], check=True,
                   capture_output=True, timeout=120)

    top = sorted(p.name for p in out.iterdir())
    assert top == ["analytics", "backoffice", "function_app.py", "host.json", "manage.py",
                   "requirements.txt", "shop", "storefront", "workers"]
    assert (out / "requirements.txt").read_text() == (ROOT / "requirements.txt").read_text()
    assert not (out / "requirements.txt").is_symlink()
    assert not list(out.rglob("__pycache__"))
    assert not (out / "backoffice" / "spa").exists()
    assert not (out / "shop" / "settings" / "test.py").exists()
    with zipfile.ZipFile(tmp_path / "functions.zip") as archive:
        names = set(archive.namelist())
    assert {"function_app.py", "host.json", "requirements.txt",
            "workers/runner.py", "shop/settings/worker.py"} <= names


def test_the_packaged_app_boots_django_with_the_worker_settings_and_indexes_its_functions(
        tmp_path):
    out = tmp_path / "functions"
    subprocess.run([str(ROOT / "scripts" / "build-functions.sh"), str(out)], check=True,
                   capture_output=True, timeout=120)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}

    listed = subprocess.run(
        [sys.executable, "-c", "import function_app, workers, django.conf as c; "
         "print(c.settings.SETTINGS_MODULE, function_app.__file__, workers.__file__); "
         "print(*sorted(f.get_function_name() for f in function_app.app.get_functions()))"],
        cwd=out, env=env, capture_output=True, text=True, timeout=120)

    assert listed.returncode == 0, listed.stderr
    first, names = listed.stdout.splitlines()
    assert first.split() == ["shop.settings.worker", str(out / "function_app.py"),
                             str(out / "workers" / "__init__.py")]
    assert names.split() == ["queue_inventory_jobs", "queue_notifications",
                             "queue_order_confirmation", "timer_back_in_stock",
                             "timer_campaigns_due", "timer_low_stock_digest",
                             "timer_outbox_sweep", "timer_pending_orders",
                             "timer_warehouse_etl"]
