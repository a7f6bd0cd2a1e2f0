"""The hybrid rule index: dense (e5 + FAISS) + BM25 + char TF-IDF over the rulebook's texts.

Entries are each rule's title, statement and exemplars (one entry per text). Three uses:
  * `search(query)`: the rule explorer ("berapa uang muka maksimal?"), RRF over the three methods;
  * `candidate_rules(clauses)`: per clause, the rules worth checking;
  * `clause_scores(rule, ctx)`: the Retriever protocol of reviewer.checks.base: every clause of a
    document with an evidence score in [0, 1] that the clause expresses the rule's element.
The dense vectors of the rulebook are stored under models/ (`rule-index-<hash>.faiss`), rebuilt
only when the rulebook or the model changes. Without an embedder everything runs lexical-only
(`mode == "leksikal"`). models/README.md explains the scoring.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .lexical import BM25, CharTfidf, CoverageMatrix, IdfTable, rrf, tokenize
from .model import Clause
from .rules import Rule, Rulebook

INDEX_FORMAT = 1
RRF_K = 60

# Evidence score of a (clause, rule text) pair, in [0, 1]. Its dense part blends two views of the e5
# cosine, which on its own is compressed into roughly 0.80-0.95 for any two procurement sentences:
#   * absolute: the cosine mapped linearly from [DENSE_FLOOR, DENSE_CEIL] onto [0, 1];
#   * margin: how much closer the clause is to this element than to any competing element (the other
#     `missing` rules of the same document types), mapped from [-MARGIN_OFFSET, MARGIN_SPAN - offset].
# The lexical part is the idf-weighted share of the rule text's words found in the clause, and the
# char n-gram cosine. Calibrated on the labelled snippets of tests/test_element.py (models/README.md).
DENSE_FLOOR = 0.85
DENSE_CEIL = 0.95
MARGIN_OFFSET = 0.02
MARGIN_SPAN = 0.08
HYBRID_WEIGHTS = (0.5, 0.25, 0.25)  # dense, word coverage, char cosine
LEXICAL_WEIGHTS = (0.0, 0.55, 0.45)


@dataclass(frozen=True)
class Entry:
    rule_id: str
    field: str  # title | statement | exemplar
    text: str


def rule_entries(rulebook: Rulebook) -> list[Entry]:
    entries: list[Entry] = []
    for rule in rulebook.rules:
        entries.append(Entry(rule.id, "title", rule.title))
        entries.append(Entry(rule.id, "statement", rule.statement))
        entries.extend(Entry(rule.id, "exemplar", ex) for ex in rule.exemplars if ex.strip())
    return entries


def evidence_texts(rule: Rule) -> list[str]:
    """Texts a clause is compared with when looking for the rule's element: its exemplars (phrases
    that express the element), else its statement and title."""
    return [e for e in rule.exemplars if e.strip()] or [rule.statement, rule.title]


def default_index_dir() -> Path:
    from .embed import model_dir
    return model_dir().parent


def _calibrate_dense(cos: np.ndarray, rival: np.ndarray | None) -> np.ndarray:
    """cos: (n_clauses, n_texts) cosines to the rule's texts; rival: (n_clauses,) best cosine to a
    competing element, or None when the rulebook has no competitor (then absolute only)."""
    absolute = np.clip((cos - DENSE_FLOOR) / (DENSE_CEIL - DENSE_FLOOR), 0.0, 1.0)
    if rival is None:
        return absolute
    margin = np.clip((cos - rival[:, None] + MARGIN_OFFSET) / MARGIN_SPAN, 0.0, 1.0)
    return 0.5 * absolute + 0.5 * margin


def _element_name(category: str) -> str:
    return category.split(".", 1)[-1]


def competitors(rule: Rule, rules: Iterable[Rule]) -> list[str]:
    """Other missing-element rules a clause could be about instead: same document types, another
    element (kak.sumber_dana and kontrak.sumber_dana are the same element)."""
    return [r.id for r in rules
            if r.id != rule.id and r.kind == "missing" and set(r.applies_to) & set(rule.applies_to)
            and _element_name(r.category) != _element_name(rule.category)]


def _informative(text: str) -> bool:
    """A numbering-only line or a signature stub carries no evidence."""
    return any(len(t) >= 3 and not t.isdigit() for t in tokenize(text))


class RuleIndex:
    def __init__(self, rulebook: Rulebook, embedder: Any | None = None, *,
                 cache_dir: Path | str | None = None, status: str | None = None):
        self.rulebook = rulebook
        self.embedder = embedder
        self.mode = "hybrid" if embedder is not None else "leksikal"
        self.model_name = getattr(embedder, "name", "leksikal") if embedder is not None else "leksikal"
        if status is None:
            from .embed import embedder_status
            status = embedder_status() if embedder is None else f"model embedding aktif: {self.model_name}"
        self.status = status
        self.rules = list(rulebook.rules)
        self.rule_pos = {r.id: i for i, r in enumerate(self.rules)}
        self.entries = rule_entries(rulebook)
        self.entry_rule = np.array([self.rule_pos[e.rule_id] for e in self.entries], dtype=np.int64)

        # Evidence texts per rule (for clause_scores), as rows of their own small tables.
        self.evidence: dict[str, tuple[int, int]] = {}
        ev_texts: list[str] = []
        for rule in self.rules:
            texts = evidence_texts(rule)
            self.evidence[rule.id] = (len(ev_texts), len(ev_texts) + len(texts))
            ev_texts.extend(texts)
        self.evidence_texts = ev_texts

        # Lexical parts are cheap: built in memory every time.
        self.bm25 = BM25([self._rule_document(r) for r in self.rules])
        self.char = CharTfidf([e.text for e in self.entries] + ev_texts)
        self.entry_char = self.char.transform([e.text for e in self.entries])
        self.evidence_char = self.char.transform(ev_texts)
        self.idf = IdfTable([e.text for e in self.entries])
        self.evidence_terms = [tokenize(t) for t in ev_texts]
        self._coverage: CoverageMatrix | None = None  # built on first use, after any ad hoc rule

        self.key = self._key()
        self.faiss_index = None
        self.entry_vecs: np.ndarray | None = None
        self.evidence_vecs: np.ndarray | None = None
        self.index_path: Path | None = None
        if embedder is not None:
            self._load_or_build_dense(Path(cache_dir) if cache_dir else default_index_dir())
            self.evidence_vecs = self._passage_vectors(ev_texts)

    # ----------------------------------------------------------------- building
    def _passage_vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of rule texts, reusing the stored entry vectors (evidence texts are entries)."""
        row = {e.text: i for i, e in enumerate(self.entries)}
        missing = [t for t in dict.fromkeys(texts) if t not in row]
        extra = dict(zip(missing, self.embedder.encode_passages(missing))) if missing else {}
        dim = self.entry_vecs.shape[1] if self.entry_vecs is not None else int(self.embedder.dim)
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([self.entry_vecs[row[t]] if t in row else extra[t] for t in texts]).astype(np.float32)

    @staticmethod
    def _rule_document(rule: Rule) -> str:
        return " ".join([rule.title, rule.statement, *rule.exemplars])

    def _key(self) -> str:
        h = hashlib.sha256()
        h.update(f"{INDEX_FORMAT}|{self.rulebook.version}|".encode())
        h.update(str(getattr(self.embedder, "stamp", "") or self.model_name).encode())
        for e in self.entries:  # a hand-built test rulebook may reuse a version string
            h.update(f"\x00{e.rule_id}\x01{e.field}\x01{e.text}".encode())
        return h.hexdigest()[:16]

    def _load_or_build_dense(self, cache_dir: Path) -> None:
        import faiss

        path = cache_dir / f"rule-index-{self.key}.faiss"
        meta_path = path.with_suffix(".json")
        self.index_path = path
        if path.is_file() and meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                index = faiss.read_index(str(path))
                if meta.get("entries") == [[e.rule_id, e.field, e.text] for e in self.entries] \
                        and index.ntotal == len(self.entries):
                    self.faiss_index = index
                    self.entry_vecs = index.reconstruct_n(0, index.ntotal) if index.ntotal else \
                        np.zeros((0, index.d), dtype=np.float32)
                    self.loaded_from_disk = True
                    return
            except (OSError, ValueError, RuntimeError):
                pass  # a damaged file is simply rebuilt
        vecs = self.embedder.encode_passages([e.text for e in self.entries]).astype(np.float32)
        dim = vecs.shape[1] if vecs.size else int(getattr(self.embedder, "dim", 384))
        index = faiss.IndexFlatIP(dim)
        if len(vecs):
            index.add(vecs)
        self.faiss_index, self.entry_vecs = index, vecs
        self.loaded_from_disk = False
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            for old in cache_dir.glob("rule-index-*.faiss"):
                if old != path:
                    old.unlink(missing_ok=True)
                    old.with_suffix(".json").unlink(missing_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            faiss.write_index(index, str(tmp))
            os.replace(tmp, path)
            meta = {"format": INDEX_FORMAT, "rulebook": self.rulebook.version, "model": self.model_name,
                    "entries": [[e.rule_id, e.field, e.text] for e in self.entries]}
            tmp_meta = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.tmp")
            tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp_meta, meta_path)
        except OSError:
            pass  # a read-only models/ only costs a rebuild next time

    # ------------------------------------------------------------ rule ranking
    def _per_rule_max(self, entry_scores: np.ndarray) -> np.ndarray:
        """(n_queries, n_entries) -> (n_queries, n_rules), max over each rule's entries."""
        out = np.full((entry_scores.shape[0], len(self.rules)), -1.0, dtype=np.float32)
        for j, r in enumerate(self.entry_rule):
            np.maximum(out[:, r], entry_scores[:, j], out=out[:, r])
        return out

    def _rule_scores(self, queries: Sequence[str]) -> list[list[np.ndarray]]:
        """Per query, the per-rule score vectors of each method (dense first when present)."""
        char = self._per_rule_max(self.char.similarity(queries, self.entry_char))
        dense = None
        if self.embedder is not None and len(self.entries):
            q = self.embedder.encode_queries(list(queries))
            dense = self._per_rule_max(q @ self.entry_vecs.T)
        out = []
        for i, query in enumerate(queries):
            methods = [self.bm25.scores(query), np.clip(char[i], 0, None)]
            if dense is not None:
                methods.insert(0, np.clip(dense[i], 1e-6, None))
            out.append(methods)
        return out

    def _allowed(self, filters: dict | None) -> np.ndarray:
        mask = np.ones(len(self.rules), dtype=bool)
        if not filters:
            return mask

        def as_set(v: Any) -> set:
            return set(v) if isinstance(v, (list, tuple, set)) else {v}

        for i, rule in enumerate(self.rules):
            if "kind" in filters and rule.kind not in as_set(filters["kind"]):
                mask[i] = False
            if "doc_type" in filters and not (as_set(filters["doc_type"]) & set(rule.applies_to)):
                mask[i] = False
            if "category" in filters and not any(rule.category == c or rule.category.startswith(c.rstrip(".") + ".")
                                                 for c in as_set(filters["category"])):
                mask[i] = False
            if "rule_ids" in filters and rule.id not in as_set(filters["rule_ids"]):
                mask[i] = False
        return mask

    def _fused(self, methods: list[np.ndarray]) -> np.ndarray:
        # Normalised so that first place in every method scores 1.0.
        return rrf(methods, RRF_K) * (RRF_K + 1) / len(methods)

    def search(self, query: str, k: int = 10, filters: dict | None = None) -> list[tuple[str, float]]:
        """Rule ids for a free-text question, best first, with a fused score in [0, 1]."""
        if not query.strip() or not self.rules:
            return []
        fused = self._fused(self._rule_scores([query])[0])
        fused[~self._allowed(filters)] = -1
        order = np.argsort(-fused, kind="stable")[:k]
        return [(self.rules[i].id, round(float(fused[i]), 4)) for i in order if fused[i] > 0]

    def candidate_rules(self, clauses: Iterable[Clause | str], k: int = 8) -> list[list[str]]:
        texts = [c.text if isinstance(c, Clause) else str(c) for c in clauses]
        if not texts or not self.rules:
            return [[] for _ in texts]
        out = []
        for methods in self._rule_scores(texts):
            fused = self._fused(methods)
            order = np.argsort(-fused, kind="stable")[:k]
            out.append([self.rules[i].id for i in order if fused[i] > 0])
        return out

    # ------------------------------------------------------- clause evidence
    def _doc_state(self, ctx: Any) -> dict:
        """Per-document features, computed once and kept in ctx.cache."""
        cache_key = f"rule_index:{self.key}"
        state = ctx.cache.get(cache_key)
        if state is None:
            texts = [c.text for c in ctx.clauses]
            # a document repeats clauses (running headers, list items): featurise each text once
            unique = list(dict.fromkeys(texts))
            where = {t: i for i, t in enumerate(unique)}
            rows = np.fromiter((where[t] for t in texts), dtype=np.int64, count=len(texts))
            unique_terms = [set(tokenize(t)) for t in unique]
            state = {
                "terms": [unique_terms[i] for i in rows],
                "char": self.char.transform(unique)[rows] if texts else None,
                "informative": np.array([_informative(t) for t in texts], dtype=bool),
                "vecs": (self.embedder.encode_queries(texts)
                         if self.embedder is not None and texts else None),
            }
            ctx.cache[cache_key] = state
        return state

    def _evidence_columns(self, state: dict) -> None:
        """Word coverage and char cosine of every clause against every evidence text, once per
        document (and again after an ad hoc rule added evidence texts)."""
        n_ev = len(self.evidence_texts)
        if state.get("lex_cols") == n_ev:
            return
        coverage = self._coverage
        if coverage is None or coverage.n_queries != n_ev:
            coverage = self._coverage = CoverageMatrix(self.idf, self.evidence_terms)
        n = len(state["terms"])
        state["word_all"] = coverage.scores(state["terms"]).astype(np.float32) if n else \
            np.zeros((0, n_ev), dtype=np.float32)
        state["char_all"] = np.asarray((state["char"] @ self.evidence_char.T).toarray(), dtype=np.float32) \
            if n else np.zeros((0, n_ev), dtype=np.float32)
        state["lex_cols"] = n_ev

    def pair_scores(self, rule: Rule, ctx: Any) -> dict[str, np.ndarray]:
        """(n_clauses, n_evidence_texts) matrices: calibrated dense, word coverage, char cosine."""
        state = self._doc_state(ctx)
        lo, hi = self.evidence.get(rule.id) or self._adhoc_evidence(rule)
        self._evidence_columns(state)
        out = {"word": state["word_all"][:, lo:hi], "char": state["char_all"][:, lo:hi]}
        if state["vecs"] is not None:
            if state.get("cos_cols") != len(self.evidence_texts):
                state["cos_all"] = state["vecs"] @ self.evidence_vecs.T
                state["cos_cols"] = len(self.evidence_texts)
            cos_all = state["cos_all"]
            out["cos"] = cos_all[:, lo:hi]
            cols = [i for rid in competitors(rule, self.rules) if rid in self.evidence
                    for i in range(*self.evidence[rid])]
            out["rival"] = cos_all[:, cols].max(axis=1) if cols else None
            out["dense"] = _calibrate_dense(out["cos"], out["rival"])
        return out

    def _adhoc_evidence(self, rule: Rule) -> tuple[int, int]:
        """A rule not in the indexed rulebook (a card being edited): index its texts on the fly."""
        texts = evidence_texts(rule)
        lo = len(self.evidence_texts)
        self.evidence_texts.extend(texts)
        self.evidence_terms.extend(tokenize(t) for t in texts)
        from scipy.sparse import vstack
        self.evidence_char = vstack([self.evidence_char, self.char.transform(texts)]).tocsr()
        if self.embedder is not None:
            self.evidence_vecs = np.vstack([self.evidence_vecs, self._passage_vectors(texts)])
        self.evidence[rule.id] = (lo, lo + len(texts))
        return self.evidence[rule.id]

    def clause_scores(self, rule: Rule, ctx: Any, *, method: str | None = None) -> list[tuple[Clause, float]]:
        """Every clause of the document with its evidence score for `rule` in [0, 1].

        `method` ("dense", "word", "char", "lexical") restricts the score to one part, for calibration."""
        if not ctx.clauses:
            return []
        parts = self.pair_scores(rule, ctx)
        if method == "dense":
            pair = parts.get("dense", np.zeros_like(parts["word"]))
        elif method in ("word", "char"):
            pair = parts[method]
        else:
            wd, ww, wc = HYBRID_WEIGHTS if ("dense" in parts and method != "lexical") else LEXICAL_WEIGHTS
            pair = ww * parts["word"] + wc * parts["char"]
            if wd:
                pair = pair + wd * parts["dense"]
        best = pair.max(axis=1) if pair.shape[1] else np.zeros(len(ctx.clauses), dtype=np.float32)
        best = np.where(self._doc_state(ctx)["informative"], best, 0.0)
        # clipped to [0, 1] and rounded to 4 places in one pass (a Python round per clause costs more
        # than the scoring)
        best = np.round(np.clip(np.nan_to_num(best, nan=0.0), 0.0, 1.0), 4)
        return list(zip(ctx.clauses, best.tolist()))


_index_lock = threading.Lock()
_indexes: dict[tuple, RuleIndex] = {}


def get_rule_index(rulebook: Rulebook | None = None, use_embeddings: bool = True) -> RuleIndex:
    """The process-wide index for `rulebook` (default: the corpus), hybrid when a model loads."""
    from .embed import get_embedder
    from .rules import default_rulebook

    rulebook = rulebook or default_rulebook()
    embedder = get_embedder() if use_embeddings else None
    key = (rulebook.version, id(rulebook), embedder is not None)
    with _index_lock:
        index = _indexes.get(key)
        if index is None:
            status = None if use_embeddings else "pemeriksaan leksikal dipilih pengguna; model embedding tidak dipakai"
            index = RuleIndex(rulebook, embedder, status=status)
            if len(_indexes) > 8:
                _indexes.clear()
            _indexes[key] = index
        return index
