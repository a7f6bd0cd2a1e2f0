"""The brand recognizer (reviewer/checks/brand.py) and its lexicon (corpus/lexicons/merek.yaml)."""

from __future__ import annotations

import re

import pytest
import yaml

from reviewer.checks.base import DocContext
from reviewer.checks.brand import (LEXICON_PATH, BrandRecognizer, brand_check, load_recognizer,
                                   sentence_spans)
from reviewer.model import Clause, Document, Table
from reviewer.rules import parse_rule


@pytest.fixture(scope="module")
def recognizer() -> BrandRecognizer:
    return load_recognizer()


def brands(recognizer: BrandRecognizer, text: str, header: str = "") -> set[str]:
    return {h.brand for h in recognizer.analyze(text, header=header)}


# --- recognition ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Kendaraan dinas roda empat merek Toyota Kijang Innova Zenix, warna hitam.", "Toyota"),
    ("Printer Epson L3210 sebanyak 4 unit untuk sekretariat.", "Epson"),
    ("Merk/Type : Asus VivoBook 14 A1404", "Asus"),
    ("Cat tembok eksterior Dulux Weathershield warna putih tulang.", "Dulux"),
    ("Semen PCC kemasan 50 kg produksi Semen Tonasa.", "Semen Tonasa"),
    ("Router inti menggunakan MikroTik CCR2004 dengan lisensi level 6.", "MikroTik"),
    ("Perangkat lunak Microsoft Office 2021 Home & Business, lisensi OLP.", "Microsoft"),
    ("Patient monitor Mindray uMEC12 lengkap dengan SpO2 dan NIBP.", "Mindray"),
    ("Kursi kerja ergonomis merk Chitose tipe Yamato.", "Chitose"),
])
def test_recognizes_brand(recognizer, text, expected):
    assert expected in brands(recognizer, text)


def test_hit_carries_offsets_and_explanation(recognizer):
    text = "Kamera digital Canon EOS 90D untuk dokumentasi kegiatan."
    hits = recognizer.analyze(text)
    canon = [h for h in hits if h.brand == "Canon"]
    assert canon
    for h in canon:
        assert text[h.start:h.end] == h.term
        assert "Canon" in h.explanation


# --- ambiguous terms need brand-like context -----------------------------------------------------

@pytest.mark.parametrize("text", [
    "Narahubung: Sdr. Budi, No. HP 0812-3456-7890.",
    "Kantor beralamat di Jl. Honda Raya No. 5, Kecamatan Sukamaju.",
    "Bapak Roman Simanjuntak selaku PPK menandatangani berita acara.",
    "Peserta menyampaikan laporan melalui sharp deadline yang ditetapkan.",
    "Laporan diserahkan dalam format Microsoft Word dan PDF.",
    "Informasi lebih lanjut di www.toyota.astra.co.id atau surel info@daikin.co.id.",
    "Gedung Olympic Center lantai 3 digunakan sebagai lokasi pelatihan.",
    "Juru gambar lulusan SMK Bangunan, terampil AutoCAD, 2 orang.",
    "Asisten tenaga ahli menguasai program SAP2000, ETABS dan AutoCAD.",
])
def test_ordinary_words_addresses_and_phones_are_not_brands(recognizer, text):
    assert brands(recognizer, text) == set()


def test_ambiguous_term_counts_with_context_or_model(recognizer):
    assert "HP" not in brands(recognizer, "Peserta wajib mencantumkan HP yang aktif.")
    assert "HP" in brands(recognizer, "Notebook merek HP seri ProBook.")
    assert "HP" in brands(recognizer, "Notebook HP 14s-dq5 untuk staf keuangan.")


def test_case_sensitive_terms(recognizer):
    assert "HP" not in brands(recognizer, "Notebook hp 14s-dq5 untuk staf keuangan.")


def test_table_header_gives_context(recognizer):
    # "Aqua" is ambiguous; the header row "Merek" makes the row a brand statement.
    row = "Air minum dalam kemasan | Aqua | 600 ml"
    assert "Aqua" not in brands(recognizer, row)
    assert "Aqua" in brands(recognizer, row, header="Uraian | Merek | Volume")


# --- Pasal 19 ayat (2) exceptions invalidate ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "Penggantian suku cadang kendaraan Toyota Avanza sesuai daftar kerusakan.",
    "Access point harus kompatibel dengan controller Cisco yang sudah terpasang.",
    "Penambahan kamera pada sistem CCTV yang sudah ada (Hikvision) di gedung utama.",
    "Laptop Lenovo ThinkPad dibeli melalui katalog elektronik.",
    "Pembelian tinta printer Epson melalui toko daring.",
    "Komponen pendingin menggunakan kompresor Daikin.",
    "Laptop dengan prosesor Intel Core i5 generasi ke-12, RAM 16 GB.",
])
def test_exceptions_invalidate(recognizer, text):
    assert brands(recognizer, text) == set()


def test_komponen_only_covers_a_brand_close_after_it(recognizer):
    # "komponen" far from and after the brand does not make the laptop itself a component.
    text = "Unit AC merek Daikin, seluruh komponen asli dan bergaransi resmi."
    assert "Daikin" in brands(recognizer, text)


def test_processor_word_does_not_hide_the_laptop_brand(recognizer):
    assert "Lenovo" in brands(recognizer, "Laptop Lenovo ThinkPad E14, prosesor 8 core.")


# --- "atau setara" lowers but does not remove -----------------------------------------------------

def test_setara_lowers_score_but_keeps_hit(recognizer):
    plain = recognizer.analyze("AC split 1 PK merek Daikin.")
    soft = recognizer.analyze("AC split 1 PK merek Daikin atau setara.")
    assert plain and soft
    assert soft[0].softened and not plain[0].softened
    assert soft[0].score < plain[0].score


