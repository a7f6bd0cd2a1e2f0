"""The hybrid rule index and the lexical helpers. Fast tests use a deterministic fake embedder
(hashed char trigrams) so the dense path, FAISS persistence and caching are exercised without
torch; one @slow test runs the real model on the rule explorer's kind of question."""

from __future__ import annotations

import hashlib
import zlib

import numpy as np
import pytest
import yaml

from reviewer import index as index_mod
from reviewer.checks.base import DocContext
from reviewer.index import RuleIndex, competitors, get_rule_index
from reviewer.lexical import BM25, CharTfidf, IdfTable, rrf, tokenize
from reviewer.model import Clause, Document
from reviewer.rules import Rulebook, parse_rule

SOURCE = {"regulation": "Perpres 16/2018", "article": "Pasal 27 ayat (1)", "version": "12/2021",
          "confidence": "pasti"}


def card(rid, category, kind, title, statement, exemplars=(), applies=("kontrak",)):
    raw = {"id": rid, "title": title, "category": category, "kind": kind, "severity": "sedang",
           "applies_to": list(applies), "source": SOURCE, "statement": statement, "why": "alasan",
           "suggestion": "saran", "exemplars": list(exemplars),
           "examples": {"compliant": ["a", "b"], "violating": ["c", "d"]}}
    return parse_rule(yaml.safe_load(yaml.safe_dump(raw)), "test_index.py")


RULES = [
    card("KONTRAK-UANGMUKA-01", "number.uang_muka", "number", "Besaran uang muka",
         "Uang muka paling tinggi 30% dari nilai kontrak untuk usaha kecil dan wajib disertai jaminan uang muka.",
         ["uang muka sebesar persen dari nilai kontrak", "jaminan uang muka"]),
    card("KONTRAK-DENDA-01", "kontrak.denda", "missing", "Denda keterlambatan",
         "Kontrak mengatur denda keterlambatan 1 permil per hari dari nilai kontrak.",
         ["denda keterlambatan sebesar 1/1000 dari nilai kontrak per hari"]),
    card("KONTRAK-KAHAR-01", "kontrak.keadaan_kahar", "missing", "Keadaan kahar",
         "Kontrak harus mengatur keadaan kahar (force majeure).",
         ["keadaan kahar seperti bencana alam, kebakaran, wabah"]),
    card("SPEK-MEREK-01", "risk.merek", "risk", "Spesifikasi mengarah ke merek",
         "Spesifikasi teknis tidak boleh mengarah pada merek atau produk tertentu.",
         ["harus merek", "tipe produk tertentu"], applies=("kak", "spesifikasi")),
    card("HPS-PPN-01", "hps.ppn", "missing", "PPN dalam HPS",
         "HPS telah memperhitungkan Pajak Pertambahan Nilai (PPN).", ["sudah termasuk PPN 11%"],
         applies=("hps",)),
    card("KAK-DANA-01", "kak.sumber_dana", "missing", "Sumber dana", "KAK menyebut sumber dana.",
         ["sumber dana APBD tahun anggaran"], applies=("kak", "kontrak")),
]


class FakeEmbedder:
    """Hashed char-trigram bag, L2-normalised: deterministic, similar texts get similar vectors."""

    name = "palsu"
    stamp = "palsu-1"
    dim = 128

    def __init__(self):
        self.calls = {"query": 0, "passage": 0}
        self.texts = {"query": [], "passage": []}

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        t = f"  {text.lower()}  "
        for i in range(len(t) - 2):
            v[zlib.crc32(t[i:i + 3].encode()) % self.dim] += 1.0
        return v / max(np.linalg.norm(v), 1e-9)

    def _encode(self, texts, kind):
        texts = list(texts)
        self.calls[kind] += 1
        self.texts[kind].extend(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts):
        return self._encode(texts, "query")

    def encode_passages(self, texts):
        return self._encode(texts, "passage")


def book(rules=RULES, version="uji-indeks") -> Rulebook:
    return Rulebook(rules=list(rules), articles={}, version=version)


