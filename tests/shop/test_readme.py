"""The README's configuration table documents every setting the code reads, and nothing else."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = {"TIENDA_BIND", "TIENDA_WEB_WORKERS", "TIENDA_WEB_THREADS", "TIENDA_ACCESS_LOG"}


def _read_by(settings_module: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIENDA_")}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    script = "import django; django.setup(); from shop.settings import env; print(*env.READ)"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return set(out.split())


def test_every_setting_read_is_documented_in_the_readme():
    documented = set(re.findall(r"^\| `(TIENDA_[A-Z0-9_]+)` \|", (ROOT / "README.md").read_text(),
                                re.MULTILINE))
    read = GUNICORN.union(*(_read_by(f"shop.settings.{m}")
                            for m in ("storefront", "backoffice", "worker")))

    assert sorted(read - documented) == []
    assert sorted(documented - read) == []


def test_gunicorn_reads_the_settings_the_readme_names_for_it():
    source = (ROOT / "shop" / "gunicorn_conf.py").read_text()

    assert set(re.findall(r'"(TIENDA_[A-Z_]+)"', source)) == GUNICORN
