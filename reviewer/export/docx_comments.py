"""The reviewed DOCX with each finding as a real Word comment anchored at its clause.

The clause is found by its evidence text: first a paragraph (body or table cell) that contains
it, then, for table rows whose evidence joins several cells, the row whose cells all appear in it,
then the paragraph sharing most words with it. A missing-element finding, or one whose text
cannot be found, is anchored at the document title so no finding is lost.
Dismissed findings (ditolak) are left out unless asked for: the file goes back to the drafter.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from .common import SEVERITY_LABEL, finding_rows

WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class CommentResult:
    path: Path
    placed: int  # anchored at the clause itself
    unplaced: int  # anchored at the title (missing element or text not found)


def _paragraphs(document) -> list[Paragraph]:
    out: list[Paragraph] = []

    def walk_table(table: Table) -> None:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    out.append(p)
                for t in cell.tables:
                    walk_table(t)

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block)
        else:
            walk_table(block)
    return [p for p in out if p.runs and p.text.strip()]


def _rows(document) -> list[list[Paragraph]]:
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                cells.extend(p for p in cell.paragraphs if p.runs and p.text.strip())
            if cells:
                rows.append(cells)
    return rows


def locate(document, evidence: str) -> list[Paragraph] | None:
    """The paragraph(s) holding `evidence`, or None."""
    ev = _norm(evidence)
    if not ev:
        return None
    paragraphs = _paragraphs(document)
    probe = ev[:150]
    for p in paragraphs:
        if probe in _norm(p.text):
            return [p]
    for cells in _rows(document):
        texts = [_norm(c.text) for c in cells]
        if all(t in ev for t in texts) and sum(len(t) for t in texts) >= 0.5 * len(ev):
            return [cells[0], cells[-1]]
    for p in paragraphs:  # evidence longer than one paragraph
        t = _norm(p.text)
        if len(t) >= 20 and t in ev:
            return [p]
    words = set(WORD.findall(ev))
    best, best_score = None, 0.0
    for p in paragraphs:
        pw = set(WORD.findall(_norm(p.text)))
        if not pw:
            continue
        score = len(words & pw) / max(1, len(words))
        if score > best_score:
            best, best_score = p, score
    return [best] if best is not None and best_score >= 0.6 else None


def _comment_text(row: dict) -> str:
    sev = SEVERITY_LABEL.get(row.get("severity"), row.get("severity"))
    lines = [f"[{sev}] {row.get('title') or row.get('rule_id')} ({row.get('rule_id')})",
             f"Dasar: {row.get('citation', '')}", row.get("message", "")]
    if not row.get("evidence"):
        lines.insert(1, "Bagian ini tidak ditemukan dalam dokumen.")
    if row.get("suggestion"):
        lines.append(f"Saran: {row['suggestion']}")
    if row.get("decision"):
        extra = f" — {row['note']}" if row.get("note") else ""
        lines.append(f"Keputusan pereviu: {row['decision_label']}{extra}")
    return "\n".join(line for line in lines if line)


def write_commented_docx(source: str | Path | bytes, report: dict, decisions: dict[str, dict] | None,
                         out_path: str | Path, document_name: str, author: str = "Pereviu PBJ",
                         include_dismissed: bool = False) -> CommentResult:
    """Write `source` (the original DOCX) to `out_path` with a comment for each finding on
    `document_name`."""
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source)
    document = docx.Document(stream)
    anchors = _paragraphs(document)
    title = anchors[0] if anchors else document.add_paragraph("(dokumen kosong)")
    if not title.runs:
        title.add_run(" ")
    initials = "".join(w[0] for w in author.split()[:3]).upper() or "PR"
    placed = unplaced = 0
    for row in finding_rows(report, decisions):
        if row.get("document") != document_name:
            continue
        if row.get("decision") == "ditolak" and not include_dismissed:
            continue
        target = locate(document, row.get("evidence", "")) if row.get("evidence") else None
        if target is None:
            runs = title.runs
            unplaced += 1
        else:
            runs = [target[0].runs[0], target[-1].runs[-1]]
            placed += 1
        document.add_comment(runs, text=_comment_text(row), author=author, initials=initials)
    out_path = Path(out_path)
    document.save(str(out_path))
    return CommentResult(out_path, placed, unplaced)
