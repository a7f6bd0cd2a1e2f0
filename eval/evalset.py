"""Loading the evaluation set: document specs (eval/specs) and label files (eval/labels).

A spec is a reviewer.docgen spec (name, format, blocks or sheets). A label file names one document
or one package (several documents reviewed together) and lists the findings a careful UKPBJ
reviewer would raise (`expected`) and the ones reasonable reviewers may disagree on (`debatable`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EVAL_DIR = Path(__file__).resolve().parent
SPECS_DIR = EVAL_DIR / "specs"
LABELS_DIR = EVAL_DIR / "labels"
GENERATED_DIR = EVAL_DIR / "_generated"
# Held-out batches: written from the regulations alone, without reading the rulebook, so only their
# first run is an honest measure (eval/README.md records it). Every spec and label file of a batch
# starts with its prefix. Once a batch has been run and read it is no longer held out; the next
# one must be new.
HELD_OUT = ("uji", "uji2", "uji3", "uji4", "uji5", "uji6", "uji7", "uji8", "uji9", "uji10", "uji11", "uji12",
            "uji13", "uji14", "uji15", "uji16", "uji17", "uji18",
            "uji19", "uji20", "uji21", "uji22",
            "uji23", "uji24", "uji25", "uji26", "uji27", "uji28", "uji29", "uji30",
            "uji31", "uji32", "uji33", "uji34",
            "uji35", "uji36", "uji37", "uji38", "uji39", "uji40", "uji41", "uji42", "uji43", "uji44")
BATCH_PREFIXES = {name: f"{name}-" for name in HELD_OUT}
BATCHES = ("utama", *HELD_OUT)  # utama: the set the rules were tuned on; the others: held out
EXTENSIONS = {"pdf": ".pdf", "scan_pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "txt": ".txt"}


@dataclass
class Label:
    category: str
    kind: str
    document: str  # spec name the finding belongs to
    evidence: list[str] = field(default_factory=list)  # alternatives; empty for a missing element
    page: int | None = None
    note: str = ""


@dataclass
class LabelSet:
    name: str  # label file stem
    documents: list[str]  # spec names
    package: bool
    clean: bool
    expected: list[Label]
    debatable: list[Label]
    file: Path | None = None


def _evidence(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(x) for x in raw]


def _label(raw: dict, default_doc: str, debatable: bool) -> Label:
    from .taxonomy import kind_of

    category = str(raw["category"])
    return Label(
        category=category,
        kind=str(raw.get("kind") or kind_of(category)),
        document=str(raw.get("document") or default_doc),
        evidence=_evidence(raw.get("evidence")),
        page=raw.get("page"),
        note=str(raw.get("note", "")),
    )


def load_label_set(path: Path) -> LabelSet:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    docs = raw.get("documents") or [raw.get("document")]
    docs = [str(d) for d in docs if d]
    if not docs:
        raise ValueError(f"{path.name}: 'document' atau 'documents' wajib diisi")
    default_doc = docs[0]
    return LabelSet(
        name=path.stem,
        documents=docs,
        package=bool(raw.get("package", len(docs) > 1)),
        clean=bool(raw.get("clean", False)),
        expected=[_label(x, default_doc, False) for x in raw.get("expected") or []],
        debatable=[_label(x, default_doc, True) for x in raw.get("debatable") or []],
        file=path,
    )


def load_label_sets(labels_dir: Path = LABELS_DIR, batch: str | None = None) -> list[LabelSet]:
    """The label sets of `batch` (every set when None); other batches' files are not even parsed."""
    return [load_label_set(p) for p in sorted(labels_dir.glob("*.yaml")) if in_batch(p.stem, batch)]


def batch_of(name: str) -> str:
    """The batch a spec or label set belongs to, from its name's prefix ("uji2-x" is not "uji")."""
    for batch, prefix in BATCH_PREFIXES.items():
        if name.startswith(prefix):
            return batch
    return "utama"


def in_batch(name: str, batch: str | None) -> bool:
    """Whether label set `name` belongs to `batch` (one of BATCHES); None selects every set."""
    if batch is None:
        return True
    if batch not in BATCHES:
        raise ValueError(f"batch tidak dikenal: {batch!r} (pilih {', '.join(BATCHES)})")
    return batch_of(name) == batch


def load_spec(name: str, specs_dir: Path = SPECS_DIR) -> dict:
    path = specs_dir / f"{name}.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if spec.get("name") != name:
        raise ValueError(f"{path.name}: name '{spec.get('name')}' harus sama dengan nama berkas")
    return spec


def spec_names(specs_dir: Path = SPECS_DIR) -> list[str]:
    return [p.stem for p in sorted(specs_dir.glob("*.yaml"))]


def spec_units(spec: dict) -> list[str]:
    """The texts a reader sees, one per paragraph, heading, list item, table cell or sheet cell.

    A label's evidence must sit inside one unit: a finding quotes a sentence or a row, and a
    quote that spans two paragraphs would not be a fair target."""
    units: list[str] = []
    for block in spec.get("blocks") or []:
        for key in ("h", "p", "li"):
            if key in block:
                units.append(str(block[key]))
        for row in block.get("table") or []:
            units.extend(str(c) for c in row if c is not None)
    for sheet in spec.get("sheets") or []:
        for row in sheet.get("rows") or []:
            for cell in row:
                if cell is None or isinstance(cell, dict):
                    continue  # formulas with forced values: shown as numbers, not text
                text = str(cell)
                if not text.startswith("="):
                    units.append(text)
    return units


def generated_path(name: str, out_dir: Path = GENERATED_DIR) -> Path | None:
    """The generated file of spec `name` (any extension), or None when it was not built yet."""
    found = sorted(p for p in out_dir.glob(f"{name}.*") if p.stem == name)
    return found[0] if found else None