def ctx_of(lines: list[str], doc_type: str = "kontrak") -> DocContext:
    text = "\n".join(lines)
    clauses, pos = [], 0
    for i, line in enumerate(lines):
        clauses.append(Clause(id=f"c{i}", document="k.txt", text=line, start=pos, end=pos + len(line),
                              page=1, kind="sentence"))
        pos += len(line) + 1
    return DocContext(document=Document(name="k.txt", format="txt", text=text), clauses=clauses,
                      doc_type=doc_type)


# ---------------------------------------------------------------------------- lexical
def test_tokenize_drops_stop_words_punctuation_and_list_markers():
    assert tokenize("a. Penyedia WAJIB menyerahkan Jaminan-Pelaksanaan (5%) dari nilai kontrak!") == \
        ["penyedia", "menyerahkan", "jaminan", "pelaksanaan", "5", "nilai", "kontrak"]


def test_bm25_scores_shared_terms_and_zero_without_overlap():
    bm = BM25(["denda keterlambatan per hari", "keadaan kahar bencana alam", ""])
    s = bm.scores("denda keterlambatan")
    assert s[0] > 0 and s[1] == 0 and s[2] == 0
    assert not bm.scores("yang dan di").any()  # only stop words
    assert BM25([]).scores("apa saja").shape == (0,)


def test_char_tfidf_matches_shared_stems():
    ct = CharTfidf(["pelaksanaan pekerjaan", "pembayaran termin"])
    sim = ct.similarity(["dilaksanakan"])
    assert sim[0, 0] > sim[0, 1]


def test_idf_coverage_is_a_share():
    idf = IdfTable(["denda keterlambatan", "keadaan kahar", "denda administratif"])
    assert idf.coverage(["denda", "keterlambatan"], {"denda", "keterlambatan", "lain"}) == pytest.approx(1.0)
    part = idf.coverage(["denda", "keterlambatan"], {"keterlambatan"})
    assert 0.5 < part < 1.0  # the rarer word weighs more
    assert idf.coverage([], {"x"}) == 0.0


def test_rrf_ignores_zero_evidence_and_shares_ties():
    fused = rrf([np.array([3.0, 0.0, 1.0]), np.array([0.0, 0.0, 2.0])], k=60)
    assert fused[1] == 0.0
    assert fused[2] > fused[0]
    tied = rrf([np.array([1.0, 1.0])])
    assert tied[0] == tied[1]


