"""Number checks (reviewer/checks/numbers.py) and HPS arithmetic (reviewer/checks/hps_math.py).

Texts go through the real ingest -> segment -> classify path; the rules are the real cards of
corpus/rules/number.yaml (parsed alone, so another file's state cannot break these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewer.checks import hps_math, numbers
from reviewer.checks.base import DocContext
from reviewer.model import Block, Document, Table
from reviewer.review import analyze, text_document
from reviewer.rules import parse_rule

CARDS = Path(__file__).resolve().parent.parent / "corpus" / "rules" / "number.yaml"
RULES = {raw["id"]: parse_rule(raw, CARDS.name) for raw in yaml.safe_load(CARDS.read_text("utf-8"))["rules"]}


def ctx_of(text: str, doc_type: str = "kontrak", **facts) -> DocContext:
    return analyze(text_document(text), doc_type=doc_type, facts=facts or None)


def run(rule_id: str, text: str, doc_type: str = "kontrak", **facts):
    rule = RULES[rule_id]
    from reviewer.checks import DOCUMENT_CHECKS, load_checks
    load_checks()
    return DOCUMENT_CHECKS[rule.check](rule, ctx_of(text, doc_type, **facts))


# --- denda --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Penyedia dikenakan denda 2‰ (dua permil) dari nilai kontrak untuk setiap hari keterlambatan.",
    "Denda keterlambatan sebesar 1/1000 dari nilai kontrak per minggu.",
    "Denda keterlambatan 1‰ per hari dari nilai kontrak termasuk PPN.",
    "Denda keterlambatan sebesar 0,5% dari nilai kontrak untuk setiap hari keterlambatan.",
])
def test_denda_flags_wrong_rate_week_or_ppn_base(text):
    found = run("NUM-DENDA-01", text)
    assert len(found) == 1
    assert found[0].evidence == text
    assert found[0].category == "number.denda"


@pytest.mark.parametrize("text", [
    "Denda keterlambatan sebesar 1‰ (satu permil) dari nilai kontrak sebelum PPN untuk setiap hari keterlambatan.",
    "Denda keterlambatan 1 (satu) permil dari nilai bagian kontrak tidak termasuk PPN per hari.",
    "Denda keterlambatan 0,1% dari nilai kontrak per hari kalender.",
    "Denda 1/1000 per hari keterlambatan. Akumulasi denda keterlambatan paling banyak 5% dari nilai kontrak.",
])
def test_denda_accepts_one_permil_and_ignores_a_cap(text):
    assert run("NUM-DENDA-01", text) == []


def test_denda_message_names_the_problem():
    f = run("NUM-DENDA-01", "Denda keterlambatan 1‰ per hari dari nilai kontrak termasuk PPN.")[0]
    assert "PPN" in f.message and f.confidence == "pasti"


# --- uang muka, jaminan, retensi, adendum -------------------------------------------------------

def test_uang_muka_caps_depend_on_facts():
    text = "Uang muka dapat diberikan sebesar 25% dari nilai kontrak."
    assert run("NUM-UANGMUKA-01", text) == []  # unknown provider size: the 30% cap could apply
    assert len(run("NUM-UANGMUKA-01", text, usaha_kecil=False)) == 1
    assert len(run("NUM-UANGMUKA-01", "Uang muka 20% dari nilai kontrak.", tahun_jamak=True)) == 1
    assert len(run("NUM-UANGMUKA-01", "Uang muka diberikan 35% dari nilai kontrak.")) == 1


def test_uang_muka_ignores_guarantee_repayment_and_tier_lists():
    assert run("NUM-UANGMUKA-01", "Jaminan uang muka sebesar 100% dari nilai uang muka.", usaha_kecil=False) == []
    assert run("NUM-UANGMUKA-01", "Pengembalian uang muka dipotong 40% dari setiap termin.", usaha_kecil=False) == []
    tiers = "Uang muka paling tinggi 30% untuk usaha kecil, 20% untuk usaha non-kecil, dan 15% untuk kontrak tahun jamak."
    assert run("NUM-UANGMUKA-01", tiers, usaha_kecil=False) == []


def test_jaminan_pelaksanaan_rate_and_offer_bands():
    assert len(run("NUM-JAMLAK-01", "Penyedia menyerahkan jaminan pelaksanaan sebesar 10% dari nilai kontrak.")) == 1
    ok = ("Jaminan pelaksanaan sebesar 5% dari nilai kontrak untuk penawaran terkoreksi antara 80% "
          "sampai dengan 100% dari nilai HPS.")
    assert run("NUM-JAMLAK-01", ok) == []


def test_jaminan_pelaksanaan_rate_in_words():
    assert len(run("NUM-JAMLAK-01", "Penyedia menyerahkan jaminan pelaksanaan sebesar dua setengah persen dari Nilai Kontrak.")) == 1
    assert run("NUM-JAMLAK-01", "Penyedia menyerahkan jaminan pelaksanaan sebesar lima persen dari Nilai Kontrak.") == []


def test_jaminan_pelaksanaan_in_consultancy():
    text = "Konsultan wajib menyerahkan jaminan pelaksanaan sebelum penandatanganan kontrak."
    assert len(run("NUM-JAMLAK-02", text, jenis_pengadaan="jasa_konsultansi")) == 1
    assert run("NUM-JAMLAK-02", text, jenis_pengadaan="barang") == []
    assert run("NUM-JAMLAK-02", "Jaminan pelaksanaan tidak dipersyaratkan.", jenis_pengadaan="jasa_konsultansi") == []


def test_retensi():
    assert len(run("NUM-RETENSI-01", "Retensi sebesar 10% ditahan sampai masa pemeliharaan berakhir.")) == 1
    assert run("NUM-RETENSI-01", "Pembayaran 95% setelah PHO dan retensi 5% setelah FHO.") == []


def test_adendum_ratio_and_clauses():
    over = "Adendum II mengubah nilai kontrak dari Rp 2.000.000.000,00 menjadi Rp 2.250.000.000,00."
    f = run("NUM-ADENDUM-01", over)
    assert len(f) == 1 and "12,5%" in f[0].message
    assert run("NUM-ADENDUM-01", "Adendum I mengubah nilai kontrak dari Rp 2.000.000.000,00 menjadi Rp 2.180.000.000,00.") == []
    assert len(run("NUM-ADENDUM-01", "Perubahan kontrak dapat menambah nilai kontrak paling banyak 25% dari nilai awal.")) == 1
    assert run("NUM-ADENDUM-01", "Penambahan nilai kontrak akhir tidak melebihi 10% dari harga kontrak awal.") == []


def test_an_addendum_over_the_cap_also_quotes_the_row_of_its_net_addition(tmp_path):
    from reviewer.checks import DOCUMENT_CHECKS, load_checks
    from reviewer.docgen import write_document
    from reviewer.ingest import load
    load_checks()
    blocks = [{"h": "ADENDUM I SURAT PERJANJIAN", "level": 0},
              {"table": [["Uraian", "Nilai (Rp)"], ["Nilai Kontrak awal", "1.000.000.000"],
                         ["Pekerjaan kurang", "(20.000.000)"], ["Pekerjaan tambah", "170.000.000"],
                         ["Selisih tambah", "150.000.000"], ["Nilai Kontrak setelah Adendum I", "1.150.000.000"]],
               "header": True},
              {"p": "Dengan demikian Nilai Kontrak berubah dari Rp 1.000.000.000,- menjadi Rp 1.150.000.000,-."}]
    path = write_document({"name": "kontrak-adendum", "format": "docx", "blocks": blocks}, tmp_path)
    rule = RULES["NUM-ADENDUM-01"]
    found = DOCUMENT_CHECKS[rule.check](rule, analyze(load(path), doc_type="kontrak"))
    assert len(found) == 1 and "berubah dari" in found[0].evidence and "15%" in found[0].message
    assert [r["evidence"] for r in found[0].related] == ["Selisih tambah | 150.000.000"]


# --- PPN ----------------------------------------------------------------------------------------

def test_ppn_rate_depends_on_budget_year():
    text = "Harga sudah termasuk PPN 10%."
    f = run("NUM-PPN-01", text, tahun_anggaran=2025)
    assert len(f) == 1 and f[0].message.startswith("Periksa") and f[0].confidence == "perlu-cek"
    assert run("NUM-PPN-01", text, tahun_anggaran=2020) == []
    assert run("NUM-PPN-01", "Harga termasuk PPN 11%.", tahun_anggaran=2024) == []
    assert run("NUM-PPN-01", "PPN 12% dikenakan atas DPP nilai lain sebesar 11/12 dari harga jual.", tahun_anggaran=2025) == []


def test_ppn_amount_in_a_text_recap():
    recap = ("REKAPITULASI\nJumlah sebelum PPN Rp 45.250.000,00\nPPN 11% Rp 4.525.000,00\n"
             "Total Rp 49.775.000,00")
    found = run("NUM-PPN-01", recap, doc_type="hps", tahun_anggaran=2025)
    assert len(found) == 1 and found[0].evidence == "PPN 11% Rp 4.525.000,00"
    good = recap.replace("4.525.000,00", "4.977.500,00").replace("49.775.000", "50.227.500")
    assert run("NUM-PPN-01", good, doc_type="hps", tahun_anggaran=2025) == []


@pytest.mark.parametrize("text", [
    "Denda harian dihitung dari harga bagian pekerjaan sebelum PPN, paling banyak 5% dari nilai kontrak.",
    "Dasar denda adalah nilai kontrak tidak termasuk PPN; jaminan pelaksanaan 5% dari nilai kontrak.",
    "Harga penawaran belum termasuk PPN, sedangkan uang muka 20% dibayar setelah jaminan diterima.",
])
def test_ppn_words_without_a_rate_are_no_rate_finding(text):
    assert run("NUM-PPN-01", text, tahun_anggaran=2026) == []


@pytest.mark.parametrize("text,shown", [
    ("Harga termasuk Pajak Pertambahan Nilai (PPN) dengan tarif 10 persen.", "10 persen"),
    ("Nilai penawaran ditambah PPN sebesar 10% menjadi harga kontrak.", "PPN sebesar 10%"),
    ("Nilai kontrak termasuk PPN (10%) adalah Rp 80.000.000,00.", "PPN (10%)"),
    ("Harga di atas sudah ditambah 10% PPN.", "10% PPN"),
])
def test_ppn_rate_written_in_several_ways(text, shown):
    found = run("NUM-PPN-01", text, tahun_anggaran=2026)
    assert len(found) == 1 and shown in found[0].message


# --- terbilang ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Nilai kontrak Rp 1.250.000,00 (satu juta dua ratus lima ribu rupiah).",
    "Nilai HPS Rp 6,800,000.00 (enam juta tujuh ratus ribu rupiah).",
    "Uang muka 20% (dua puluh lima persen) dari nilai kontrak.",
    "Jangka waktu 30 (tiga belas) hari kalender.",
    "TOTAL DIBULATKAN Rp 49,775,000.00\nTERBILANG : EMPAT PULUH SEMBILAN JUTA TUJUH RATUS RIBU RUPIAH",
    "Pemasangan paving block seluas 150 m2 (seratus enam puluh meter persegi) di halaman.",
])
def test_terbilang_mismatch(text):
    assert len(run("NUM-TERBILANG-01", text)) == 1


@pytest.mark.parametrize("text", [
    "Nilai kontrak Rp 1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah).",
    "Nilai HPS Rp 6,800,000.00 (enam juta delapan ratus ribu rupiah).",
    "Uang muka 20% (dua puluh persen) dari nilai kontrak dan jangka waktu 30 (tiga puluh) hari kalender.",
    "TOTAL DIBULATKAN Rp 49,775,000.00\nTERBILANG : EMPAT PULUH SEMBILAN JUTA TUJUH RATUS TUJUH PULUH LIMA RIBU RUPIAH",
    # the unit between the figure and its words: the "2" of m2 is not the figure
    "Pemasangan paving block seluas 150 m2 (seratus lima puluh meter persegi) di halaman.",
])
def test_terbilang_match(text):
    assert run("NUM-TERBILANG-01", text) == []


WORDS_ONLY_CONTRACT = ("SURAT PERJANJIAN\nPasal 2\nNilai Kontrak termasuk PPN adalah sebesar {words} rupiah, "
                       "dengan rincian pada Lampiran.\nLAMPIRAN I RINCIAN NILAI KONTRAK\nNo | Uraian | Jumlah (Rp)\n"
                       "1 | Upah petugas | 308.558.559\n| PPN 11% | 33.941.441\n| Nilai Kontrak | 342.500.000\n")


def test_a_value_in_words_only_is_checked_against_the_figure_of_the_annex_table():
    # the figure has no "Rp" of its own: the table's Nilai Kontrak row gives it
    swapped = WORDS_ONLY_CONTRACT.format(words="tiga ratus dua puluh empat juta lima ratus ribu")
    found = run("NUM-TERBILANG-01", swapped)
    assert len(found) == 1 and "Rp342.500.000" in found[0].message, found
    same = WORDS_ONLY_CONTRACT.format(words="tiga ratus empat puluh dua juta lima ratus ribu")
    assert run("NUM-TERBILANG-01", same) == []


# --- thresholds -------------------------------------------------------------------------------

def test_method_threshold_by_jenis_and_year():
    text = "Pekerjaan dilaksanakan melalui pengadaan langsung dengan nilai HPS Rp 300.000.000,00."
    konstruksi = dict(metode="pengadaan_langsung", jenis_pengadaan="pekerjaan_konstruksi", nilai_hps=300_000_000)
    assert run("NUM-METODE-02", text, "kak", tahun_anggaran=2026, **konstruksi) == []
    old = run("NUM-METODE-02", text, "kak", tahun_anggaran=2023, **konstruksi)
    assert len(old) == 1 and old[0].message.startswith("Periksa")
    barang = dict(metode="pengadaan_langsung", jenis_pengadaan="barang", nilai_hps=300_000_000)
    found = run("NUM-METODE-01", text, "kak", **barang)
    assert len(found) == 1 and "pengadaan langsung" in found[0].evidence
    assert run("NUM-METODE-01", text, "kak", metode="tender", jenis_pengadaan="barang", nilai_hps=300_000_000) == []


def test_contract_form():
    spk = "SURAT PERINTAH KERJA (SPK)\nPekerjaan: Pengadaan Mobil Ambulans\nNilai kontrak Rp 780.000.000,00."
    found = run("NUM-BENTUK-01", spk, jenis_pengadaan="barang", nilai_kontrak=780_000_000)
    assert len(found) == 1 and found[0].evidence.startswith("SURAT PERINTAH KERJA")
    assert run("NUM-BENTUK-01", spk, jenis_pengadaan="barang", nilai_kontrak=180_000_000) == []
    sp = "SURAT PERJANJIAN\nPekerjaan: Pengadaan ATK\nNilai kontrak Rp 12.000.000,00."
    assert len(run("NUM-BENTUK-03", sp, jenis_pengadaan="barang", nilai_kontrak=12_000_000)) == 1
    assert run("NUM-BENTUK-01", sp, jenis_pengadaan="barang", nilai_kontrak=12_000_000) == []


def test_bid_bond():
    text = "Peserta wajib menyerahkan jaminan penawaran sebesar 2% dari nilai total HPS."
    assert len(run("NUM-JAMPEN-01", text, "dokumen_pemilihan", jenis_pengadaan="barang", nilai_hps=2e10)) == 1
    assert len(run("NUM-JAMPEN-01", text, "dokumen_pemilihan", jenis_pengadaan="pekerjaan_konstruksi", nilai_hps=5e9)) == 1
    assert run("NUM-JAMPEN-01", text, "dokumen_pemilihan", jenis_pengadaan="pekerjaan_konstruksi", nilai_hps=2e10) == []
    assert run("NUM-JAMPEN-01", "Jaminan penawaran tidak diperlukan.", "dokumen_pemilihan",
               jenis_pengadaan="barang", nilai_hps=5e8) == []


def test_budget_year():
    crossing = ("Jangka waktu pelaksanaan 75 (tujuh puluh lima) hari kalender terhitung mulai tanggal "
                "1 November 2025.")
    found = run("NUM-TA-01", crossing, tahun_anggaran=2025)
    assert len(found) == 1 and "2026" in found[0].message
    assert run("NUM-TA-01", crossing, tahun_anggaran=2025, tahun_jamak=True) == []
    assert run("NUM-TA-01", crossing.replace("75 (tujuh puluh lima)", "45 (empat puluh lima)"), tahun_anggaran=2025) == []
    assert run("NUM-TA-01", "Pemberian kesempatan penyelesaian pekerjaan sampai dengan 31 Januari 2026.",
               tahun_anggaran=2025) == []
    assert len(run("NUM-TA-01", "Pekerjaan harus selesai paling lambat 10/01/2026.", tahun_anggaran=2025)) == 1


def test_budget_year_with_dates_in_words():
    words = ("Jangka waktu pelaksanaan adalah dua belas bulan, terhitung sejak tanggal satu Maret dua ribu "
             "dua puluh enam sampai dengan tanggal dua puluh delapan Februari dua ribu dua puluh tujuh.")
    found = run("NUM-TA-01", words, tahun_anggaran=2026)
    assert len(found) == 1 and "2026" in found[0].message
    within = words.replace("dua puluh delapan Februari dua ribu dua puluh tujuh", "tiga puluh Desember dua ribu dua puluh enam")
    assert run("NUM-TA-01", within, tahun_anggaran=2026) == []
    assert numbers.parse_dates("tanggal tiga puluh satu Januari dua ribu dua puluh tujuh")[0][0].isoformat() == "2027-01-31"
    assert numbers.parse_dates("tanggal tiga puluh Februari dua ribu dua puluh enam") == []  # no such day


def test_budget_year_finding_also_quotes_a_milestone_dated_past_the_year():
    text = ("Jangka waktu pelaksanaan 200 (dua ratus) hari kalender terhitung sejak tanggal 1 Juli 2026.\n"
            "Laporan pendahuluan diserahkan paling lambat 31 Juli 2026.\n"
            "Laporan akhir diserahkan paling lambat 16 Januari 2027.\n")
    found = run("NUM-TA-01", text, tahun_anggaran=2026)
    assert len(found) == 1 and found[0].evidence.startswith("Jangka waktu")
    assert [r["evidence"] for r in found[0].related] == ["Laporan akhir diserahkan paling lambat 16 Januari 2027."]


def test_budget_year_finding_quotes_where_the_budget_year_is_stated():
    """The event is dated 2026; it overruns only because the DPA named in another sentence is of 2025."""
    text = ("Biaya kegiatan dibebankan pada DPA Dinas Pariwisata Tahun Anggaran 2025.\n"
            "Festival dilaksanakan pada tanggal 3 s.d. 5 Maret 2026 di alun-alun kota.\n")
    found = run("NUM-TA-01", text, doc_type="kak")
    assert len(found) == 1 and found[0].evidence.startswith("Festival")
    assert [r["evidence"] for r in found[0].related] == ["Biaya kegiatan dibebankan pada DPA Dinas Pariwisata Tahun Anggaran 2025."]


def test_budget_year_from_a_planned_start_in_the_same_sentence():
    text = ("Waktu pelaksanaan 100 (seratus) hari kalender terhitung sejak penandatanganan kontrak yang "
            "direncanakan pada 1 Oktober 2026.")
    assert len(run("NUM-TA-01", text, tahun_anggaran=2026)) == 1
    assert run("NUM-TA-01", text.replace("100 (seratus)", "60 (enam puluh)"), tahun_anggaran=2026) == []


def test_budget_year_from_a_start_planned_for_a_week_says_from_which_day_it_overruns():
    """1 to 7 August plus 150 days ends between 28 December and 3 January: it overruns unless the
    contract is signed by 4 August, which the finding says; 140 days never overrun."""
    text = ("Jangka waktu pelaksanaan adalah 150 (seratus lima puluh) hari kalender sejak tanggal "
            "penandatanganan kontrak. Penandatanganan kontrak direncanakan pada minggu pertama bulan Agustus 2026.")
    found = run("NUM-TA-01", text, tahun_anggaran=2026)
    assert len(found) == 1 and "dapat melewati" in found[0].message and "04-08-2026" in found[0].message
    assert run("NUM-TA-01", text.replace("150 (seratus lima puluh)", "140 (seratus empat puluh)"),
               tahun_anggaran=2026) == []
    late = text.replace("minggu pertama bulan Agustus", "minggu ketiga bulan Agustus")
    found = run("NUM-TA-01", late, tahun_anggaran=2026)
    assert len(found) == 1 and "paling cepat" in found[0].message  # 15 August + 150 days is 2027


# --- HPS arithmetic ------------------------------------------------------------------------------

HPS_ROWS = [
    ["No", "Uraian", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah Harga (Rp)"],
    ["A", "Pekerjaan Persiapan", "", "", "", ""],
    ["1", "Pembersihan lokasi", "250", "m2", "12.500,00", "3.125.000,00"],
    ["2", "Pengukuran dan bouwplank", "1", "ls", "2.750.000,00", "2.750.000,00"],
    ["", "Sub Total A", "", "", "", "5.875.000,00"],
    ["B", "Pekerjaan Tanah", "", "", "", ""],
    ["1", "Galian tanah pondasi", "42,5", "m3", "95.000,00", "4.037.500,00"],
    ["2", "Urugan pasir bawah pondasi", "6,8", "m3", "310.000,00", "2.108.000,00"],
    ["", "Sub Total B", "", "", "", "6.145.500,00"],
    ["", "Jumlah A + B", "", "", "", "12.020.500,00"],
    ["", "PPN 11%", "", "", "", "1.322.255,00"],
    ["", "Jumlah Total", "", "", "", "13.342.755,00"],
    ["", "Dibulatkan", "", "", "", "13.342.000,00"],
]


def hps_doc(rows: list[list[str]], values: list[list] | None = None) -> DocContext:
    """A document with one table, built by hand the way the ingesters build PDF/XLSX tables."""
    text_rows = [" | ".join(r) for r in rows]
    text = "HARGA PERKIRAAN SENDIRI\n" + "\n".join(text_rows) + "\n"
    blocks, pos = [], len("HARGA PERKIRAAN SENDIRI\n")
    for i, line in enumerate(text_rows):
        blocks.append(Block("table_row", pos, pos + len(line), 1, table=0, row=i, cells=rows[i]))
        pos += len(line) + 1
    table = Table(page=1, rows=rows, start=blocks[0].start, end=blocks[-1].end, values=values,
                  row_blocks=list(range(len(rows))))
    doc = Document(name="hps.xlsx" if values else "hps.pdf", format="xlsx" if values else "pdf",
                   text=text, blocks=blocks, tables=[table])
    return DocContext(document=doc, clauses=[], doc_type="hps")


def check(ctx: DocContext):
    return hps_math.hps_arithmetic(RULES["NUM-ARITMETIKA-01"], ctx)


def edited(changes: dict[tuple[int, int], str]) -> list[list[str]]:
    rows = [list(r) for r in HPS_ROWS]
    for (r, c), v in changes.items():
        rows[r][c] = v
    return rows


def test_correct_hps_has_no_finding():
    assert check(hps_doc(HPS_ROWS)) == []


def test_row_error_carried_into_subtotal_and_total_is_one_finding_at_the_row():
    # 42,5 x 95.000 = 4.037.500 but the row says 4.307.500; subtotal, PPN and totals follow the wrong row
    rows = edited({(6, 5): "4.307.500,00", (8, 5): "6.415.500,00", (9, 5): "12.290.500,00",
                   (10, 5): "1.351.955,00", (11, 5): "13.642.455,00", (12, 5): "13.642.000,00"})
    found = check(hps_doc(rows))
    assert len(found) == 1
    assert found[0].evidence == " | ".join(rows[6])
    assert "Rp4.037.500" in found[0].message and found[0].page == 1


def test_row_error_with_totals_from_the_correct_figures_is_still_one_finding():
    found = check(hps_doc(edited({(6, 5): "4.307.500,00"})))
    assert len(found) == 1 and "Galian" in found[0].evidence


def test_wrong_subtotal_ppn_total_and_rounding_are_each_reported():
    assert ["Sub Total B" in f.evidence for f in check(hps_doc(edited({(8, 5): "6.154.500,00", (9, 5): "12.029.500,00",
                                                                         (10, 5): "1.323.245,00", (11, 5): "13.352.745,00",
                                                                         (12, 5): "13.352.000,00"})))] == [True]
    wrong_ppn = hps_doc(edited({(10, 5): "1.302.050,00", (11, 5): "13.322.550,00", (12, 5): "13.322.000,00"}))
    wrong_ppn.facts = {}
    assert check(wrong_ppn) == []  # a wrong PPN row is a PPN finding
    assert ["PPN" in f.evidence for f in numbers.ppn_rate(RULES["NUM-PPN-01"], wrong_ppn)] == [True]
    assert ["Jumlah Total" in f.evidence for f in check(hps_doc(edited({(11, 5): "13.432.755,00",
                                                                          (12, 5): "13.342.000,00"})))] == [True]
    up = check(hps_doc(edited({(12, 5): "13.343.000,00"})))
    assert len(up) == 1 and "lebih besar" in up[0].message
    far = check(hps_doc(edited({(12, 5): "13.300.000,00"})))
    assert len(far) == 1 and "satuan pembulatan" in far[0].message


def test_english_style_money_and_cents_tolerance():
    rows = [["No", "Uraian", "Vol", "Satuan", "Harga Satuan", "Jumlah"],
            ["1", "Sewa laptop", "4", "unit/bulan", "500,000.00", "2,000,000.00"],
            ["2", "Kertas A4", "3", "rim", "54,999.67", "164,999.00"],  # cents rounded to the rupiah
            ["", "Jumlah", "", "", "", "2,164,999.00"],
            ["", "PPN 11%", "", "", "", "238,149.89"],
            ["", "Total", "", "", "", "2,403,148.89"]]
    assert check(hps_doc(rows)) == []
    rows[1][5] = "2,500,000.00"
    assert len(check(hps_doc(rows))) == 1


def test_xlsx_typed_values_are_used():
    rows = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan", "Jumlah Harga"],
            ["1", "Toner", "6", "pcs", "1250000", "7500000"],
            ["", "Jumlah", "", "", "", "7500000"],
            ["", "PPN 11%", "", "", "", "825000"]]
    values = [[None] * 6, [1, "Toner", 6, "pcs", 1_250_000, 7_600_000], [None, "Jumlah", None, None, None, 7_600_000],
              [None, "PPN 11%", None, None, None, 836_000]]
    found = check(hps_doc(rows, values))
    assert len(found) == 1 and "Toner" in found[0].evidence  # the typed 7.600.000 is checked, not the text


def test_plain_text_pipe_table_through_the_pipeline():
    text = ("RINCIAN HPS\nNo | Uraian | Volume | Satuan | Harga Satuan | Jumlah Harga\n"
            "1 | Kursi kerja | 10 | unit | 1.250.000,00 | 12.500.000,00\n"
            "2 | Meja kerja | 10 | unit | 2.100.000,00 | 21.500.000,00\n"
            "| Jumlah | | | | 34.000.000,00\n| PPN 11% | | | | 3.740.000,00\n| Total | | | | 37.740.000,00\n")
    found = check(ctx_of(text, "hps"))
    assert len(found) == 1 and "Meja kerja" in found[0].evidence


def test_hps_tables_are_not_double_counted_by_the_ppn_check():
    # a row error carried into the PPN row is one finding at the row, none at the PPN row
    rows = edited({(6, 5): "4.307.500,00", (8, 5): "6.415.500,00", (9, 5): "12.290.500,00",
                   (10, 5): "1.351.955,00", (11, 5): "13.642.455,00", (12, 5): "13.642.000,00"})
    ctx = hps_doc(rows)
    ctx.facts = {}
    assert numbers.ppn_rate(RULES["NUM-PPN-01"], ctx) == []
    assert len(check(ctx)) == 1


def test_a_ppn_row_computed_at_another_rate_is_a_ppn_finding_not_an_arithmetic_one():
    # "PPN 11%" whose amount is exactly 10% of the sum: the rate is wrong, reported once, by NUM-PPN-01
    rows = edited({(10, 5): "1.202.050,00", (11, 5): "13.222.550,00", (12, 5): "13.222.000,00"})
    ctx = hps_doc(rows)
    ctx.facts = {}
    assert check(ctx) == []
    found = numbers.ppn_rate(RULES["NUM-PPN-01"], ctx)
    assert len(found) == 1 and "PPN" in found[0].evidence and "10%" in found[0].message


def test_terbilang_skips_a_figure_cut_off_by_the_text_layer():
    # a PDF text layer that lost the end of the figure ("Rp 49,775,") must not read as Rp49.775
    cut = "BIAYA TOTAL Rp 49,775,\nTERBILANG : EMPAT PULUH SEMBILAN JUTA TUJUH RATUS TUJUH PULUH LIMA RIBU RUPIAH"
    assert run("NUM-TERBILANG-01", cut, "hps") == []


def test_a_row_without_a_readable_jumlah_makes_the_sums_unverifiable_not_wrong():
    rows = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan", "Jumlah Harga"],
            ["1", "Toner", "6", "pcs", "1.250.000", "7.500.000"],
            ["2", "Kertas A4", "20", "rim", "55.000", ""],  # an uncached formula in the source sheet
            ["", "Jumlah", "", "", "", "8.600.000"]]
    assert check(hps_doc(rows)) == []


# --- fractions and their words ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Denda keterlambatan ditetapkan 1/1000 (satu per seribu) dari harga bagian pekerjaan per hari.",
    "Denda harian 1/1000 (seperseribu) dari nilai kontrak.",
    "Denda harian 1/1000 (satu perseribu) dari nilai kontrak.",
    "Denda harian 1‰ (satu permil) dari nilai kontrak.",
    "Denda harian 1 ‰ (satu per mil) dari nilai kontrak.",
    "Biaya provisi 0,1% (nol koma satu persen) dari nilai jaminan.",
    "Biaya provisi 0,1% (satu per seribu) dari nilai jaminan.",
    "Angsuran bulanan 1/12 (satu per dua belas) dari nilai kontrak setahun.",
    "Potongan 1/100 (satu per seratus) dari nilai tagihan.",
    "Pajak 2% (dua per seratus) dari nilai pembayaran.",
])
def test_terbilang_compares_fractions_as_fractions(text):
    assert run("NUM-TERBILANG-01", text) == []


@pytest.mark.parametrize("text,said", [
    ("Denda keterlambatan 1/1000 (satu per seratus) dari nilai kontrak per hari.", "(= 0,01)"),
    ("Potongan 1/100 (satu per seribu) dari nilai tagihan.", "(= 0,001)"),
    ("Denda harian 3‰ (satu permil) dari nilai kontrak.", "(= 1‰)"),
    ("Biaya provisi 0,5% (nol koma satu persen) dari nilai jaminan.", "(= 0,1%)"),
    ("Angsuran bulanan 1/12 (satu per sepuluh) dari nilai kontrak setahun.", "(= 0,1)"),
])
def test_terbilang_flags_a_fraction_that_disagrees(text, said):
    found = run("NUM-TERBILANG-01", text)
    assert len(found) == 1 and said in found[0].message


# --- HPS layout: title and preamble rows above the header ---------------------------------------

PREAMBLE_ROWS = [
    ["HARGA PERKIRAAN SENDIRI", "", "", "", "", ""],
    ["Satuan Kerja", "Puskesmas Tanjung Sari", "", "", "", ""],
    ["Pekerjaan", "Pengadaan Bahan Habis Pakai Laboratorium", "", "", "", ""],
    ["Sumber Dana", "BLUD Tahun Anggaran 2026", "", "", "", ""],
    ["No", "Nama Barang", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah Harga (Rp)"],
    ["1", "Tabung reaksi kaca 10 ml", "300", "buah", "4.500", "1.350.000"],
    ["2", "Sarung tangan nitril", "40", "kotak", "95.000", "3.900.000"],
    ["", "JUMLAH", "", "", "", "5.250.000"],
    ["Terbilang: lima juta dua ratus lima puluh ribu rupiah", "", "", "", "", ""],
]


def test_header_below_a_title_and_preamble_rows_is_found():
    found = check(hps_doc(PREAMBLE_ROWS))
    assert len(found) == 1 and "Sarung tangan nitril" in found[0].evidence
    assert "Rp3.800.000" in found[0].message
    cols = hps_math.hps_tables(hps_doc(PREAMBLE_ROWS))[0][1]
    assert (cols.header_start, cols.header_rows, cols.label) == (4, 5, 1)


DISCOUNT_ROWS = [
    ["No", "Uraian Barang", "Volume", "Satuan", "Harga Satuan (Rp)", "Diskon (%)", "Harga Setelah Diskon (Rp)", "Jumlah (Rp)"],
    ["1", "Benih jagung hibrida 5 kg", "120", "kantong", "400.000", "5", "380.000", "45.600.000"],
    ["2", "Gunting pangkas", "30", "buah", "85.000", "10", "76.500", "2.295.000"],
    ["", "JUMLAH", "", "", "", "", "", "47.895.000"],
]


def test_a_discount_column_multiplies_the_net_price():
    """Volume times the price after discount is the row's amount; only the wrong row is flagged."""
    assert check(hps_doc(DISCOUNT_ROWS)) == []
    rows = [list(r) for r in DISCOUNT_ROWS]
    rows[1][7], rows[3][7] = "45.000.000", "47.295.000"  # 120 x 380.000 is 45.600.000
    found = check(hps_doc(rows))
    assert len(found) == 1 and "Benih jagung" in found[0].evidence


