"""Document types and procurement facts, each fact checked with its evidence; the extract view."""

from __future__ import annotations

import json

import pytest

from reviewer.classify import classify, extract_facts
from reviewer.extract_view import extract_dict, render_extract
from reviewer.model import Block, Document, Table
from reviewer.segment import segment


def make_doc(name: str, text: str) -> Document:
    """One paragraph block per non-empty line; lines starting with '|' are table rows."""
    blocks, tables = [], []
    pos, current = 0, None
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.strip():
            current = None
            continue
        if raw.startswith("|"):
            cells = [c.strip() for c in raw.strip("|").split("|")]
            if current is None:
                tables.append(Table(page=1, rows=[], start=start, end=end))
                current = len(tables) - 1
            tables[current].rows.append(cells)
            blocks.append(Block("table_row", start, end, 1, table=current,
                                row=len(tables[current].rows) - 1, cells=cells))
            continue
        current = None
        blocks.append(Block("paragraph", start, end, 1))
    return Document(name, "txt", text, blocks=blocks, tables=tables)


KAK = """KERANGKA ACUAN KERJA
PENGADAAN JASA KONSULTANSI PENGAWASAN REHABILITASI GEDUNG PUSKESMAS
TAHUN ANGGARAN 2025
A. LATAR BELAKANG
Puskesmas Sukamaju mengalami kerusakan sehingga perlu direhabilitasi dengan pengawasan konsultan.
B. MAKSUD DAN TUJUAN
Maksud kegiatan ini adalah mengawasi mutu, biaya dan waktu pekerjaan rehabilitasi.
C. SUMBER DANA DAN PERKIRAAN BIAYA
Kegiatan ini dibiayai dari APBD Kabupaten Sukamaju dengan Pagu Anggaran sebesar Rp 350.000.000,00 (tiga ratus lima puluh juta rupiah). Nilai HPS ditetapkan sebesar Rp 342.500.000,00.
D. RUANG LINGKUP
Metode pemilihan: Seleksi. Jenis kontrak: Waktu Penugasan.
E. JANGKA WAKTU PELAKSANAAN
Jangka waktu pelaksanaan pekerjaan adalah 4 (empat) bulan sejak SPMK; masa pemeliharaan tidak ada.
"""

HPS = """HARGA PERKIRAAN SENDIRI (HPS)
Paket: Pengadaan Laptop dan Printer untuk Sekolah Dasar
Tahun Anggaran: 2026
Sumber Dana: APBN
| No | Uraian | Volume | Satuan | Harga Satuan (Rp) | Jumlah (Rp) |
| 1 | Laptop 14 inci prosesor 8 inti | 20 | unit | 12.500.000 | 250.000.000 |
| 2 | Printer laser monokrom | 10 | unit | 3.250.000 | 32.500.000 |
| 3 | Ongkos kirim dan instalasi | 1 | paket | 5.000.000 | 5.000.000 |
| | Jumlah | | | | 287.500.000 |
| | PPN 11% | | | | 31.625.000 |
| | Total HPS termasuk PPN | | | | 319.125.000 |
Terbilang: tiga ratus sembilan belas juta seratus dua puluh lima ribu rupiah.
Metode pemilihan: e-purchasing melalui katalog elektronik.
Paket ini dicadangkan untuk usaha kecil dan koperasi.
"""

KONTRAK = """SURAT PERJANJIAN
PEKERJAAN KONSTRUKSI
Pembangunan Gedung Kantor Kecamatan Sukamaju
SURAT PERJANJIAN ini dibuat oleh dan antara PARA PIHAK sebagai berikut.
[jika kontrak tahun jamak, sebutkan persetujuan pejabat yang berwenang]
Pasal 1
HARGA KONTRAK
(1) Nilai kontrak termasuk PPN 11% adalah sebesar Rp1.875.400.000,00 (satu miliar delapan ratus tujuh puluh lima juta empat ratus ribu rupiah).
(2) Kontrak ini dibiayai dari APBD Kabupaten Sukamaju T.A. 2025.
(3) Jenis kontrak: Kontrak Harga Satuan.
Pasal 2
JANGKA WAKTU
(1) Masa pemeliharaan selama 180 (seratus delapan puluh) hari kalender.
(2) Masa pelaksanaan pekerjaan selama 150 (seratus lima puluh) hari kalender.
Pasal 3
Pekerjaan ini dilaksanakan dengan kontrak tahun jamak 2025-2026 yang telah disetujui Menteri Keuangan.
"""

