"""Package consistency checks (reviewer/checks/consistency.py) on small packages of our own texts,
run through the real ingest -> segment -> classify path with the cards of corpus/rules/consistency.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from reviewer.checks import consistency
from reviewer.checks.base import DocContext
from reviewer.review import analyze, share_package_facts, text_document
from reviewer.rules import parse_rule

CARDS = Path(__file__).resolve().parent.parent / "corpus" / "rules" / "consistency.yaml"
RULES = {raw["id"]: parse_rule(raw, CARDS.name) for raw in yaml.safe_load(CARDS.read_text("utf-8"))["rules"]}

KAK = """KERANGKA ACUAN KERJA
PENGADAAN PERALATAN LABORATORIUM KOMPUTER

Pagu anggaran kegiatan sebesar Rp 400.000.000,00 bersumber dari APBD Tahun Anggaran 2025.

Nilai HPS sebesar Rp 366.300.000,00 (tiga ratus enam puluh enam juta tiga ratus ribu rupiah).

Jenis kontrak: Harga Satuan.

Jangka waktu pelaksanaan pekerjaan adalah 60 (enam puluh) hari kalender sejak SPMK.

Kebutuhan barang:
- Komputer desktop sebanyak 30 (tiga puluh) unit
- Meja komputer sebanyak 30 (tiga puluh) unit
- Switch jaringan 24 port sebanyak 2 (dua) unit
"""

HPS = """HARGA PERKIRAAN SENDIRI
No | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)
1 | Komputer desktop | 30 | unit | 9.500.000,00 | 285.000.000,00
2 | Meja komputer | 30 | unit | 1.200.000,00 | 36.000.000,00
3 | Switch jaringan 24 port | 2 | unit | 4.500.000,00 | 9.000.000,00
| Jumlah | | | | 330.000.000,00
| PPN 11% | | | | 36.300.000,00
| Total | | | | 366.300.000,00
"""

KONTRAK = """SURAT PERJANJIAN
Kontrak Harga Satuan
Paket: Pengadaan Peralatan Laboratorium Komputer

Nilai kontrak sebesar Rp 351.000.000,00 sudah termasuk PPN.

