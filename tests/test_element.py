"""The missing-element check (`check: element`) and the labelled snippets its threshold was
calibrated on. Rule cards are built here with reviewer.rules.parse_rule, so the check is tested
independently of the corpus being written.

Fast tests run lexical-only (no model). The @slow test loads the real embedding model and checks
the hybrid detection on the whole labelled set."""

from __future__ import annotations

import re

import pytest
import yaml

from reviewer.checks.base import DocContext
from reviewer.checks.element import (DEFAULT_MIN_SCORE, SUBJECT_ZONE_CHARS, element_check,
                                     element_present, element_relevant, incorporated, section_present,
                                     subject_text)
from reviewer.index import RuleIndex
from reviewer.model import Clause, Document
from reviewer.rules import Rulebook, parse_rule

# --------------------------------------------------------------------------- rule cards
_SOURCE = {"regulation": "Perpres 16/2018", "article": "Pasal 11 ayat (1)", "version": "12/2021",
           "confidence": "pasti"}


def _card(rid, category, applies, title, statement, exemplars, patterns=(), params=None, compliant=(),
          violating=()):
    raw = {"id": rid, "title": title, "category": category, "kind": "missing", "severity": "sedang",
           "applies_to": applies, "source": _SOURCE, "statement": statement,
           "why": "Unsur ini diperlukan agar penyedia dan PPK memahami pekerjaan yang sama.",
           "suggestion": "Tambahkan bagian yang memuat unsur ini.", "exemplars": list(exemplars),
           "patterns": list(patterns), "params": params or {},
           "examples": {"compliant": list(compliant) or ["contoh a", "contoh b"],
                        "violating": list(violating) or ["contoh c", "contoh d"]}}
    return parse_rule(yaml.safe_load(yaml.safe_dump(raw)), "test_element.py")


# Cards with exemplars only (no patterns): presence is decided by retrieval alone, which is what the
# threshold is calibrated on.
RULES = {
    "latar": _card("KAK-LATAR-01", "kak.latar_belakang", ["kak"], "Latar belakang kegiatan",
                   "KAK memuat latar belakang yang menjelaskan alasan dan kondisi yang mendasari kegiatan.",
                   ["Latar belakang kegiatan ini adalah kondisi yang ada saat ini",
                    "kegiatan ini dilatarbelakangi oleh kebutuhan",
                    "permasalahan yang mendasari perlunya pengadaan ini"]),
    "tujuan": _card("KAK-TUJUAN-01", "kak.maksud_tujuan", ["kak"], "Maksud dan tujuan",
                    "KAK menyatakan maksud dan tujuan kegiatan.",
                    ["Maksud kegiatan ini adalah", "Tujuan pengadaan ini adalah untuk",
                     "kegiatan ini bertujuan agar"]),
    "lokasi": _card("KAK-LOKASI-01", "kak.lokasi", ["kak"], "Lokasi pekerjaan",
                    "KAK menyebutkan lokasi pelaksanaan pekerjaan atau tempat penyerahan barang.",
                    ["Lokasi pekerjaan berada di", "pekerjaan dilaksanakan di Desa, Kecamatan, Kabupaten",
                     "barang diserahkan di gudang atau kantor"]),
    "dana": _card("KAK-DANA-01", "kak.sumber_dana", ["kak"], "Sumber dana",
                  "KAK menyebutkan sumber dana dan tahun anggaran yang membiayai kegiatan.",
                  ["Sumber dana kegiatan ini berasal dari APBD Tahun Anggaran",
                   "dibiayai dari DIPA APBN tahun anggaran", "pembebanan anggaran pada DPA"]),
    "waktu": _card("KAK-WAKTU-01", "kak.jangka_waktu", ["kak"], "Jangka waktu pelaksanaan",
                   "KAK menetapkan jangka waktu pelaksanaan pekerjaan.",
                   ["Jangka waktu pelaksanaan pekerjaan adalah hari kalender",
                    "pekerjaan harus diselesaikan dalam waktu hari sejak SPMK",
                    "waktu penyelesaian pekerjaan"]),
    "keluaran": _card("KAK-KELUARAN-01", "kak.keluaran", ["kak"], "Keluaran pekerjaan",
                      "KAK menyebutkan keluaran (output) yang dihasilkan pekerjaan.",
                      ["Keluaran yang dihasilkan dari pekerjaan ini adalah",
                       "output kegiatan berupa", "hasil akhir yang diserahkan penyedia"]),
    "lapor": _card("KAK-LAPOR-01", "kak.pelaporan", ["kak"], "Pelaporan",
                   "KAK mengatur laporan yang wajib diserahkan penyedia beserta jadwal dan jumlahnya.",
                   ["Penyedia wajib menyampaikan laporan pendahuluan, laporan antara dan laporan akhir",
                    "laporan kemajuan pekerjaan diserahkan setiap bulan",
                    "jumlah eksemplar laporan yang diserahkan"]),
    "kahar": _card("KONTRAK-KAHAR-01", "kontrak.keadaan_kahar", ["kontrak"], "Keadaan kahar",
                   "Kontrak mengatur keadaan kahar dan akibatnya bagi para pihak.",
                   ["Keadaan kahar adalah suatu keadaan yang terjadi di luar kehendak para pihak",
                    "bencana alam, kebakaran, wabah, kerusuhan yang tidak dapat diperkirakan",
                    "force majeure"]),
    "denda": _card("KONTRAK-DENDA-01", "kontrak.denda", ["kontrak"], "Denda keterlambatan",
                   "Kontrak mengatur denda keterlambatan penyelesaian pekerjaan.",
                   ["denda keterlambatan sebesar 1/1000 (satu permil) dari nilai kontrak untuk setiap hari",
                    "penyedia dikenakan denda apabila terlambat menyelesaikan pekerjaan"]),
    "sengketa": _card("KONTRAK-SENGKETA-01", "kontrak.penyelesaian_perselisihan", ["kontrak"],
                      "Penyelesaian perselisihan",
                      "Kontrak mengatur cara penyelesaian perselisihan antara para pihak.",
                      ["Penyelesaian perselisihan dilakukan melalui musyawarah untuk mufakat",
                       "sengketa diselesaikan melalui arbitrase atau pengadilan negeri"]),
    "jamlak": _card("KONTRAK-JAMLAK-01", "kontrak.jaminan_pelaksanaan", ["kontrak"], "Jaminan pelaksanaan",
                    "Kontrak mengatur jaminan pelaksanaan: besaran, masa berlaku dan pengembaliannya.",
                    ["Jaminan pelaksanaan sebesar 5% dari nilai kontrak",
                     "jaminan pelaksanaan berlaku sampai serah terima pekerjaan"]),
    "putus": _card("KONTRAK-PUTUS-01", "kontrak.pemutusan", ["kontrak"], "Pemutusan kontrak",
                   "Kontrak mengatur pemutusan kontrak oleh para pihak dan sebab-sebabnya.",
                   ["PPK dapat memutuskan kontrak secara sepihak apabila",
                    "pemutusan kontrak oleh penyedia", "kontrak dapat diputus"]),
}