QUOTES_ROWS = [
    ["No", "Uraian Barang", "Vol", "Sat", "Toko Maju (Rp)", "CV Sentosa (Rp)", "PT Andalan (Rp)",
     "Harga Rata-rata (Rp)", "Jumlah (Rp)"],
    ["1", "Pompa celup 1 HP", "6", "unit", "3.100.000", "3.250.000", "3.175.000", "3.175.000", "19.050.000"],
    ["2", "Pipa HDPE 2 inci", "40", "batang", "410.000", "395.000", "400.000", "401.667", "16.066.680"],
    ["", "JUMLAH", "", "", "", "", "", "", "35.116.680"],
]


def test_the_average_of_several_quotes_is_the_price_the_volume_multiplies():
    """Three supplier quotes side by side: the row amount is volume times their average, not
    times the first quote."""
    assert check(hps_doc(QUOTES_ROWS)) == []
    rows = [list(r) for r in QUOTES_ROWS]
    rows[1][8], rows[3][8] = "19.500.000", "35.566.680"  # 6 x 3.175.000 is 19.050.000
    found = check(hps_doc(rows))
    assert len(found) == 1 and "Pompa celup" in found[0].evidence
    assert "Rp19.050.000" in found[0].message



def test_a_sum_short_by_exactly_one_row_names_that_row():
    """A SUM range that stops a row early: the total is flagged and the row it left out is quoted."""
    rows = [list(r) for r in QUOTES_ROWS]
    rows[3][8] = "19.050.000"  # leaves out the 16.066.680 of the pipes
    found = check(hps_doc(rows))
    assert len(found) == 1 and "JUMLAH" in found[0].evidence
    assert "Pipa HDPE 2 inci" in found[0].message and "tidak ikut dijumlahkan" in found[0].message
    assert [r["evidence"] for r in found[0].related] == [" | ".join(QUOTES_ROWS[2])]
    rows[3][8] = "19.000.000"  # short by an amount no row has: no row is named
    found = check(hps_doc(rows))
    assert len(found) == 1 and found[0].related == [] and "tidak ikut" not in found[0].message


