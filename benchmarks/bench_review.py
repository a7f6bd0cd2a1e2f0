"""End-to-end speed of the real pipeline on generated KAK PDFs of 10, 50 and 200 pages.

Prints medians: pages/s and clauses/s with the model warm, the floor (text extraction + one embedding
pass over the same clauses) and the ratio to it, where the time beyond the floor goes (segmentation,
classification and facts, checks), cold start of `reviewer check` until the first page is read, and
peak RSS of a cold `reviewer check` on the 50-page document.

Text: `--text varied` (default) fills each template with random slots and random connective phrases,
so nearly every clause is distinct, as in a real KAK. `--text repeated` is the older generator: a few
templates with few slots, so about 3 clauses in 4 repeat an earlier one and the embedder (which embeds
each distinct text once) has little to do, which makes the floor small and the ratio look worse than
on real documents.

    .venv/bin/python benchmarks/bench_review.py [--sizes 10 50 200] [--runs 3] [--text varied|repeated]
        [--no-cold]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from reviewer.docgen import write_document  # noqa: E402

OUT = ROOT / "benchmarks" / "_generated"

SECTIONS = [
    ("LATAR BELAKANG", [
        "Dinas {unit} Kabupaten {kab} memerlukan {item} untuk menunjang pelayanan kepada masyarakat.",
        "Kondisi {item} yang ada saat ini sudah berumur lebih dari {n} tahun sehingga sering mengalami gangguan.",
        "Kebutuhan ini telah tercantum dalam Rencana Umum Pengadaan Tahun Anggaran {year}.",
    ]),
    ("MAKSUD DAN TUJUAN", [
        "Maksud kegiatan ini adalah menyediakan {item} sesuai kebutuhan {unit}.",
        "Tujuannya agar pelayanan pada {n} unit kerja berjalan tepat waktu dan efisien.",
    ]),
    ("RUANG LINGKUP PEKERJAAN", [
        "Penyedia melaksanakan pengadaan, pengiriman, pemasangan dan uji fungsi {item} di {n} lokasi.",
        "Penyedia memberikan pelatihan penggunaan kepada paling sedikit {n} orang pegawai.",
        "Seluruh barang diserahkan dalam keadaan baru, lengkap dengan buku petunjuk berbahasa Indonesia.",
    ]),
    ("SPESIFIKASI TEKNIS", [
        "Prosesor minimal {n} inti dengan kecepatan dasar paling rendah 2,{n} GHz.",
        "Memori paling sedikit {n} GB dan media penyimpanan SSD paling sedikit {n}00 GB.",
        "Garansi resmi paling singkat {n} tahun untuk suku cadang dan jasa perbaikan.",
    ]),
    ("JANGKA WAKTU PELAKSANAAN", [
        "Jangka waktu pelaksanaan pekerjaan adalah {n}0 (hari kalender) sejak SPMK diterbitkan.",
    ]),
    ("SUMBER DANA DAN PERKIRAAN BIAYA", [
        "Pekerjaan ini dibiayai dari APBD Kabupaten {kab} Tahun Anggaran {year} dengan pagu Rp{n}50.000.000,00.",
    ]),
]


# Extra material for the varied text: more subjects and objects, and phrases joined to a sentence.
UNITS = ["Kesehatan", "Pendidikan", "Perhubungan", "Pekerjaan Umum", "Sosial", "Pertanian", "Perikanan",
         "Kependudukan dan Pencatatan Sipil", "Lingkungan Hidup", "Komunikasi dan Informatika",
         "Pemberdayaan Masyarakat Desa", "Koperasi dan UKM", "Perdagangan", "Pariwisata", "Perpustakaan"]
KABUPATEN = ["Sukamaju", "Mekarsari", "Tanjung Harapan", "Sumber Rejeki", "Bukit Indah", "Lembah Hijau",
             "Pasir Putih", "Karang Sari", "Muara Baru", "Sungai Lebar", "Gunung Tua", "Padang Luas"]
ITEMS = ["komputer", "printer", "kendaraan dinas", "meja kerja", "kursi rapat", "lemari arsip",
         "proyektor", "pendingin ruangan", "genset", "alat laboratorium", "perangkat jaringan",
         "mesin fotokopi", "server", "tablet", "kamera pengawas", "timbangan digital", "ambulans",
         "peralatan dapur", "tempat tidur pasien", "rak buku"]
PLACES = ["kantor dinas", "puskesmas", "sekolah dasar", "kantor kecamatan", "balai desa", "gudang",
          "rumah sakit daerah", "terminal", "pasar", "perpustakaan daerah", "laboratorium"]
CONNECTIVES = [
    "sesuai dengan standar pelayanan minimal yang berlaku",
    "dengan memperhatikan kondisi lapangan di {place}",
    "sebagaimana tercantum dalam dokumen perencanaan {unit}",
    "berdasarkan hasil survei lapangan bulan {month}",
    "dengan koordinasi bersama pengelola {place}",
    "tanpa mengganggu kegiatan pelayanan di {place}",
    "dengan dokumentasi foto sebelum dan sesudah pekerjaan",
    "mengikuti jadwal yang disepakati dengan PPK",
    "untuk mendukung program prioritas daerah tahun {year}",
    "dengan mengutamakan produk dalam negeri",
    "sesuai petunjuk teknis dari kementerian terkait",
    "paling lambat {n} hari setelah permintaan tertulis",
    "termasuk biaya angkut ke {place} di Kecamatan {kec}",
    "dengan jumlah peserta sekitar {big} orang",
    "yang dilaporkan setiap {n} minggu kepada pejabat pengadaan",
]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
KECAMATAN = ["Cempaka", "Melati", "Anggrek", "Kenanga", "Flamboyan", "Teratai", "Seroja", "Dahlia"]


def _fill(template: str, rnd: random.Random, varied: bool) -> str:
    if not varied:
        return template.format(unit=rnd.choice(["Kesehatan", "Pendidikan", "Perhubungan"]),
                               kab=rnd.choice(["Sukamaju", "Mekarsari", "Tanjung Harapan"]),
                               item=rnd.choice(["komputer", "printer", "kendaraan dinas", "meja kerja"]),
                               n=rnd.randint(2, 9), year=2026)
    slots = dict(unit=rnd.choice(UNITS), kab=rnd.choice(KABUPATEN), item=rnd.choice(ITEMS),
                 n=rnd.randint(2, 9), year=rnd.choice([2025, 2026, 2027]), place=rnd.choice(PLACES),
                 month=rnd.choice(MONTHS), kec=rnd.choice(KECAMATAN), big=rnd.randint(12, 480))
    sentence = template.format(**slots)
    if rnd.random() < 0.8:  # most sentences carry a qualifying phrase, as PPKs write them
        phrase = rnd.choice(CONNECTIVES).format(**slots)
        sentence = sentence[:-1] + ", " + phrase + "."
    return sentence


def kak_spec(pages: int, seed: int = 7, varied: bool = False) -> dict:
    rnd = random.Random(seed)
    blocks: list[dict] = [{"h": "KERANGKA ACUAN KERJA", "level": 0},
                          {"p": f"Pengadaan Peralatan Kantor Tahun Anggaran 2026 — dokumen uji {pages} halaman"}]
    # about 9 paragraphs per page with the generator's layout
    for part in range(pages):
        title, sentences = SECTIONS[part % len(SECTIONS)]
        blocks.append({"h": f"{part + 1}. {title}", "level": 1})
        for j in range(7):
            text = " ".join(_fill(s, rnd, varied) for s in sentences)
            blocks.append({"li": text, "marker": f"{chr(97 + j)}."})
        blocks.append({"pagebreak": True})
    suffix = "-ragam" if varied else ""
    return {"name": f"kak-{pages}-halaman{suffix}", "format": "pdf", "blocks": blocks}


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cold_cli(path: Path) -> tuple[float, float, float]:
    """(seconds to first page read, total seconds, peak RSS MB) of a fresh `reviewer check`."""
    code = (
        "import time,sys,resource; t0=time.perf_counter();"
        "from reviewer import cli;"
        "first=[];"
        "import reviewer.review as rv;"
        "orig=rv.review\n"
        "def wrapped(paths, **kw):\n"
        "    p=kw.get('progress')\n"
        "    def prog(stage,f):\n"
        "        if not first: first.append(time.perf_counter()-t0)\n"
        "        if p: p(stage,f)\n"
        "    kw['progress']=prog\n"
        "    return orig(paths, **kw)\n"
        "rv.review=wrapped\n"
        f"rc=cli.main(['check', {str(path)!r}, '--format', 'json'])\n"
        "total=time.perf_counter()-t0\n"
        "rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024\n"
        "sys.stderr.write(f'BENCH {first[0] if first else -1:.3f} {total:.3f} {rss:.1f}\\n')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(proc.stderr[-2000:])
    _, first, total, rss = line.split()
    return float(first), float(total), float(rss)


def stage_times(path: Path, book, embedder) -> tuple[float, float, float]:
    """(segmentation, classification + facts, checks with the clause vectors already cached): the
    work a review does beyond the floor."""
    from reviewer.ingest import load
    from reviewer.review import analyze, get_retriever, run_checks
    from reviewer.segment import segment

    doc = load(path)
    t0 = time.perf_counter()
    segment(doc)
    t1 = time.perf_counter()
    ctx = analyze(doc)
    t2 = time.perf_counter()
    ctx.retriever = get_retriever(book)[0]
    if embedder is not None:
        embedder.encode_queries([c.text for c in ctx.clauses])  # the floor's pass, not counted here
    t3 = time.perf_counter()
    run_checks([ctx], book.rules, package=False)
    t4 = time.perf_counter()
    return t1 - t0, (t2 - t1) - (t1 - t0), t4 - t3


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--text", choices=["varied", "repeated"], default="varied")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start `reviewer check` runs")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    varied = args.text == "varied"

    from reviewer.embed import get_embedder
    from reviewer.ingest import load
    from reviewer.review import analyze, review_documents
    from reviewer.rules import default_rulebook

    book = default_rulebook()
    embedder = get_embedder()
    print(f"model: {getattr(embedder, 'name', 'leksikal saja')}; teks: {args.text}")
    warm = write_document(kak_spec(5, seed=1, varied=varied), OUT)
    review_documents([load(warm)], rulebook=book)  # warm the model, index and spaCy

    print(f"{'halaman':>8} {'klausul':>8} {'unik':>6} {'ekstraksi':>10} {'embed':>8} {'lantai':>8} "
          f"{'reviu':>8} {'rasio':>6} {'hal/dtk':>8} {'klausul/dtk':>12}")
    breakdown = []
    for pages in args.sizes:
        path = write_document(kak_spec(pages, varied=varied), OUT)
        doc = load(path)
        n_pages = doc.pages
        clauses = analyze(doc).clauses
        texts = [c.text for c in clauses]
        distinct = len({" ".join(t.split()) for t in texts})

        def one_embedding_pass() -> None:
            if embedder is not None:
                embedder.clear_cache() if hasattr(embedder, "clear_cache") else None
                embedder.encode_queries(texts)

        def end_to_end() -> None:
            if embedder is not None and hasattr(embedder, "clear_cache"):
                embedder.clear_cache()  # no credit for clauses embedded by an earlier run
            review_documents([load(path)], rulebook=book)

        # interleaved, so that a slow spell of a shared machine hits floor and review alike
        extract, embed, review = [], [], []
        for _ in range(args.runs):
            extract.append(median_time(lambda: load(path), 1))
            embed.append(median_time(one_embedding_pass, 1))
            review.append(median_time(end_to_end, 1))
        t_extract, t_embed, t_review = (statistics.median(x) for x in (extract, embed, review))
        floor = t_extract + t_embed
        print(f"{n_pages:>8} {len(clauses):>8} {distinct:>6} {t_extract:>9.2f}s {t_embed:>7.2f}s {floor:>7.2f}s "
              f"{t_review:>7.2f}s {t_review / floor:>6.2f} {n_pages / t_review:>8.1f} "
              f"{len(clauses) / t_review:>12.1f}", flush=True)
        stages = [stage_times(path, book, embedder) for _ in range(args.runs)]
        breakdown.append((n_pages, *(statistics.median(x) for x in zip(*stages))))

    print("di luar lantai (median): halaman, segmentasi, klasifikasi+fakta, pemeriksaan tanpa embedding")
    for n_pages, seg, cls, checks in breakdown:
        print(f"{n_pages:>8} {seg:>9.2f}s {cls:>9.2f}s {checks:>9.2f}s")

    if args.no_cold:
        return
    mid = OUT / f"{kak_spec(50, varied=varied)['name']}.pdf"
    if not mid.exists():
        write_document(kak_spec(50, varied=varied), OUT)
    colds = [cold_cli(mid) for _ in range(args.runs)]
    print(f"reviewer check (proses baru, 50 halaman): sampai halaman pertama dibaca "
          f"{statistics.median(c[0] for c in colds):.2f}s, total {statistics.median(c[1] for c in colds):.2f}s, "
          f"RSS puncak {max(c[2] for c in colds):.0f} MB")


if __name__ == "__main__":
    main()
