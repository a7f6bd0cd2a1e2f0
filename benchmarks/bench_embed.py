"""Speed of the embedding path: model load (cold process), clauses/s, rule-index build, search latency,
clause scoring of a long document, peak RSS. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_embed.py [--clauses 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = ["Penyedia", "PPK", "Konsultan pengawas", "Pejabat Pengadaan", "Para pihak", "Tim teknis"]
ACTIONS = [
    "wajib menyerahkan jaminan pelaksanaan sebesar {p}% dari nilai kontrak",
    "menyelesaikan pekerjaan dalam waktu {n} hari kalender sejak SPMK",
    "dikenakan denda keterlambatan 1/1000 dari nilai kontrak untuk setiap hari keterlambatan",
    "menyampaikan laporan kemajuan pekerjaan setiap {n} hari",
    "melakukan pembayaran dalam {k} termin sesuai kemajuan fisik pekerjaan",
    "menyediakan {k} unit laptop dengan prosesor setara Core i5 dan RAM {k}0 GB",
    "memeriksa hasil pekerjaan bersama tim teknis sebelum serah terima pertama",
    "menyelesaikan perselisihan secara musyawarah sebelum menempuh jalur pengadilan",
    "memperhitungkan PPN {p}% dalam harga perkiraan sendiri senilai Rp {n}.500.000,00",
]
TAILS = ["", " sesuai ketentuan dalam Syarat-Syarat Umum Kontrak.", " di lokasi pekerjaan Kecamatan Sukamaju.",
         " sebagaimana tercantum dalam Kerangka Acuan Kerja.", " paling lambat pada akhir tahun anggaran 2026."]


def generate_clauses(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [f"{rnd.choice(SUBJECTS)} {rnd.choice(ACTIONS).format(p=rnd.randint(1, 30), n=rnd.randint(10, 400), k=rnd.randint(2, 9))}"
            f"{rnd.choice(TAILS)}" for _ in range(n)]


def cold_load() -> tuple[float, float]:
    code = ("import time; t0 = time.perf_counter(); import sentence_transformers, torch; "
            "t1 = time.perf_counter(); from reviewer.embed import get_embedder; e = get_embedder(); "
            "e.encode_queries(['pemanasan']); t2 = time.perf_counter(); print(t1 - t0, t2 - t1)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    imp, load = map(float, out.stdout.split()[-2:])
    return imp, load


def bench_rulebook():
    from reviewer.rules import Rulebook, default_rulebook, parse_rule

    book = default_rulebook()
    if len(book.rules) >= 20:
        return book, "corpus"
    rules = []
    for i, action in enumerate(ACTIONS * 7):
        rules.append(parse_rule({
            "id": f"BENCH-R{i:03d}-01", "title": f"Aturan uji {i}", "category": "kak.ruang_lingkup",
            "kind": "missing" if i % 2 else "risk", "severity": "sedang", "applies_to": ["kak", "kontrak"],
            "source": {"regulation": "Perpres 16/2018", "article": "Pasal 11", "version": "16/2018",
                       "confidence": "pasti"},
            "statement": f"Dokumen memuat ketentuan bahwa penyedia {action.format(p=i, n=i, k=i)}.",
            "why": "uji", "suggestion": "uji",
            "exemplars": [action.format(p=5, n=90, k=3), f"ketentuan nomor {i} tentang {action.split()[1]}"],
            "examples": {"violating": ["a", "b"], "compliant": ["c", "d"]}}, "bench"))
    return Rulebook(rules=rules, articles={}, version="bench"), "sintetis"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clauses", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    imp, load = cold_load()
    print(f"proses baru: impor torch+sentence-transformers {imp:.2f} s, muat model + encode pertama {load:.2f} s")

    from reviewer.checks.base import DocContext
    from reviewer.embed import get_embedder
    from reviewer.index import RuleIndex
    from reviewer.model import Clause, Document

    emb = get_embedder()
    if emb is None:
        from reviewer.embed import embedder_status
        print(f"model tidak tersedia: {embedder_status()}")
        return
    rates = []
    for r in range(args.repeat):
        texts = generate_clauses(args.clauses, seed=r)
        emb._cache.clear()
        t = time.perf_counter()
        emb.encode_queries(texts)
        rates.append(args.clauses / (time.perf_counter() - t))
    print(f"encode {args.clauses} klausul (batch 32): median {statistics.median(rates):.1f} klausul/s "
          f"(semua: {', '.join(f'{x:.1f}' for x in rates)})")
    t = time.perf_counter()
    emb.encode_queries(texts)
    print(f"encode ulang klausul yang sama (cache): {(time.perf_counter() - t) * 1000:.1f} ms")

    book, origin = bench_rulebook()
    with tempfile.TemporaryDirectory() as tmp:
        emb._cache.clear()
        t = time.perf_counter()
        idx = RuleIndex(book, emb, cache_dir=tmp)
        build = time.perf_counter() - t
        emb._cache.clear()
        t = time.perf_counter()
        again = RuleIndex(book, emb, cache_dir=tmp)
        reload = time.perf_counter() - t
        assert again.loaded_from_disk
    print(f"indeks aturan ({origin}: {len(book.rules)} aturan, {len(idx.entries)} entri): bangun {build:.2f} s, "
          f"muat dari disk {reload:.2f} s (teks bukti tetap di-encode)")
    lex_t = time.perf_counter()
    RuleIndex(book, None, status="leksikal")
    print(f"indeks leksikal saja: {time.perf_counter() - lex_t:.3f} s")

    queries = ["berapa uang muka maksimal?", "denda keterlambatan per hari", "jaminan pelaksanaan",
               "apakah HPS termasuk PPN", "jangka waktu pelaksanaan pekerjaan"]
    lat = []
    for i in range(50):
        q = f"{queries[i % len(queries)]} {i}"  # distinct text, so the embedding cache does not help
        t = time.perf_counter()
        idx.search(q)
        lat.append((time.perf_counter() - t) * 1000)
    print(f"search(): median {statistics.median(lat):.1f} ms, p95 {sorted(lat)[int(0.95 * len(lat))]:.1f} ms")

    texts = generate_clauses(args.clauses, seed=99)
    clauses, pos = [], 0
    for i, text in enumerate(texts):
        clauses.append(Clause(id=f"c{i}", document="b.txt", text=text, start=pos, end=pos + len(text),
                              page=1 + i // 25, kind="sentence"))
        pos += len(text) + 1
    ctx = DocContext(document=Document(name="b.txt", format="txt", text="\n".join(texts)), clauses=clauses,
                     doc_type="kak", retriever=idx)
    missing = [r for r in book.rules if r.kind == "missing"]
    emb._cache.clear()
    t = time.perf_counter()
    idx.clause_scores(missing[0], ctx)
    first = time.perf_counter() - t
    t = time.perf_counter()
    for rule in missing[1:]:
        idx.clause_scores(rule, ctx)
    rest = time.perf_counter() - t
    print(f"clause_scores pada dokumen {len(clauses)} klausul: aturan pertama {first:.2f} s (termasuk encode), "
          f"{len(missing) - 1} aturan berikutnya {rest:.2f} s total")
    print(f"RSS puncak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