def test_a_recap_of_locations_is_summed_too():
    rows = [["No", "Lokasi", "Lembar", "Jumlah (Rp)"],
            ["1", "Desa Mekar", "Lok-1", "100.000.000"],
            ["2", "Desa Jaya", "Lok-2", "50.000.000"],
            ["", "JUMLAH SELURUH LOKASI", "", "150.000.000"],
            ["", "PPN 11%", "", "16.500.000"],
            ["", "TOTAL HPS", "", "166.500.000"]]
    assert check(hps_doc(rows)) == []
    rows[3][3], rows[4][3], rows[5][3] = "100.000.000", "11.000.000", "111.000.000"
    found = check(hps_doc(rows))
    assert len(found) == 1 and "Desa Jaya" in found[0].message

OVERHEAD_COLUMN_ROWS = [
    ["No", "Uraian Pekerjaan", "Volume", "Satuan", "Harga Dasar (Rp)", "Overhead & Profit 15%",
     "Harga Satuan (Rp)", "Jumlah Harga (Rp)"],
    ["1", "Galian tanah biasa", "120", "m3", "80.000", "12.000", "92.000", "11.040.000"],
    ["2", "Pasangan batu kali 1:4", "45", "m3", "1.100.000", "165.000", "1.265.000", "56.925.000"],
    ["", "JUMLAH", "", "", "", "", "", "67.965.000"],
]


