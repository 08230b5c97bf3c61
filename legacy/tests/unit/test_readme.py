"""The README stays true about configuration."""

from __future__ import annotations

from pathlib import Path

from tienda.config import Settings

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    missing = [name for name in Settings.model_fields
               if f"`TIENDA_{name.upper()}`" not in README]

    assert missing == []
