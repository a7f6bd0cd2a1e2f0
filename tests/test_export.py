"""Exports: each file is written, opened again with its own reader, and its content checked."""

from __future__ import annotations

import json

import docx
import openpyxl
import pdfplumber
import pytest

from reviewer.export import render_html, write_commented_docx, write_html, write_json, write_pdf, write_register
from reviewer.store import ReviewStore
from test_store import KAK_TEXT, make_report

DOC_NAME = "KAK Laptop.docx"


def _write_kak_docx(path):
    """The KAK text as a real DOCX, the denda clause inside a table row like many kontrak drafts."""
    d = docx.Document()
    lines = KAK_TEXT.strip().split("\n")
    for line in lines[:-2]:
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = lines[-2]
    table.rows[0].cells[1].text = lines[-1]
    d.save(path)
    return path


@pytest.fixture()
def reviewed(tmp_path):
    """A saved review with one finding accepted and one dismissed."""
    src = _write_kak_docx(tmp_path / DOC_NAME)
    report = make_report(path=str(src))
    store = ReviewStore(f"sqlite:///{tmp_path / 'r.db'}")
    rid = store.save_review(report, "budi")
    merek, denda, missing = (f.key for f in report.findings)
    store.decide(rid, merek, "diterima", note="ganti dengan spesifikasi fungsi", user="Budi Santoso")
    store.decide(rid, denda, "ditolak", reason="tarif sudah sesuai SSKK", user="Budi Santoso")
    data, decisions = store.get_review(rid)
    return store, rid, data, decisions


