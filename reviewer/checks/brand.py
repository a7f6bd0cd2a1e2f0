"""`check: brand`: brand names in a KAK/spesifikasi outside the Pasal 19 ayat (2) exceptions.

A recognizer declared from data (corpus/lexicons/merek.yaml), in the manner of Presidio's
PatternRecognizer: brand terms give a base score, context words ("merek", "tipe", "seri", ...) and
a model code right after the brand raise it, the Pasal 19 ayat (2) exceptions in the same sentence
(komponen, suku cadang, sistem yang sudah ada, katalog elektronik, toko daring) invalidate the
match, and "atau setara"/"sekelas" lowers it without removing it. Addresses, phone numbers, URLs and
file formats are ignored spans, so "Jl. Honda Raya" or "No. HP 0812..." are not brand hits.

Evidence is the sentence (or table row) holding the brand, one finding per sentence.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..model import Clause, Finding
from ..rules import CORPUS_DIR, Rule
from .base import DocContext, document_check, make_finding

LEXICON_PATH = CORPUS_DIR / "lexicons" / "merek.yaml"

# A model code has a digit and is short ("L3210", "14s-dq2", "FTKC25NVM4"); a long run of digits
# and dashes is a phone or account number, not a model.
MODEL_CODE = re.compile(r"\s*[-:]?\s*(?=[\w./-]{0,14}\d)([A-Za-z0-9][\w./-]{0,14})")
PHONE_LIKE = re.compile(r"^[\d\s./-]{8,}$")
# Tokens before a period that do not end a sentence.
ABBREVIATIONS = {
    "jl", "jln", "no", "dll", "dsb", "dst", "tsb", "kab", "kec", "kel", "gg", "pt", "cv", "tbk",
    "hlm", "ref", "min", "maks", "max", "spt", "bpk", "ibu", "dr", "ir", "st", "mt", "sd", "kg",
    "cm", "mm", "m", "jo", "tlp", "telp", "prov", "ds", "yth", "a.n", "u.p", "vol", "rp", "sdr", "hal",
}
SENTENCE_END = re.compile(r"[.!?;](?=\s+[\"'(\[]?[A-Z0-9])|\n\s*\n")


@dataclass
class Brand:
    name: str
    category: str = ""
    aliases: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    case_sensitive: list[str] = field(default_factory=list)
    component: bool = False


@dataclass
class BrandHit:
    """One recognised brand mention; offsets are into the analysed text."""

    brand: str
    term: str
    start: int
    end: int
    score: float
    context: list[str] = field(default_factory=list)  # context words found
    model: str | None = None  # model code right after the term
    softened: bool = False  # "atau setara" / "sekelas" in the sentence
    explanation: str = ""


@dataclass
class _Term:
    brand: Brand
    text: str
    is_line: bool
    ambiguous: bool


class BrandRecognizer:
    """Finds brand mentions in a text; built from the lexicon dict (see `from_dict`)."""

    def __init__(self, brands: list[Brand], context_words: list[str], exceptions: list[dict],
                 softeners: list[str], ignore: list[str], scoring: dict[str, float]):
        self.brands = brands
        self.context_words = [w.lower() for w in context_words]
        # (label, regex, window): window = max words between the exception and the brand after it;
        # None = anywhere in the sentence.
        self.exceptions = [(e["label"], re.compile(e["pattern"], re.IGNORECASE),
                            int(e["window"]) if e.get("window") is not None else None)
                           for e in exceptions]
        self.softeners = [re.compile(p, re.IGNORECASE) for p in softeners]
        self.ignore = [re.compile(p, re.IGNORECASE) for p in ignore]
        self.scoring = {"base_name": 0.45, "base_line": 0.55, "context_bonus": 0.3,
                        "model_bonus": 0.15, "softener_factor": 0.6, "min_score": 0.25, **scoring}
        self._raw = {"brands": [asdict(b) for b in brands], "context_words": context_words,
                     "exceptions": exceptions, "softeners": softeners, "ignore": ignore,
                     "scoring": dict(self.scoring)}
        self._context_rx = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in self.context_words) + r")\b", re.IGNORECASE)
        self._terms: dict[tuple[bool, str], _Term] = {}
        for brand in brands:
            ambiguous = {a.lower() for a in brand.ambiguous}
            sensitive = set(brand.case_sensitive)
            for text, is_line in ([(brand.name, False)] + [(a, False) for a in brand.aliases]
                                  + [(ln, True) for ln in brand.lines]):
                cs = text in sensitive
                key = (cs, text if cs else text.lower())
                self._terms.setdefault(key, _Term(brand, text, is_line, text.lower() in ambiguous))
        self._rx_insensitive = self._alternation([t for (cs, t) in self._terms if not cs], re.IGNORECASE)
        self._rx_sensitive = self._alternation([t for (cs, t) in self._terms if cs], 0)

    @staticmethod
    def _alternation(terms: list[str], flags: int) -> re.Pattern | None:
        if not terms:
            return None
        # Longest first so "Semen Gresik" wins over a shorter term; spaces match any whitespace.
        parts = [re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True)]
        return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)

    # -- data round trip (recognizers live as data, like Presidio's to_dict/from_dict)
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BrandRecognizer":
        brands = []
        for raw in data.get("brands") or []:
            brands.append(Brand(
                name=str(raw["name"]), category=str(raw.get("category", "")),
                aliases=[str(a) for a in raw.get("aliases") or []],
                lines=[str(x) for x in raw.get("lines") or []],
                ambiguous=[str(x) for x in raw.get("ambiguous") or []],
                case_sensitive=[str(x) for x in raw.get("case_sensitive") or []],
                component=bool(raw.get("component", False))))
        return cls(brands, [str(w) for w in data.get("context_words") or []],
                   list(data.get("exceptions") or []), [str(p) for p in data.get("softeners") or []],
                   [str(p) for p in data.get("ignore") or []], dict(data.get("scoring") or {}))

    def to_dict(self) -> dict[str, Any]:
        return dict(self._raw)

    # -- analysis
    def _raw_matches(self, text: str) -> list[tuple[int, int, _Term]]:
        found: list[tuple[int, int, _Term]] = []
        for rx, sensitive in ((self._rx_insensitive, False), (self._rx_sensitive, True)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                key = (True, m.group(0)) if sensitive else (False, " ".join(m.group(0).lower().split()))
                term = self._terms.get(key)
                if term is not None:
                    found.append((m.start(), m.end(), term))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        kept: list[tuple[int, int, _Term]] = []
        for s, e, term in found:  # drop a match nested inside a longer one
            if kept and s < kept[-1][1]:
                continue
            kept.append((s, e, term))
        return kept

    def _ignored_spans(self, text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for rx in self.ignore for m in rx.finditer(text)]

    def exception_in(self, sentence: str, brand_at: int | None = None) -> str | None:
        """The Pasal 19 ayat (2) exception that covers a brand at offset `brand_at` of the
        sentence (or anywhere in it when `brand_at` is None), if any."""
        for label, rx, window in self.exceptions:
            for m in rx.finditer(sentence):
                if window is None or brand_at is None:
                    return label
                between = sentence[m.end():brand_at]
                if m.end() <= brand_at and len(between.split()) <= window:
                    return label
        return None

    def analyze(self, text: str, header: str = "") -> list[BrandHit]:
        """Brand hits in `text` that survive the exceptions. `header` is extra context (a table's
        header row) that may hold a context word such as "Merek/Tipe"."""
        hits: list[BrandHit] = []
        ignored = self._ignored_spans(text)
        header_context = [w.lower() for w in self._context_rx.findall(header)]
        sc = self.scoring
        for s, e, term in self._raw_matches(text):
            if term.brand.component:
                continue
            if any(a <= s < b or a < e <= b for a, b in ignored):
                continue
            ss, se = sentence_span(text, s)
            sentence = text[ss:se]
            if self.exception_in(sentence, s - ss):
                continue
            context = sorted({w.lower() for w in self._context_rx.findall(sentence)} | set(header_context))
            model = _model_code(text, e)
            if term.ambiguous and not context and not model:
                continue
            score = sc["base_line"] if term.is_line else sc["base_name"]
            why = [f"'{text[s:e]}' dikenali sebagai {'lini produk' if term.is_line else 'merek'} "
                   f"{term.brand.name}"]
            if context:
                score += sc["context_bonus"]
                why.append("kata konteks: " + ", ".join(context))
            if model:
                score += sc["model_bonus"]
                why.append(f"kode model: {model}")
            softened = any(rx.search(sentence) for rx in self.softeners)
            if softened:
                score *= sc["softener_factor"]
                why.append("diturunkan karena 'setara/sekelas'")
            score = min(1.0, score)
            if score < sc["min_score"]:
                continue
            hits.append(BrandHit(brand=term.brand.name, term=text[s:e], start=s, end=e,
                                 score=round(score, 4), context=context, model=model,
                                 softened=softened, explanation="; ".join(why)))
        return hits


def _model_code(text: str, end: int) -> str | None:
    m = MODEL_CODE.match(text, end)
    if not m:
        return None
    code = m.group(1).rstrip(".-/")
    if PHONE_LIKE.match(code) or not re.search(r"\d", code):
        return None
    if re.fullmatch(r"\d+", code) and len(code) <= 2:
        return None  # "Asus 2 unit" is a quantity, not a model
    follower = text[m.end(): m.end() + 12].lower()
    if re.match(r"\s*(?:unit|buah|bh|pcs|set|kg|sak|zak|liter|lembar|paket|orang|hari|bulan|tahun)\b", follower):
        return None  # a quantity with its unit
    return code


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence [start, end) spans of `text`, not splitting after abbreviations or list markers."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.group(0) == ".":
            before = re.search(r"([\w.]+)$", text[start:m.start()])
            token = before.group(1).lower() if before else ""
            prefix = text[start:m.start() - len(token)]
            list_marker = (len(token) <= 1 or token.isdigit()) and (not prefix.strip() or prefix.endswith("\n"))
            if token in ABBREVIATIONS or list_marker or (len(token) == 1 and token.isalpha()):
                continue
        end = m.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def sentence_span(text: str, offset: int) -> tuple[int, int]:
    for s, e in sentence_spans(text):
        if s <= offset < e:
            return s, e
    return 0, len(text)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@lru_cache(maxsize=4)
def load_recognizer(path: str | None = None) -> BrandRecognizer:
    """The recognizer for a lexicon file (default corpus/lexicons/merek.yaml); a relative path is
    taken from the corpus folder, so a rule card can name `params.lexicon: lexicons/other.yaml`."""
    target = Path(path) if path else LEXICON_PATH
    if not target.is_absolute():
        target = CORPUS_DIR / target
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    return BrandRecognizer.from_dict(data)


def _table_header(clause: Clause, ctx: DocContext) -> str:
    if clause.table is None or not clause.row:
        return ""
    tables = ctx.document.tables
    if 0 <= clause.table < len(tables) and tables[clause.table].rows:
        return " ".join(tables[clause.table].rows[0])
    return ""


def _brand_names(hits: list[BrandHit]) -> str:
    """'Lenovo (ThinkPad), Epson': each brand once, with the product lines that were named."""
    lines: dict[str, list[str]] = {}
    for h in hits:
        terms = lines.setdefault(h.brand, [])
        if h.term.lower() != h.brand.lower() and h.term not in terms:
            terms.append(h.term)
    return ", ".join(f"{b} ({', '.join(t)})" if t else b for b, t in lines.items())


def _severity(rule: Rule, score: float) -> str:
    high = float(rule.params.get("tinggi_from", 0.75))
    mid = float(rule.params.get("sedang_from", 0.4))
    return "tinggi" if score >= high else "sedang" if score >= mid else "rendah"


@document_check("brand")
def brand_check(rule: Rule, ctx: DocContext) -> list[Finding]:
    recognizer = load_recognizer(rule.params.get("lexicon"))
    doc_text = ctx.document.text
    findings: list[Finding] = []
    for clause in ctx.clauses:
        text = clause.text
        hits = recognizer.analyze(text, header=_table_header(clause, ctx))
        if not hits:
            continue
        # Offsets into the document only when the clause text is a verbatim slice of it.
        verbatim = doc_text[clause.start:clause.end] == text
        by_sentence: dict[tuple[int, int], list[BrandHit]] = {}
        for hit in hits:
            span = (0, len(text)) if clause.kind == "table_row" else sentence_span(text, hit.start)
            by_sentence.setdefault(span, []).append(hit)
        for (s, e), group in by_sentence.items():
            score = max(h.score for h in group)
            names = _brand_names(group)
            message = f"Menyebut merek {names} di luar pengecualian Pasal 19 ayat (2)."
            if any(h.softened for h in group):
                message += (" Ada frasa 'setara/sekelas', sehingga bobotnya diturunkan; pastikan merek "
                            "hanya acuan dan spesifikasi fungsi/kinerja tetap ditulis.")
            kwargs: dict[str, Any] = {"clause": clause}
            if verbatim:
                kwargs.update(start=clause.start + s, end=clause.start + e)
            else:
                kwargs["evidence"] = text[s:e]
            findings.append(make_finding(rule, ctx, message=message, score=score,
                                         severity=_severity(rule, score), **kwargs))
    return findings