DOKUMEN_PEMILIHAN = """DOKUMEN PEMILIHAN
Tender Pekerjaan Konstruksi Peningkatan Jalan Desa
BAB II INSTRUKSI KEPADA PESERTA (IKP)
A. UMUM
1. Peserta menyampaikan penawaran sesuai Lembar Data Pemilihan.
BAB III LEMBAR DATA PEMILIHAN
Metode pemilihan: Tender. Kualifikasi usaha: non kecil.
BAB IV PERSYARATAN KUALIFIKASI
Peserta wajib memiliki SBU yang masih berlaku dan menyampaikan dokumen penawaran dengan pakta integritas.
"""

SPESIFIKASI = """SPESIFIKASI TEKNIS
Pengadaan Kursi Kerja Pegawai
1. Spesifikasi umum: kursi kerja dengan sandaran punggung, tinggi dapat diatur.
2. Ukuran dudukan minimal 48 cm x 46 cm; rangka baja dengan garansi 2 tahun.
3. Spesifikasi barang wajib mencantumkan merek dan tipe yang ditawarkan.
"""

LAINNYA = """Notulen Rapat Koordinasi
Rapat dibuka pukul 09.00 oleh sekretaris dinas dan membahas jadwal kegiatan bulan depan.
"""


def analyse(name, text):
    doc = make_doc(name, text)
    clauses = segment(doc)
    doc_type, confidence = classify(doc, clauses)
    return doc, clauses, doc_type, confidence, extract_facts(doc, clauses, doc_type)


@pytest.mark.parametrize("name,text,expected", [
    ("dokumen1.txt", KAK, "kak"),
    ("lampiran.txt", HPS, "hps"),
    ("draft.txt", KONTRAK, "kontrak"),
    ("dok.txt", DOKUMEN_PEMILIHAN, "dokumen_pemilihan"),
    ("spek.txt", SPESIFIKASI, "spesifikasi"),
    ("notulen.txt", LAINNYA, "lainnya"),
])
def test_document_types(name, text, expected):
    _, _, doc_type, confidence, _ = analyse(name, text)
    assert doc_type == expected
    assert 0.0 <= confidence <= 1.0


def test_confidence_reflects_the_margin():
    _, _, t_clear, c_clear = analyse("x.txt", KAK)[:4]
    mixed = KAK + "\nHARGA PERKIRAAN SENDIRI\nTotal HPS termasuk PPN 11% Rp 342.500.000,00; harga satuan dan volume terlampir.\n"
    _, _, t_mixed, c_mixed = analyse("x.txt", mixed)[:4]
    assert t_clear == "kak" and c_clear > c_mixed


def test_file_name_is_a_weak_cue():
    text = "Dokumen ini memuat uraian harga satuan dan volume pekerjaan beserta PPN.\n"
    assert analyse("hps-gedung.txt", text)[2] == "hps"
    # the file name alone does not outweigh a clear title
    assert analyse("hps-gedung.txt", KONTRAK)[2] == "kontrak"


def check_evidence(doc, fact, *fragments):
    assert fact.start is not None and fact.end is not None
    assert " ".join(doc.text[fact.start:fact.end].split()) == fact.text
    for fragment in fragments:
        assert fragment in fact.text
    assert fact.page == 1 and 0 < fact.confidence <= 1


