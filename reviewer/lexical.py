"""Lexical scoring for Indonesian procurement text: word tokens, BM25, char n-gram TF-IDF.

The lexical side backs up the embedding (and runs alone when no model is available). In our
measurements char TF-IDF was the best single method on paraphrases (it catches shared stems such as
"laksana" in "pelaksanaan"/"dilaksanakan"), BM25 the best on clauses that share the rule's words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

# Function words plus the modal words every rule repeats ("wajib", "harus"): they say nothing about
# which element or risk a clause is about.
STOP_WORDS = frozenset("""
yang dan di ke dari untuk dengan pada dalam atau adalah ini itu sebagai oleh harus wajib tidak boleh
paling sebesar akan dapat telah sudah belum para setiap serta bahwa agar bagi tersebut karena jika
apabila maka secara juga hal ada antara lain dapat sesuai masing lebih kurang sampai hingga atas
dalam sebagaimana dimaksud yaitu yakni bila pun nya tiap kali mana tersebut dimana oleh sudah
tentang terhadap melalui lagi setelah sebelum saat selama the of and
""".split())

_TOKEN_RE = re.compile(r"[0-9a-z]+")


def tokenize(text: str) -> list[str]:
    """Lowercased alphanumeric tokens without stop words and single letters (list markers)."""
    return [t for t in _TOKEN_RE.findall(text.lower())
            if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


class BM25:
    """BM25 (rank_bm25 Okapi) over a fixed list of texts."""

    def __init__(self, texts: Sequence[str]):
        from rank_bm25 import BM25Okapi

        self.n = len(texts)
        self.tokens = [tokenize(t) for t in texts]
        # rank_bm25 divides by the average length; an all-empty corpus would divide by zero.
        safe = [toks or ["\u2205"] for toks in self.tokens]
        self.model = BM25Okapi(safe) if self.n else None

    def scores(self, query: str) -> np.ndarray:
        if not self.n:
            return np.zeros(0, dtype=np.float32)
        q = tokenize(query)
        if not q:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self.model.get_scores(q), dtype=np.float32)


class IdfTable:
    """Smoothed inverse document frequencies, for term-coverage scores in [0, 1]."""

    def __init__(self, texts: Iterable[str]):
        docs = [set(tokenize(t)) for t in texts]
        self.n = len(docs)
        self.df = Counter(t for d in docs for t in d)

    def idf(self, term: str) -> float:
        return math.log(1.0 + (self.n + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, query_terms: Iterable[str], doc_terms: set[str]) -> float:
        """Share of the query's (idf-weighted) terms that the document contains."""
        q = set(query_terms)
        total = sum(self.idf(t) for t in q)
        if total <= 0:
            return 0.0
        return sum(self.idf(t) for t in q if t in doc_terms) / total


class CoverageMatrix:
    """`IdfTable.coverage` of many documents against many fixed queries in one sparse product:
    covered idf weight (documents x vocabulary incidence times queries' idf weights) over each
    query's total weight."""

    def __init__(self, idf: IdfTable, queries: Sequence[Sequence[str]]):
        from scipy.sparse import csr_matrix

        self.n_queries = len(queries)
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        totals: list[float] = []
        for i, query in enumerate(queries):
            q = set(query)
            totals.append(sum(idf.idf(t) for t in q))  # the same sum, in the same order, as coverage()
            for t in q:
                rows.append(i)
                cols.append(self.vocab.setdefault(t, len(self.vocab)))
                vals.append(idf.idf(t))
        self.weights_t = csr_matrix((vals, (cols, rows)), shape=(len(self.vocab), self.n_queries),
                                    dtype=np.float64)
        self.totals = np.asarray(totals, dtype=np.float64)

    def scores(self, doc_terms: Sequence[set[str]]) -> np.ndarray:
        """(n_docs, n_queries) coverage in [0, 1]; 0 for a query without terms."""
        from scipy.sparse import csr_matrix

        vocab = self.vocab
        indptr = [0]
        indices: list[int] = []
        for terms in doc_terms:
            indices.extend(sorted(vocab[t] for t in terms if t in vocab))
            indptr.append(len(indices))
        incidence = csr_matrix((np.ones(len(indices)), indices, indptr),
                               shape=(len(doc_terms), len(vocab)), dtype=np.float64)
        covered = (incidence @ self.weights_t).toarray()
        out = np.zeros_like(covered)
        np.divide(covered, self.totals, out=out, where=self.totals > 0)
        return out


class CharTfidf:
    """Character n-gram (char_wb 3-5) TF-IDF fitted on a reference corpus (the rule texts)."""

    def __init__(self, texts: Sequence[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True,
                                          sublinear_tf=True, min_df=1)
        self.matrix = self.vectorizer.fit_transform(list(texts) or [" "])

    def transform(self, texts: Sequence[str]):
        return self.vectorizer.transform(list(texts))

    def similarity(self, texts: Sequence[str], other=None) -> np.ndarray:
        """Cosine similarity (rows: `texts`, columns: the fitted corpus or `other` matrix)."""
        q = self.transform(texts)
        ref = self.matrix if other is None else other
        return np.asarray((q @ ref.T).toarray(), dtype=np.float32)


def rrf(rankings: Sequence[np.ndarray], k: int = 60) -> np.ndarray:
    """Reciprocal-rank fusion of score vectors over the same items. Tied scores share their average
    rank, and an item a method scores 0 (no evidence at all) gets nothing from that method."""
    from scipy.stats import rankdata

    fused = None
    for scores in rankings:
        scores = np.asarray(scores, dtype=np.float64)
        ranks = rankdata(-scores, method="average")
        contrib = np.where(scores > 0, 1.0 / (k + ranks), 0.0)
        fused = contrib if fused is None else fused + contrib
    return fused if fused is not None else np.zeros(0)
