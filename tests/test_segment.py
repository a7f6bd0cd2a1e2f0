"""Segmentation: Indonesian document structure, labels, heading paths, exact offsets, sentences."""

from __future__ import annotations

import pytest

from reviewer.model import Block, Document, Table
from reviewer.segment import segment, split_sentences


def make_doc(name: str, text: str, kind: str = "paragraph") -> Document:
    """One block per non-empty line; a line starting with '\\f' opens a new page; lines starting
    with '|' are rows of a table (cells split on '|')."""
    blocks, tables, page_starts = [], [], [0]
    pos, current_table = 0, None
    for raw in text.split("\n"):
        start = pos
        pos += len(raw) + 1
        if raw.startswith("\f"):
            page_starts.append(start)
            start, raw = start + 1, raw[1:]
        if not raw.strip():
            current_table = None
            continue
        page = len(page_starts)
        end = start + len(raw)
        if raw.startswith("|"):
            cells = [c.strip() for c in raw.strip("|").split("|")]
            if current_table is None:
                tables.append(Table(page=page, rows=[], start=start, end=end))
                current_table = len(tables) - 1
            table = tables[current_table]
            table.rows.append(cells)
            table.end = end
            blocks.append(Block("table_row", start, end, page, table=current_table,
                                row=len(table.rows) - 1, cells=cells))
            table.row_blocks.append(len(blocks) - 1)
            continue
        current_table = None
        blocks.append(Block(kind, start, end, page))
    return Document(name, "txt", text, blocks=blocks, tables=tables, page_starts=page_starts)


KAK = """KERANGKA ACUAN KERJA (KAK)
PENGADAAN JASA KONSULTANSI PENGAWASAN REHABILITASI GEDUNG PUSKESMAS
BAB I PENDAHULUAN
A. LATAR BELAKANG
Puskesmas Sukamaju dibangun pada tahun 1998 dan kini mengalami kerusakan pada atap, dinding dan instalasi listrik. Rehabilitasi diperlukan agar pelayanan kesehatan dasar bagi warga Kec. Sukamaju tetap berjalan. Kontrak fisik senilai Rp. 2.150.000.000,00 ditandatangani oleh PT. Bangun Sehat Tbk. dan Pejabat Pembuat Komitmen s.d. tgl. 30 Juni 2025 sesuai Ps. 5 dll. sehingga diperlukan konsultan pengawas yang independen.
B. MAKSUD DAN TUJUAN
1. Maksud kegiatan ini adalah mengawasi pelaksanaan rehabilitasi gedung.
2. Tujuan kegiatan ini adalah:
a. memastikan mutu pekerjaan sesuai spesifikasi teknis;
b. memastikan pekerjaan selesai tepat waktu; dan
c. mengendalikan biaya sesuai nilai kontrak.
\f- 2 -
BAB II RUANG LINGKUP
4. RUANG LINGKUP PEKERJAAN
4.1 Lingkup pengawasan meliputi:
a. pemeriksaan gambar kerja;
b. pengendalian mutu bahan di Jl. Merdeka No. 12 Kab. Sukamaju;
- uji beton;
- uji baja tulangan.
4.2 Pelaporan dilakukan setiap bulan.
LATAR BELAKANG
Halaman 2 dari 3
......................................
5.
"""

KONTRAK = """SURAT PERJANJIAN
Pasal 1
ISTILAH DAN UNGKAPAN
Peristilahan dalam Surat Perjanjian ini sama dengan yang tercantum dalam SSUK.
Pasal 2
JANGKA WAKTU
(1) Masa pelaksanaan selama 150 (seratus lima puluh) hari kalender.
(2) Denda keterlambatan ditetapkan sebagai berikut:
a. sebesar 1‰ (satu permil) dari nilai kontrak per hari;
b. paling banyak 5% (lima persen) dari nilai kontrak:
i. dihitung dari nilai kontrak sebelum PPN;
ii. dipotong dari tagihan termin.
(3) Penyedia wajib:
(a) menyerahkan jaminan pelaksanaan;
(b) menyerahkan jadwal pelaksanaan.
Pasal 3
Para pihak menyelesaikan perselisihan secara musyawarah.
"""


@pytest.fixture(scope="module")
def kak():
    doc = make_doc("kak-pengawasan.txt", KAK)
    return doc, segment(doc)


@pytest.fixture(scope="module")
def kontrak():
    doc = make_doc("spk.txt", KONTRAK)
    return doc, segment(doc)