Jangka waktu pelaksanaan pekerjaan adalah 60 (enam puluh) hari kalender terhitung sejak SPMK.
"""


def package(**texts: str) -> list[DocContext]:
    contexts = []
    for doc_type, text in texts.items():
        doc = text_document(text, f"{doc_type}.txt")
        contexts.append(analyze(doc, doc_type=doc_type))
    share_package_facts(contexts)
    return contexts


def run(rule_id: str, docs: list[DocContext]):
    rule = RULES[rule_id]
    members = [d for d in docs if d.doc_type in rule.applies_to]
    from reviewer.checks import PACKAGE_CHECKS, load_checks
    load_checks()  # every check module, so this file also runs alone
    return PACKAGE_CHECKS[rule.check](rule, members)


def test_consistent_package_has_no_findings():
    docs = package(kak=KAK, hps=HPS, kontrak=KONTRAK)
    for rule_id in RULES:
        assert run(rule_id, docs) == [], rule_id


def test_contract_above_hps_points_at_the_contract_with_the_hps_row_related():
    docs = package(hps=HPS, kontrak=KONTRAK.replace("351.000.000,00", "372.000.000,00"))
    found = run("CONS-NILAI-01", docs)
    assert len(found) == 1
    f = found[0]
    assert f.document == "kontrak.txt" and "372.000.000" in f.evidence
    assert len(f.related) == 1
    assert f.related[0]["document"] == "hps.txt" and f.related[0]["page"] == 1
    assert "Total" in f.related[0]["evidence"] and "366.300.000" in f.related[0]["evidence"]


def test_hps_above_pagu():
    docs = package(kak=KAK.replace("400.000.000,00", "350.000.000,00"), hps=HPS, kontrak=KONTRAK)
    found = run("CONS-NILAI-02", docs)
    assert [f.document for f in found] == ["hps.txt", "kontrak.txt"]
    assert all(r["document"] == "kak.txt" and "350.000.000" in r["evidence"] for f in found for r in f.related)


def test_hps_value_quoted_in_kak_must_match_any_total_of_the_hps():
    assert run("CONS-NILAI-03", package(kak=KAK.replace("366.300.000,00", "330.000.000,00"), hps=HPS)) == []
    found = run("CONS-NILAI-03", package(kak=KAK.replace("366.300.000,00", "363.600.000,00"), hps=HPS))
    assert len(found) == 1 and found[0].document == "kak.txt" and found[0].related[0]["document"] == "hps.txt"


def test_duration_mismatch():
    docs = package(kak=KAK, kontrak=KONTRAK.replace("60 (enam puluh)", "75 (tujuh puluh lima)"))
    found = run("CONS-JANGKA-01", docs)
    assert len(found) == 1
    assert found[0].document == "kontrak.txt" and "75" in found[0].evidence
    assert found[0].related[0]["document"] == "kak.txt" and "60" in found[0].related[0]["evidence"]


def test_duration_in_months_equals_days_and_maintenance_is_ignored():
    kak = KAK.replace("60 (enam puluh) hari kalender", "2 (dua) bulan")
    kontrak = KONTRAK + "\nMasa pemeliharaan 90 (sembilan puluh) hari kalender setelah serah terima pertama.\n"
    assert run("CONS-JANGKA-01", package(kak=kak, kontrak=kontrak)) == []


def test_contract_type_mismatch():
    found = run("CONS-JENIS-KONTRAK-01", package(kak=KAK.replace("Harga Satuan", "Lumsum"), kontrak=KONTRAK))
    assert len(found) == 1 and "Harga Satuan" in found[0].message and "Lumsum" in found[0].message
    assert found[0].related[0]["document"] == "kak.txt"


def test_volume_mismatch_matched_by_name_points_at_the_hps_row():
    kak = KAK.replace("Meja komputer sebanyak 30 (tiga puluh)", "Meja komputer sebanyak 32 (tiga puluh dua)")
    found = run("CONS-VOLUME-01", package(kak=kak, hps=HPS))
    assert len(found) == 1
    f = found[0]
    assert f.document == "hps.txt" and f.evidence.startswith("2 | Meja komputer | 30")
    assert f.related[0]["document"] == "kak.txt" and "32" in f.related[0]["evidence"]


def test_an_hps_row_that_counts_its_item_in_its_name_matches_the_kak_item():
    """"Pemasangan rak dan pintu lemari (12 unit)" counts lemari; the KAK asks for 14."""
    kak = KAK.replace("- Switch jaringan 24 port sebanyak 2 (dua) unit",
                      "- Switch jaringan 24 port sebanyak 2 (dua) unit\n- Lemari arsip sebanyak 14 (empat belas) unit")
    hps = HPS.replace("3 | Switch jaringan 24 port | 2 | unit | 4.500.000,00 | 9.000.000,00",
                      "3 | Switch jaringan 24 port | 2 | unit | 4.500.000,00 | 9.000.000,00\n"
                      "4 | Pemasangan rak dan pintu lemari (12 unit) | 12 | unit | 0,00 | 0,00")
    found = run("CONS-VOLUME-01", package(kak=kak, hps=hps))
    assert len(found) == 1 and "lemari (12 unit)" in found[0].evidence
    assert run("CONS-VOLUME-01", package(kak=kak.replace("14 (empat belas)", "12 (dua belas)"), hps=hps)) == []


def test_volume_from_a_spec_table_in_english_style_numbers():
    spec = ("SPESIFIKASI TEKNIS\nNo | Nama Barang | Spesifikasi | Jumlah | Satuan\n"
            "1 | Komputer desktop | Core i5, RAM 16 GB | 28 | unit\n"
            "2 | Switch jaringan 24 port | managed | 2 | unit\n")
    found = run("CONS-VOLUME-01", package(spesifikasi=spec, hps=HPS))
    assert len(found) == 1 and "Komputer desktop" in found[0].evidence


def test_similarity_prefers_real_matches():
    assert consistency.similarity("Komputer desktop", "Komputer Desktop Core i5") >= 0.6
    assert consistency.similarity("Meja komputer", "Switch jaringan 24 port") < 0.6


# --- volume: acronyms, head nouns, units and terbilang ------------------------------------------

APD_HPS = """HARGA PERKIRAAN SENDIRI
Satuan Kerja | BPBD Kabupaten Sungai Mas
Sumber Dana | APBD T.A. 2026
No | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)
1 | Alat Pelindung Diri (helm, rompi, sepatu bot) | 64 | set | 2.400.000,00 | 153.600.000,00
2 | Tas APD tahan air | 60 | buah | 150.000,00 | 9.000.000,00
| Jumlah | | | | 162.600.000,00
"""


def test_acronym_in_the_kak_matches_the_spelled_out_hps_row_not_the_accessory():
    kak = ("KERANGKA ACUAN KERJA\nSasaran pekerjaan adalah tersedianya 60 (enam puluh) set APD "
           "lengkap dengan sarung tangan bagi relawan.\n")
    found = run("CONS-VOLUME-01", package(kak=kak, hps=APD_HPS))
    assert len(found) == 1
    assert "Alat Pelindung Diri" in found[0].evidence and "64" in found[0].message
    assert found[0].related[0]["document"] == "kak.txt" and "60" in found[0].related[0]["evidence"]
    same = kak.replace("60 (enam puluh)", "64 (enam puluh empat)")
    assert run("CONS-VOLUME-01", package(kak=same, hps=APD_HPS)) == []


def test_hps_volume_cell_with_terbilang_and_unit_words():
    kak = "KERANGKA ACUAN KERJA\nPenyedia menyerahkan jas hujan ponco sebanyak 120 (seratus dua puluh) potong.\n"
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Jas hujan ponco karet | 150 (seratus lima puluh) | potong | 85.000,00 | 12.750.000,00\n")
    found = run("CONS-VOLUME-01", package(kak=kak, hps=hps))
    assert len(found) == 1 and "150" in found[0].message and "120" in found[0].message


def test_similarity_uses_acronyms_and_head_nouns():
    assert consistency.similarity("ATK", "Alat Tulis Kantor (kertas, pena)") >= 0.6
    assert consistency.similarity("PDH", "Pakaian Dinas Harian") >= 0.6
    assert consistency.similarity("Laptop", "Tas laptop") < 0.6  # a bag, not a laptop
    assert consistency.similarity("Laptop", "Laptop Core i7 RAM 16 GB") >= 0.6
    assert consistency.similarity("Printer", "Tinta printer") < 0.6


def test_item_name_is_cut_out_of_the_sentence_around_the_quantity():
    assert consistency.clean_item_name("PDH lengkap dengan atribut untuk seluruh pegawai") == "PDH"
    assert consistency.clean_item_name("Penyedia menyerahkan jas hujan ponco") == "jas hujan ponco"
    assert consistency.clean_item_name("b. Kursi lipat yang dilapisi busa") == "Kursi lipat"


def test_volume_named_after_the_word_volume_without_a_separator():
    # "Volume pekerjaan <item> <qty> <unit>": no colon or "sebanyak" between the item and its number
    kak = KAK.replace("- Meja komputer sebanyak 30 (tiga puluh) unit",
                      "Volume pengadaan meja komputer 32 unit, dikirim ke laboratorium.")
    assert "Volume pengadaan meja komputer 32 unit" in kak
    found = run("CONS-VOLUME-01", package(kak=kak, hps=HPS))
    assert len(found) == 1 and found[0].evidence.startswith("2 | Meja komputer | 30")
    same = kak.replace("meja komputer 32 unit", "meja komputer 30 unit")
    assert run("CONS-VOLUME-01", package(kak=same, hps=HPS)) == []


# --- volume: lengths and areas, units of another kind, the contract's own quantities ------------

JALAN_KAK = """KERANGKA ACUAN KERJA
PENINGKATAN JALAN USAHA TANI DESA LEMBAH HIJAU
Ruang lingkup: peningkatan jalan tanah menjadi jalan beton K-250 sepanjang 600 (enam ratus) meter,
lebar 3 m dan tebal 15 cm, termasuk saluran tepi.
"""

JALAN_HPS = """HARGA PERKIRAAN SENDIRI
No | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)
1 | Galian tanah biasa | 180 | m3 | 95.000,00 | 17.100.000,00
2 | Beton K-250 jalan | 270 | m3 | 1.350.000,00 | 364.500.000,00
3 | Jalan beton, pekerjaan akhir dan pembersihan | 600 | m' | 25.000,00 | 15.000.000,00
"""

JALAN_SPK = """SURAT PERINTAH KERJA
Lingkup pekerjaan: pembangunan jalan beton mutu K-250 panjang 550 m, lebar 3 m dan tebal 15 cm sesuai gambar.
Pembayaran dilakukan sekaligus setelah serah terima pertama.
"""


def test_a_clause_number_is_not_a_quantity():
    kak = "5.1 Kegiatan ini dibiayai dari APBD.\n5.2 Penyedia menyerahkan 12 (dua belas) unit lemari arsip."
    items = consistency.spec_items(package(kak=kak)[0])
    assert [(i.qty, i.name) for i in items] == [(12.0, "lemari arsip")]


def test_a_bridge_span_is_its_length():
    kak = "Sasaran kegiatan adalah terbangunnya 1 (satu) unit jembatan gantung dengan panjang bentang 60 (enam puluh) meter."
    kontrak = "Penyedia melaksanakan pembangunan jembatan gantung bentang 72 (tujuh puluh dua) meter lengkap dengan angkur."
    spans = [(i.qty, consistency.unit_group(i.unit)) for i in consistency.spec_items(package(kontrak=kontrak)[0])]
    assert spans == [(72.0, "m")]
    found = run("CONS-VOLUME-02", package(kak=kak, kontrak=kontrak))
    assert len(found) == 1 and "72" in found[0].evidence


def test_length_in_metres_is_a_quantity_and_is_not_compared_with_cubic_metres():
    item = consistency.spec_items(package(kak=JALAN_KAK)[0])
    assert [(i.name, i.qty, consistency.unit_group(i.unit)) for i in item] == [("jalan beton", 600.0, "m")]
    # 600 m of road against 270 m3 of concrete is no mismatch; the HPS's 600 m' row agrees
    assert run("CONS-VOLUME-01", package(kak=JALAN_KAK, hps=JALAN_HPS)) == []
    shorter = JALAN_KAK.replace("600 (enam ratus) meter", "650 (enam ratus lima puluh) meter")
    found = run("CONS-VOLUME-01", package(kak=shorter, hps=JALAN_HPS))
    assert len(found) == 1 and found[0].evidence.startswith("3 | Jalan beton") and "650" in found[0].message


def test_the_contract_volume_is_checked_against_the_kak():
    found = run("CONS-VOLUME-02", package(kak=JALAN_KAK, kontrak=JALAN_SPK))
    assert len(found) == 1
    f = found[0]
    assert f.document == "kontrak.txt" and "panjang 550 m" in f.evidence
    assert f.related[0]["document"] == "kak.txt" and "600" in f.related[0]["evidence"]
    agreeing = JALAN_SPK.replace("panjang 550 m", "panjang 600 m")
    assert run("CONS-VOLUME-02", package(kak=JALAN_KAK, kontrak=agreeing)) == []


def test_a_contract_that_disagrees_with_kak_and_hps_is_reported_once():
    found = run("CONS-VOLUME-02", package(kak=JALAN_KAK, hps=JALAN_HPS, kontrak=JALAN_SPK))
    assert len(found) == 1 and found[0].document == "kontrak.txt"


def test_people_are_not_compared_with_person_months():
    kak = "KERANGKA ACUAN KERJA\nPenyedia menyediakan petugas kebersihan sebanyak 10 (sepuluh) orang.\n"
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Petugas kebersihan | 120 | OB | 3.100.000,00 | 372.000.000,00\n")
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps)) == []
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps.replace("| OB |", "| orang |"))) != []


def test_unit_groups():
    assert consistency.unit_group("m'") == consistency.unit_group("meter") == "m"
    assert consistency.unit_group("M2") == consistency.unit_group("meter persegi") == "m2"
    assert consistency.unit_group("Unit") == consistency.unit_group("bh") == "count"
    assert consistency.unit_group("OB") == "time" and consistency.unit_group("Ls") == "lot"
    assert consistency.unit_group("zzz") is None and consistency.unit_group(None) is None
    assert consistency.comparable_units("unit", None) and not consistency.comparable_units("m", "m3")


def test_one_odd_document_gives_one_finding():
    hps_600 = JALAN_HPS
    # KAK 650, HPS and contract 600: the KAK is the odd one out, reported once (KAK against HPS)
    kak_650 = JALAN_KAK.replace("600 (enam ratus) meter", "650 (enam ratus lima puluh) meter")
    spk_600 = JALAN_SPK.replace("panjang 550 m", "panjang 600 m")
    docs = package(kak=kak_650, hps=hps_600, kontrak=spk_600)
    assert len(run("CONS-VOLUME-01", docs)) == 1 and run("CONS-VOLUME-02", docs) == []
    # KAK and contract 650, HPS 600: the HPS is the odd one out
    spk_650 = JALAN_SPK.replace("panjang 550 m", "panjang 650 m")
    docs = package(kak=kak_650, hps=hps_600, kontrak=spk_650)
    assert len(run("CONS-VOLUME-01", docs)) == 1 and run("CONS-VOLUME-02", docs) == []


def test_rates_capacities_and_the_next_item_are_not_quantities():
    kak = ("KERANGKA ACUAN KERJA\nPengujian kuat tekan dilakukan untuk setiap 20 m3 beton.\n"
           "Penyedia menyediakan concrete mixer kapasitas 0,3 m3 sebanyak 2 unit.\n"
           "Embung dengan kapasitas tampungan efektif kurang lebih 8.000 m3 yang melayani 45 ha sawah.\n"
           "Pekerjaan tanah: galian sebanyak 5.600 m3, timbunan tanggul dipadatkan 2.350 m3 dan pembuangan sisa galian.\n")
    items = [(i.name, i.qty) for i in consistency.spec_items(package(kak=kak)[0])]
    assert ("galian", 5600.0) in items and not any(n.lower() in ("m3", "unit") for n, _ in items), items
    assert not any(q in (20.0, 0.3, 8000.0) for _, q in items), items
    assert not any("pembuangan" in n for n, _ in items), items


def test_kilometres_and_metres_are_compared_after_conversion():
    kak = "KERANGKA ACUAN KERJA\nNormalisasi saluran irigasi sepanjang 1,2 km di Desa Lembah.\n"
    spk = "SURAT PERINTAH KERJA\nLingkup pekerjaan: normalisasi saluran irigasi panjang 1.200 m sesuai gambar.\n"
    assert run("CONS-VOLUME-02", package(kak=kak, kontrak=spk)) == []
    shorter = spk.replace("1.200 m", "1.050 m")
    assert len(run("CONS-VOLUME-02", package(kak=kak, kontrak=shorter))) == 1
    assert consistency.comparable_units("km", "meter") and not consistency.comparable_units("km", "m2")


def test_the_last_item_of_a_list_owns_the_length_after_it():
    name = consistency.clean_item_name("paving block seluas 96 m2, saluran keliling 42 m' dan pagar keliling BRC",
                                       name_before_qty=True)
    assert name == "pagar keliling BRC"


def test_duration_written_as_diselesaikan_dalam():
    kak = "KERANGKA ACUAN KERJA\nPekerjaan diselesaikan dalam 90 (sembilan puluh) hari kalender sejak SPMK.\n"
    spk = "SURAT PERINTAH KERJA\nWaktu pelaksanaan pekerjaan 120 (seratus dua puluh) hari kalender.\n"
    found = run("CONS-JANGKA-01", package(kak=kak, kontrak=spk))
    assert len(found) == 1 and "120" in found[0].message and "90" in found[0].message


def test_duration_beside_a_maintenance_period_in_one_sentence():
    kak = ("KERANGKA ACUAN KERJA\nPekerjaan diselesaikan dalam 90 (sembilan puluh) hari kalender sejak SPMK, "
           "dengan masa pemeliharaan 60 (enam puluh) hari kalender setelah serah terima pertama.\n")
    assert consistency.stated_duration(package(kak=kak)[0]).value == 90


def test_a_section_heading_that_states_its_length_is_the_sections_quantity():
    """An HPS section "PEKERJAAN SALURAN DRAINASE (panjang 240 m)" whose rows are m3 of excavation
    and m' of cover slabs: the heading's length is compared with the KAK's."""
    kak = ("KERANGKA ACUAN KERJA\nKeluaran kegiatan adalah saluran drainase tertutup sepanjang 240 m "
           "di sisi timur pasar.\n")
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "A | PEKERJAAN SALURAN DRAINASE (panjang 240 m) | | | |\n"
           "1 | Galian tanah saluran | 96 | m3 | 85.000,00 | 8.160.000,00\n"
           "2 | Tutup plat beton bertulang | 180 | m' | 310.000,00 | 55.800.000,00\n"
           "| Jumlah | | | | 63.960.000,00\n")
    items = consistency.hps_items(package(hps=hps)[0])
    assert [(i.name, i.qty) for i in items][0] == ("PEKERJAAN SALURAN DRAINASE", 240.0)
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps)) == []
    found = run("CONS-VOLUME-01", package(kak=kak.replace("240 m", "420 m"), hps=hps))
    assert len(found) == 1 and "PEKERJAAN SALURAN DRAINASE (panjang 240 m)" in found[0].evidence