# Our own realistic snippets. POSITIVE[key]: texts that express the element (literal and paraphrase).
POSITIVE = {
    "latar": [
        "Latar Belakang: Gedung Puskesmas Sukamaju dibangun tahun 1998 dan kini atapnya bocor di "
        "banyak titik sehingga pelayanan terganggu.",
        "Kegiatan ini dilatarbelakangi oleh meningkatnya jumlah siswa baru yang tidak sebanding dengan "
        "jumlah ruang kelas yang tersedia.",
        "Saat ini data aset daerah masih dicatat secara manual di lembar kerja terpisah, sehingga sering "
        "terjadi selisih pencatatan antar-OPD.",
        "Kondisi jalan lingkungan di Kelurahan Mekarsari rusak berat akibat genangan air setiap musim hujan.",
    ],
    "tujuan": [
        "Maksud dari kegiatan ini adalah menyediakan sarana komputer bagi unit pelayanan perizinan.",
        "Tujuan pengadaan ini adalah meningkatkan kecepatan layanan administrasi kependudukan.",
        "Kegiatan ini bertujuan agar seluruh arsip dinas tersimpan rapi dan mudah ditelusuri.",
        "Sasaran yang ingin dicapai adalah tersedianya air bersih bagi 300 kepala keluarga.",
    ],
    "lokasi": [
        "Lokasi pekerjaan: Jalan Raya Cibeber Km 4, Kecamatan Cibeber, Kabupaten Cianjur.",
        "Pekerjaan dilaksanakan di kompleks perkantoran Pemerintah Kota, Jalan Merdeka No. 10.",
        "Barang diserahkan di gudang farmasi Dinas Kesehatan, Jalan Ahmad Yani No. 5.",
        "Tempat pelaksanaan pekerjaan adalah ruang server lantai 2 gedung Sekretariat Daerah.",
    ],
    "dana": [
        "Sumber dana: APBD Kabupaten Garut Tahun Anggaran 2026.",
        "Kegiatan ini dibiayai dari DIPA Satker Balai Wilayah Sungai tahun anggaran 2026.",
        "Biaya pekerjaan dibebankan pada DPA Dinas Pendidikan Tahun 2026, kode rekening 5.1.02.01.",
        "Pendanaan berasal dari Dana Alokasi Khusus (DAK) Fisik bidang kesehatan tahun 2026.",
    ],
    "waktu": [
        "Jangka waktu pelaksanaan pekerjaan adalah 120 (seratus dua puluh) hari kalender.",
        "Pekerjaan harus diselesaikan paling lambat 60 hari kalender sejak SPMK diterbitkan.",
        "Waktu penyelesaian pekerjaan selama 3 (tiga) bulan terhitung sejak penandatanganan kontrak.",
        "Penyedia menyelesaikan seluruh pengiriman barang dalam 45 hari setelah surat pesanan.",
    ],
    "keluaran": [
        "Keluaran yang dihasilkan dari pekerjaan ini adalah dokumen DED lengkap beserta RAB.",
        "Output kegiatan berupa aplikasi sistem informasi kepegawaian yang dapat diakses secara daring.",
        "Hasil akhir yang diserahkan penyedia adalah 25 unit laptop yang terpasang dan berfungsi baik.",
        "Dari pekerjaan ini diharapkan tersusun peta jaringan irigasi skala 1:5.000.",
    ],
    "lapor": [
        "Penyedia wajib menyampaikan laporan pendahuluan, laporan antara dan laporan akhir masing-masing "
        "5 (lima) eksemplar.",
        "Laporan kemajuan pekerjaan diserahkan kepada PPK setiap bulan paling lambat tanggal 5.",
        "Konsultan menyerahkan laporan mingguan dan laporan bulanan pengawasan kepada direksi teknis.",
        "Pada akhir pekerjaan penyedia menyerahkan laporan akhir dalam bentuk cetak dan berkas digital.",
    ],
    "kahar": [
        "Keadaan kahar adalah suatu keadaan yang terjadi di luar kehendak para pihak dan tidak dapat "
        "diperkirakan sebelumnya.",
        "Dalam hal terjadi bencana alam, kebakaran, atau wabah penyakit, para pihak dibebaskan dari "
        "kewajiban yang terhambat.",
        "Force majeure wajib diberitahukan secara tertulis paling lambat 14 hari sejak kejadian.",
        "Kejadian di luar kendali para pihak seperti banjir dan gempa bumi tidak dianggap wanprestasi.",
    ],
    "denda": [
        "Penyedia dikenakan denda keterlambatan sebesar 1/1000 dari nilai kontrak untuk setiap hari.",
        "Apabila penyedia terlambat menyelesaikan pekerjaan, dikenakan sanksi satu permil dari harga "
        "kontrak per hari keterlambatan.",
        "Setiap hari keterlambatan penyerahan barang dikenai potongan sebesar satu per seribu dari nilai "
        "kontrak.",
        "Denda dipotong langsung dari tagihan pembayaran penyedia.",
    ],
    "sengketa": [
        "Perselisihan antara para pihak diselesaikan secara musyawarah untuk mencapai mufakat.",
        "Apabila musyawarah tidak berhasil, sengketa diselesaikan melalui Pengadilan Negeri Bandung.",
        "Para pihak sepakat menyelesaikan perbedaan pendapat melalui mediasi atau arbitrase.",
        "Sengketa kontrak dapat diselesaikan melalui Layanan Penyelesaian Sengketa Kontrak LKPP.",
    ],
    "jamlak": [
        "Penyedia menyerahkan jaminan pelaksanaan sebesar 5% dari nilai kontrak sebelum penandatanganan "
        "kontrak.",
        "Jaminan pelaksanaan berlaku sejak tanggal kontrak sampai serah terima pekerjaan.",
        "Sebelum tanda tangan kontrak, pemenang menyerahkan garansi bank senilai lima persen dari harga "
        "kontrak.",
        "Jaminan pelaksanaan dikembalikan setelah serah terima pertama pekerjaan.",
    ],
    "putus": [
        "PPK dapat memutuskan kontrak secara sepihak apabila penyedia lalai dan tidak memperbaiki "
        "kelalaiannya.",
        "Penyedia dapat memutus kontrak apabila PPK tidak membayar tagihan dalam 90 hari.",
        "Kontrak dapat diakhiri sebelum waktunya apabila denda keterlambatan telah mencapai nilai "
        "jaminan pelaksanaan.",
        "Dalam hal kontrak diputus, jaminan pelaksanaan dicairkan dan penyedia dimasukkan daftar hitam.",
    ],
}