def by_start(clauses, prefix):
    found = [c for c in clauses if c.text.startswith(prefix)]
    assert found, f"no clause starts with {prefix!r}"
    return found[0]


def test_offsets_ids_and_pages_are_exact(kak):
    doc, clauses = kak
    assert clauses
    for n, c in enumerate(clauses):
        assert doc.text[c.start:c.end] == c.text == c.text.strip()
        assert c.id == f"kak-pengawasan.txt#{n}"
        assert c.document == "kak-pengawasan.txt"
        assert c.page == doc.page_at(c.start)
    assert by_start(clauses, "BAB II").page == 2
    starts = [c.start for c in clauses]
    assert starts == sorted(starts)


def test_noise_is_skipped(kak):
    _, clauses = kak
    texts = [c.text for c in clauses]
    assert "- 2 -" not in texts
    assert "Halaman 2 dari 3" not in texts
    assert not any(set(t) <= set(". ") for t in texts)
    assert "5." not in texts  # lone numbering


def test_headings_and_paths(kak):
    _, clauses = kak
    bab = by_start(clauses, "BAB I PENDAHULUAN")
    assert bab.kind == "heading" and bab.numbering == "BAB I"
    latar = by_start(clauses, "A. LATAR BELAKANG")
    assert latar.kind == "heading" and latar.label == "LATAR BELAKANG"
    assert latar.heading_path == ["BAB I PENDAHULUAN"]
    item = by_start(clauses, "a. memastikan mutu")
    assert item.heading_path == ["BAB I PENDAHULUAN", "B. MAKSUD DAN TUJUAN"]
    assert item.numbering == "a." and item.kind == "item"
    assert item.label == "MAKSUD DAN TUJUAN angka 2 huruf a"
    # a new BAB closes the sections of the previous one
    lingkup = by_start(clauses, "4.1 Lingkup")
    assert lingkup.heading_path == ["BAB II RUANG LINGKUP", "4. RUANG LINGKUP PEKERJAAN"]


def test_dotted_numbering_labels(kak):
    _, clauses = kak
    b = by_start(clauses, "b. pengendalian mutu")
    assert b.label == "bagian 4.1 huruf b" and b.numbering == "b."
    bullet2 = by_start(clauses, "- uji baja")
    assert bullet2.label == "bagian 4.1 huruf b butir 2" and bullet2.numbering == "-"
    p42 = by_start(clauses, "4.2 Pelaporan")
    assert p42.numbering == "4.2" and p42.label == "bagian 4.2"


def test_long_paragraph_is_split_into_sentences_respecting_abbreviations(kak):
    doc, clauses = kak
    sentences = [c for c in clauses if c.kind == "sentence"]
    assert [c.text.split()[0] for c in sentences] == ["Puskesmas", "Rehabilitasi", "Kontrak"]
    third = sentences[2]
    assert "Rp. 2.150.000.000,00" in third.text and "PT. Bangun Sehat Tbk. dan" in third.text
    assert "s.d. tgl. 30 Juni" in third.text and third.text.endswith("independen.")
    assert sentences[1].text == ("Rehabilitasi diperlukan agar pelayanan kesehatan dasar bagi warga "
                                 "Kec. Sukamaju tetap berjalan.")
    for c in sentences:
        assert c.label == "LATAR BELAKANG" and doc.text[c.start:c.end] == c.text


def test_pasal_ayat_huruf_labels(kontrak):
    _, clauses = kontrak
    pasal2 = by_start(clauses, "Pasal 2")
    assert pasal2.kind == "heading" and pasal2.numbering == "Pasal 2"
    assert "JANGKA WAKTU" in pasal2.text  # the title line belongs to the Pasal heading
    ayat1 = by_start(clauses, "(1) Masa pelaksanaan")
    assert ayat1.label == "Pasal 2 ayat (1)" and ayat1.numbering == "(1)"
    assert ayat1.heading_path == ["Pasal 2 JANGKA WAKTU"]  # a Pasal ranks above a title line
    assert by_start(clauses, "b. paling banyak").label == "Pasal 2 ayat (2) huruf b"
    roman = by_start(clauses, "ii. dipotong")
    assert roman.label == "Pasal 2 ayat (2) huruf b butir ii" and roman.numbering == "ii."
    paren = by_start(clauses, "(b) menyerahkan jadwal")
    assert paren.label == "Pasal 2 ayat (3) huruf b" and paren.numbering == "(b)"
    body = by_start(clauses, "Para pihak menyelesaikan")
    assert body.label == "Pasal 3" and body.kind == "paragraph"


