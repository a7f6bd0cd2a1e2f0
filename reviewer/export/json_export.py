"""The report JSON (the contract) plus the reviewer's decisions under `decisions`."""

from __future__ import annotations

import json
from pathlib import Path


def write_json(report: dict, decisions: dict[str, dict] | None, path: str | Path) -> Path:
    data = dict(report)
    data["decisions"] = decisions or {}
    path = Path(path)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