def test_a_unit_price_built_from_base_and_overhead_columns_must_add_up():
    """The unit price is the base price plus its stated overhead; a mistyped unit price is found
    at its row even when the row's own product and the totals below agree with it."""
    assert check(hps_doc(OVERHEAD_COLUMN_ROWS)) == []
    rows = [list(r) for r in OVERHEAD_COLUMN_ROWS]
    rows[2][6], rows[2][7], rows[3][7] = "1.256.000", "56.520.000", "67.560.000"  # 1.100.000 + 165.000
    found = check(hps_doc(rows))
    assert len(found) == 1 and "Pasangan batu" in found[0].evidence
    assert "Rp1.265.000" in found[0].message
    rows = [list(r) for r in OVERHEAD_COLUMN_ROWS]
    rows[1][5], rows[1][6], rows[1][7], rows[3][7] = "21.000", "101.000", "12.120.000", "69.045.000"
    found = check(hps_doc(rows))  # 15% of 80.000 is 12.000
    assert len(found) == 1 and "Galian" in found[0].evidence and "Rp12.000" in found[0].message


OVERHEAD_ROWS = [
    ["No", "Uraian", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah (Rp)"],
    ["1", "Sewa ruang pertemuan", "2", "hari", "12.000.000", "24.000.000"],
    ["2", "Paket rapat sehari penuh", "300", "OH", "150.000", "45.000.000"],
    ["A", "Jumlah biaya langsung (1 s.d. 2)", "", "", "", "69.000.000"],
    ["B", "Biaya umum dan keuntungan 10% x A", "", "", "", "6.900.000"],
    ["C", "Jumlah sebelum pajak (A + B)", "", "", "", "75.900.000"],
    ["D", "PPN 11% x C", "", "", "", "8.349.000"],
    ["E", "TOTAL HPS (C + D)", "", "", "", "84.249.000"],
]


def test_a_subtotal_that_adds_an_overhead_line_to_the_subtotal_above():
    assert check(hps_doc(OVERHEAD_ROWS)) == []
    rows = [list(r) for r in OVERHEAD_ROWS]
    rows[5][5] = "76.900.000"  # A + B is 75.900.000
    found = check(hps_doc(rows))
    assert found and "C" in found[0].evidence.split("|")[0]


def test_rounding_down_a_large_total_to_a_thousandth_is_allowed_but_not_more():
    rows = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah (Rp)"],
            ["1", "Mobile file 4 kompartemen", "10", "unit", "49.920.000", "499.200.000"],
            ["", "JUMLAH", "", "", "", "499.200.000"],
            ["", "PPN 11%", "", "", "", "54.912.000"],
            ["", "TOTAL", "", "", "", "554.112.000"],
            ["", "DIBULATKAN", "", "", "", "554.100.000"]]
    assert check(hps_doc(rows)) == []
    assert hps_math.rounding_unit(554_112_000, 1000) == 100_000
    assert hps_math.rounding_unit(7_958_766, 1000) == 1000
    rows[5][5] = "550.000.000"
    found = check(hps_doc(rows))
    assert len(found) == 1 and "DIBULATKAN" in found[0].evidence