def test_kak_facts():
    doc, _, _, _, facts = analyse("kak.txt", KAK)
    assert facts["jenis_pengadaan"].value == "jasa_konsultansi"
    check_evidence(doc, facts["jenis_pengadaan"], "KONSULTANSI")
    assert facts["metode"].value == "seleksi"
    check_evidence(doc, facts["metode"], "Metode pemilihan: Seleksi")
    assert facts["pagu"].value == 350_000_000.0
    check_evidence(doc, facts["pagu"], "Pagu Anggaran", "Rp 350.000.000,00")
    assert facts["nilai_hps"].value == 342_500_000.0
    check_evidence(doc, facts["nilai_hps"], "HPS", "Rp 342.500.000,00")
    assert facts["jangka_waktu_hari"].value == 120
    check_evidence(doc, facts["jangka_waktu_hari"], "4 (empat) bulan")
    assert facts["jenis_kontrak"].value == "waktu_penugasan"
    assert facts["tahun_anggaran"].value == 2025
    assert facts["sumber_dana"].value == "APBD"
    check_evidence(doc, facts["sumber_dana"], "dibiayai dari APBD")
    assert "nilai_kontrak" not in facts and "ppn_persen" not in facts and "tahun_jamak" not in facts


def test_hps_facts_take_the_grand_total_with_ppn():
    doc, _, doc_type, _, facts = analyse("hps.txt", HPS)
    assert doc_type == "hps"
    assert facts["nilai_hps"].value == 319_125_000.0
    check_evidence(doc, facts["nilai_hps"], "Total HPS termasuk PPN", "319.125.000")
    assert facts["ppn_persen"].value == 11.0
    check_evidence(doc, facts["ppn_persen"], "PPN 11%")
    assert facts["metode"].value == "e_purchasing"
    assert facts["jenis_pengadaan"].value == "barang"
    assert facts["tahun_anggaran"].value == 2026
    assert facts["sumber_dana"].value == "APBN"
    assert facts["usaha_kecil"].value is True
    check_evidence(doc, facts["usaha_kecil"], "dicadangkan untuk usaha kecil")


def test_kontrak_facts():
    doc, _, doc_type, _, facts = analyse("spk.txt", KONTRAK)
    assert doc_type == "kontrak"
    assert facts["nilai_kontrak"].value == 1_875_400_000.0
    check_evidence(doc, facts["nilai_kontrak"], "Nilai kontrak", "Rp1.875.400.000,00")
    assert facts["jenis_pengadaan"].value == "pekerjaan_konstruksi"
    assert facts["jenis_kontrak"].value == "harga_satuan"
    check_evidence(doc, facts["jenis_kontrak"], "Jenis kontrak: Kontrak Harga Satuan")
    # the maintenance period is not the execution period
    assert facts["jangka_waktu_hari"].value == 150
    check_evidence(doc, facts["jangka_waktu_hari"], "150 (seratus lima puluh) hari kalender")
    assert facts["ppn_persen"].value == 11.0
    assert facts["tahun_anggaran"].value == 2025
    # a drafting note "[jika kontrak tahun jamak ...]" is not a statement; Pasal 3 is
    assert facts["tahun_jamak"].value is True
    assert doc.page_at(facts["tahun_jamak"].start) == 1
    assert "Pasal 3" not in facts["tahun_jamak"].text
    assert doc.text.index("Pekerjaan ini dilaksanakan") < facts["tahun_jamak"].start


def test_template_note_alone_gives_no_tahun_jamak():
    text = KONTRAK.replace("Pekerjaan ini dilaksanakan dengan kontrak tahun jamak 2025-2026 yang telah "
                           "disetujui Menteri Keuangan.", "Ketentuan lain diatur dalam SSKK.")
    assert "tahun_jamak" not in analyse("spk.txt", text)[4]
    single = text + "Kontrak ini merupakan kontrak tahun tunggal.\n"
    assert analyse("spk.txt", single)[4]["tahun_jamak"].value is False


def test_dokumen_pemilihan_facts():
    _, _, _, _, facts = analyse("dok.txt", DOKUMEN_PEMILIHAN)
    assert facts["metode"].value == "tender"
    assert facts["jenis_pengadaan"].value == "pekerjaan_konstruksi"
    assert facts["usaha_kecil"].value is False