# Near misses: texts on a neighbouring subject that do NOT express the element.
HARD_NEGATIVE = {
    "latar": ["Ruang lingkup pekerjaan meliputi perbaikan atap, plafon dan talang air.",
              "Penyedia wajib memiliki pengalaman di bidang konstruksi gedung."],
    "tujuan": ["Ruang lingkup pekerjaan meliputi pengadaan dan pemasangan 20 unit komputer.",
               "Penyedia harus melampirkan brosur produk pada dokumen penawaran."],
    "lokasi": ["Rapat penjelasan dilaksanakan secara daring melalui aplikasi SPSE.",
               "Penyedia wajib menyediakan kantor lapangan selama pekerjaan berlangsung."],
    "dana": ["Pembayaran dilakukan secara bertahap sesuai kemajuan pekerjaan.",
             "Harga penawaran sudah termasuk pajak dan biaya pengiriman."],
    "waktu": ["Masa berlaku penawaran adalah 60 hari kalender sejak batas akhir pemasukan penawaran.",
              "Garansi purna jual berlaku 1 (satu) tahun sejak barang diterima."],
    "keluaran": ["Penyedia wajib menyediakan tenaga ahli yang berpengalaman.",
                 "Pekerjaan ini meliputi survei lapangan dan pengukuran topografi."],
    "lapor": ["Penyedia wajib mematuhi peraturan keselamatan kerja di lokasi.",
              "Rapat koordinasi diadakan setiap dua minggu di kantor dinas."],
    "kahar": ["Penyedia wajib mengasuransikan pekerjaan terhadap risiko kebakaran.",
              "Penyedia bertanggung jawab atas keselamatan pekerja di lokasi proyek."],
    "denda": ["Penyedia dapat mengajukan perpanjangan waktu apabila terjadi pekerjaan tambah.",
              "Pembayaran dilakukan setelah barang diterima dengan baik oleh PPK."],
    "sengketa": ["Para pihak wajib melaksanakan kontrak dengan itikad baik.",
                 "Korespondensi antara para pihak dilakukan secara tertulis dalam Bahasa Indonesia."],
    "jamlak": ["Uang muka diberikan sebesar 20% dari nilai kontrak kepada penyedia.",
               "Penyedia wajib memberikan garansi pabrik untuk setiap unit komputer."],
    "putus": ["Kontrak ini mulai berlaku sejak tanggal ditandatangani oleh para pihak.",
              "Perubahan kontrak dituangkan dalam adendum yang ditandatangani para pihak."],
}


