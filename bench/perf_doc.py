"""docs/PERFORMANCE.md as the benchmarks write it: each owns one ``## `` section, which a run
replaces, keeping every other section and the hand-written analysis under ``NOTES`` in its
own (that analysis says which run it explains)."""

from __future__ import annotations

from pathlib import Path

NOTES = "### Where the time goes"


def write_section(path: Path, heading: str, section: str) -> Path:
    """Replace (or append) the section that starts with ``heading``."""
    text = path.read_text() if path.exists() else "# Performance\n"
    head, marker, tail = text.partition(heading)
    rest = tail[tail.find("\n## "):] if marker and "\n## " in tail else ""
    ours = tail[:len(tail) - len(rest)]
    notes = ours[ours.find(NOTES):].rstrip() + "\n" if NOTES in ours else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head.rstrip() + "\n\n" + section.rstrip() + "\n"
                    + ("\n" + notes if notes else "") + rest)
    return path
