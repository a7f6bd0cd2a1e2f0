"""Saved reviews: persistence across restart, concurrent decisions, carry-over, audit log."""

from __future__ import annotations

import threading

import pytest

from reviewer.model import Document, DocumentSummary, Finding, Report
from reviewer.store import ReviewStore, StoreError

from postgres_server import PostgresServer

KAK_TEXT = (
    "KERANGKA ACUAN KERJA\n"
    "Pengadaan Laptop untuk Dinas Pendidikan Kabupaten Sukamaju\n"
    "1. Latar Belakang\n"
    "Dinas Pendidikan memerlukan perangkat komputer jinjing untuk operator sekolah.\n"
    "2. Spesifikasi Teknis\n"
    "Laptop merek Lenovo ThinkPad seri E14 dengan prosesor minimal 8 inti.\n"
    "3. Jangka Waktu\n"
    "Pekerjaan diselesaikan paling lambat 60 (enam puluh) hari kalender.\n"
    "4. Denda\n"
    "Denda keterlambatan sebesar 5% (lima persen) per hari dari nilai kontrak.\n"
)


def _finding(text: str, doc: str, rule_id: str, phrase: str | None, severity: str, category: str,
             title: str, kind: str = "risk") -> Finding:
    start = text.index(phrase) if phrase else None
    end = start + len(phrase) if phrase else None
    line_start = text.rfind("\n", 0, start) + 1 if phrase else None
    line_end = text.find("\n", end) if phrase else None
    evidence = text[line_start:line_end] if phrase else ""
    return Finding(
        rule_id=rule_id, category=category, kind=kind, severity=severity, document=doc,
        page=1 if phrase else None, start=line_start, end=line_end, evidence=evidence,
        citation="Pasal 19 ayat (2) Perpres 16/2018", message=f"Pesan {rule_id}",
        suggestion=f"Saran untuk {rule_id}", score=0.9, title=title, why=f"Alasan {rule_id}",
        location="halaman 1" if phrase else "", confidence="pasti")


def make_report(doc_name: str = "KAK Laptop.docx", text: str = KAK_TEXT, path: str | None = None,
                fmt: str = "docx") -> Report:
    """A small hand-built report: a brand lock, an excessive denda rate, a missing section."""
    findings = []
    if "merek Lenovo" in text:
        findings.append(_finding(text, doc_name, "SPEK-MEREK-01", "merek Lenovo", "tinggi", "risk.merek",
                                 "Spesifikasi menyebut merek"))
    if "5% (lima persen) per hari" in text:
        findings.append(_finding(text, doc_name, "KONTRAK-DENDA-01", "5% (lima persen) per hari", "sedang",
                                 "number.denda", "Tarif denda keterlambatan tidak wajar", kind="number"))
    missing = _finding(text, doc_name, "KAK-SUMBERDANA-01", None, "rendah", "kak.sumber_dana",
                       "Sumber dana tidak disebut", kind="missing")
    missing.message = "KAK perlu menyebut sumber dana (APBD/APBN, tahun anggaran, kode kegiatan)."
    findings.append(missing)
    by_sev = {s: sum(f.severity == s for f in findings) for s in ("tinggi", "sedang", "rendah")}
    summary = {"by_severity": by_sev, "total": len(findings)}
    doc = Document(name=doc_name, format=fmt, text=text, path=path)
    return Report(
        documents=[DocumentSummary(name=doc_name, doc_type="kak", doc_type_confidence=0.9, pages=1,
                                   facts={"jenis_pengadaan": "barang", "metode": "pengadaan_langsung",
                                          "nilai_hps": 185_000_000, "jangka_waktu_hari": 60},
                                   warnings=[], format=fmt)],
        findings=findings, summary=summary, rulebook_version="test", model="uji",
        sources={doc_name: doc})


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Every store test runs on the default SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reviews.db'}"
    return request.getfixturevalue("postgres").new_database()


