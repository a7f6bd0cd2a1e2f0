"""The rulebook: rule cards (corpus/rules/*.yaml) and article summaries (corpus/regulations/*.yaml),
loaded and validated. A broken card fails loudly with its file and rule id.

Rule card fields (see corpus/README.md for the full schema):
  id, title, category, kind, severity, applies_to, when, source{regulation, article, version,
  confidence, read_at}, statement, why, suggestion, known_problems, check, params, exemplars,
  patterns, unless, context, examples{violating, compliant}
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RulebookError
from .model import DOC_TYPES, KINDS, SEVERITIES

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"

VERSIONS = ("16/2018", "12/2021", "46/2025", "Perlem 12/2021", "Perlem 4/2024", "Perlem 2/2026", "UU")
CONFIDENCES = ("pasti", "perlu-cek")
JENIS = ("barang", "pekerjaan_konstruksi", "jasa_konsultansi", "jasa_lainnya")
# a `when` value for a fact the document does not state ("jenis_pengadaan: tidak_terbaca")
UNKNOWN = "tidak_terbaca"
METODE = (
    "pengadaan_langsung", "penunjukan_langsung", "tender", "tender_cepat", "seleksi",
    "e_purchasing", "swakelola", "dikecualikan",
)
WHEN_KEYS = ("jenis_pengadaan", "metode", "nilai_min", "nilai_max", "jenis_kontrak", "facts_required")
REQUIRED = ("id", "title", "category", "kind", "severity", "applies_to", "source", "statement",
            "why", "suggestion", "examples")
OPTIONAL = ("when", "known_problems", "check", "params", "exemplars", "patterns", "unless", "context",
            "tags")
ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{2}$")


@dataclass(frozen=True)
class Source:
    regulation: str  # "Perpres 16/2018" ...
    article: str  # "Pasal 19 ayat (2)"
    version: str  # the version whose wording the rule rests on
    confidence: str  # pasti | perlu-cek
    read_at: str = ""  # where to read the official text
    note: str = ""

    @property
    def citation(self) -> str:
        base = f"{self.article} {self.regulation}"
        if self.version and self.version not in self.regulation:
            base += f" (sebagaimana berlaku setelah {self.version})" if self.version != "16/2018" else ""
        return base


@dataclass(frozen=True)
class Example:
    text: str
    doc_type: str | None = None
    facts: tuple = ()  # tuple of (name, value) pairs; dict view via .facts_dict
    documents: tuple = ()  # for package (consistency) examples: ((doc_type, text), ...)
    note: str = ""

    @property
    def facts_dict(self) -> dict[str, Any]:
        return dict(self.facts)


@dataclass
class Rule:
    id: str
    title: str
    category: str
    kind: str
    severity: str
    applies_to: tuple[str, ...]
    source: Source
    statement: str
    why: str
    suggestion: str
    violating: list[Example]
    compliant: list[Example]
    when: dict[str, Any] = field(default_factory=dict)
    known_problems: str = ""
    check: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    exemplars: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    unless: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    file: str = ""
    compiled: list[re.Pattern] = field(default_factory=list, repr=False)
    compiled_unless: list[re.Pattern] = field(default_factory=list, repr=False)

    @property
    def citation(self) -> str:
        return self.source.citation

    @property
    def soft(self) -> bool:
        """A rule on a secondary source: worded as 'periksa', never as a violation."""
        return self.source.confidence == "perlu-cek"


@dataclass
class Article:
    """Summary of one Pasal/ayat with its status across the three versions."""

    key: str  # "Pasal 19 ayat (2)"
    regulation: str
    title: str
    summary: str  # our own words
    history: dict[str, str]  # version -> "asli" / "diubah: ..." / "dihapus" / "tetap" / "tidak diketahui"
    status: str  # berlaku | diubah | dihapus
    confidence: str
    read_at: str = ""
    file: str = ""


@dataclass
class Rulebook:
    rules: list[Rule]
    articles: dict[str, Article]  # Perpres 16/2018 (and its amendments) by normalised article
    version: str  # content hash of all corpus YAML
    other_articles: dict[tuple[str, str], Article] = field(default_factory=dict)  # (regulation, article)

    def by_id(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def article_for(self, rule: Rule) -> Article | None:
        family = regulation_family(rule.source.regulation)
        key = normalise_article(rule.source.article)
        if family == "perpres":
            return self.articles.get(key)
        return self.other_articles.get((family, key))


def regulation_family(regulation: str) -> str:
    """'perpres' for Perpres 16/2018 and its amendments (they share one article numbering);
    otherwise the regulation's own name and number, so Perlem 12/2021 Pasal 7 and UU PPN Pasal 7
    never collide with the Perpres' Pasal 7."""
    low = " ".join(regulation.lower().split())
    if low.startswith("perpres"):
        return "perpres"
    m = re.match(r"(.*?\d+/\d{4})", low)
    return m.group(1) if m else low


