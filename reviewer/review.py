"""The one entry point: `review(paths) -> Report`.

files -> ingest -> Document -> segment -> Clauses -> classify + facts -> checks -> Findings -> Report

The CLI, the web app, the evaluation and the rule-example tests all call these functions, so what
they measure is what users get.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable

from .checks import DOCUMENT_CHECKS, PACKAGE_CHECKS, load_checks
from .checks.base import DocContext, rule_applies
from .checks.element import amends_contract
from .classify import classify, extract_facts
from .errors import IngestError
from .model import SEVERITY_ORDER, Document, DocumentSummary, Fact, Finding, Report
from .rules import Rule, Rulebook, default_rulebook
from .segment import segment

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
# Facts a package shares: a kontrak rarely restates the method or jenis pengadaan the KAK gives.
SHARED_FACTS = ("jenis_pengadaan", "metode", "tahun_anggaran", "tahun_jamak", "usaha_kecil", "jenis_kontrak")


def _noop(stage: str, fraction: float) -> None:
    pass


def analyze(doc: Document, *, doc_type: str | None = None,
            facts: dict[str, Any] | None = None) -> DocContext:
    """Segment, classify and pull facts from one document. `doc_type`/`facts` override."""
    clauses = segment(doc)
    if doc_type is None:
        doc_type, confidence = classify(doc, clauses)
    else:
        confidence = 1.0
    found = extract_facts(doc, clauses, doc_type)
    for name, value in (facts or {}).items():
        found[name] = Fact(name=name, value=value, text="(ditetapkan pengguna)", confidence=1.0)
    return DocContext(document=doc, clauses=clauses, doc_type=doc_type,
                      doc_type_confidence=confidence, facts=found)


def share_package_facts(contexts: list[DocContext]) -> None:
    """Fill facts one document lacks from the others of the same package (lower confidence)."""
    for name in SHARED_FACTS:
        source = next((c.facts[name] for c in contexts if name in c.facts), None)
        if source is None:
            continue
        for ctx in contexts:
            if name not in ctx.facts:
                ctx.facts[name] = replace(source, confidence=min(source.confidence, 0.6))


def get_retriever(rulebook: Rulebook, use_embeddings: bool = True) -> tuple[Any, str, list[str]]:
    """The hybrid rule index, or None. Returns (retriever, model name, warnings)."""
    warnings: list[str] = []
    try:
        from .index import get_rule_index
        index = get_rule_index(rulebook, use_embeddings=use_embeddings)
    except Exception as exc:  # the review still runs on patterns and lexical evidence
        log.exception("rule index unavailable")
        return None, "tidak ada", [f"Indeks aturan tidak dapat dibuat ({exc}); pemeriksaan berjalan tanpa pencarian semantik."]
    model = getattr(index, "model_name", "leksikal")
    if getattr(index, "mode", "hybrid") != "hybrid":
        status = getattr(index, "status", "")
        warnings.append(status or "Model embedding tidak tersedia; pemeriksaan berjalan leksikal saja.")
    return index, model, warnings


def run_checks(contexts: list[DocContext], rules: Iterable[Rule], *, package: bool,
               progress: Progress = _noop) -> tuple[list[Finding], list[str]]:
    warnings: list[str] = []
    broken = load_checks()
    for module, err in broken.items():
        warnings.append(f"Modul pemeriksaan '{module}' gagal dimuat: {err}")
    rules = list(rules)
    findings: list[Finding] = []
    total = max(1, len(contexts))
    for ctx in contexts:
        if amends_contract(ctx):
            warnings.append(f"{ctx.document.name}: adendum yang hanya memuat perubahan; ketentuan lain mengikuti "
                            "kontrak awal, jadi kelengkapan unsur kontrak tidak diperiksa pada berkas ini. "
                            "Periksa bersama kontrak awalnya.")
    for i, ctx in enumerate(contexts):
        progress("pemeriksaan", i / total)
        for rule in rules:
            check = DOCUMENT_CHECKS.get(rule.check)
            if check is None or not rule_applies(rule, ctx):
                continue
            try:
                findings.extend(check(rule, ctx))
            except Exception as exc:  # one faulty check must not lose the whole review
                log.exception("check %s failed on rule %s", rule.check, rule.id)
                warnings.append(f"Pemeriksaan {rule.id} gagal pada {ctx.document.name}: {exc}")
    if package and len(contexts) > 1:
        for rule in rules:
            check = PACKAGE_CHECKS.get(rule.check)
            if check is None:
                continue
            members = [c for c in contexts if c.doc_type in rule.applies_to]
            if len(members) < 2:
                continue
            try:
                findings.extend(check(rule, members))
            except Exception as exc:
                log.exception("package check %s failed", rule.id)
                warnings.append(f"Pemeriksaan paket {rule.id} gagal: {exc}")
    unknown = sorted({r.check for r in rules if r.check not in DOCUMENT_CHECKS and r.check not in PACKAGE_CHECKS})
    for name in unknown:
        warnings.append(f"Jenis pemeriksaan '{name}' belum tersedia; aturan yang memakainya dilewati.")
    progress("pemeriksaan", 1.0)
    return merge_findings(findings), warnings


def _overlap(a: Finding, b: Finding) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.start is None and b.start is None
    inter = min(a.end, b.end) - max(a.start, b.start)
    shorter = max(1, min(a.end - a.start, b.end - b.start))
    return inter / shorter >= 0.5


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per problem: the same category on overlapping evidence in one document is
    merged, keeping the most severe and best-scored one and naming the others in merged_rules."""
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), -f.score))
    kept: list[Finding] = []
    for f in ordered:
        twin = next((k for k in kept if k.document == f.document and k.category == f.category
                     and _overlap(k, f)), None)
        if twin is None:
            kept.append(f)
        elif f.rule_id != twin.rule_id and f.rule_id not in twin.merged_rules:
            twin.merged_rules.append(f.rule_id)
    kept.sort(key=lambda f: (f.document, SEVERITY_ORDER.get(f.severity, 9),
                             f.start if f.start is not None else -1, f.rule_id))
    return kept