def test_header_below_preamble_with_typed_xlsx_values():
    rows = [list(r) for r in PREAMBLE_ROWS]
    rows[6][5], rows[7][5] = "3.800.000", "5.150.000"
    values = [list(r) for r in rows]
    for r in (5, 6):
        values[r][2], values[r][4] = float(rows[r][2]), float(rows[r][4].replace(".", ""))
    values[5][5], values[6][5], values[7][5] = 1_350_000, 3_900_000, 5_250_000  # cached, one wrong
    found = check(hps_doc(rows, values))
    assert len(found) == 1 and "Sarung tangan nitril" in found[0].evidence


def test_a_preamble_line_with_a_total_word_is_not_taken_as_the_header():
    rows = [["RINCIAN KEBUTUHAN", "", ""],
            ["Nilai total pekerjaan", "Jenis barang habis pakai", ""],
            ["Catatan", "lihat lampiran", ""]]
    assert hps_math.find_columns([hps_math.Row(r, None, None, None, "") for r in rows]) is None


@pytest.mark.parametrize("cell,value", [
    ("24 (dua puluh empat)", 24.0),
    ("12 bulan", 12.0),
    ("450 stel", 450.0),
    ("35 m2", 35.0),
    ("6 (enam) unit", 6.0),
    ("Rp 1.150.000,-", 1150000.0),
    ("2 x 12", None),
    ("Tenaga satpam", None),
])
def test_cell_number_reads_figures_with_words_or_units(cell, value):
    assert hps_math.cell_number(cell) == value


def test_volume_cell_with_terbilang_is_checked():
    rows = [["No", "Uraian", "Kuantitas", "Harga Satuan", "Jumlah"],
            ["1", "Petugas kebersihan", "24 (dua puluh empat) OB", "3.600.000", "87.400.000"],
            ["", "Jumlah", "", "", "87.400.000"]]
    found = check(hps_doc(rows))
    assert len(found) == 1 and "Rp86.400.000" in found[0].message


def test_a_kak_estimate_of_the_cost_is_the_value_judged_against_the_method_ceiling():
    # no pagu or HPS stated: the KAK's "biaya ... diperkirakan" is the package value
    from reviewer.checks.base import reference_value
    from reviewer.classify import extract_facts
    from reviewer.review import text_document
    from reviewer.segment import segment
    doc = text_document("KERANGKA ACUAN KERJA\nJasa konsultansi perencanaan jembatan. Biaya pekerjaan "
                        "diperkirakan Rp 148.500.000,- termasuk PPN, dipilih dengan pengadaan langsung.\n"
                        "Pagu kegiatan Rp 900.000.000,00 untuk tiga paket.\n", "kak.txt")
    facts = extract_facts(doc, segment(doc), "kak")
    assert facts["perkiraan_biaya"].value == 148_500_000 and facts["pagu"].value == 900_000_000
    assert reference_value(facts) == 148_500_000  # the package's own estimate, not the kegiatan's pagu