def normalise_article(article: str) -> str:
    """'Pasal 19 ayat (2) huruf d' -> 'pasal 19 ayat (2)', for looking up summaries."""
    a = " ".join(article.lower().split())
    m = re.match(r"(pasal \d+[a-z]?)(?: ayat \((\d+[a-z]?)\))?", a)
    if not m:
        return a
    return m.group(1) + (f" ayat ({m.group(2)})" if m.group(2) else "")


def _fail(file: str, rule: str | None, msg: str) -> None:
    raise RulebookError(file, rule, msg)


def _example(raw: Any, file: str, rid: str) -> Example:
    if isinstance(raw, str):
        if not raw.strip():
            _fail(file, rid, "contoh kosong")
        return Example(text=raw.strip())
    if isinstance(raw, dict):
        docs = raw.get("documents") or []
        if docs and not all(isinstance(d, dict) and "text" in d and "doc_type" in d for d in docs):
            _fail(file, rid, "contoh paket: setiap dokumen perlu 'doc_type' dan 'text'")
        text = str(raw.get("text", "")).strip()
        if not text and not docs:
            _fail(file, rid, "contoh tanpa 'text' atau 'documents'")
        dt = raw.get("doc_type")
        if dt is not None and dt not in DOC_TYPES:
            _fail(file, rid, f"doc_type contoh tidak dikenal: {dt}")
        facts = raw.get("facts") or {}
        if not isinstance(facts, dict):
            _fail(file, rid, "'facts' pada contoh harus mapping")
        return Example(text=text, doc_type=dt, facts=tuple(sorted(facts.items(), key=lambda kv: kv[0])),
                       documents=tuple((d["doc_type"], str(d["text"]).strip()) for d in docs),
                       note=str(raw.get("note", "")))
    _fail(file, rid, f"contoh harus teks atau mapping, bukan {type(raw).__name__}")
    raise AssertionError  # unreachable


def _compile(patterns: list[str], file: str, rid: str) -> list[re.Pattern]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, re.IGNORECASE))
        except re.error as e:
            _fail(file, rid, f"pola regex tidak valid {p!r}: {e}")
    return out


def parse_rule(raw: dict, file: str) -> Rule:
    rid = str(raw.get("id", "?"))
    if not isinstance(raw, dict):
        _fail(file, None, "setiap aturan harus mapping")
    for k in REQUIRED:
        if k not in raw or raw[k] in (None, "", []):
            _fail(file, rid, f"field wajib '{k}' tidak ada")
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        _fail(file, rid, f"field tidak dikenal: {', '.join(sorted(unknown))}")
    if not ID_RE.match(rid):
        _fail(file, rid, "id harus seperti 'SPEK-MEREK-01'")
    if raw["kind"] not in KINDS:
        _fail(file, rid, f"kind harus salah satu dari {KINDS}")
    if raw["severity"] not in SEVERITIES:
        _fail(file, rid, f"severity harus salah satu dari {SEVERITIES}")
    cat = str(raw["category"])
    prefix = cat.split(".")[0]
    if prefix not in ("kak", "hps", "kontrak", "risk", "number", "consistency", "dokumen_pemilihan"):
        _fail(file, rid, f"kategori tidak dikenal: {cat}")
    applies = raw["applies_to"]
    if isinstance(applies, str):
        applies = [applies]
    for dt in applies:
        if dt not in DOC_TYPES:
            _fail(file, rid, f"applies_to tidak dikenal: {dt}")
    src = raw["source"]
    if not isinstance(src, dict):
        _fail(file, rid, "'source' harus mapping")
    for k in ("regulation", "article", "version", "confidence"):
        if not src.get(k):
            _fail(file, rid, f"source.{k} wajib diisi")
    if src["confidence"] not in CONFIDENCES:
        _fail(file, rid, f"source.confidence harus {CONFIDENCES}")
    if str(src["version"]) not in VERSIONS:
        _fail(file, rid, f"source.version harus salah satu dari {VERSIONS}")
    when = raw.get("when") or {}
    if not isinstance(when, dict):
        _fail(file, rid, "'when' harus mapping")
    for k, v in when.items():
        if k not in WHEN_KEYS:
            _fail(file, rid, f"kondisi 'when' tidak dikenal: {k}")
        if k == "jenis_pengadaan" and not set(_aslist(v)) <= set(JENIS) | {UNKNOWN}:
            _fail(file, rid, f"when.jenis_pengadaan tidak dikenal: {v}")
        if k == "metode" and not set(_aslist(v)) <= set(METODE):
            _fail(file, rid, f"when.metode tidak dikenal: {v}")
    ex = raw["examples"]
    if not isinstance(ex, dict):
        _fail(file, rid, "'examples' harus berisi 'violating' dan 'compliant'")
    violating = [_example(e, file, rid) for e in ex.get("violating") or []]
    compliant = [_example(e, file, rid) for e in ex.get("compliant") or []]
    if len(violating) < 2 or len(compliant) < 2:
        _fail(file, rid, "setiap aturan perlu minimal 2 contoh 'violating' dan 2 contoh 'compliant'")
    if src["confidence"] == "perlu-cek" and re.search(r"\bmelanggar\b", str(raw["statement"]), re.I):
        _fail(file, rid, "aturan 'perlu-cek' tidak boleh menyatakan 'melanggar'; gunakan 'periksa'")
    patterns = [str(p) for p in raw.get("patterns") or []]
    unless = [str(p) for p in raw.get("unless") or []]
    return Rule(
        id=rid,
        title=str(raw["title"]).strip(),
        category=cat,
        kind=raw["kind"],
        severity=raw["severity"],
        applies_to=tuple(applies),
        source=Source(regulation=str(src["regulation"]), article=str(src["article"]),
                      version=str(src["version"]), confidence=src["confidence"],
                      read_at=str(src.get("read_at", "")), note=str(src.get("note", ""))),
        statement=str(raw["statement"]).strip(),
        why=str(raw["why"]).strip(),
        suggestion=str(raw["suggestion"]).strip(),
        violating=violating,
        compliant=compliant,
        when=when,
        known_problems=str(raw.get("known_problems", "") or "").strip(),
        check=str(raw.get("check") or ("element" if raw["kind"] == "missing" else "pattern")),
        params=dict(raw.get("params") or {}),
        exemplars=[str(e) for e in raw.get("exemplars") or []],
        patterns=patterns,
        unless=unless,
        context=[str(c) for c in raw.get("context") or []],
        tags=[str(t) for t in raw.get("tags") or []],
        file=file,
        compiled=_compile(patterns, file, rid),
        compiled_unless=_compile(unless, file, rid),
    )