def labelled_pairs():
    """(rule key, text, expresses the element?) over every rule and every snippet."""
    pairs = []
    for key in RULES:
        doc_types = set(RULES[key].applies_to)
        for other, texts in POSITIVE.items():
            if set(RULES[other].applies_to) != doc_types and other != key:
                continue  # a KAK rule is never run on kontrak clauses, and vice versa
            pairs.extend((key, t, other == key) for t in texts)
        pairs.extend((key, t, False) for t in HARD_NEGATIVE[key])
    return pairs


# ------------------------------------------------------------------------------ helpers
def make_ctx(text: str, doc_type: str = "kak", retriever=None, kinds: dict[int, str] | None = None,
             heading_paths: dict[int, list[str]] | None = None) -> DocContext:
    """One clause per line (blank lines ignored), as a stand-in for the segmenter."""
    doc_text = text
    clauses, offset = [], 0
    for i, line in enumerate(l for l in text.split("\n")):
        start = doc_text.index(line, offset) if line else offset
        offset = start + len(line)
        if not line.strip():
            continue
        n = len(clauses)
        kind = (kinds or {}).get(n, "sentence")
        clauses.append(Clause(id=f"c{n}", document="uji.txt", text=line.strip(), start=start,
                              end=start + len(line), page=1, kind=kind,
                              heading_path=(heading_paths or {}).get(n, [])))
    doc = Document(name="uji.txt", format="txt", text=doc_text)
    return DocContext(document=doc, clauses=clauses, doc_type=doc_type, retriever=retriever)


@pytest.fixture(scope="module")
def lexical_index():
    book = Rulebook(rules=list(RULES.values()), articles={}, version="uji-elemen")
    return RuleIndex(book, None, status="leksikal")


KAK_WITHOUT_DANA = "\n".join([
    "KERANGKA ACUAN KERJA",
    POSITIVE["latar"][0], POSITIVE["tujuan"][0], POSITIVE["lokasi"][0], POSITIVE["waktu"][0],
    POSITIVE["keluaran"][0], POSITIVE["lapor"][1],
])