def test_letter_i_after_h_is_a_letter_not_a_roman_numeral():
    lines = ["Pasal 9", "(1) Kewajiban penyedia:"] + [f"{ch}. kewajiban {ch};" for ch in "abcdefghij"]
    doc = make_doc("k.txt", "\n".join(lines))
    clauses = segment(doc)
    i_item = by_start(clauses, "i. kewajiban")
    assert i_item.label == "Pasal 9 ayat (1) huruf i"
    assert by_start(clauses, "j. kewajiban").label == "Pasal 9 ayat (1) huruf j"


def test_table_rows_are_clauses_with_cells():
    text = ("HARGA PERKIRAAN SENDIRI\n"
            "| No | Uraian | Volume | Harga Satuan | Jumlah |\n"
            "| 1 | Laptop | 20 | 12.500.000 | 250.000.000 |\n"
            "| | | | | |\n"
            "| 2 | Printer | 10 | 3.250.000 | 32.500.000 |\n")
    doc = make_doc("hps.xlsx", text)
    rows = [c for c in segment(doc) if c.kind == "table_row"]
    assert len(rows) == 3  # the empty row carries nothing
    laptop = rows[1]
    assert laptop.cells == ["1", "Laptop", "20", "12.500.000", "250.000.000"]
    assert laptop.table == 0 and laptop.row == 1 and laptop.label == "tabel baris 2"
    assert laptop.heading_path == ["HARGA PERKIRAAN SENDIRI"]
    assert doc.text[laptop.start:laptop.end] == laptop.text


def test_wrapped_pdf_lines_join_into_one_clause():
    text = ("1. Latar Belakang Jalan kabupaten ruas Sukamaju - Cibening sepanjang\n"
            "4,5 km rusak berat akibat banjir, sehingga\n"
            "perlu direhabilitasi segera.\n"
            "Rehabilitasi jalan akan meningkatkan akses warga.\n")
    doc = make_doc("kak.pdf", text, kind="line")
    clauses = segment(doc)
    assert [c.text.split("\n")[0][:20] for c in clauses] == ["1. Latar Belakang Ja", "Rehabilitasi jalan a"]
    first = clauses[0]
    assert first.text.endswith("direhabilitasi segera.") and first.numbering == "1."
    assert first.heading_path == ["1. Latar Belakang"]  # the item opens the section inline
    assert clauses[1].label == "Latar Belakang"


def test_running_headers_are_dropped():
    pages = []
    for n in range(1, 5):
        pages.append(f"Rancangan Kontrak\nPasal {n}\nIsi ketentuan nomor {n} berlaku bagi para pihak.")
    text = "\n\f".join(pages)
    clauses = segment(make_doc("kontrak.pdf", text, kind="line"))
    assert not any(c.text == "Rancangan Kontrak" for c in clauses)
    assert sum(c.kind == "heading" for c in clauses) == 4


def test_split_sentences_keeps_abbreviations_and_numbers():
    text = ("Nilai HPS sebesar Rp. 1.250.000,00 termasuk PPN. Lokasi di Jl. Sudirman No. 5 Kab. "
            "Bogor. Penyedia CV. Maju Jaya atau PT. Karya dll. dapat ikut. Selesai.")
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Nilai HPS sebesar Rp. 1.250.000,00 termasuk PPN.",
        "Lokasi di Jl. Sudirman No. 5 Kab. Bogor.",
        "Penyedia CV. Maju Jaya atau PT. Karya dll. dapat ikut.",
        "Selesai.",
    ]


def test_segment_on_ingested_files(tmp_path):
    ingest = pytest.importorskip("reviewer.ingest")
    path = tmp_path / "kak-pengawasan.txt"
    path.write_text(KONTRAK, encoding="utf-8")
    doc = ingest.load(path)
    clauses = segment(doc)
    for c in clauses:
        assert doc.text[c.start:c.end] == c.text
    assert by_start(clauses, "(1) Masa pelaksanaan").label == "Pasal 2 ayat (1)"
    assert by_start(clauses, "ii. dipotong").label == "Pasal 2 ayat (2) huruf b butir ii"


