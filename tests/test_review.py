"""End-to-end behaviour of review(): real ingest, segmentation, facts, rulebook and checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.model import Finding
from reviewer.report import to_json, to_markdown
from reviewer.review import merge_findings, review

KAK = """KERANGKA ACUAN KERJA
PENGADAAN KOMPUTER JINJING DINAS PENDIDIKAN TAHUN ANGGARAN 2026

A. LATAR BELAKANG
Dinas Pendidikan memerlukan komputer jinjing untuk operator sekolah karena perangkat lama sudah rusak.

B. DASAR HUKUM
1. Peraturan Presiden Nomor 54 Tahun 2010 tentang Pengadaan Barang/Jasa Pemerintah.

C. SPESIFIKASI TEKNIS
1. Komputer jinjing merek Lenovo ThinkPad seri T14 dengan prosesor Intel Core i7.
2. Memori 16 GB dan penyimpanan SSD 512 GB.

D. JANGKA WAKTU
Pekerjaan diselesaikan dalam 60 (enam puluh) hari kalender.
"""


@pytest.fixture(scope="module")
def kak_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("kak") / "kak-laptop.txt"
    path.write_text(KAK, encoding="utf-8")
    return review([path]), path


def test_findings_point_into_the_document_text(kak_report):
    report, _ = kak_report
    doc = report.sources["kak-laptop.txt"]
    assert report.documents[0].doc_type == "kak"
    located = [f for f in report.findings if f.start is not None]
    assert located, "no located finding at all"
    for f in located:
        quoted = " ".join(doc.text[f.start:f.end].split())
        assert quoted == f.evidence
        assert f.page == 1


def test_brand_outdated_reference_and_missing_tkdn_are_found(kak_report):
    report, _ = kak_report
    cats = {f.category for f in report.findings}
    assert "risk.merek" in cats
    assert "risk.referensi_usang" in cats
    assert "kak.tkdn" in cats
    brand = next(f for f in report.findings if f.category == "risk.merek")
    assert "Lenovo" in brand.evidence and "Pasal 19" in brand.citation
    missing = next(f for f in report.findings if f.category == "kak.tkdn")
    assert missing.start is None and missing.end is None and missing.evidence == ""


def test_json_contract_field_names(kak_report):
    report, _ = kak_report
    data = json.loads(to_json(report))
    assert set(data) >= {"documents", "findings", "summary", "rulebook_version", "model"}
    assert set(data["documents"][0]) >= {"name", "doc_type", "pages", "facts", "warnings"}
    for f in data["findings"]:
        assert set(f) >= {"rule_id", "category", "kind", "severity", "document", "page", "start",
                          "end", "evidence", "citation", "message", "suggestion", "score"}
    assert data["summary"]["total"] == len(data["findings"])


def test_markdown_groups_by_document_and_severity(kak_report):
    report, _ = kak_report
    md = to_markdown(report)
    assert "## kak-laptop.txt" in md
    assert "### Tingkat tinggi" in md or "### Tingkat sedang" in md
    assert "bukan putusan pelanggaran" in md


def test_unreadable_file_is_reported_and_the_others_reviewed(tmp_path, kak_report):
    _, good = kak_report
    bad = tmp_path / "rusak.pdf"
    bad.write_bytes(b"%PDF-1.7\n%garbage that ends early")
    report = review([bad, good])
    assert [e["file"] for e in report.errors] == ["rusak.pdf"]
    assert "rusak.pdf" in report.errors[0]["message"]
    assert [d.name for d in report.documents] == ["kak-laptop.txt"]


def test_lexical_mode_still_reviews_and_says_so(kak_report):
    _, path = kak_report
    report = review([path], use_embeddings=False)
    assert any(f.category == "risk.merek" for f in report.findings)
    assert any("leksikal" in w for w in report.warnings)


def _finding(rule, cat, start, end, severity="sedang", score=0.5):
    return Finding(rule_id=rule, category=cat, kind="risk", severity=severity, document="a",
                   page=1, start=start, end=end, evidence="x", citation="", message="",
                   suggestion="", score=score)


def test_same_problem_found_by_two_rules_is_one_finding():
    merged = merge_findings([_finding("R-A-01", "risk.merek", 10, 50),
                             _finding("R-B-01", "risk.merek", 12, 48, severity="tinggi"),
                             _finding("R-C-01", "risk.merek", 200, 240),
                             _finding("R-D-01", "risk.sepihak", 10, 50)])
    assert len(merged) == 3
    top = next(f for f in merged if f.start in (10, 12) and f.category == "risk.merek")
    assert top.rule_id == "R-B-01" and top.merged_rules == ["R-A-01"]


CHANGE_ONLY_ADDENDUM = """ADENDUM I (PERTAMA) SURAT PERJANJIAN
Nomor Kontrak Awal: 027/15/SP/2026 tanggal 4 Mei 2026

Pasal 1 Perubahan Jangka Waktu
Jangka waktu pelaksanaan yang semula 120 hari kalender diubah menjadi 135 hari kalender karena perbedaan kondisi lapangan.

Pasal 2 Ketentuan Lain
Ketentuan lain dalam Surat Perjanjian Nomor 027/15/SP/2026 yang tidak diubah dalam Adendum ini tetap berlaku dan mengikat para pihak.
"""


def test_a_change_only_addendum_is_not_asked_for_the_whole_contract():
    """The elements a change-only addendum lacks sit in the original contract; the report says
    their completeness was not checked. The same text as a consolidated text is a whole contract."""
    from reviewer.review import review_documents, text_document
    report = review_documents([text_document(CHANGE_ONLY_ADDENDUM, "adendum.txt")],
                              doc_types={"adendum.txt": "kontrak"}, use_embeddings=False)
    assert [f for f in report.findings if f.kind == "missing"] == []
    assert any("adendum yang hanya memuat perubahan" in w for w in report.warnings)
    consolidated = CHANGE_ONLY_ADDENDUM.replace("SURAT PERJANJIAN", "SURAT PERJANJIAN (NASKAH GABUNGAN)", 1)
    report = review_documents([text_document(consolidated, "adendum.txt")],
                              doc_types={"adendum.txt": "kontrak"}, use_embeddings=False)
    assert {"kontrak.denda", "kontrak.keadaan_kahar"} <= {f.category for f in report.findings if f.kind == "missing"}
    assert not any("adendum" in w for w in report.warnings)
    # a contract whose first clauses name changes and keep other terms in force is no addendum
    contract = ("SURAT PERINTAH KERJA\nPasal 1 Perubahan Kontrak\nPerubahan kontrak dituangkan dalam adendum.\n"
                "Pasal 2 Ketentuan Lain\nKetentuan lain yang tidak diubah dalam SPK ini tetap berlaku sesuai SSUK.\n")
    report = review_documents([text_document(contract, "spk.txt")], doc_types={"spk.txt": "kontrak"},
                              use_embeddings=False)
    assert not any("adendum" in w for w in report.warnings)
    assert any(f.kind == "missing" for f in report.findings)