def test_an_item_split_over_two_hps_rows_that_add_up_is_consistent():
    kak = ("KERANGKA ACUAN KERJA\nNo | Uraian | Volume\n"
           "1 | Pipa HDPE 110 mm jaringan distribusi dan sambungan rumah | 2.400 m\n")
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Pipa HDPE 110 mm jaringan distribusi | 1.500 | m | 95.000,00 | 142.500.000,00\n"
           "2 | Pipa HDPE 110 mm sambungan rumah pelanggan | 900 | m | 95.000,00 | 85.500.000,00\n")
    # the KAK's 2.400 m is the HPS's 1.500 m + 900 m, though its nearest row alone says 1.500
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps)) == []
    short = hps.replace("| 900 | m | 95.000,00 | 85.500.000,00", "| 800 | m | 95.000,00 | 76.000.000,00")
    found = run("CONS-VOLUME-01", package(kak=kak, hps=short))
    assert len(found) == 1 and "jaringan distribusi" in found[0].evidence


def test_an_item_name_with_a_decimal_size_and_the_pas_abbreviation():
    kak = ("KERANGKA ACUAN KERJA\nLingkup: pemasangan bronjong kawat galvanis ukuran 2 x 1 x 0,5 m berisi batu "
           "kali sebanyak 420 m3 di tebing kiri sungai.\n")
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Pas. bronjong kawat galvanis 2x1x0,5 m isi batu kali | 380 | m3 | 412.000,00 | 156.560.000,00\n")
    items = consistency.spec_items(package(kak=kak)[0])
    assert [(i.name, i.qty) for i in items] == [("bronjong kawat galvanis", 420.0)]
    found = run("CONS-VOLUME-01", package(kak=kak, hps=hps))
    assert len(found) == 1 and "420" in found[0].message


