"""What every export shows the same way: finding rows joined with their decisions, and labels."""

from __future__ import annotations

from typing import Any, Iterator

from ..model import SEVERITY_ORDER, related_label
from ..report import DOC_TYPE_LABEL, FACT_LABEL, KIND_LABEL, SEVERITY_LABEL, format_fact
from ..store import DECISION_LABELS

__all__ = ["DOC_TYPE_LABEL", "FACT_LABEL", "KIND_LABEL", "SEVERITY_LABEL", "DECISION_LABELS",
           "format_fact", "finding_rows", "decision_counts", "fact_lines"]

UNDECIDED = "Belum diputuskan"


def finding_rows(report: dict, decisions: dict[str, dict] | None = None) -> Iterator[dict[str, Any]]:
    """Findings in reading order (document, severity, position), each with `no` and its decision
    fields (empty when undecided)."""
    decisions = decisions or {}
    ordered = sorted(report.get("findings", []),
                     key=lambda f: (f.get("document", ""), SEVERITY_ORDER.get(f.get("severity"), 9),
                                    f.get("start") if f.get("start") is not None else -1))
    for no, f in enumerate(ordered, 1):
        d = decisions.get(f.get("key", "")) or {}
        yield {**f, "no": no, "decision": d.get("decision", ""),
               "decision_label": DECISION_LABELS.get(d.get("decision", ""), UNDECIDED),
               "reason": d.get("reason", ""), "note": d.get("note", ""),
               "reviewer": d.get("user", ""), "decided_at": d.get("decided_at", "")}


def related_text(row: dict[str, Any]) -> str:
    """The other quotes a finding rests on, one per line: 'Pembanding (hps.xlsx, halaman 1): “...”',
    introduced by model.related_label."""
    label = related_label(row.get("kind"))
    lines = []
    for rel in row.get("related") or []:
        page = f", halaman {rel['page']}" if rel.get("page") else ""
        lines.append(f"{label} ({rel.get('document', '')}{page}): \u201c{rel.get('evidence', '')}\u201d")
    return "\n".join(lines)


def decision_counts(report: dict, decisions: dict[str, dict] | None) -> dict[str, int]:
    counts = {label: 0 for label in list(DECISION_LABELS.values()) + [UNDECIDED]}
    for row in finding_rows(report, decisions):
        counts[row["decision_label"]] += 1
    return counts


def fact_lines(doc: dict) -> list[tuple[str, str]]:
    return [(FACT_LABEL.get(k, k.replace("_", " ").capitalize()), format_fact(k, v))
            for k, v in (doc.get("facts") or {}).items() if v is not None]


def decision_text(row: dict[str, Any]) -> str:
    """'Ditolak (bukan masalah) oleh Sari (22-11-2026 03:16) — alasan: ...' for one finding row,
    unescaped: each report format escapes it its own way."""
    text = str(row["decision_label"])
    if row["decision"]:
        text += f" oleh {row['reviewer']} ({row['decided_at']})"
        if row["reason"]:
            text += f" — alasan: {row['reason']}"
        if row["note"]:
            text += f" — catatan: {row['note']}"
    return text