@pytest.mark.parametrize("sentence,name,value", [
    ("Jenis pengadaan: jasa lainnya (jasa kebersihan gedung).", "jenis_pengadaan", "jasa_lainnya"),
    ("Metode pengadaan: penunjukan langsung karena keadaan darurat.", "metode", "penunjukan_langsung"),
    ("Paket ini dilaksanakan secara swakelola tipe I oleh dinas.", "metode", "swakelola"),
    ("Metode pemilihan: Tender Cepat.", "metode", "tender_cepat"),
    ("Metode pemilihan: Pengadaan Langsung.", "metode", "pengadaan_langsung"),
    ("Direktur PT Aspal Jaya, badan usaha kualifikasi menengah dengan SBU jalan raya.", "usaha_kecil", False),
    ("Jenis kontrak: Lumsum.", "jenis_kontrak", "lumsum"),
    ("Bentuk kontrak adalah kontrak payung selama dua tahun.", "jenis_kontrak", "kontrak_payung"),
    ("Jenis kontrak: gabungan lumsum dan harga satuan.", "jenis_kontrak", "gabungan"),
    ("Pekerjaan menggunakan kontrak terima jadi (turnkey).", "jenis_kontrak", "putar_kunci"),
    ("Waktu pelaksanaan 45 hari kerja.", "jangka_waktu_hari", 63),
    ("Pekerjaan diselesaikan dalam 12 minggu.", "jangka_waktu_hari", 84),
    ("Nilai SPK sebesar Rp 185.000.000,00.", "nilai_kontrak", 185_000_000.0),
    ("Pagu dana Rp2,5 miliar.", "pagu", 2_500_000_000.0),
    ("Biaya pekerjaan diperkirakan Rp 148.500.000,- termasuk PPN.", "perkiraan_biaya", 148_500_000.0),
    ("Perkiraan biaya: Rp 92.750.000,00 (sembilan puluh dua juta tujuh ratus lima puluh ribu rupiah).",
     "perkiraan_biaya", 92_750_000.0),
    ("Harga kontrak IDR 6,800,000.00 sudah termasuk pajak.", "nilai_kontrak", 6_800_000.0),
    ("Sumber pendanaan: PNBP Tahun Anggaran 2024.", "sumber_dana", "PNBP"),
    ("Harga sudah termasuk Pajak Pertambahan Nilai (PPN) 12%.", "ppn_persen", 12.0),
])
def test_single_facts(sentence, name, value):
    doc, _, _, _, facts = analyse("x.txt", sentence + "\n")
    assert facts[name].value == value
    check_evidence(doc, facts[name])


def test_extract_view_text_and_dict():
    doc, clauses, doc_type, confidence, facts = analyse("spk.txt", KONTRAK)
    doc.warnings.append("Halaman 3 tidak memuat teks.")
    text = render_extract(doc, clauses, doc_type, confidence, facts)
    assert "Berkas      : spk.txt" in text and "rancangan kontrak" in text
    assert "Halaman 3 tidak memuat teks." in text
    assert "Nilai kontrak: Rp1.875.400.000" in text and "Jangka waktu: 150 hari kalender" in text
    assert "[Pasal 1 ayat (1), halaman 1; butir]" in text
    pasal_line = next(l for l in text.splitlines() if "ayat (2), halaman 1" in l and "Masa pelaksanaan" in l)
    assert pasal_line.startswith("    ")  # indented below its Pasal
    data = extract_dict(doc, clauses, doc_type, confidence, facts)
    data = json.loads(json.dumps(data))  # serialisable as is
    assert data["doc_type"] == "kontrak" and data["pages"] == 1
    assert data["facts"]["nilai_kontrak"]["value"] == 1_875_400_000.0
    assert len(data["clauses"]) == len(clauses)
    first = data["clauses"][0]
    assert doc.text[first["start"]:first["end"]] == first["text"]