def test_a_cost_divided_over_several_packages_is_not_judged_as_one_package():
    from reviewer.checks import DOCUMENT_CHECKS
    from reviewer.review import analyze, text_document
    from reviewer.rules import load_rulebook
    rule = load_rulebook().by_id("NUM-METODE-01")
    whole = ("KERANGKA ACUAN KERJA\nJasa kebersihan gedung kantor.\nPerkiraan biaya pekerjaan Rp 585.000.000,00.\n"
             "Metode pemilihan: Pengadaan Langsung.\n")
    ctx = analyze(text_document(whole, "kak.txt"), doc_type="kak")
    assert ctx.fact("jenis_pengadaan") == "jasa_lainnya"
    assert len(DOCUMENT_CHECKS[rule.check](rule, ctx)) == 1
    for split in ("Pekerjaan dibagi menjadi 3 (tiga) paket per gedung.",
                  "Pekerjaan dilaksanakan dalam 2 (dua) paket menurut lokasi, masing-masing Rp 292.500.000,00."):
        ctx = analyze(text_document(whole + split + "\n", "kak.txt"), doc_type="kak")
        assert DOCUMENT_CHECKS[rule.check](rule, ctx) == []
    one = whole + "Pekerjaan dilaksanakan dalam 1 (satu) paket.\n"
    assert len(DOCUMENT_CHECKS[rule.check](rule, analyze(text_document(one, "kak.txt"), doc_type="kak"))) == 1


def test_end_date_in_a_data_table_row_past_the_fiscal_year():
    table = "Tanggal Mulai Pekerjaan | 2 Agustus 2026\nTanggal Penyelesaian Pekerjaan | 29 Januari 2027\n" \
            "Sumber dana APBD Tahun Anggaran 2026.\n"
    assert len(run("NUM-TA-01", table)) == 1
    assert run("NUM-TA-01", table.replace("29 Januari 2027", "29 Desember 2026")) == []


def test_a_rounded_grand_total_row_is_judged_as_rounding():
    rows = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan", "Jumlah"],
            ["1", "Galian tanah", "10", "m3", "99.725", "997.250"],
            ["", "Jumlah", "", "", "", "997.250"],
            ["", "PPN 11%", "", "", "", "109.698"],
            ["", "TOTAL HPS (dibulatkan)", "", "", "", "1.106.000"]]
    ctx = hps_doc(rows)
    ctx.facts = {}
    assert check(ctx) == []  # 1.106.948 rounded down to the thousand
    rows[-1][5] = "1.200.000"
    assert len(check(hps_doc(rows))) == 1
    # "Total (dibulatkan)" is a total too: it rounds the sum plus PPN, not the sum before PPN
    rows[-1][1], rows[-1][5] = "Total (dibulatkan)", "1.106.000"
    assert check(hps_doc(rows)) == []
    rows[-1][5] = "1.107.000"  # rounded up
    assert len(check(hps_doc(rows))) == 1


ANALYSIS_ROWS = [
    ["ANALISA HARGA SATUAN PEKERJAAN", "", "Satuan", "Koefisien", "Harga Satuan (Rp)", "Jumlah (Rp)"],
    ["A.1", "Galian tanah biasa (per m3)", "", "", "", ""],
    ["", "Pekerja", "OH", "0,75", "110.000", "82.500"],
    ["", "Mandor", "OH", "0,025", "160.000", "4.000"],
    ["", "D. Jumlah upah dan bahan", "", "", "", "86.500"],
    ["", "E. Biaya Umum dan Keuntungan (15% x D)", "", "", "", "12.975"],
    ["", "F. Harga Satuan Pekerjaan (D + E)", "", "", "", "99.475"],
    ["", "Dibulatkan", "", "", "", "99.500"],
    ["A.2", "Pasangan batu kali 1 PC : 4 PP (per m3)", "", "", "", ""],
    ["", "Batu kali", "m3", "1,2", "250.000", "300.000"],
    ["", "Pekerja", "OH", "1,5", "110.000", "165.000"],
    ["", "D. Jumlah upah dan bahan", "", "", "", "465.000"],
    ["", "E. Biaya Umum dan Keuntungan (15% x D)", "", "", "", "69.750"],
    ["", "F. Harga Satuan Pekerjaan (D + E)", "", "", "", "534.750"],
    ["", "Dibulatkan", "", "", "", "534.700"],
]


def test_a_unit_price_analysis_is_checked_block_by_block():
    """Each block's lines sum to its D, E is its rate of D, F = D + E, and the rounding may go up or
    down by less than the unit; nothing carries from one block into the next."""
    ctx = hps_doc(ANALYSIS_ROWS)
    assert hps_math.hps_tables(ctx)[0][1].analysis
    assert check(ctx) == []
    wrong = [list(r) for r in ANALYSIS_ROWS]
    wrong[10][5] = "156.000"    # 1,5 x 110.000 is 165.000
    wrong[12][5] = "79.750"     # 15% of 465.000 is 69.750
    messages = [f.message for f in check(hps_doc(wrong))]
    assert len(messages) == 2
    assert messages[0].startswith("Koefisien 1,5 × harga Rp110.000 = Rp165.000")
    assert "15% × Rp465.000 = Rp69.750" in messages[1]


def test_an_analysis_unit_price_line_that_is_also_the_rounding_rounds_d_plus_e():
    rows = [r for r in ANALYSIS_ROWS if r[1] != "Dibulatkan"]
    rows = [r if not r[1].startswith("F.") else ["", "F. Harga satuan pekerjaan (D + E), dibulatkan", "", "", "",
                                                  "99.500" if r[5] == "99.475" else "534.700"] for r in rows]
    assert check(hps_doc(rows)) == []
    rows[6][5] = "86.500"  # D alone, the overhead left out
    messages = [f.message for f in check(hps_doc(rows))]
    assert len(messages) == 1 and "Rp99.475" in messages[0]


def test_an_analysis_sheet_is_neither_the_hps_total_nor_a_list_of_volumes():
    from reviewer.checks.consistency import hps_items
    from reviewer.classify import extract_facts
    from reviewer.segment import segment

    boq = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah Harga (Rp)"],
           ["1", "Galian tanah biasa", "120", "m3", "99.500", "11.940.000"],
           ["", "JUMLAH", "", "", "", "11.940.000"], ["", "PPN 11%", "", "", "", "1.313.400"],
           ["", "TOTAL", "", "", "", "13.253.400"], ["", "DIBULATKAN", "", "", "", "13.253.000"]]
    ctx = hps_doc(boq)
    analysis = hps_doc(ANALYSIS_ROWS).document.tables[0]
    doc = ctx.document
    offset = len(doc.text)
    lines = [" | ".join(r) for r in ANALYSIS_ROWS]
    for i, line in enumerate(lines):
        doc.blocks.append(Block("table_row", offset, offset + len(line), 2, table=1, row=i, cells=ANALYSIS_ROWS[i]))
        offset += len(line) + 1
    doc.text += "\n".join(lines) + "\n"
    doc.tables.append(Table(page=2, rows=ANALYSIS_ROWS, start=doc.blocks[len(boq)].start, end=doc.blocks[-1].end,
                            row_blocks=list(range(len(boq), len(boq) + len(ANALYSIS_ROWS))), sheet="Analisa"))
    assert analysis.rows == ANALYSIS_ROWS
    clauses = segment(doc)
    assert extract_facts(doc, clauses, "hps")["nilai_hps"].value == 13_253_000
    ctx = DocContext(document=doc, clauses=clauses, doc_type="hps")
    assert [(i.name, i.qty) for i in hps_items(ctx)] == [("Galian tanah biasa", 120.0)]


