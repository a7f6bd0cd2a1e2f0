"""reviewer.docgen: the generated files are what they claim to be, independently of reviewer.ingest."""

from __future__ import annotations

import zipfile

import openpyxl
import pypdfium2 as pdfium
import pytest
import yaml
from PIL import Image

from conftest import HPS_SHEETS, KAK_BLOCKS, spec
from reviewer.docgen import FormulaEvaluator, parse_marker, write_all, write_document


def evaluate(rows, formula, sheet="S", others=None):
    sheets = {sheet: rows, **(others or {})}
    return FormulaEvaluator(sheets).evaluate(sheet, formula)


def test_formula_arithmetic_and_functions():
    rows = [[2, 1500000, 0.11], [3, 250000.5, None]]
    assert evaluate(rows, "=A1*B1") == 3000000
    assert evaluate(rows, "=A1+A2*B2") == pytest.approx(2 + 3 * 250000.5)
    assert evaluate(rows, "=(A1+A2)*B1") == 7500000
    assert evaluate(rows, "=SUM(A1:B2)") == pytest.approx(2 + 1500000 + 3 + 250000.5)
    assert evaluate(rows, "=ROUND(B2*11%,0)") == 27500  # 27500.055
    assert evaluate(rows, "=ROUND(B2*11%,2)") == pytest.approx(27500.06)
    assert evaluate(rows, "=ROUND(2.5,0)") == 3 and evaluate(rows, "=ROUND(-2.5,0)") == -3  # half away from zero
    assert evaluate(rows, "=ROUNDDOWN(B1*C1,-3)") == 165000
    assert evaluate(rows, "=-A1^2") == 4  # Excel binds the minus first
    assert evaluate(rows, "=2*-A1+10%") == pytest.approx(-3.9)
    assert evaluate(rows, "=B1/A1-C2") == 750000  # empty cell counts as 0
    assert evaluate(rows, "=$A$1*Lain!A1", others={"Lain": [[10]]}) == 20
    assert evaluate(rows, "='Rekap HPS'!A1+1", others={"Rekap HPS": [[41]]}) == 42


def test_formula_refers_to_other_formulas_and_forced_values():
    rows = [[10, 5, "=A1*B1"], [None, None, {"f": "=C1*2", "v": 7}], [None, None, "=C2+1"]]
    ev = FormulaEvaluator({"S": rows})
    assert ev.value("S", 0, 2) == 50
    assert ev.value("S", 1, 2) == 7  # forced (deliberately wrong) cached value
    assert ev.value("S", 2, 2) == 8  # later formulas build on the cached value, as in Excel


def test_unsupported_formula_is_an_error():
    with pytest.raises(ValueError):
        evaluate([[1]], "=VLOOKUP(A1,B1:C2,2)")


@pytest.mark.parametrize("marker,expected", [
    ("1.", ("decimal", (1,), ".")), ("b.", ("lowerLetter", (2,), ".")), ("C)", ("upperLetter", (3,), ")")),
    ("(2)", ("decimal_paren", (2,), "")), ("2.3", ("multi", (2, 3), "")), ("1.2.1.", ("multi", (1, 2, 1), ".")),
    ("•", ("bullet", (), "•")), ("Pasal", None),
])
def test_parse_marker(marker, expected):
    assert parse_marker(marker) == expected


def test_xlsx_cached_values_merges_and_hidden_sheet(gen_dir):
    path = write_document({"name": "hps-docgen", "format": "xlsx", "sheets": HPS_SHEETS}, gen_dir)
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    ws = values["HPS"]
    assert ws["F3"].value == 28 * 14250000
    assert ws["F6"].value == pytest.approx(28 * 14250000 + 14 * 3175000.5 + 6500000)
    assert ws["F8"].value == 500000000  # the forced value, not F6+F7
    assert formulas["HPS"]["F8"].value == "=F6+F7"
    assert values["Rekap"]["B2"].value == 500000000
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:F1"]
    assert values["Catatan"].sheet_state == "hidden"


def test_xlsx_without_cached_values(gen_dir):
    sheets = [{"name": "HPS", "rows": [[2, 3, "=A1*B1"]]}]
    path = write_document({"name": "tanpa-cache-docgen", "format": "xlsx", "cache_formulas": False,
                           "sheets": sheets}, gen_dir)
    assert openpyxl.load_workbook(path, data_only=True)["HPS"]["C1"].value is None
    assert openpyxl.load_workbook(path)["HPS"]["C1"].value == "=A1*B1"


def test_docx_uses_real_numbering(gen_dir):
    path = write_document(spec("kak-numbering", "docx"), gen_dir)
    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode()
        numbering = z.read("word/numbering.xml").decode()
    assert document.count("<w:numPr>") == 5  # a., b., c., 3.1, 3.2
    assert "mempercepat waktu pelayanan" in document and "a. mempercepat" not in document
    assert 'w:val="lowerLetter"' in numbering and 'w:val="%1.%2"' in numbering
    assert 'w:type="page"' in document and "Heading1" in document


def test_pdf_pages_text_and_footer(gen_dir):
    path = write_document(spec("kak-docgen", "pdf"), gen_dir)
    pdf = pdfium.PdfDocument(path)
    assert len(pdf) == 2
    first = pdf[0].get_textpage().get_text_range()
    assert "LATAR BELAKANG" in first and "Halaman 1" in first
    assert "SUMBER DANA" in pdf[1].get_textpage().get_text_range()


def test_scan_pdf_has_no_text_layer(gen_dir):
    path = write_document(spec("kak-scan-docgen", "scan_pdf", KAK_BLOCKS[:5]), gen_dir)
    pdf = pdfium.PdfDocument(path)
    assert len(pdf) == 1
    assert pdf[0].get_textpage().get_text_range().strip() == ""
    image = pdf[0].render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 50  # there is dark ink on the page


def test_png_is_an_a4_image_at_200_dpi(gen_dir):
    path = write_document(spec("kak-png-docgen", "png", KAK_BLOCKS[:3]), gen_dir)
    with Image.open(path) as im:
        assert im.size == (1654, 2338)
        assert round(im.info["dpi"][0]) == 200


def test_write_all_from_yaml_folder(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "satu.yaml").write_text(yaml.safe_dump(spec("kak-satu", "txt", KAK_BLOCKS[:3])), encoding="utf-8")
    (specs / "dua.yml").write_text(yaml.safe_dump([spec("kak-dua", "txt", KAK_BLOCKS[:2]),
                                                   spec("kak-tiga", "docx", KAK_BLOCKS[:2])]), encoding="utf-8")
    written = write_all(specs, tmp_path / "out")
    assert sorted(p.name for p in written) == ["kak-dua.txt", "kak-satu.txt", "kak-tiga.docx"]
    assert (tmp_path / "out" / "kak-satu.txt").read_text(encoding="utf-8").startswith("KERANGKA ACUAN KERJA (KAK)")


def test_unknown_format_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        write_document({"name": "x", "format": "odt", "blocks": []}, tmp_path)