# ------------------------------------------------------------------------------ index
@pytest.mark.parametrize("embedder", [None, FakeEmbedder()], ids=["leksikal", "hybrid"])
def test_search_answers_a_question(tmp_path, embedder):
    idx = RuleIndex(book(), embedder, cache_dir=tmp_path, status="uji")
    assert idx.mode == ("leksikal" if embedder is None else "hybrid")
    hits = idx.search("berapa uang muka maksimal?", k=3)
    assert hits[0][0] == "KONTRAK-UANGMUKA-01"
    assert all(0 < s <= 1 for _, s in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert idx.search("denda terlambat per hari")[0][0] == "KONTRAK-DENDA-01"
    assert idx.search("   ") == []


def test_search_filters(tmp_path):
    idx = RuleIndex(book(), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    only_missing = idx.search("denda uang muka", k=10, filters={"kind": "missing"})
    assert only_missing and all(idx.rulebook.by_id(r).kind == "missing" for r, _ in only_missing)
    hps = idx.search("PPN", filters={"doc_type": "hps"})
    assert [r for r, _ in hps] == ["HPS-PPN-01"]
    by_cat = idx.search("denda kahar", filters={"category": "kontrak"})
    assert {r for r, _ in by_cat} <= {"KONTRAK-DENDA-01", "KONTRAK-KAHAR-01"} and by_cat


def test_candidate_rules_per_clause(tmp_path):
    idx = RuleIndex(book(), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    out = idx.candidate_rules(["Laptop harus merek Lenovo tipe tertentu",
                               Clause(id="x", document="d", text="Harga sudah termasuk PPN 11%", start=0,
                                      end=5, page=1, kind="sentence")], k=2)
    assert len(out) == 2 and all(len(c) <= 2 for c in out)
    assert out[0][0] == "SPEK-MEREK-01"
    assert out[1][0] == "HPS-PPN-01"
    assert idx.candidate_rules([]) == []


def test_dense_index_is_saved_then_loaded_and_rebuilt_when_rules_change(tmp_path):
    first = FakeEmbedder()
    idx = RuleIndex(book(), first, cache_dir=tmp_path, status="uji")
    saved = list(tmp_path.glob("rule-index-*.faiss"))
    assert saved == [idx.index_path] and idx.index_path.with_suffix(".json").is_file()
    assert not idx.loaded_from_disk
    n_entries = len(idx.entries)
    assert len(first.texts["passage"]) >= n_entries

    second = FakeEmbedder()
    again = RuleIndex(book(), second, cache_dir=tmp_path, status="uji")
    assert again.loaded_from_disk and again.key == idx.key
    assert not set(second.texts["passage"]) & {e.text for e in again.entries if e.field == "title"}
    np.testing.assert_allclose(again.entry_vecs, idx.entry_vecs, atol=1e-6)

    changed = [*RULES[:-1], card("KAK-DANA-01", "kak.sumber_dana", "missing", "Sumber dana kegiatan",
                                 "KAK menyebut sumber dana.", ["sumber dana APBD"], applies=("kak",))]
    rebuilt = RuleIndex(book(changed), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    assert rebuilt.key != idx.key and not rebuilt.loaded_from_disk
    assert list(tmp_path.glob("rule-index-*.faiss")) == [rebuilt.index_path]  # stale one removed


def test_damaged_index_file_is_rebuilt(tmp_path):
    idx = RuleIndex(book(), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    idx.index_path.write_bytes(b"rusak")
    again = RuleIndex(book(), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    assert not again.loaded_from_disk and again.faiss_index.ntotal == len(again.entries)


@pytest.mark.parametrize("embedder", [None, FakeEmbedder()], ids=["leksikal", "hybrid"])
def test_clause_scores_rank_the_right_clause_and_stay_in_unit_range(tmp_path, embedder):
    idx = RuleIndex(book(), embedder, cache_dir=tmp_path, status="uji")
    ctx = ctx_of(["Pasal 1", "Jangka waktu pelaksanaan 90 hari kalender.",
                  "Penyedia dikenakan denda keterlambatan 1/1000 dari nilai kontrak per hari.",
                  "Keadaan kahar meliputi bencana alam dan wabah.", "b."])
    for rule_id, best_line in (("KONTRAK-DENDA-01", 2), ("KONTRAK-KAHAR-01", 3)):
        scored = idx.clause_scores(idx.rulebook.by_id(rule_id), ctx)
        assert [c.id for c, _ in scored] == [c.id for c in ctx.clauses]
        assert all(0.0 <= s <= 1.0 for _, s in scored)
        best = max(scored, key=lambda cs: cs[1])
        assert best[0].id == f"c{best_line}", (rule_id, scored)
        assert scored[4][1] == 0.0  # a list marker alone is no evidence


def test_clause_embeddings_are_computed_once_per_document(tmp_path):
    emb = FakeEmbedder()
    idx = RuleIndex(book(), emb, cache_dir=tmp_path, status="uji")
    ctx = ctx_of(["Denda keterlambatan 1/1000 per hari.", "Keadaan kahar: bencana alam."])
    before = emb.calls["query"]
    for rule in RULES:
        idx.clause_scores(rule, ctx)
    assert emb.calls["query"] == before + 1
    assert any(k.startswith("rule_index:") for k in ctx.cache)


def test_rule_outside_the_index_is_scored_on_the_fly(tmp_path):
    idx = RuleIndex(book(RULES[:2]), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    scored = idx.clause_scores(RULES[2], ctx_of(["Kontrak berlaku sejak ditandatangani.",
                                                "Keadaan kahar meliputi bencana alam."]))
    assert scored[1][1] > scored[0][1]


def test_margin_against_competing_elements(tmp_path):
    assert set(competitors(RULES[1], RULES)) == {"KONTRAK-KAHAR-01", "KAK-DANA-01"}  # not number/risk/hps
    idx = RuleIndex(book(), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    ctx = ctx_of(["Keadaan kahar seperti bencana alam, kebakaran, wabah."])
    parts = idx.pair_scores(RULES[1], ctx)
    assert parts["rival"] is not None and parts["rival"][0] > parts["cos"][0].max()
    assert parts["dense"].max() < 0.5


def test_get_rule_index_is_cached_and_lexical_when_asked(monkeypatch, tmp_path):
    monkeypatch.setattr(index_mod, "_indexes", {})
    b = book(version="uji-cache")
    first = get_rule_index(b, use_embeddings=False)
    assert first is get_rule_index(b, use_embeddings=False)
    assert first.mode == "leksikal" and first.model_name == "leksikal" and first.status


def test_embeddings_off_gives_lexical_index(monkeypatch):
    monkeypatch.setenv("PBJ_EMBEDDINGS", "off")
    monkeypatch.setattr(index_mod, "_indexes", {})
    idx = get_rule_index(book(version="uji-off"))
    assert idx.mode == "leksikal" and "leksikal" in idx.status


def test_index_key_depends_on_model_stamp(tmp_path):
    a = RuleIndex(book(), FakeEmbedder(), cache_dir=tmp_path, status="uji")
    other = FakeEmbedder()
    other.stamp = "palsu-2"
    b = RuleIndex(book(), other, cache_dir=tmp_path / "b", status="uji")
    assert a.key != b.key
    assert hashlib.sha256(a.key.encode()).hexdigest()  # a plain hex string, safe in a file name
    assert all(ch in "0123456789abcdef" for ch in a.key)


@pytest.mark.slow
def test_real_model_search_and_paraphrase(tmp_path):
    from reviewer.embed import get_embedder

    emb = get_embedder()
    if emb is None:
        pytest.skip("model embedding tidak tersedia")
    idx = RuleIndex(book(), emb, cache_dir=tmp_path)
    assert idx.mode == "hybrid"
    assert idx.search("berapa uang muka maksimal?")[0][0] == "KONTRAK-UANGMUKA-01"
    # No shared word with the kahar rule: only the dense part can find it.
    ctx = ctx_of(["Pembayaran dilakukan setelah barang diterima.",
                  "Gempa bumi dan banjir membebaskan para pihak dari kewajibannya."])
    scored = idx.clause_scores(RULES[2], ctx)
    assert scored[1][1] > scored[0][1]


def test_coverage_matrix_equals_idf_coverage():
    """The sparse product used per document gives IdfTable.coverage for every pair."""
    from reviewer.lexical import CoverageMatrix

    idf = IdfTable(["denda keterlambatan satu permil", "keadaan kahar bencana", "uang muka jaminan",
                    "jangka waktu pelaksanaan pekerjaan"])
    queries = [tokenize(t) for t in ["denda keterlambatan", "keadaan kahar", "jangka waktu jangka",
                                     "yang dan", "jaminan uang muka pekerjaan"]]
    docs = [set(tokenize(t)) for t in ["Denda keterlambatan 1 permil per hari.", "Bencana alam.",
                                       "Jangka waktu 90 hari; uang muka 20%.", "", "pekerjaan jaminan"]]
    got = CoverageMatrix(idf, queries).scores(docs)
    want = np.array([[idf.coverage(q, d) for q in queries] for d in docs])
    assert got.shape == (5, 5)
    assert np.allclose(got, want, rtol=0, atol=1e-12)
    assert got[0, 0] == pytest.approx(1.0) and got[3].max() == 0.0 and got[:, 3].max() == 0.0