def test_decisions_survive_restart(db_url):
    store = ReviewStore(db_url)
    report = make_report()
    rid = store.save_review(report, "budi")
    key = report.findings[0].key
    store.decide(rid, key, "diterima", note="ganti dengan spesifikasi fungsi", user="budi")
    del store

    reopened = ReviewStore(db_url)
    data, decisions = reopened.get_review(rid)
    assert [f["rule_id"] for f in data["findings"]] == ["SPEK-MEREK-01", "KONTRAK-DENDA-01", "KAK-SUMBERDANA-01"]
    assert decisions[key]["decision"] == "diterima"
    assert decisions[key]["note"] == "ganti dengan spesifikasi fungsi"
    assert decisions[key]["user"] == "budi"
    assert reopened.progress(rid) == (1, 3)
    assert reopened.document(rid, "KAK Laptop.docx")["text"] == KAK_TEXT


def test_dismissal_requires_reason(db_url):
    store = ReviewStore(db_url)
    report = make_report()
    rid = store.save_review(report, "budi")
    with pytest.raises(StoreError, match="alasan"):
        store.decide(rid, report.findings[0].key, "ditolak", reason="  ", user="budi")
    with pytest.raises(StoreError, match="tidak dikenal"):
        store.decide(rid, report.findings[0].key, "mungkin", user="budi")
    with pytest.raises(StoreError, match="tidak ada"):
        store.decide(rid, "ATURAN-LAIN-01|x|y", "selesai", user="budi")
    assert store.progress(rid) == (0, 3)
    store.decide(rid, report.findings[0].key, "ditolak", reason="suku cadang sistem yang ada", user="budi")
    assert store.decisions(rid)[report.findings[0].key]["reason"] == "suku cadang sistem yang ada"


def test_audit_log_records_before_and_after(db_url):
    store = ReviewStore(db_url)
    report = make_report()
    rid = store.save_review(report, "budi")
    key = report.findings[1].key
    store.decide(rid, key, "diterima", user="budi")
    store.decide(rid, key, "selesai", note="tarif diubah menjadi 1 permil", user="sari")
    log = store.audit_log(rid)
    assert [(e["action"], e["user"]) for e in log] == [("putusan", "budi"), ("putusan", "sari")]
    assert log[0]["before"] is None and log[0]["after"]["decision"] == "diterima"
    assert log[1]["before"]["decision"] == "diterima" and log[1]["after"]["decision"] == "selesai"
    assert all(e["at"] for e in log)


def test_concurrent_decisions_from_threads(db_url):
    store = ReviewStore(db_url)
    report = make_report()
    rid = store.save_review(report, "budi")
    keys = [f.key for f in report.findings]
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            other = ReviewStore(db_url) if n % 2 else store  # separate engines too, like two processes
            for i in range(10):
                other.decide(rid, keys[(n + i) % 3], "diterima", note=f"t{n}-{i}", user=f"u{n}")
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    log = store.audit_log(rid)
    assert len(log) == 60  # no decision lost
    assert store.progress(rid) == (3, 3)
    # each audit row's "before" is exactly the decision the previous writer of that finding left
    last: dict[str, dict | None] = {k: None for k in keys}
    for entry in log:
        assert entry["before"] == last[entry["finding_key"]]
        last[entry["finding_key"]] = entry["after"]
    assert store.decisions(rid) == last


def test_carry_over_to_revised_document(db_url):
    store = ReviewStore(db_url)
    first = make_report()
    rid1 = store.save_review(first, "budi")
    store.decide(rid1, first.findings[0].key, "ditolak", reason="bagian dari sistem yang sudah ada", user="budi")
    store.decide(rid1, first.findings[1].key, "diterima", user="budi")

    # revised version: the denda clause was fixed, the brand clause is unchanged
    revised_text = KAK_TEXT.replace("5% (lima persen) per hari", "1‰ (satu permil) per hari")
    revised = make_report(text=revised_text)
    assert [f.rule_id for f in revised.findings] == ["SPEK-MEREK-01", "KAK-SUMBERDANA-01"]
    rid2 = store.save_review(revised, "budi")
    decisions = store.decisions(rid2)
    assert set(decisions) == {first.findings[0].key}
    assert decisions[first.findings[0].key]["decision"] == "ditolak"
    log = store.audit_log(rid2)
    assert [(e["action"], e["carried_from"]) for e in log] == [("dibawa", rid1)]
    assert store.progress(rid2) == (1, 2)

    # another user's document with the same name does not inherit budi's decisions
    rid3 = store.save_review(make_report(), "sari")
    assert store.decisions(rid3) == {}