def test_xlsx_register(reviewed, tmp_path):
    _, _, data, decisions = reviewed
    path = write_register(data, decisions, tmp_path / "register.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Temuan"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 3
    by_rule = {r["Kode aturan"]: r for r in rows}
    assert by_rule["SPEK-MEREK-01"]["Keputusan"].startswith("Diterima")
    assert by_rule["SPEK-MEREK-01"]["Pereviu"] == "Budi Santoso"
    assert by_rule["SPEK-MEREK-01"]["Waktu keputusan"]
    assert "merek Lenovo" in by_rule["SPEK-MEREK-01"]["Bukti (kutipan)"]
    assert by_rule["KONTRAK-DENDA-01"]["Alasan"] == "tarif sudah sesuai SSKK"
    assert by_rule["KAK-SUMBERDANA-01"]["Keputusan"] == "Belum diputuskan"
    summary = {r[0].value: r[1].value for r in wb["Ringkasan"].iter_rows() if r[0].value}
    assert summary["Jumlah temuan"] == 3
    assert summary["Tingkat Tinggi"] == 1
    assert summary["Ditolak (bukan masalah)"] == 1
    assert summary["  Nilai HPS"] == "Rp185.000.000"


def test_related_evidence_reaches_the_register_and_the_pdf(reviewed, tmp_path):
    _, _, data, decisions = reviewed
    data = dict(data, findings=[dict(f, related=[{"document": "hps.xlsx", "evidence": "Total HPS Rp 185.000.000",
                                                 "page": 1}]) if i == 0 else f
                                for i, f in enumerate(data["findings"])])
    wb = openpyxl.load_workbook(write_register(data, decisions, tmp_path / "r.xlsx"))
    ws = wb["Temuan"]
    header = [c.value for c in ws[1]]
    cells = [dict(zip(header, (c.value for c in r)))["Bukti lain"] for r in ws.iter_rows(min_row=2)]
    assert sum(1 for c in cells if c and "hps.xlsx, halaman 1" in c and "Total HPS" in c) == 1
    with pdfplumber.open(write_pdf(data, decisions, tmp_path / "r.pdf")) as pdf:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "(hps.xlsx, halaman 1)" in text and "Total HPS Rp 185.000.000" in text
    html = write_html(data, decisions, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "(hps.xlsx, halaman 1)" in html and "Total HPS Rp 185.000.000" in html


def test_xlsx_guards_formula_injection(tmp_path):
    report = make_report().to_dict()
    report["findings"][0]["evidence"] = "=HYPERLINK(\"http://x\")"
    path = write_register(report, {}, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["Temuan"]
    assert ws.cell(2, 9).value.startswith("'=")


def _comments_with_anchor(path):
    """{comment text: text of the paragraph where its range starts}."""
    d = docx.Document(str(path))
    texts = {c.comment_id: c.text for c in d.comments}
    anchored = {}
    paragraphs = list(d.paragraphs) + [p for t in d.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    for p in paragraphs:
        for el in p._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}commentRangeStart"):
            cid = int(el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id"))
            anchored[texts[cid]] = p.text
    return d, anchored


def test_docx_comments_anchored_at_clauses(reviewed, tmp_path):
    store, rid, data, decisions = reviewed
    original = store.document(rid, DOC_NAME)["original"]
    assert original  # the DOCX was kept for export
    # a table row's evidence joins its cells
    denda_row = next(f for f in data["findings"] if f["rule_id"] == "KONTRAK-DENDA-01")
    denda_row["evidence"] = "4. Denda | " + denda_row["evidence"]
    result = write_commented_docx(original, data, decisions, tmp_path / "out.docx", DOC_NAME,
                                  author="Budi Santoso", include_dismissed=True)
    assert (result.placed, result.unplaced) == (2, 1)
    d, anchored = _comments_with_anchor(result.path)
    assert len(list(d.comments)) == 3
    assert all(c.author == "Budi Santoso" for c in d.comments)
    merek = next(t for t in anchored if "SPEK-MEREK-01" in t)
    assert "merek Lenovo" in anchored[merek]
    assert "Keputusan pereviu: Diterima" in merek
    denda = next(t for t in anchored if "KONTRAK-DENDA-01" in t)
    assert anchored[denda] == "4. Denda"  # table row: the range starts at its first cell
    missing = next(t for t in anchored if "KAK-SUMBERDANA-01" in t)
    assert anchored[missing] == "KERANGKA ACUAN KERJA"
    assert "tidak ditemukan" in missing


def test_docx_leaves_out_dismissed_by_default(reviewed, tmp_path):
    store, rid, data, decisions = reviewed
    result = write_commented_docx(store.document(rid, DOC_NAME)["original"], data, decisions,
                                  tmp_path / "out.docx", DOC_NAME)
    d, anchored = _comments_with_anchor(result.path)
    assert len(list(d.comments)) == 2
    assert not any("KONTRAK-DENDA-01" in t for t in anchored)


def test_html_is_self_contained_and_escaped(reviewed, tmp_path):
    _, _, data, decisions = reviewed
    data["findings"][0]["evidence"] = "Laptop <script>alert(1)</script> merek Lenovo"
    html = render_html(data, decisions)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "tarif sudah sesuai SSKK" in html
    assert "Sumber dana tidak disebut" in html
    path = write_html(data, decisions, tmp_path / "laporan.html")
    assert path.read_text(encoding="utf-8") .startswith("<!DOCTYPE html>")


def test_pdf_report_text(reviewed, tmp_path):
    _, _, data, decisions = reviewed
    path = write_pdf(data, decisions, tmp_path / "laporan.pdf")
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    flat = " ".join(text.split())
    assert "Laporan Reviu Dokumen Pengadaan" in flat
    assert "Spesifikasi menyebut merek" in flat
    assert "tarif sudah sesuai SSKK" in flat
    assert "Jumlah temuan 3" in flat


def test_pdf_report_numbers_its_pages(reviewed, tmp_path):
    _, _, data, decisions = reviewed
    many = dict(data, findings=[dict(f, message=f["message"] + " " + "Uraian panjang. " * 40)
                                for f in data["findings"] * 6])
    path = write_pdf(many, decisions, tmp_path / "panjang.pdf")
    with pdfplumber.open(path) as pdf:
        pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert len(pages) >= 2
    for i, text in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in text


def test_json_keeps_contract_and_adds_decisions(reviewed, tmp_path):
    _, _, data, decisions = reviewed
    out = json.loads(write_json(data, decisions, tmp_path / "r.json").read_text(encoding="utf-8"))
    for field in ("documents", "findings", "summary", "rulebook_version", "model"):
        assert field in out
    f = out["findings"][0]
    for field in ("rule_id", "category", "kind", "severity", "document", "page", "start", "end",
                  "evidence", "citation", "message", "suggestion", "score", "key"):
        assert field in f
    assert out["decisions"][f["key"]]["decision"] in ("diterima", "ditolak")


@pytest.mark.parametrize("kind, label", [("consistency", "Pembanding"), ("missing", "Paling mendekati"),
                                         ("number", "Bukti terkait"), ("risk", "Bukti terkait")])
def test_a_second_quote_is_introduced_by_what_it_is(reviewed, tmp_path, kind, label):
    """The other document's value for an inconsistency, the nearest candidate for a missing element,
    and otherwise the related sentence (e.g. the method beside a value over its threshold)."""
    from reviewer.model import Finding
    from reviewer.report import _finding_md
    from reviewer.ui.render import finding_card

    _, _, data, decisions = reviewed
    rel = [{"document": "hps.xlsx", "evidence": "Metode pemilihan: Pengadaan Langsung", "page": 2}]
    data = dict(data, findings=[dict(data["findings"][0], kind=kind, related=rel)])
    wb = openpyxl.load_workbook(write_register(data, decisions, tmp_path / "r.xlsx"))
    header = [c.value for c in wb["Temuan"][1]]
    cell = dict(zip(header, (c.value for c in wb["Temuan"][2])))["Bukti lain"]
    assert cell.startswith(f"{label} (hps.xlsx, halaman 2)")
    assert f"{label} (hps.xlsx, halaman 2)" in finding_card(1, data["findings"][0])
    fields = {k: v for k, v in data["findings"][0].items() if k in Finding.__dataclass_fields__}
    md = "\n".join(_finding_md(Finding(**fields)))
    assert f"**{label}** (hps.xlsx, halaman 2)" in md