PARTIAL_PPN_ROWS = [
    ["No", "Uraian Barang", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah (Rp)", "Status PPN"],
    ["A", "BUKU PELAJARAN (DIBEBASKAN PPN)", "", "", "", "", ""],
    ["1", "Buku teks matematika kelas 4", "300", "eksemplar", "45.000", "13.500.000", "Dibebaskan"],
    ["", "Subtotal A (tidak dikenakan PPN)", "", "", "", "13.500.000", ""],
    ["B", "BARANG KENA PPN", "", "", "", "", ""],
    ["2", "Rak buku besi 5 susun", "10", "unit", "1.200.000", "12.000.000", "Kena PPN"],
    ["", "Subtotal B (dasar pengenaan PPN)", "", "", "", "12.000.000", ""],
    ["", "PPN 11% x Subtotal B", "", "", "", "1.320.000", ""],
    ["", "TOTAL HPS (A + B + PPN)", "", "", "", "26.820.000", ""],
]


def test_ppn_charged_on_the_taxable_subtotal_only():
    """Exempt goods (books, animal feed) carry no PPN: PPN on subtotal B and a total of A + B + PPN
    add up, and a status column saying "Kena PPN" does not make an item a PPN row."""
    assert check(hps_doc(PARTIAL_PPN_ROWS)) == []
    assert hps_math.table_problems(hps_doc(PARTIAL_PPN_ROWS)) == []
    wrong = [list(r) for r in PARTIAL_PPN_ROWS]
    wrong[7][5] = "1.520.000"  # neither 11% of B nor of A + B
    problems = hps_math.table_problems(hps_doc(wrong))
    assert [p.kind for p in problems] == ["ppn"]


# a discount taken as a row under the items (DISCOUNT_ROWS above has a discount column per item)
DISCOUNT_BEFORE_PPN_ROWS = [
    ["No", "Uraian Barang", "Vol", "Sat", "Harga Satuan", "Jumlah"],
    ["1", "Kursi lipat besi", "50", "unit", "400.000", "20.000.000"],
    ["2", "Meja lipat", "10", "unit", "1.500.000", "15.000.000"],
    ["", "Jumlah", "", "", "", "35.000.000"],
    ["", "Potongan harga 5%", "", "", "", "(1.750.000)"],
    ["", "Jumlah setelah potongan", "", "", "", "33.250.000"],
    ["", "PPN 11%", "", "", "", "3.657.500"],
    ["", "Total", "", "", "", "36.907.500"],
]


def test_unit_prices_and_amounts_before_and_with_ppn_are_paired_by_their_side_of_ppn():
    rows = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan sebelum PPN", "Harga Satuan termasuk PPN 11%",
             "Jumlah sebelum PPN", "Jumlah termasuk PPN"],
            ["1", "Rak buku", "10", "unit", "2.000.000", "2.220.000", "20.000.000", "22.200.000"],
            ["2", "Meja baca", "5", "unit", "1.500.000", "1.665.000", "7.500.000", "8.325.000"],
            ["", "JUMLAH", "", "", "", "", "27.500.000", "30.525.000"],
            ["", "PPN 11%", "", "", "", "", "3.025.000", ""],
            ["", "TOTAL", "", "", "", "", "30.525.000", ""]]
    assert hps_math.table_problems(hps_doc(rows)) == []
    rows[2][6], rows[3][6] = "7.000.000", "27.000.000"
    problems = hps_math.table_problems(hps_doc(rows))
    assert problems and "Meja baca" in problems[0].row.evidence


def test_a_discount_row_reduces_the_sum_that_ppn_is_charged_on():
    assert hps_math.table_problems(hps_doc(DISCOUNT_BEFORE_PPN_ROWS)) == []
    no_after_row = [r for r in DISCOUNT_BEFORE_PPN_ROWS if "setelah" not in r[1]]
    no_after_row[4] = ["", "Diskon", "", "", "", "-1.750.000"]
    assert hps_math.table_problems(hps_doc(no_after_row)) == []
    # PPN charged on the sum before the discount, and the total that carries it
    before = [list(r) for r in DISCOUNT_BEFORE_PPN_ROWS]
    before[6][5], before[7][5] = "3.850.000", "37.100.000"
    problems = hps_math.table_problems(hps_doc(before))
    assert [p.kind for p in problems] == ["ppn"] and "33.250.000" in problems[0].message
    # a section row of concrete pavement ("rabat beton") is no discount
    paving = [list(r) for r in DISCOUNT_BEFORE_PPN_ROWS if "otongan" not in r[1] and "setelah" not in r[1]]
    paving.insert(1, ["A", "Pekerjaan Rabat Beton", "", "", "", "35.000.000"])
    paving[-2][5], paving[-1][5] = "3.850.000", "38.850.000"
    assert not any("Potongan" in p.message for p in hps_math.table_problems(hps_doc(paving)))
    # a two-column summary without items gives the PPN row nothing to be checked against
    summary = [["Uraian", "Jumlah (Rp)"], ["Harga pekerjaan sebelum PPN", "699.500.000,00"],
               ["PPN 11%", "76.945.000,00"], ["Nilai Kontrak termasuk PPN", "776.445.000,00"]]
    assert not [p for p in hps_math.table_problems(hps_doc(summary)) if "Rp0" in p.message]
    # a discount that is not its written rate
    rate = [list(r) for r in DISCOUNT_BEFORE_PPN_ROWS]
    rate[4][5] = "(1.400.000)"
    problems = hps_math.table_problems(hps_doc(rate))
    assert problems and "Potongan harga" in problems[0].message and "5%" in problems[0].message


# --- a share of the contract value --------------------------------------------------------------

PAYMENT_BLOCKS = [
    {"h": "SURAT PERJANJIAN"},
    {"p": "Nilai Kontrak termasuk PPN 11% adalah Rp840.000.000,00 (delapan ratus empat puluh juta rupiah)."},
    {"h": "Pasal 5 Cara Pembayaran"},
    {"p": "Pembayaran dilakukan per termin sesuai prestasi pekerjaan sebagai berikut:"},
    {"table": [["Tahap", "Prestasi", "Pembayaran (%)", "Jumlah (Rp)"],
               ["Termin I", "Progres 40%", "40%", "336.000.000"],
               ["Termin II", "Progres 70%", "30%", "252.000.000"],
               ["Termin III", "Serah terima", "30%", "{last}"],
               ["Jumlah", "", "100%", "840.000.000"]], "header": True},
    {"p": "Penyedia telah menyerahkan jaminan pelaksanaan sebesar 5% (lima persen) dari Nilai Kontrak, "
          "yaitu Rp{bond},00, yang berlaku sampai dengan serah terima pekerjaan."},
]


def payment_contract(tmp_path, fmt: str, last: str, bond: str):
    from reviewer.checks import DOCUMENT_CHECKS, load_checks
    from reviewer.docgen import write_document
    from reviewer.ingest import load
    load_checks()
    blocks = [{k: (v.format(last=last, bond=bond) if isinstance(v, str) else
                   [[c.format(last=last) for c in row] for row in v] if k == "table" else v)
               for k, v in b.items()} for b in PAYMENT_BLOCKS]
    path = write_document({"name": f"kontrak-bayar-{fmt}", "format": fmt, "blocks": blocks}, tmp_path)
    ctx = analyze(load(path), doc_type="kontrak")
    rule = RULES["NUM-PERSEN-01"]
    return DOCUMENT_CHECKS[rule.check](rule, ctx)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_payment_schedule_row_off_its_percentage_is_flagged_at_that_row(tmp_path, fmt):
    found = payment_contract(tmp_path, fmt, last="282.000.000", bond="42.000.000")
    assert len(found) == 1  # the Jumlah row that no longer adds up is the same mistake
    f = found[0]
    assert "Termin III" in f.evidence and "282.000.000" in f.evidence
    assert "Rp252.000.000" in f.message and "Rp282.000.000" in f.message
    assert f.category == "number.aritmetika"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_guarantee_amount_off_its_percentage_is_flagged(tmp_path, fmt):
    found = payment_contract(tmp_path, fmt, last="252.000.000", bond="24.000.000")
    assert len(found) == 1
    assert "jaminan pelaksanaan" in found[0].evidence
    assert "Rp42.000.000" in found[0].message


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_payment_schedule_and_guarantee_that_fit_are_silent(tmp_path, fmt):
    assert payment_contract(tmp_path, fmt, last="252.000.000", bond="42.000.000") == []


def test_share_without_a_stated_contract_value_is_not_judged():
    text = ("Penyedia telah menyerahkan jaminan pelaksanaan sebesar 5% (lima persen) dari Nilai Kontrak, "
            "yaitu Rp24.000.000,00.")
    assert run("NUM-PERSEN-01", text) == []


def test_share_taken_from_the_contract_value_fact_of_a_table_cell():
    text = ("SURAT PERINTAH KERJA\nUraian | Jumlah (Rp)\nHarga pekerjaan | 330.000.000\nPPN 11% | 36.300.000\n"
            "Nilai SPK | 366.300.000\n\nPenyedia menyerahkan jaminan pelaksanaan sebesar 5% (lima persen) "
            "dari nilai SPK, yaitu Rp 18.135.000,-, yang berlaku sampai serah terima.")
    found = run("NUM-PERSEN-01", text, nilai_kontrak=366_300_000)
    assert len(found) == 1 and "Rp18.315.000" in found[0].message


def _schedule(rows: str, value: str = "Rp 600.000.000") -> str:
    return (f"Nilai kontrak {value},- termasuk PPN.\nPembayaran dilakukan per termin:\n"
            "Termin | Pembayaran (%) | Jumlah (Rp)\n" + rows)


