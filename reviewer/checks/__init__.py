"""Checks register themselves by name when their module is imported (see base.py).

`load_checks()` imports every module of this package once, so a rule card can name any check
without the engine knowing the list. A module that fails to import is reported, not fatal: the
rules that need it are skipped with a warning on the report.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import DOCUMENT_CHECKS, PACKAGE_CHECKS  # noqa: F401

_load_errors: dict[str, str] = {}
_loaded = False


def load_checks() -> dict[str, str]:
    """Import all check modules; returns {module: error} for those that failed."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            if info.name == "base":
                continue
            try:
                importlib.import_module(f"{__name__}.{info.name}")
            except Exception as exc:  # a broken check module must not take the engine down
                _load_errors[info.name] = f"{type(exc).__name__}: {exc}"
        _loaded = True
    return dict(_load_errors)