# -------------------------------------------------------------------------------- tests
def test_missing_element_gives_one_spanless_finding_with_closest_candidate(lexical_index):
    ctx = make_ctx(KAK_WITHOUT_DANA, retriever=lexical_index)
    findings = element_check(RULES["dana"], ctx)
    assert len(findings) == 1
    f = findings[0]
    assert (f.start, f.end, f.page) == (None, None, None)
    assert f.evidence == ""
    assert RULES["dana"].statement in f.message
    assert f.rule_id == "KAK-DANA-01" and f.kind == "missing"
    assert 0.0 <= f.score <= 1.0
    for rel in f.related:
        assert set(rel) == {"document", "evidence", "page", "score"}
        assert rel["score"] < DEFAULT_MIN_SCORE["leksikal"]


def test_present_elements_give_no_finding(lexical_index):
    ctx = make_ctx(KAK_WITHOUT_DANA, retriever=lexical_index)
    for key in ("latar", "tujuan", "lokasi", "waktu", "keluaran", "lapor"):
        assert element_check(RULES[key], ctx) == [], key


def test_adding_the_element_removes_the_finding(lexical_index):
    ctx = make_ctx(KAK_WITHOUT_DANA + "\n" + POSITIVE["dana"][1], retriever=lexical_index)
    assert element_check(RULES["dana"], ctx) == []


def test_pattern_decides_presence_and_unless_vetoes():
    rule = _card("KAK-TKDN-01", "kak.tkdn", ["kak"], "TKDN", "KAK menyebut kewajiban TKDN.",
                 ["nilai TKDN paling rendah 40%"], patterns=[r"\bTKDN\b"], params={"min_score": 1.01})
    rule_unless = parse_rule({**yaml.safe_load(yaml.safe_dump({
        "id": "KAK-TKDN-02", "title": "TKDN", "category": "kak.tkdn", "kind": "missing",
        "severity": "sedang", "applies_to": ["kak"], "source": _SOURCE, "statement": "KAK menyebut TKDN.",
        "why": "x", "suggestion": "y", "patterns": [r"\bTKDN\b"], "unless": [r"tidak\s+(perlu|wajib)"],
        "params": {"min_score": 1.01}, "examples": {"compliant": ["a", "b"], "violating": ["c", "d"]}}))},
        "x.yaml")
    present = make_ctx("Barang wajib memiliki sertifikat TKDN.\nHarga sudah termasuk PPN.")
    vetoed = make_ctx("Barang impor tidak perlu sertifikat TKDN.\nHarga sudah termasuk PPN.")
    absent = make_ctx("Harga sudah termasuk PPN.\nBarang dikirim ke gudang.")
    assert element_check(rule, present) == []
    assert element_check(rule_unless, present) == []
    assert len(element_check(rule_unless, vetoed)) == 1
    assert len(element_check(rule, absent)) == 1


def test_min_matches_counts_clauses():
    rule = _card("KAK-LAPOR-02", "kak.pelaporan", ["kak"], "Laporan", "KAK mengatur laporan.",
                 ["laporan"], patterns=[r"\blaporan\b"], params={"min_matches": 2, "min_score": 1.01})
    one = make_ctx("Laporan akhir diserahkan 5 eksemplar.\nHarga sudah termasuk PPN.")
    two = make_ctx("Laporan pendahuluan diserahkan minggu kedua.\nLaporan akhir diserahkan 5 eksemplar.")
    assert len(element_check(rule, one)) == 1
    assert element_check(rule, two) == []


def test_section_heading_with_content_counts_as_presence():
    rule = _card("KAK-DANA-02", "kak.sumber_dana", ["kak"], "Sumber dana", "KAK menyebut sumber dana.",
                 ["sumber dana"], params={"section": ["sumber dana", "sumber pendanaan"], "min_score": 1.01})
    with_content = make_ctx("D. SUMBER PENDANAAN\nAPBD Kabupaten Tahun Anggaran 2026",
                            kinds={0: "heading"}, heading_paths={1: ["D. SUMBER PENDANAAN"]})
    empty_heading = make_ctx("D. SUMBER DANA\nE. JANGKA WAKTU\n90 hari kalender",
                             kinds={0: "heading", 1: "heading"})
    inline = make_ctx("Sumber Dana : APBD Kota Tahun 2026")
    inline_empty = make_ctx("Sumber Dana : ....")
    assert section_present(["sumber dana", "sumber pendanaan"], with_content.clauses)
    assert element_check(rule, with_content) == []
    assert len(element_check(rule, empty_heading)) == 1
    assert element_check(rule, inline) == []
    assert len(element_check(rule, inline_empty)) == 1