def test_payment_table_whose_percentages_do_not_add_up_to_its_total_row():
    text = _schedule("Termin I | 30% | 180.000.000\nTermin II | 30% | 180.000.000\n"
                     "Termin III | 30% | 180.000.000\nJumlah | 100% | 600.000.000\n")
    found = run("NUM-PERSEN-01", text)
    assert [f.message for f in found] == [
        "Jumlah persentase pembayaran 90% tidak sama dengan 100% yang tertulis pada baris Jumlah."]
    assert found[0].evidence.startswith("Jumlah | 100%")


def test_payment_table_total_amount_and_contract_value_are_checked_once_rows_fit():
    off_sum = _schedule("Termin I | 50% | 300.000.000\nTermin II | 50% | 300.000.000\nJumlah | 100% | 660.000.000\n")
    # the rows fit the contract value, the total row does not add them up
    assert [f.message for f in run("NUM-PERSEN-01", off_sum)] == [
        "Jumlah pembayaran per baris Rp600.000.000 tidak sama dengan Rp660.000.000 yang tertulis pada baris Jumlah."]
    other_value = _schedule("Termin I | 50% | 330.000.000\nTermin II | 50% | 330.000.000\nJumlah | 100% | 660.000.000\n")
    assert [f.message for f in run("NUM-PERSEN-01", other_value)] == [
        "Jumlah tabel pembayaran (100%) Rp660.000.000 tidak sama dengan nilai kontrak Rp600.000.000."]
    thirds = _schedule("Termin I | 33,33% | 199.980.000\nTermin II | 33,33% | 199.980.000\n"
                       "Termin III | 33,34% | 200.040.000\nJumlah | 100% | 600.000.000\n")
    assert run("NUM-PERSEN-01", thirds) == []
    whole = _schedule("Termin I | 33% | 198.000.000\nTermin II | 33% | 198.000.000\n"
                      "Termin III | 33% | 198.000.000\nJumlah | 100% | 600.000.000\n")
    assert [f.message for f in run("NUM-PERSEN-01", whole)] == [
        "Jumlah persentase pembayaran 99% tidak sama dengan 100% yang tertulis pada baris Jumlah."]


def test_a_wrong_row_is_not_reported_again_at_the_total():
    text = _schedule("Termin I | 50% | 300.000.000\nTermin II | 50% | 330.000.000\nJumlah | 100% | 630.000.000\n")
    found = run("NUM-PERSEN-01", text)
    assert len(found) == 1 and "Termin II" in found[0].evidence


def test_ppn_twelve_percent_on_dpp_nilai_lain():
    rows = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan (Rp)", "Jumlah (Rp)"],
            ["1", "Hand sprayer elektrik 16 liter", "120", "unit", "1.150.000", "138.000.000"],
            ["", "Jumlah", "", "", "", "138.000.000"],
            ["", "DPP Nilai Lain (11/12 x Jumlah)", "", "", "", "126.500.000"],
            ["", "PPN 12% x DPP Nilai Lain", "", "", "", "15.180.000"],
            ["", "TOTAL HPS (Jumlah + PPN)", "", "", "", "153.180.000"]]
    assert check(hps_doc(rows)) == []
    wrong = [list(r) for r in rows]
    wrong[3][5] = "127.500.000"
    wrong[4][5] = "15.300.000"  # 12% of the wrong DPP: the DPP row is the one problem
    messages = [f.message for f in check(hps_doc(wrong))]
    assert messages == ["DPP nilai lain Rp127.500.000 tidak sama dengan 11/12 × Rp138.000.000 = Rp126.500.000."]


def test_a_share_worked_out_in_the_sentence_is_checked_against_its_own_base():
    text = ("Pembayaran dilakukan dalam dua termin.\n"
            "Termin I: 40% x Rp 250.000.000,- = Rp 110.000.000,- setelah progres fisik 50%.\n"
            "Termin II: 60% x Rp 250.000.000,- = Rp 150.000.000,- setelah serah terima.\n")
    found = run("NUM-PERSEN-01", text)
    assert [f.message for f in found] == ["40% × Rp250.000.000 = Rp100.000.000, tetapi tertulis Rp110.000.000."]
    assert run("NUM-PERSEN-01", text.replace("110.000.000", "100.000.000")) == []


PER_ROW_PPN_ROWS = [
    ["No", "Uraian Barang", "Vol", "Sat", "Harga Satuan (Rp)", "Jumlah belum PPN (Rp)", "PPN 11% (Rp)",
     "Jumlah + PPN (Rp)"],
    ["1", "Rompi reflektif", "200", "buah", "85.000", "17.000.000", "1.870.000", "18.870.000"],
    ["2", "Helm proyek", "200", "buah", "120.000", "24.000.000", "2.640.000", "26.640.000"],
    ["", "JUMLAH", "", "", "", "41.000.000", "4.510.000", "45.510.000"],
    ["", "TOTAL HPS termasuk PPN", "", "", "", "", "", "45.510.000"],
]


def per_row_ppn(changes: dict[tuple[int, int], str]) -> DocContext:
    rows = [list(r) for r in PER_ROW_PPN_ROWS]
    for (r, c), v in changes.items():
        rows[r][c] = v
    return hps_doc(rows)


def test_a_ppn_column_per_row_is_read_as_ppn_not_as_the_row_amount():
    ctx = per_row_ppn({})
    assert check(ctx) == [] and numbers.ppn_rate(RULES["NUM-PPN-01"], ctx) == []


def test_a_row_ppn_at_another_rate_is_one_ppn_finding_at_its_row():
    # 10% of 24.000.000 under a column headed 11%; JUMLAH and TOTAL follow the row as written
    ctx = per_row_ppn({(2, 6): "2.400.000", (2, 7): "26.400.000", (3, 6): "4.270.000",
                       (3, 7): "45.270.000", (4, 7): "45.270.000"})
    ctx.facts = {}
    assert check(ctx) == []
    found = numbers.ppn_rate(RULES["NUM-PPN-01"], ctx)
    assert len(found) == 1 and "Helm" in found[0].evidence and "10%" in found[0].message


def test_a_wrong_row_amount_and_a_wrong_with_ppn_cell_in_a_per_row_ppn_table():
    # 200 x 85.000 = 17.000.000, written 18.000.000; its PPN is 11% of what is written
    wrong_row = per_row_ppn({(1, 5): "18.000.000", (1, 6): "1.980.000", (1, 7): "19.980.000",
                             (3, 5): "42.000.000", (3, 6): "4.620.000", (3, 7): "46.620.000",
                             (4, 7): "46.620.000"})
    assert ["Rompi" in f.evidence for f in check(wrong_row)] == [True]
    wrong_gross = check(per_row_ppn({(2, 7): "26.460.000"}))
    assert len(wrong_gross) == 1 and "Helm" in wrong_gross[0].evidence and "Rp26.640.000" in wrong_gross[0].message


@pytest.mark.parametrize("text", [
    "Termin I sebesar 20% setelah laporan pendahuluan, termin II sebesar 30% setelah laporan antara, "
    "dan termin III sebesar 40% setelah laporan akhir.",
    "Pembayaran: a. Termin 1: 60% setelah barang diterima; b. Termin 2: 50% setelah uji fungsi.",
])
def test_payment_terms_that_do_not_add_up_to_the_whole(text):
    found = run("NUM-TERMIN-01", text)
    assert len(found) == 1 and "bukan 100%" in found[0].message


@pytest.mark.parametrize("text", [
    # retention written with its own share
    "Termin I sebesar 45% dan termin II sebesar 50%; retensi 5% dibayar setelah masa pemeliharaan.",
    # progress thresholds, not shares
    "Termin I dibayar setelah progres mencapai 50% dan termin II setelah progres mencapai 100%.",
    # a term named elsewhere without its share: the schedule may be incomplete here
    "Termin I sebesar 30% dan termin II sebesar 30%. Termin III dibayar setelah serah terima.",
    # two terms with different shares for the same number: two schedules, not one
    "Opsi A: termin I 50%, termin II 50%. Opsi B: termin I 30%, termin II 70%.",
    "Pembayaran 2 kali: pembayaran pertama 40% dan pembayaran kedua 60%.",
])
def test_payment_terms_that_are_whole_or_cannot_be_judged(text):
    assert run("NUM-TERMIN-01", text) == []


def test_a_share_named_after_its_percentage_completes_the_terms():
    rule_text = ("Pembayaran dilakukan secara termin: termin I 50% pada kemajuan fisik 50%, termin II 45% pada "
                 "kemajuan fisik 100%, dan 5% setelah masa pemeliharaan berakhir.")
    assert run("NUM-TERMIN-01", rule_text) == []
    short = rule_text.replace("dan 5% setelah masa pemeliharaan berakhir", "dan sisanya dibayar sesuai ketentuan")
    assert len(run("NUM-TERMIN-01", short)) == 1
