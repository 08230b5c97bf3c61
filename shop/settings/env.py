"""Every setting comes from the environment, read and validated once when settings load.

A bad value raises ``ImproperlyConfigured("TIENDA_X: what is wrong")``; ``manage.py``, the WSGI
entry point and the Function App turn it into one line and a non-zero exit."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

# Every variable a settings module read, so the infrastructure tests can hold Bicep to it.
READ: set[str] = set()


def _raw(name: str, default: str) -> str:
    READ.add(name)
    return os.environ.get(name, default)


def _fail(name: str, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}: {message}")


def text(name: str, default: str = "", *, pattern: str | None = None,
         choices: tuple[str, ...] | None = None, min_length: int = 0) -> str:
    value = _raw(name, default)
    if choices is not None and value not in choices:
        raise _fail(name, f"must be one of {', '.join(choices)} (got {value!r})")
    if pattern is not None and not re.fullmatch(pattern, value):
        raise _fail(name, f"{value!r} does not match {pattern}")
    if len(value) < min_length:
        raise _fail(name, f"must be at least {min_length} characters long")
    return value


def integer(name: str, default: int, *, low: int, high: int) -> int:
    return _number(name, default, int, low, high)


def decimal(name: str, default: float, *, low: float, high: float) -> float:
    return _number(name, default, float, low, high)


def _number[T](name: str, default: T, kind: Callable[[str], T], low: T, high: T) -> T:
    raw = _raw(name, str(default))
    try:
        value = kind(raw)
    except ValueError:
        raise _fail(name, f"must be a number (got {raw!r})") from None
    if not low <= value <= high:  # type: ignore[operator]
        raise _fail(name, f"must be between {low} and {high} (got {raw})")
    return value


def boolean(name: str, default: bool) -> bool:
    raw = _raw(name, "true" if default else "false").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off", ""):
        return False
    raise _fail(name, f"must be true or false (got {raw!r})")


def listing(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in _raw(name, default).split(",") if item.strip()]


def path(name: str, default: str) -> Path:
    return Path(_raw(name, default)).expanduser()