def test_a_question_heading_answered_below_counts_as_the_section():
    """A KAK written as questions: the question (a heading, or a numbered line the segmenter kept as
    text) with its answer under it is the element; a question with no answer, or a question about
    something else, is not."""
    why = [r"\b(?:mengapa|kenapa)\b[^?]{0,80}\b(?:perlu|diperlukan|dibutuhkan|dibeli)\b[^?]{0,40}\?"]
    as_heading = make_ctx("Mengapa printer ini perlu dibeli?\nPrinter lama rusak dan suku cadangnya tidak dijual lagi.",
                          kinds={0: "heading"}, heading_paths={1: ["Mengapa printer ini perlu dibeli?"]})
    as_text = make_ctx("2. Mengapa printer ini perlu dibeli?\nPrinter lama rusak dan suku cadangnya tidak dijual lagi.")
    unanswered = make_ctx("2. Mengapa printer ini perlu dibeli?\n3. Di mana barang diserahkan?",
                          kinds={0: "heading", 1: "heading"})
    other_question = make_ctx("Mengapa harus produk dalam negeri?\nKarena diwajibkan Pasal 66.")
    assert section_present([], as_heading.clauses, why)
    assert section_present([], as_text.clauses, why)
    assert not section_present([], unanswered.clauses, why)
    assert not section_present([], other_question.clauses, why)


def test_without_retriever_falls_back_to_lexical():
    ctx = make_ctx(KAK_WITHOUT_DANA)  # ctx.retriever is None
    assert len(element_check(RULES["dana"], ctx)) == 1
    assert element_check(RULES["waktu"], ctx) == []


def test_soft_rule_is_worded_as_periksa(lexical_index):
    raw = yaml.safe_load(yaml.safe_dump({
        "id": "KAK-DANA-03", "title": "Sumber dana", "category": "kak.sumber_dana", "kind": "missing",
        "severity": "rendah", "applies_to": ["kak"], "source": {**_SOURCE, "confidence": "perlu-cek"},
        "statement": "KAK sebaiknya menyebut sumber dana.", "why": "x", "suggestion": "y",
        "exemplars": ["sumber dana APBD"], "examples": {"compliant": ["a", "b"], "violating": ["c", "d"]}}))
    f = element_check(parse_rule(raw, "x.yaml"), make_ctx(KAK_WITHOUT_DANA, retriever=lexical_index))
    assert len(f) == 1 and f[0].message.startswith("Periksa") and f[0].confidence == "perlu-cek"


def _detection_rates(index, threshold_of):
    tp = fp = fn = tn = 0
    for key, text, label in labelled_pairs():
        ctx = make_ctx(text, doc_type=RULES[key].applies_to[0], retriever=index)
        scores = index.clause_scores(RULES[key], ctx)
        present = max(s for _, s in scores) >= threshold_of(RULES[key])
        tp += present and label
        fp += present and not label
        fn += (not present) and label
        tn += (not present) and not label
    return tp / max(1, tp + fp), tp / max(1, tp + fn), (tp, fp, fn, tn)


def test_lexical_detection_quality_on_labelled_snippets(lexical_index):
    precision, recall, counts = _detection_rates(lexical_index, lambda r: DEFAULT_MIN_SCORE["leksikal"])
    # Lexical-only is the fallback; measured 2026-11: see models/README.md for the figures.
    assert precision >= 0.75, counts
    assert recall >= 0.65, counts


@pytest.mark.slow
def test_hybrid_detection_quality_on_labelled_snippets():
    from reviewer.embed import get_embedder

    embedder = get_embedder()
    if embedder is None:
        pytest.skip("model embedding tidak tersedia")
    book = Rulebook(rules=list(RULES.values()), articles={}, version="uji-elemen")
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        index = RuleIndex(book, embedder, cache_dir=tmp)
    precision, recall, counts = _detection_rates(index, lambda r: DEFAULT_MIN_SCORE["hybrid"])
    assert precision >= 0.85, counts
    assert recall >= 0.75, counts


def test_labelled_set_is_consistent():
    assert set(POSITIVE) == set(RULES) == set(HARD_NEGATIVE)
    pairs = labelled_pairs()
    assert sum(1 for *_, y in pairs if y) == sum(len(v) for v in POSITIVE.values())
    assert all(re.search(r"\w", t) for _, t, _ in pairs)