@pytest.mark.parametrize("text, jenis", [
    # a construction contract names its konsultan pengawas again and again: still construction
    ("SURAT PERJANJIAN\nPaket: Rehabilitasi Ruang Kelas SD Negeri 7\n"
     + "Pekerjaan diperiksa bersama konsultan pengawas. " * 6
     + "\nPengecoran dilakukan setelah bekisting dan pembesian disetujui direksi lapangan.\n", "pekerjaan_konstruksi"),
    # a supervision consultancy about a building is a consultancy
    ("KERANGKA ACUAN KERJA\nJASA KONSULTANSI PENGAWASAN PEMBANGUNAN GEDUNG PERPUSTAKAAN\n"
     "Konsultan mengawasi pekerjaan konstruksi pembangunan gedung sesuai gambar kerja.\n"
     "Pengawasan pembangunan gedung dilaporkan dalam laporan pendahuluan dan laporan akhir.\n", "jasa_konsultansi"),
    ("SURAT PERINTAH KERJA\nPaket: Pengadaan dan Pemasangan CCTV Kantor Kecamatan\n"
     "Garansi resmi 1 tahun dan layanan purna jual.\n", "barang"),
    ("KAK\nPekerjaan peningkatan jaringan irigasi Desa Lembah dengan pasangan batu dan galian tanah.\n",
     "pekerjaan_konstruksi"),
    ("KAK\nSewa tenda dan kursi untuk penyelenggaraan acara Hari Jadi Kabupaten.\n", "jasa_lainnya"),
    ("KERANGKA ACUAN KERJA\nJASA PENGANGKUTAN DAN PEMUSNAHAN LIMBAH MEDIS RSUD\n"
     "Penyedia mengangkut limbah dari ruang penyimpanan sementara setiap minggu.\n", "jasa_lainnya"),
    ("KERANGKA ACUAN KERJA\nPENGADAAN PAKET MAKANAN TAMBAHAN BAGI BALITA\nBiskuit dikirim ke 20 posyandu.\n",
     "barang"),
    ("KERANGKA ACUAN KERJA\nPEKERJAAN PEMELIHARAAN GEDUNG KANTOR DPRD\nPengecatan ulang dan perbaikan plafon "
     "sesuai gambar kerja dengan menerapkan keselamatan konstruksi.\n", "pekerjaan_konstruksi"),
    ("SURAT PERJANJIAN\nJASA KONSULTANSI PENGAWASAN PEMBANGUNAN RUANG KELAS\n"
     + "Konsultan mengawasi pekerjaan konstruksi dan keselamatan konstruksi sesuai gambar kerja. " * 5,
     "jasa_konsultansi"),
    ("SURAT PERINTAH KERJA\nPaket: Sewa Excavator untuk Normalisasi Saluran Irigasi Desa Bunga\n"
     "Penyedia menyediakan excavator beserta operator dan bahan bakar.\n", "jasa_lainnya"),

    # a building proposed at the musrenbang is built, not planned by a consultant
    ("KERANGKA ACUAN KERJA\nPaket Pekerjaan : Pembangunan Aula Serbaguna Desa Ranu\n"
     "Pada musyawarah perencanaan pembangunan kecamatan, pembangunan aula ini menjadi usulan prioritas.\n",
     "pekerjaan_konstruksi"),
    ("KERANGKA ACUAN KERJA\nJASA KONSULTANSI PERENCANAAN PEMBANGUNAN BALAI DESA\n"
     "Konsultan menyusun gambar rencana dan rencana anggaran biaya.\n", "jasa_konsultansi"),

    # the buying office's name is not the subject
    ("PEMERINTAH PROVINSI\nBADAN PERENCANAAN PEMBANGUNAN DAERAH\nSURAT PERINTAH KERJA\n"
     "Paket Pekerjaan : Jasa Penerjemahan Dokumen Perencanaan Daerah\n"
     "Penyedia menerjemahkan 400 halaman ringkasan RPJMD ke dalam bahasa Inggris.\n", "jasa_lainnya"),

    # a bus for pupils is goods, not a transport service
    ("KERANGKA ACUAN KERJA\nPENGADAAN BUS SEKOLAH\nAkses pelajar ke sekolah bergantung pada angkutan pedesaan.\n"
     "Bus berkapasitas 30 tempat duduk diserahkan di kantor dinas.\n", "barang"),
    ("KERANGKA ACUAN KERJA\nPengadaan Seperangkat Gamelan Jawa untuk Sanggar Seni\n"
     "Penyedia menugaskan seorang tenaga ahli laras untuk menyetem gamelan.\n", "barang"),

    # furniture for a classroom that is being rehabilitated is still goods
    ("HARGA PERKIRAAN SENDIRI\nPengadaan Mebelair Laboratorium (Renovasi Ruang Laboratorium IPA)\n"
     "No | Uraian Barang | Volume | Satuan\n1 | Meja praktikum keramik | 12 | unit\n", "barang"),
])
def test_jenis_pengadaan_from_the_subject_not_from_repeated_side_mentions(text, jenis):
    _, _, _, _, facts = analyse("x.txt", text)
    assert facts["jenis_pengadaan"].value == jenis


