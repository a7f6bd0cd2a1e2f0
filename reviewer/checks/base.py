"""The small interface every check implements, and the helpers they share.

A check is a function registered by name. A rule card names its check (`check: pattern`,
`check: element`, `check: denda_rate`, ...); the engine calls it for every document the rule
applies to (document checks) or once per package (package checks):

    @document_check("denda_rate")
    def denda_rate(rule: Rule, ctx: DocContext) -> list[Finding]: ...

    @package_check("consistency_nilai")
    def consistency_nilai(rule: Rule, docs: list[DocContext]) -> list[Finding]: ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ..model import Clause, Document, Fact, Finding
from ..rules import UNKNOWN, Rule


class Retriever(Protocol):
    """Hybrid (dense + lexical) scorer of clauses against a rule, see reviewer.index."""

    def clause_scores(self, rule: Rule, ctx: "DocContext") -> list[tuple[Clause, float]]: ...


@dataclass
class DocContext:
    document: Document
    clauses: list[Clause]
    doc_type: str
    doc_type_confidence: float = 1.0
    facts: dict[str, Fact] = field(default_factory=dict)
    retriever: Retriever | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-document scratch space for checks

    def fact(self, name: str, default: Any = None) -> Any:
        f = self.facts.get(name)
        return f.value if f is not None else default


DocumentCheck = Callable[[Rule, DocContext], list[Finding]]
PackageCheck = Callable[[Rule, list[DocContext]], list[Finding]]

DOCUMENT_CHECKS: dict[str, DocumentCheck] = {}
PACKAGE_CHECKS: dict[str, PackageCheck] = {}


def document_check(name: str) -> Callable[[DocumentCheck], DocumentCheck]:
    def register(fn: DocumentCheck) -> DocumentCheck:
        DOCUMENT_CHECKS[name] = fn
        return fn
    return register


def package_check(name: str) -> Callable[[PackageCheck], PackageCheck]:
    def register(fn: PackageCheck) -> PackageCheck:
        PACKAGE_CHECKS[name] = fn
        return fn
    return register


def rule_applies(rule: Rule, ctx: DocContext) -> bool:
    """Does the rule's `applies_to` and `when` hold for this document's type and facts?

    A condition on a fact the document does not state is treated as unknown: the rule runs only
    when the fact is known, unless the rule lists it nowhere (no condition) or asks for exactly
    that (`tidak_terbaca`)."""
    if ctx.doc_type not in rule.applies_to:
        return False
    return conditions_hold(rule.when, ctx.facts)


def conditions_hold(when: dict[str, Any], facts: dict[str, Fact]) -> bool:
    def val(name: str) -> Any:
        f = facts.get(name)
        return f.value if f is not None else None

    for key, expected in when.items():
        allowed = expected if isinstance(expected, (list, tuple)) else [expected]
        if key in ("jenis_pengadaan", "metode", "jenis_kontrak"):
            v = val(key)
            if v is None and UNKNOWN in allowed:
                continue  # the rule is written for documents that do not state this fact
            if v is None or v not in allowed:
                return False
        elif key in ("nilai_min", "nilai_max"):
            v = reference_value(facts)
            if v is None:
                return False
            if key == "nilai_min" and v < float(expected):
                return False
            if key == "nilai_max" and v > float(expected):
                return False
        elif key == "facts_required":
            if any(val(n) is None for n in allowed):
                return False
    return True


# The value a threshold is judged on: nilai kontrak, else HPS, else the KAK's estimate of the cost,
# else pagu (which may cover more than this package)
REFERENCE_FACTS = ("nilai_kontrak", "nilai_hps", "perkiraan_biaya", "pagu")


def reference_value(facts: dict[str, Fact]) -> float | None:
    """The value of the first of REFERENCE_FACTS the document states."""
    for name in REFERENCE_FACTS:
        f = facts.get(name)
        if f is not None and f.value is not None:
            return float(f.value)
    return None


def clause_location(clause: Clause, doc: Document) -> str:
    where = clause.label or ""
    page = doc.page_label(clause.page)
    return f"{where}, {page}" if where else page


def related_quote(ctx: DocContext, text: str, start: int | None) -> dict:
    """One entry of a finding's `related`: another passage of the same document it rests on."""
    return {"document": ctx.document.name, "evidence": " ".join(text.split()),
            "page": ctx.document.page_at(start) if start is not None else None}


def make_finding(rule: Rule, ctx: DocContext, *, clause: Clause | None = None,
                 start: int | None = None, end: int | None = None, message: str | None = None,
                 score: float = 1.0, evidence: str | None = None, severity: str | None = None,
                 related: list[dict] | None = None) -> Finding:
    """Build a Finding for `rule` in `ctx.document`.

    Evidence is the clause (or the [start, end) span when given: keep it tight, a sentence or a
    table row, never a whole section). A missing-element finding passes no clause and no span."""
    doc = ctx.document
    if clause is not None and start is None:
        start, end = clause.start, clause.end
    if evidence is None:
        evidence = doc.text[start:end].strip() if start is not None else ""
    page = doc.page_at(start) if start is not None else None
    location = clause_location(clause, doc) if clause is not None else (doc.page_label(page) if page else "")
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        kind=rule.kind,
        severity=severity or rule.severity,
        document=doc.name,
        page=page,
        start=start,
        end=end,
        evidence=" ".join(evidence.split()),
        citation=rule.citation,
        message=message or rule.statement,
        suggestion=rule.suggestion,
        score=round(float(score), 4),
        title=rule.title,
        why=rule.why,
        location=location,
        confidence=rule.source.confidence,
        related=related or [],
    )