# ------------------------------------------------------------- relevant_if / advisory params
def test_relevant_if_limits_the_element_to_documents_that_need_it():
    rule = _card("KAK-SNI-09", "kak.sni", ["kak"], "SNI", "KAK menyinggung SNI.", ["memenuhi SNI"],
                 patterns=[r"\bSNI\b"], params={"min_score": 1.01,
                                                "relevant_if": [r"\bsemen\b|\bkabel\s+listrik\b"]})
    needs = make_ctx("Semen portland kemasan 50 kg sebanyak 300 zak.\nDiserahkan di gudang.")
    has_it = make_ctx("Semen portland kemasan 50 kg memenuhi SNI 2049:2015.\nDiserahkan di gudang.")
    unrelated = make_ctx("Laptop prosesor 8 inti, RAM 16 GB.\nDiserahkan di gudang.")
    assert len(element_check(rule, needs)) == 1
    assert element_check(rule, has_it) == []
    assert element_check(rule, unrelated) == []


def test_advisory_element_is_worded_as_periksa_but_keeps_its_confidence():
    rule = _card("KAK-SNI-08", "kak.sni", ["kak"], "SNI", "KAK menyinggung SNI.", ["memenuhi SNI"],
                 patterns=[r"\bSNI\b"], params={"min_score": 1.01, "advisory": True})
    strict = _card("KAK-SNI-07", "kak.sni", ["kak"], "SNI", "KAK menyinggung SNI.", ["memenuhi SNI"],
                   patterns=[r"\bSNI\b"], params={"min_score": 1.01})
    ctx = make_ctx("Semen portland kemasan 50 kg sebanyak 300 zak.")
    soft, hard = element_check(rule, ctx), element_check(strict, ctx)
    assert soft[0].message.startswith("Periksa") and soft[0].confidence == "pasti"
    assert hard[0].message.startswith("Unsur wajib")


def test_corpus_relevant_if_patterns_compile():
    from reviewer.rules import default_rulebook
    found = 0
    for rule in default_rulebook().rules:
        for pattern in rule.params.get("relevant_if") or []:
            re.compile(pattern, re.IGNORECASE)
            found += 1
    assert found >= 2


# ------------------------------------------------------------------ relevant_in: subject
_FILLER = ("Kegiatan ini disusun berdasarkan usulan kebutuhan unit pelaksana dan hasil rapat koordinasi "
           "dengan perangkat daerah terkait, dengan memperhatikan data pemakaian tiga tahun terakhir.")