def test_a_list_item_owns_its_count_and_a_bore_depth_is_its_length():
    kak = ("KERANGKA ACUAN KERJA\nLingkup pekerjaan arsitektur meliputi lantai keramik anti slip, dinding keramik "
           "setinggi 1,5 m dan meja lapak ikan berlapis keramik sebanyak 48 (empat puluh delapan) unit.\n")
    names = [(i.name, i.qty) for i in consistency.spec_items(package(kak=kak)[0])]
    assert ("meja lapak ikan berlapis keramik", 48.0) in names
    kak2 = "KERANGKA ACUAN KERJA\nPekerjaan meliputi galian tanah untuk kolam tampungan sebanyak 5.600 m3.\n"
    assert [(i.name, i.qty) for i in consistency.spec_items(package(kak=kak2)[0])] == [("galian tanah", 5600.0)]
    spk = ("SURAT PERINTAH KERJA\nPenyedia membangun satu sumur bor yang meliputi pengeboran sumur dalam sampai "
           "kedalaman 120 m, pemasangan casing dan pompa.\n")
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Pengeboran sumur dalam diameter 8 inci | {d} | m | 650.000,00 | {j}\n")
    assert run("CONS-VOLUME-02", package(kontrak=spk, hps=hps.format(d=120, j="78.000.000,00"))) == []
    found = run("CONS-VOLUME-02", package(kontrak=spk, hps=hps.format(d=100, j="65.000.000,00")))
    assert len(found) == 1 and "120" in found[0].message and "100" in found[0].message