def test_docx_heading_styles(tmp_path):
    docx = pytest.importorskip("docx")
    ingest = pytest.importorskip("reviewer.ingest")
    d = docx.Document()
    d.add_heading("Kerangka Acuan Kerja", level=1)
    d.add_heading("Latar Belakang", level=2)
    d.add_paragraph("Kantor kecamatan memerlukan 15 unit komputer untuk layanan kependudukan.")
    d.add_heading("Ruang Lingkup", level=2)
    d.add_paragraph("a. pengadaan komputer;")
    d.add_paragraph("b. instalasi dan pelatihan operator.")
    path = tmp_path / "kak.docx"
    d.save(path)
    doc = ingest.load(path)
    clauses = segment(doc)
    b = by_start(clauses, "b. instalasi")
    assert b.heading_path == ["Kerangka Acuan Kerja", "Ruang Lingkup"]
    assert b.label == "Ruang Lingkup huruf b"
    body = by_start(clauses, "Kantor kecamatan")
    assert body.label == "Latar Belakang"


def test_roman_sections_and_parenthesised_markers():
    text = ("I. PENDAHULUAN\n"
            "A. LATAR BELAKANG\n"
            "Sekolah memerlukan sarana belajar yang layak.\n"
            "II. SPESIFIKASI\n"
            "1) meja siswa dari kayu jati;\n"
            "a) tinggi 75 cm;\n"
            "b) lebar 60 cm;\n"
            "2) kursi siswa dari besi.\n")
    clauses = segment(make_doc("kak.txt", text))
    body = by_start(clauses, "Sekolah")
    assert body.heading_path == ["I. PENDAHULUAN", "A. LATAR BELAKANG"]
    assert body.label == "LATAR BELAKANG"
    b = by_start(clauses, "b) lebar")
    assert b.heading_path == ["II. SPESIFIKASI"]
    assert b.numbering == "b)" and b.label == "SPESIFIKASI angka 1 huruf b"
    two = by_start(clauses, "2) kursi")
    assert two.label == "SPESIFIKASI angka 2" and two.numbering == "2)"


def test_pasal_without_title_line_in_pdf_lines():
    text = "Pasal 7\nPenyedia wajib mengasuransikan pekerjaan\nsampai serah terima akhir.\nPasal 8\nKEADAAN KAHAR\n(1) Keadaan kahar diberitahukan paling lambat 14 hari."
    clauses = segment(make_doc("k.pdf", text, kind="line"))
    assert [c.text for c in clauses] == [
        "Pasal 7", "Penyedia wajib mengasuransikan pekerjaan\nsampai serah terima akhir.",
        "Pasal 8\nKEADAAN KAHAR", "(1) Keadaan kahar diberitahukan paling lambat 14 hari."]
    assert [c.label for c in clauses] == ["Pasal 7", "Pasal 7", "Pasal 8", "Pasal 8 ayat (1)"]
    assert clauses[3].heading_path == ["Pasal 8 KEADAAN KAHAR"]


# --- the sentence splitter's fast path against the whole spaCy pipeline ---------------------------

SPLIT_CASES = [
    "Penyedia wajib hadir. Rapat dipimpin PPK.",
    "Harga Rp. 1.250.000,00 sudah termasuk PPN. Pembayaran dilakukan sekaligus.",
    "Lokasi di Kab. Sukamaju, Kec. Cempaka. Pekerjaan selesai s.d. 31 Desember 2026. Serah terima dilakukan.",
    "Dikirim oleh PT. Maju Jaya Tbk. ke gudang. Barang diperiksa!  Apakah lengkap? (2) Penyedia mengganti.",
    "Ketentuan ini selesai.Penyedia menandatangani. \"Barang\" diterima. “Jasa” dibayar…  Lanjut.",
    "Nilai 10kg. Suhu 25°C. Lihat https://lkpp.go.id. Lalu e-Katalog. Tahun 2026.\tPekerjaan dimulai.",
    "a. Butir pertama. b. Butir kedua. III. Bagian ketiga. ABC. Singkatan. x) Tanda.",
    "   Awal dengan spasi. \u00a0Spasi tak putus. _garis_ bawah. — pisah. [1]. Rujukan.",
]


@pytest.mark.parametrize("text", SPLIT_CASES)
def test_fast_sentence_starts_equal_spacy_pipeline(text):
    from reviewer.segment import _sentence_starts, _spacy_sentence_starts

    flat = text.replace("\n", " ")
    assert _sentence_starts(flat) == _spacy_sentence_starts(flat)