def _long_kak(title: str, *body: str) -> DocContext:
    filler = [_FILLER] * (SUBJECT_ZONE_CHARS // len(_FILLER) + 1)
    return make_ctx("\n".join([title, *filler, *body]))


def test_subject_text_names_what_is_bought_not_its_materials():
    ctx = _long_kak("SPESIFIKASI TEKNIS PENGADAAN TENDA DARURAT",
                    "Rangka tenda dari pipa besi galvanis diameter 1,5 inci.",
                    "Nama Paket: Pengadaan Tenda Darurat dan Helm Relawan",
                    "Lingkup pekerjaan meliputi pengadaan kabel NYM untuk posko; pemasangan oleh penyedia.")
    ctx.clauses.append(Clause(id="t1", document="uji.txt", text="1 | Velbed lipat | rangka aluminium",
                              start=5000, end=5040, page=1, kind="table_row",
                              cells=["1", "Velbed lipat", "rangka aluminium"]))
    subject = subject_text(ctx.clauses)
    assert "TENDA DARURAT" in subject and "Helm Relawan" in subject
    assert "kabel NYM untuk posko" in subject and "Velbed lipat" in subject
    assert "pipa besi" not in subject and "rangka aluminium" not in subject
    assert "pemasangan oleh penyedia" not in subject  # "pengadaan X" stops at the clause's ';'


def test_relevant_in_subject_ignores_a_trigger_in_the_body():
    card = _card("UJI-SNI-01", "kak.sni", ["kak"], "SNI", "Periksa SNI.", ["Barang wajib memenuhi SNI."],
                 patterns=[r"\bSNI\b"], params={"relevant_if": [r"\bpipa\s+besi\b|\bhelm\b"],
                                                  "relevant_in": "subject", "require_pattern": True})
    body_only = _long_kak("SPESIFIKASI TEKNIS PENGADAAN TENDA DARURAT", "Rangka dari pipa besi galvanis.")
    assert not element_relevant(card, body_only.clauses)
    in_title = _long_kak("SPESIFIKASI TEKNIS PENGADAAN HELM PENGAMAN", "Rangka dari pipa besi galvanis.")
    assert element_relevant(card, in_title.clauses)
    # without relevant_in the same body mention is enough, as before
    anywhere = _card("UJI-SNI-02", "kak.sni", ["kak"], "SNI", "Periksa SNI.", ["Barang wajib memenuhi SNI."],
                     patterns=[r"\bSNI\b"], params={"relevant_if": [r"\bpipa\s+besi\b"]})
    assert element_relevant(anywhere, body_only.clauses)


def test_a_heading_kept_as_a_list_item_or_paragraph_counts_with_its_content():
    for heading in ("c. Sasaran", "Ill. SASARAN", "3) Sasaran Kegiatan"):
        ctx = make_ctx("\n".join([heading, "Terbangunnya jalan lingkungan sepanjang 350 m yang dapat dilalui warga."]),
                       kinds={0: "item"})
        assert section_present(["sasaran"], ctx.clauses), heading
    # a name with nothing after it, or only another heading, is not the element
    empty = make_ctx("\n".join(["c. Sasaran", "d. Lokasi"]), kinds={0: "item", 1: "heading"})
    assert not section_present(["sasaran"], empty.clauses)


def test_a_standard_text_made_part_of_the_contract_softens_the_finding_unless_written_out():
    card = _card("UJI-SENGKETA-01", "kontrak.penyelesaian_perselisihan", ["kontrak"], "Sengketa",
                 "Periksa penyelesaian perselisihan.", ["Perselisihan diselesaikan secara musyawarah."],
                 patterns=[r"\bperselisihan\b"],
                 params={"incorporated_by": [r"\b(SSUK|SSKK)\b"],
                         "incorporated_text": [r"^\s*SYARAT[- ]SYARAT\s+UMUM\s+KONTRAK\b"]})
    reference = make_ctx("Dokumen kontrak terdiri atas Surat Perjanjian, SSKK dan SSUK.", doc_type="kontrak")
    assert incorporated(card, reference.clauses)
    # the SSUK was not read: a low "check this" note, not a missing-element verdict
    [note] = element_check(card, reference)
    assert note.severity == "rendah" and note.message.startswith("Periksa") and "SSUK" in note.message
    assert not element_check(card, make_ctx("Dokumen kontrak terdiri atas Surat Perjanjian, SSKK dan SSUK.\n"
                                            "Perselisihan diselesaikan secara musyawarah.", doc_type="kontrak"))
    written_out = make_ctx("\n".join(["Dokumen kontrak terdiri atas Surat Perjanjian, SSKK dan SSUK.",
                                       "SYARAT-SYARAT UMUM KONTRAK (SSUK)",
                                       "1.1 Pembayaran dilakukan secara termin."]),
                           doc_type="kontrak", kinds={1: "heading"})
    assert not incorporated(card, written_out.clauses)
    assert element_check(card, written_out)  # its own clauses lack the element: reported


def test_a_list_of_contract_documents_naming_the_ssuk_is_a_reference_not_the_text():
    card = _card("UJI-SENGKETA-02", "kontrak.penyelesaian_perselisihan", ["kontrak"], "Sengketa",
                 "Periksa penyelesaian perselisihan.", ["Perselisihan diselesaikan secara musyawarah."],
                 patterns=[r"\bperselisihan\b"],
                 params={"incorporated_by": [r"\bsyarat[- ]syarat (umum|khusus) kontrak\b"],
                         "incorporated_text": [r"^\s*(?:[A-Z0-9]{1,4}[.)]\s*)?SYARAT[- ]SYARAT\s+UMUM\s+KONTRAK\b"]})
    hierarchy = make_ctx("\n".join(["Urutan hierarki dokumen kontrak:", "a. Surat Perjanjian;",
                                     "b. Syarat-Syarat Khusus Kontrak;", "c. Syarat-Syarat Umum Kontrak; dan",
                                     "d. spesifikasi teknis dan gambar."]),
                         doc_type="kontrak", kinds={1: "item", 2: "item", 3: "item", 4: "item"})
    assert incorporated(card, hierarchy.clauses)
    titled = make_ctx("\n".join(["Dokumen kontrak terdiri atas Surat Perjanjian dan Syarat-Syarat Umum Kontrak.",
                                 "B. SYARAT-SYARAT UMUM KONTRAK", "1.1 Pembayaran dilakukan secara termin."]),
                      doc_type="kontrak", kinds={1: "item"})
    assert not incorporated(card, titled.clauses)