def test_contract_type_in_a_label_colon_cell_row_is_compared():
    kak = "KERANGKA ACUAN KERJA\nJenis kontrak yang digunakan adalah Kontrak Harga Satuan.\n"
    spk = "SURAT PERINTAH KERJA\nJENIS KONTRAK: | Lumsum\nNILAI SPK: | 250.000.000,-\n"
    found = run("CONS-JENIS-KONTRAK-01", package(kak=kak, kontrak=spk))
    assert len(found) == 1 and "JENIS KONTRAK: | Lumsum" in found[0].evidence


def test_the_material_after_dengan_names_the_hps_row():
    kak = ("KERANGKA ACUAN KERJA\nLingkup pekerjaan:\nc. Penggantian jaringan pipa utama dengan pipa HDPE PE100 "
           "diameter 63 mm sepanjang 2.850 m, termasuk galian dan urugan kembali.\n")
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Pengadaan dan pemasangan pipa HDPE PE100 diameter 63 mm jalur utama | {v} | m | 95.000,00 | {j}\n"
           "2 | Hidran umum kapasitas 2 m3 lengkap kran | 12 | unit | 4.500.000,00 | 54.000.000,00\n")
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps.format(v="2.850", j="270.750.000,00"))) == []
    found = run("CONS-VOLUME-01", package(kak=kak, hps=hps.format(v="2.580", j="245.100.000,00")))
    assert len(found) == 1 and "2580" in found[0].message.replace(".", "") and "2850" in found[0].message.replace(".", "")