def test_context_word_raises_score(recognizer):
    bare = recognizer.analyze("Pengadaan AC Daikin untuk ruang rapat.")
    framed = recognizer.analyze("Pengadaan AC dengan merek Daikin untuk ruang rapat.")
    assert framed[0].score > bare[0].score


# --- data round trip and lexicon sanity --------------------------------------------------------

def test_round_trip(recognizer):
    clone = BrandRecognizer.from_dict(recognizer.to_dict())
    text = "Kendaraan operasional Mitsubishi Pajero Sport Dakar 4x2 AT."
    assert [(h.brand, h.start, h.score) for h in clone.analyze(text)] == \
           [(h.brand, h.start, h.score) for h in recognizer.analyze(text)]


def test_lexicon_is_well_formed():
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    assert len(data["brands"]) >= 100
    seen: dict[str, str] = {}
    for brand in data["brands"]:
        terms = [brand["name"], *brand.get("aliases", []), *brand.get("lines", [])]
        for t in terms:
            key = t.lower()
            assert key not in seen or seen[key] == brand["name"], f"{t} in {seen.get(key)} and {brand['name']}"
            seen[key] = brand["name"]
        for t in brand.get("ambiguous", []) + brand.get("case_sensitive", []):
            assert t in terms, f"{t} is not a term of {brand['name']}"
    for pattern in [e["pattern"] for e in data["exceptions"]] + data["softeners"] + data["ignore"]:
        re.compile(pattern)


def test_sentence_spans_do_not_split_abbreviations():
    text = "Lokasi di Jl. Merdeka No. 5, Kab. Sleman. Merek yang ditawarkan wajib dicantumkan."
    spans = sentence_spans(text)
    assert len(spans) == 2
    assert text[spans[1][0]:spans[1][1]].startswith("Merek")


# --- the registered check on a document --------------------------------------------------------

BRAND_RULE = {
    "id": "SPEK-MEREK-99", "title": "Merek", "category": "risk.merek", "kind": "risk",
    "severity": "sedang", "applies_to": ["spesifikasi"], "check": "brand",
    "source": {"regulation": "Perpres 16/2018", "article": "Pasal 19 ayat (2)", "version": "16/2018",
               "confidence": "pasti"},
    "statement": "s", "why": "w", "suggestion": "g",
    "examples": {"violating": ["a", "b"], "compliant": ["c", "d"]},
}


def make_ctx(text: str, clause_texts: list[str], tables: list[Table] | None = None,
             rows: dict[int, tuple[int, int]] | None = None) -> DocContext:
    doc = Document(name="spek.txt", format="txt", text=text, tables=tables or [])
    clauses = []
    for i, ct in enumerate(clause_texts):
        start = text.index(ct)
        table, row = (rows or {}).get(i, (None, None))
        clauses.append(Clause(id=f"c{i}", document=doc.name, text=ct, start=start, end=start + len(ct),
                              page=1, kind="table_row" if table is not None else "paragraph",
                              table=table, row=row))
    return DocContext(document=doc, clauses=clauses, doc_type="spesifikasi")


def test_check_reports_the_sentence_not_the_paragraph():
    para = ("Barang yang diadakan berupa laptop untuk staf. Laptop yang ditawarkan bermerek "
            "Lenovo ThinkPad E14 Gen 5. Garansi resmi minimal 3 tahun.")
    ctx = make_ctx(para, [para])
    findings = brand_check(parse_rule(BRAND_RULE, "test"), ctx)
    assert len(findings) == 1
    f = findings[0]
    assert f.evidence == "Laptop yang ditawarkan bermerek Lenovo ThinkPad E14 Gen 5."
    assert para[f.start:f.end] == f.evidence
    assert "merek Lenovo (ThinkPad) di luar" in f.message  # each brand named once, with its line


def test_check_one_finding_per_sentence_and_severity_follows_score():
    text = "Kendaraan merek Toyota Hilux. Printer setara Epson."
    ctx = make_ctx(text, ["Kendaraan merek Toyota Hilux.", "Printer setara Epson."])
    findings = brand_check(parse_rule(BRAND_RULE, "test"), ctx)
    assert [f.evidence for f in findings] == ["Kendaraan merek Toyota Hilux.", "Printer setara Epson."]
    assert findings[0].severity == "tinggi"
    assert findings[1].severity == "rendah"
    assert "setara" in findings[1].message


def test_check_quiet_on_exceptions_and_clean_spec():
    text = ("Penggantian suku cadang AC Daikin yang rusak. Laptop dengan layar 14 inci, RAM 16 GB, "
            "SSD 512 GB, garansi 3 tahun.")
    ctx = make_ctx(text, [text])
    assert brand_check(parse_rule(BRAND_RULE, "test"), ctx) == []


def test_check_uses_table_header_as_context():
    header = "No | Uraian | Merek"
    row = "1 | Air minum kemasan 600 ml | Aqua"
    text = header + "\n" + row
    table = Table(page=1, rows=[header.split(" | "), row.split(" | ")], start=0, end=len(text))
    ctx = make_ctx(text, [row], tables=[table], rows={0: (0, 1)})
    findings = brand_check(parse_rule(BRAND_RULE, "test"), ctx)
    assert len(findings) == 1 and findings[0].evidence == row


@pytest.mark.parametrize("text", [
    "Kompresor udara tipe piston 3 HP, tangki 150 liter, 2 unit.",
    "Pompa air celup 1,5 HP dengan pipa keluaran 2 inci.",
])
def test_horsepower_is_not_the_brand_hp(recognizer, text):
    assert "HP" not in brands(recognizer, text)