def _aslist(v: Any) -> list:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", None)
        where = f"baris {line + 1}" if line is not None else ""
        raise RulebookError(str(path.name), None, f"YAML tidak valid {where}: {e}") from e


def parse_article(raw: dict, file: str) -> Article:
    key = raw.get("pasal")
    for k in ("pasal", "regulation", "title", "summary", "history", "status", "confidence"):
        if not raw.get(k):
            _fail(file, str(key), f"ringkasan pasal: field wajib '{k}' tidak ada")
    if raw["status"] not in ("berlaku", "diubah", "dihapus"):
        _fail(file, str(key), "status harus berlaku/diubah/dihapus")
    return Article(key=str(key), regulation=str(raw["regulation"]), title=str(raw["title"]),
                   summary=str(raw["summary"]).strip(), history=dict(raw["history"]),
                   status=raw["status"], confidence=str(raw["confidence"]),
                   read_at=str(raw.get("read_at", "")), file=file)


def load_rulebook(corpus_dir: Path | str | None = None) -> Rulebook:
    corpus = Path(corpus_dir) if corpus_dir else CORPUS_DIR
    digest = hashlib.sha256()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted((corpus / "rules").glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
        data = _load_yaml(path)
        items = data.get("rules") if isinstance(data, dict) else data
        if not isinstance(items, list):
            _fail(path.name, None, "berkas aturan harus berisi daftar 'rules'")
        for raw in items:
            if not isinstance(raw, dict):
                _fail(path.name, None, "setiap aturan harus mapping")
            rule = parse_rule(raw, path.name)
            if rule.id in seen:
                _fail(path.name, rule.id, f"id ganda (juga di {seen[rule.id]})")
            seen[rule.id] = path.name
            rules.append(rule)
    articles: dict[str, Article] = {}
    other: dict[tuple[str, str], Article] = {}
    for path in sorted((corpus / "regulations").glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
        data = _load_yaml(path)
        items = data.get("articles") if isinstance(data, dict) else data
        for raw in items or []:
            art = parse_article(raw, path.name)
            family = regulation_family(art.regulation)
            if family == "perpres":
                articles[normalise_article(art.key)] = art
            else:
                other[(family, normalise_article(art.key))] = art
    for extra in sorted((corpus / "lexicons").glob("*.yaml")) if (corpus / "lexicons").exists() else []:
        digest.update(extra.name.encode() + extra.read_bytes())
    return Rulebook(rules=rules, articles=articles, version=digest.hexdigest()[:16], other_articles=other)


@lru_cache(maxsize=4)
def default_rulebook() -> Rulebook:
    return load_rulebook()