def test_an_hps_priced_per_location_is_summed_over_its_locations():
    """The same rows repeated under each location's heading ("LOKASI II: DESA X - 3 UNIT SUMUR")
    add up to the package's quantity."""
    kak = "KERANGKA ACUAN KERJA\nKeluaran: terbangunnya 7 (tujuh) unit sumur resapan di dua desa.\n"
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "I | LOKASI I: DESA SUKA MAJU - 4 UNIT SUMUR RESAPAN | | | |\n"
           "1 | Buis beton diameter 80 cm | 12 | buah | 350.000,00 | 4.200.000,00\n"
           "II | LOKASI II: DESA SUKA DAMAI - 3 UNIT SUMUR RESAPAN | | | |\n"
           "1 | Buis beton diameter 80 cm | 9 | buah | 350.000,00 | 3.150.000,00\n"
           "| Jumlah | | | | 7.350.000,00\n")
    items = {i.name: (i.qty, i.parts) for i in consistency.hps_items(package(hps=hps)[0])}
    assert items["SUMUR RESAPAN"] == (7.0, [4.0, 3.0]) and items["Buis beton diameter 80 cm"] == (21.0, [12.0, 9.0])
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps)) == []
    found = run("CONS-VOLUME-01", package(kak=kak, hps=hps.replace("- 3 UNIT", "- 4 UNIT")))
    assert len(found) == 1 and "8 = 4 + 4" in found[0].message and "LOKASI II" in found[0].evidence