def test_carry_over_to_a_renamed_revision(db_url):
    """KAK Laptop.docx revised and uploaded as 'KAK Laptop rev2.docx': the decisions follow the
    document, and the audit says which file they came from; another KAK from the same template with
    a different subject inherits nothing."""
    store = ReviewStore(db_url)
    first = make_report()
    rid1 = store.save_review(first, "budi")
    store.decide(rid1, first.findings[0].key, "ditolak", reason="bagian dari sistem yang sudah ada", user="budi")

    revised_text = KAK_TEXT.replace("5% (lima persen) per hari", "1‰ (satu permil) per hari")
    renamed = make_report(doc_name="KAK Laptop rev2.docx", text=revised_text)
    rid2 = store.save_review(renamed, "budi")
    decisions = store.decisions(rid2)
    assert set(decisions) == {renamed.findings[0].key} and renamed.findings[0].rule_id == "SPEK-MEREK-01"
    assert decisions[renamed.findings[0].key]["reason"] == "bagian dari sistem yang sudah ada"
    log = store.audit_log(rid2)
    assert [(e["action"], e["carried_from"], e["after"]["from_document"]) for e in log] == [
        ("dibawa", rid1, "KAK Laptop.docx")]
    from reviewer.ui.render import audit_html
    assert f"dibawa dari reviu #{rid1} (KAK Laptop.docx)" in audit_html(log, {})

    other_text = (KAK_TEXT.replace("Laptop untuk Dinas Pendidikan", "Printer untuk Dinas Kesehatan")
                  .replace("perangkat komputer jinjing untuk operator sekolah", "alat cetak untuk puskesmas")
                  .replace("Laptop merek Lenovo ThinkPad seri E14 dengan prosesor minimal 8 inti",
                           "Printer laser merek Lenovo hitam putih dengan kecepatan 40 halaman per menit")
                  .replace("60 (enam puluh)", "30 (tiga puluh)"))
    other = make_report(doc_name="KAK Printer.docx", text=other_text)
    assert store.decisions(store.save_review(other, "budi")) == {}


def test_text_similarity_tells_a_revision_from_another_document():
    from reviewer.store import RENAMED_MIN_SIMILARITY, text_similarity

    revised = KAK_TEXT.replace("60 (enam puluh) hari", "75 (tujuh puluh lima) hari")
    assert text_similarity(KAK_TEXT, revised) >= RENAMED_MIN_SIMILARITY
    assert text_similarity(KAK_TEXT, KAK_TEXT) == 1.0
    half = KAK_TEXT[: len(KAK_TEXT) // 3]  # a fragment of the document is not the document
    assert text_similarity(KAK_TEXT, half) < RENAMED_MIN_SIMILARITY
    assert text_similarity(KAK_TEXT, "") == 0.0


def test_list_reviews_by_role(db_url):
    store = ReviewStore(db_url)
    a = store.save_review(make_report(), "budi")
    b = store.save_review(make_report("HPS.xlsx", fmt="xlsx"), "sari")
    assert [r["id"] for r in store.list_reviews("budi", "penyusun")] == [a]
    assert [r["id"] for r in store.list_reviews("x", "reviu")] == [b, a]
    assert store.list_reviews("budi", "penyusun")[0]["total"] == 3
    with pytest.raises(StoreError):
        store.get_review(999)


@pytest.mark.parametrize("url, message", [
    ("postgresql+psycopg://pbj:rahasia@127.0.0.1:1/pbj", "tidak dapat dibuka"),
    ("postgresql+asyncpg://pbj@localhost/pbj", "belum terpasang"),
    ("bukan-url://", "tidak dikenali"),
    ("sqlite:////proc/tidak-ada/reviu.db", "tidak dapat dibuat"),
])
def test_a_database_that_cannot_be_opened_is_named_in_indonesian(url, message):
    with pytest.raises(StoreError, match=message) as info:
        ReviewStore(url)
    assert "rahasia" not in str(info.value)  # the password is never echoed


def test_the_app_refuses_to_start_on_a_bad_database_with_a_message(tmp_path, capsys):
    from reviewer.config import load_settings
    from reviewer.ui.app import serve

    settings = load_settings({"PBJ_DATA_DIR": str(tmp_path),
                              "PBJ_DATABASE_URL": "postgresql+psycopg://pbj@127.0.0.1:1/pbj"})
    with pytest.raises(SystemExit) as info:
        serve(settings=settings)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Aplikasi tidak dapat dijalankan: Basis data") and "Traceback" not in err