def test_fast_sentence_starts_equal_spacy_on_generated_documents(tmp_path):
    """Every real-looking text we have: the evaluation documents' specs are generated on the fly in
    other tests, so here the rule examples and a generated KAK stand in for them."""
    from reviewer.docgen import write_document
    from reviewer.ingest import load
    from reviewer.rules import default_rulebook
    from reviewer.segment import _sentence_starts, _spacy_sentence_starts

    texts = [ex.text for rule in default_rulebook().rules
             for ex in (*rule.violating, *rule.compliant) if ex.text]
    blocks = [{"h": "KERANGKA ACUAN KERJA", "level": 0}]
    blocks += [{"li": f"Penyedia menyerahkan {i} unit barang di Kab. Sukamaju s.d. tanggal {i}. "
                      f"Harga Rp{i}.500.000,00 (termasuk PPN). Garansi {i} tahun!", "marker": f"{i}."}
               for i in range(1, 30)]
    texts.append(load(write_document({"name": "kak-uji", "format": "pdf", "blocks": blocks}, tmp_path)).text)
    differ = [t for t in texts
              if _sentence_starts(t.replace("\n", " ")) != _spacy_sentence_starts(t.replace("\n", " "))]
    assert len(texts) > 100 and differ == []


def test_multi_word_special_case_goes_through_the_pipeline():
    """spaCy's special cases that span a space ("Dr. rer. nat.") cannot be read chunk by chunk."""
    from reviewer.segment import _sentence_starts, _spacy_sentence_starts

    text = "Tenaga ahli bergelar Dr. rer. nat. dari universitas. Penyedia melampirkan ijazah."
    assert _sentence_starts(text) == _spacy_sentence_starts(text)


def test_a_wrapped_line_that_starts_by_citing_an_article_is_not_its_heading():
    doc = make_doc("kontrak.pdf", "Pasal 9 - Denda\n"
                   "Apabila Penyedia terlambat melebihi batas waktu dalam\n"
                   "Pasal 2, Penyedia dikenakan denda 1 permil per hari.\n"
                   "Pasal 10 - Perubahan Kontrak\n"
                   "Perubahan dituangkan dalam adendum.\n")
    clauses = segment(doc)
    headings = [c.text for c in clauses if c.kind == "heading"]
    assert headings == ["Pasal 9 - Denda", "Pasal 10 - Perubahan Kontrak"]
    denda = next(c for c in clauses if "dikenakan denda" in c.text)
    assert denda.kind != "heading" and "Pasal 9" in denda.heading_path[-1]


def test_a_short_question_heads_the_section_it_asks_about():
    text = ("KERANGKA ACUAN KERJA\n"
            "1. Siapa sasarannya?\n"
            "- 40 kader posyandu di 8 desa.\n"
            "2. Di mana barang diserahkan?\n"
            "- Gudang dinas, Jl. Merdeka No. 4.\n"
            "3. Apa saja yang dikerjakan penyedia?\n"
            "- Mengirim dan memasang timbangan.\n"
            "4. Apakah penyedia boleh mensubkontrakkan pekerjaan utama kepada pihak lain tanpa izin tertulis PPK?\n")
    clauses = segment(make_doc("kak.pdf", text))
    headings = {c.text: c for c in clauses if c.kind == "heading"}
    assert set(headings) == {"KERANGKA ACUAN KERJA", "1. Siapa sasarannya?", "2. Di mana barang diserahkan?",
                             "3. Apa saja yang dikerjakan penyedia?"}
    assert by_start(clauses, "- 40 kader").heading_path[-1].startswith("1. Sasaran:")
    assert by_start(clauses, "- Gudang").heading_path[-1].startswith("2. Lokasi:")
    assert by_start(clauses, "- Mengirim").heading_path[-1].startswith("3. Ruang lingkup:")
    # a long question is a sentence of the text, not a heading
    assert by_start(clauses, "4. Apakah").kind != "heading"


def test_question_topics():
    from reviewer.segment import question_topic

    assert question_topic("Mengapa pengadaan ini diperlukan?") == "Latar belakang"
    assert question_topic("Berapa biayanya dan dari mana?") == "Sumber dana dan perkiraan biaya"
    assert question_topic("Kapan pekerjaan harus selesai?") == "Jangka waktu pelaksanaan"
    assert question_topic("Barang apa yang dibutuhkan?") == "Spesifikasi teknis"
    assert question_topic("Apa hasil akhirnya?") == "Keluaran"
    assert question_topic("Siapa yang boleh menjadi penyedia?") == "Persyaratan penyedia"
    # not a question, or a question about nothing the KAK is organised by
    assert question_topic("Sasaran kegiatan adalah 40 kader.") is None
    assert question_topic("Apakah cuaca mendukung?") is None