def test_a_quantity_for_each_unit_of_something_else_is_not_the_quantity_procured():
    kak = ("KERANGKA ACUAN KERJA\nPembangunan 6 (enam) unit hidran umum.\n"
           "Setiap hidran dilengkapi 4 buah kran kuningan per hidran dan bak cuci.\n"
           "Seragam kerja: 2 stel per orang.\n")
    items = [(i.name, i.qty) for i in consistency.spec_items(package(kak=kak)[0])]
    assert ("hidran umum", 6.0) in items and not any(q in (2.0, 4.0) for _, q in items), items


def test_a_floor_given_by_its_sides_is_an_area_compared_with_the_kak():
    kak = ("KERANGKA ACUAN KERJA\nLingkup pekerjaan: pembangunan gudang pemilahan seluas 96 m2 "
           "dengan lantai rabat beton.\n")
    spk = ("SURAT PERINTAH KERJA\nLingkup pekerjaan: pondasi, struktur baja ringan dan bangunan gudang "
           "ukuran 8 m x 12 m (96 m2) beratap galvalum.\n")
    assert run("CONS-VOLUME-02", package(kak=kak, kontrak=spk)) == []
    smaller = spk.replace("8 m x 12 m (96 m2)", "8 m x 10 m (80 m2)")
    found = run("CONS-VOLUME-02", package(kak=kak, kontrak=smaller))
    assert len(found) == 1 and "80" in found[0].message, found
    # without the area written beside them, the sides multiply: 8 x 10 = 80 m2
    no_area = spk.replace("8 m x 12 m (96 m2)", "berukuran 8 x 10 m")
    assert len(run("CONS-VOLUME-02", package(kak=kak, kontrak=no_area))) == 1