def summarize(findings: list[Finding], contexts: list[DocContext]) -> dict[str, Any]:
    return {
        "total": len(findings),
        "by_severity": {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_ORDER},
        "by_kind": dict(Counter(f.kind for f in findings)),
        "by_document": dict(Counter(f.document for f in findings)),
        "documents": len(contexts),
    }


def build_report(contexts: list[DocContext], findings: list[Finding], *, rulebook: Rulebook,
                 model: str, warnings: list[str], errors: list[dict]) -> Report:
    docs = [DocumentSummary(
        name=c.document.name, doc_type=c.doc_type, doc_type_confidence=round(c.doc_type_confidence, 3),
        pages=c.document.pages, facts={k: f.value for k, f in c.facts.items()},
        warnings=list(c.document.warnings), format=c.document.format, clauses=len(c.clauses),
    ) for c in contexts]
    return Report(
        documents=docs, findings=findings, summary=summarize(findings, contexts),
        rulebook_version=rulebook.version, model=model, warnings=warnings, errors=errors,
        sources={c.document.name: c.document for c in contexts},
        clauses={c.document.name: c.clauses for c in contexts},
    )


def review_documents(docs: list[Document], *, package: bool | None = None,
                     rulebook: Rulebook | None = None, rule_ids: Iterable[str] | None = None,
                     doc_types: dict[str, str] | None = None, facts: dict[str, Any] | None = None,
                     use_embeddings: bool = True, errors: list[dict] | None = None,
                     progress: Progress | None = None) -> Report:
    progress = progress or _noop
    rulebook = rulebook or default_rulebook()
    rules = rulebook.rules if rule_ids is None else [rulebook.by_id(r) for r in rule_ids]
    contexts = []
    for i, doc in enumerate(docs):
        progress("analisis", i / max(1, len(docs)))
        contexts.append(analyze(doc, doc_type=(doc_types or {}).get(doc.name), facts=facts))
    progress("analisis", 1.0)
    package = len(contexts) > 1 if package is None else package
    if package:
        share_package_facts(contexts)
    retriever, model, warnings = get_retriever(rulebook, use_embeddings)
    for ctx in contexts:
        ctx.retriever = retriever
    findings, check_warnings = run_checks(contexts, rules, package=package, progress=progress)
    return build_report(contexts, findings, rulebook=rulebook, model=model,
                        warnings=warnings + check_warnings, errors=errors or [])


def review(paths: Iterable[str | Path], *, package: bool | None = None,
           progress: Progress | None = None, rulebook: Rulebook | None = None,
           use_embeddings: bool = True, ocr: bool = True) -> Report:
    """Review one document or a package. Unreadable files are listed in `report.errors` (with an
    Indonesian message each) and the others are still reviewed."""
    from .ingest import load

    progress = progress or _noop
    paths = [Path(p) for p in paths]
    docs: list[Document] = []
    errors: list[dict] = []
    for i, path in enumerate(paths):
        def file_progress(stage: str, fraction: float, i: int = i) -> None:
            progress(stage, (i + fraction) / max(1, len(paths)))
        try:
            docs.append(load(path, ocr=ocr, progress=file_progress))
        except IngestError as exc:
            errors.append({"file": path.name, "message": str(exc)})
    return review_documents(docs, package=package, rulebook=rulebook, use_embeddings=use_embeddings,
                            errors=errors, progress=progress)


def text_document(text: str, name: str = "contoh.txt") -> Document:
    from .ingest import load
    return load(text.encode("utf-8"), name=name, ocr=False)


def review_text(text: str, doc_type: str, facts: dict[str, Any] | None = None,
                rule_ids: Iterable[str] | None = None, *, name: str = "contoh.txt",
                rulebook: Rulebook | None = None, use_embeddings: bool = True) -> list[Finding]:
    """Review a snippet as a document of the given type (used by rule examples and the explorer)."""
    doc = text_document(text, name)
    report = review_documents([doc], package=False, rulebook=rulebook, rule_ids=rule_ids,
                              doc_types={doc.name: doc_type}, facts=facts,
                              use_embeddings=use_embeddings)
    return report.findings


def review_package_texts(documents: Iterable[tuple[str, str]], facts: dict[str, Any] | None = None,
                         rule_ids: Iterable[str] | None = None, *,
                         rulebook: Rulebook | None = None, use_embeddings: bool = True) -> list[Finding]:
    """Review (doc_type, text) pairs as one package."""
    docs, types = [], {}
    for i, (doc_type, text) in enumerate(documents):
        doc = text_document(text, f"{doc_type}-{i + 1}.txt")
        docs.append(doc)
        types[doc.name] = doc_type
    report = review_documents(docs, package=True, rulebook=rulebook, rule_ids=rule_ids,
                              doc_types=types, facts=facts, use_embeddings=use_embeddings)
    return report.findings
