"""Plain data that flows through the pipeline.

ingest -> Document -> segment -> Clause list -> classify -> Facts -> checks -> Finding list -> Report

Like spaCy's Doc and Span: a Document owns its text, and everything else (blocks, table rows,
clauses, facts, findings) points into it with character offsets [start, end) rather than copying.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = ("kak", "spesifikasi", "hps", "kontrak", "dokumen_pemilihan", "lainnya")
KINDS = ("missing", "risk", "number", "consistency")
SEVERITIES = ("tinggi", "sedang", "rendah")
SEVERITY_ORDER = {"tinggi": 0, "sedang": 1, "rendah": 2}


RELATED_LABELS = {"missing": "Paling mendekati", "consistency": "Pembanding"}


def related_label(kind: str | None) -> str:
    """How a finding's second quote is introduced: the nearest candidate for a missing element, the
    other document's value for an inconsistency, otherwise the related sentence it rests on (for
    example the method statement beside a value over its threshold)."""
    return RELATED_LABELS.get(kind or "", "Bukti terkait")


@dataclass
class Block:
    """One piece of extracted text: a paragraph, a heading, a list item, a line, a table row.

    `start`/`end` are offsets into `Document.text`. `page` is 1-based: the PDF page, the DOCX page
    estimate (1 when unknown), or the XLSX sheet number. `location` is human readable
    ("halaman 3", "sheet 'HPS' baris 12").
    """

    kind: str  # paragraph | heading | list_item | line | table_row
    start: int
    end: int
    page: int
    location: str = ""
    style: str | None = None  # DOCX style name or list marker hint
    table: int | None = None  # index into Document.tables for table rows
    row: int | None = None  # row index inside that table (0-based)
    cells: list[str] | None = None  # cell texts, for table rows


@dataclass
class Table:
    """A table in reading order. `rows` holds cell texts; `values` (same shape, optional) holds the
    raw typed values where the source has them (XLSX numbers, cached formula results)."""

    page: int
    rows: list[list[str]]
    start: int
    end: int
    sheet: str | None = None
    values: list[list[Any]] | None = None
    row_blocks: list[int] = field(default_factory=list)  # index of each row's Block


@dataclass
class Document:
    name: str  # file name shown to the user
    format: str  # pdf | docx | xlsx | txt
    text: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=lambda: [0])  # offset where page i+1 begins
    page_labels: list[str] = field(default_factory=list)  # e.g. sheet names for XLSX
    warnings: list[str] = field(default_factory=list)  # in Bahasa Indonesia, shown to users
    ocr_pages: list[int] = field(default_factory=list)
    path: str | None = None
    sha256: str | None = None

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def page_at(self, offset: int) -> int:
        """1-based page holding character `offset`."""
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def page_label(self, page: int) -> str:
        if self.format == "xlsx" and 0 < page <= len(self.page_labels):
            return f"sheet '{self.page_labels[page - 1]}'"
        return f"halaman {page}"


@dataclass
class Clause:
    """A reviewable unit: a heading, a numbered item, a sentence, or a table row."""

    id: str
    document: str
    text: str
    start: int
    end: int
    page: int
    kind: str  # heading | item | sentence | paragraph | table_row
    numbering: str | None = None  # "Pasal 5", "ayat (2)", "4.2", "b."
    heading_path: list[str] = field(default_factory=list)
    label: str = ""  # "bagian 4.2 huruf b" style location, for findings
    cells: list[str] | None = None
    table: int | None = None
    row: int | None = None


@dataclass
class Fact:
    """A procurement fact with its evidence span."""

    name: str  # jenis_pengadaan | metode | pagu | nilai_hps | nilai_kontrak | jangka_waktu_hari | jenis_kontrak | tahun_anggaran | ...
    value: Any
    text: str
    start: int | None = None
    end: int | None = None
    page: int | None = None
    confidence: float = 1.0


MONEY_FACTS = ("pagu", "nilai_hps", "nilai_kontrak", "perkiraan_biaya")  # facts whose value is rupiah


@dataclass
class Finding:
    rule_id: str
    category: str
    kind: str
    severity: str
    document: str
    page: int | None
    start: int | None
    end: int | None
    evidence: str
    citation: str
    message: str
    suggestion: str
    score: float
    title: str = ""
    why: str = ""
    location: str = ""  # "bagian 4.2 huruf b, halaman 3"
    confidence: str = "pasti"  # pasti | perlu-cek (from the rule's source)
    related: list[dict] = field(default_factory=list)  # further quotes; see related_label
    merged_rules: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable identity across re-checks of a revised document (rule + normalised evidence)."""
        ev = " ".join(self.evidence.lower().split())[:200]
        return f"{self.rule_id}|{self.document}|{ev}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["key"] = self.key
        return d


@dataclass
class DocumentSummary:
    name: str
    doc_type: str
    doc_type_confidence: float
    pages: int
    facts: dict[str, Any]
    warnings: list[str]
    format: str = ""
    clauses: int = 0


@dataclass
class Report:
    documents: list[DocumentSummary]
    findings: list[Finding]
    summary: dict[str, Any]
    rulebook_version: str
    model: str
    warnings: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # files that could not be read: {"file", "message"}
    # Not part of the JSON contract: the reviewed documents and their clauses, for the UI and exports.
    sources: dict[str, Document] = field(default_factory=dict, repr=False)
    clauses: dict[str, list[Clause]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {
            "documents": [asdict(d) for d in self.documents],
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
            "rulebook_version": self.rulebook_version,
            "model": self.model,
            "warnings": self.warnings,
            "errors": self.errors,
        }