def test_a_cue_repeated_in_the_title_block_is_not_read_as_stated_outright():
    # three title mentions weigh 2x each, not 2x, 4x, 8x: the evidence is strong, not a "Jenis: ..." line
    text = ("JASA KONSULTANSI PENGAWASAN - jasa konsultansi - jasa konsultansi\n"
            + "Isi pekerjaan. " * 200
            + "\nPengawas memeriksa pekerjaan konstruksi. Laporan pekerjaan konstruksi. Mutu pekerjaan konstruksi.\n")
    _, _, _, _, facts = analyse("x.txt", text)
    assert facts["jenis_pengadaan"].value == "jasa_konsultansi"
    assert facts["jenis_pengadaan"].confidence < 0.95


def test_an_e_purchasing_surat_pesanan_is_a_contract_with_its_order_total_as_value():
    sp = ("SURAT PESANAN (SP)\nNomor: 12/SP/DISHUB/2026\nPaket: Pengadaan Rambu Portabel\n"
          "No | Nama Produk | Jumlah | Harga Satuan (Rp) | Total (Rp)\n"
          "1 | Rambu portabel lipat | 40 | 1.250.000 | 50.000.000\n"
          "| Total Harga Pesanan | | | 55.500.000\n"
          "1. Barang diserahkan paling lambat 14 hari kalender sejak Surat Pesanan diterima.\n")
    _, _, doc_type, _, facts = analyse("pesanan.txt", sp)
    assert doc_type == "kontrak"
    assert facts["nilai_kontrak"].value == 55_500_000
    # a KAK that counts its delivery time from the surat pesanan stays a KAK
    kak = ("KERANGKA ACUAN KERJA\nLatar Belakang\nRambu lama sudah pudar.\nRuang Lingkup\n"
           "Barang diserahkan paling lambat 14 hari kalender sejak surat pesanan ditandatangani.\n")
    assert analyse("a.txt", kak)[2] == "kak"


def test_contract_value_is_the_contracts_own_total_not_a_share_or_the_amount_before_ppn():
    spk = ("SURAT PERINTAH KERJA (SPK)\nUraian | Jumlah (Rp)\n"
           "Harga pekerjaan 14 unit rumah | 330.000.000,-\nPPN 11% | 36.300.000,-\nNilai SPK | 366.300.000,-\n"
           "Penyedia menyerahkan jaminan pelaksanaan sebesar 5% (lima persen) dari nilai SPK, yaitu Rp 18.315.000,-.\n")
    facts = analyse("spk.txt", spk)[4]
    assert facts["nilai_kontrak"].value == 366_300_000
    # with no value of its own, the share is still not taken, and "harga pekerjaan" is
    only_share = spk.replace("Nilai SPK | 366.300.000,-\n", "")
    assert analyse("spk.txt", only_share)[4]["nilai_kontrak"].value == 330_000_000


def test_contract_type_from_a_data_table_row():
    spk = "SURAT PERINTAH KERJA\nDATA KONTRAK | KETERANGAN\nJENIS KONTRAK | Lumsum\nNILAI SPK | 250.000.000,-\n"
    assert analyse("spk.txt", spk)[4]["jenis_kontrak"].value == "lumsum"
    with_colon = "SURAT PERINTAH KERJA\nJENIS KONTRAK: | Lumsum\nNILAI SPK: | 250.000.000,-\n"
    assert analyse("spk.txt", with_colon)[4]["jenis_kontrak"].value == "lumsum"