def test_the_size_of_each_of_several_units_is_not_their_quantity():
    kak = ("KERANGKA ACUAN KERJA\nPembangunan 2 (dua) ruang kelas ukuran 7 x 8 m beserta selasar.\n"
           "Setiap unit MCK berukuran 4,5 m x 7,0 m terdiri atas 6 bilik.\n"
           "Pembangunan 12 (dua belas) unit kios pasar ukuran 3 x 4 m.\n"
           "Panggung ukuran 4 m x 5 m per unit.\n")
    items = [(i.name, i.qty, i.unit) for i in consistency.spec_items(package(kak=kak)[0])]
    assert not any(u == "m2" for _, _, u in items), items


TALUD_KAK = """KERANGKA ACUAN KERJA
Ruang lingkup: pembangunan talud pasangan batu kali sepanjang 260 m pada tebing kanan sungai.
"""

TALUD_HPS = """HARGA PERKIRAAN SENDIRI
Pekerjaan | Pembangunan Talud Sungai Desa Lembah | | | |
Lingkup | Talud pasangan batu kali panjang 260 m' pada tebing kanan | | | |
No | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)
1 | Galian tanah pondasi talud | 410 | m3 | 95.000,00 | 38.950.000,00
2 | Pasangan batu kali 1PC:4PP | 620 | m3 | 1.245.000,00 | 771.900.000,00
"""


def test_the_length_above_the_hps_table_is_the_works_length():
    assert run("CONS-VOLUME-01", package(kak=TALUD_KAK, hps=TALUD_HPS)) == []
    found = run("CONS-VOLUME-01", package(kak=TALUD_KAK, hps=TALUD_HPS.replace("260 m'", "230 m'")))
    assert len(found) == 1 and found[0].evidence.startswith("Lingkup") and "230" in found[0].message, found


def test_a_measure_named_before_its_item_and_figure():
    kak = ("KERANGKA ACUAN KERJA\nJalan yang ditangani panjang total 370 m dengan lebar 5 m, sehingga luas "
           "perkerasan paving block 1.850 m2.\n")
    items = [(i.name, i.qty, i.unit) for i in consistency.spec_items(package(kak=kak)[0])]
    assert ("perkerasan paving block", 1850.0, "m2") in items, items
    assert not any(n.lower() == "total" for n, _, _ in items), items
    hps = ("HARGA PERKIRAAN SENDIRI\nNo | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah Harga (Rp)\n"
           "1 | Pemasangan paving block K-300 tebal 8 cm | 1.580 | m2 | 120.000,00 | 189.600.000,00\n")
    assert len(run("CONS-VOLUME-01", package(kak=kak, hps=hps))) == 1
    assert run("CONS-VOLUME-01", package(kak=kak, hps=hps.replace("1.580 | m2 | 120.000,00 | 189.600.000,00",
                                                                   "1.850 | m2 | 120.000,00 | 222.000.000,00"))) == []
