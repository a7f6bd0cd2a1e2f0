"""The workspace in a real browser (Playwright + Debian Chromium), the way a reviewer uses it.

Upload a package (ZIP of a KAK and a kontrak), see findings, accept one and dismiss one with a
reason, reload and find the decisions kept, export XLSX and DOCX and open them, open Aturan and
Bimtek. Screenshots of the main screens go to a temporary folder, or to docs/screenshots/ (the
README's pictures) when PBJ_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the working tree
alone. Every request the page makes must stay on 127.0.0.1 (no fonts, CDN or telemetry)."""

from __future__ import annotations

import os
import socket
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import docx
import openpyxl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("PBJ_UPDATE_SCREENSHOTS")
         else Path(tempfile.gettempdir()) / "pbj-reviewer-screenshots")
REVIEW_TIMEOUT = 180_000  # ms: first review loads the embedding model and may build the rule index

KAK = {"name": "kak-laptop-sekolah", "format": "docx", "blocks": [
    {"h": "KERANGKA ACUAN KERJA", "level": 0},
    {"p": "Pengadaan Laptop untuk Operator Sekolah Dinas Pendidikan Kabupaten Sukamaju Tahun Anggaran 2025"},
    {"h": "1. Latar Belakang", "level": 1},
    {"p": "Operator sekolah memerlukan perangkat komputer jinjing untuk mengelola data pokok pendidikan "
          "dan pelaporan dana BOS secara daring."},
    {"h": "2. Spesifikasi Teknis", "level": 1},
    {"p": "Laptop wajib bermerek Lenovo ThinkPad tipe E14 Gen 5, tidak boleh merek lain."},
    {"p": "Prosesor minimal 8 inti, memori 16 GB, penyimpanan SSD 512 GB, layar 14 inci."},
    {"h": "3. Jangka Waktu Pelaksanaan", "level": 1},
    {"p": "Pekerjaan diselesaikan dalam waktu 45 (empat puluh lima) hari kalender sejak SPMK."},
]}
KONTRAK = {"name": "rancangan-kontrak-laptop", "format": "docx", "blocks": [
    {"h": "SURAT PERJANJIAN PENGADAAN LAPTOP", "level": 0},
    {"p": "Nomor: 027/045/SP/Disdik/2025"},
    {"h": "Pasal 1 Nilai Kontrak", "level": 1},
    {"p": "Nilai kontrak termasuk PPN adalah Rp 598.400.000,00 (lima ratus sembilan puluh delapan juta "
          "empat ratus ribu rupiah)."},
    {"h": "Pasal 2 Jangka Waktu", "level": 1},
    {"p": "Jangka waktu pelaksanaan pekerjaan adalah 45 (empat puluh lima) hari kalender."},
    {"h": "Pasal 3 Denda", "level": 1},
    {"p": "Apabila penyedia terlambat menyelesaikan pekerjaan, penyedia dikenakan denda sebesar 5% "
          "(lima persen) dari nilai kontrak untuk setiap hari keterlambatan."},
    {"h": "Pasal 4 Pemutusan", "level": 1},
    {"p": "PPK dapat memutuskan kontrak sewaktu-waktu tanpa alasan dan penyedia tidak berhak menuntut ganti rugi."},
]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from reviewer.config import load_settings
    from reviewer.ui.app import build_app, create_workspace, launch

    ws = create_workspace(load_settings({"PBJ_DATA_DIR": str(tmp_path_factory.mktemp("data"))}))
    demo = build_app(ws)
    port = _free_port()
    launch(demo, ws, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    from reviewer.docgen import write_document

    folder = tmp_path_factory.mktemp("paket")
    files = [write_document(KAK, folder), write_document(KONTRAK, folder)]
    zpath = folder / "paket-laptop.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in files:
            zf.write(f, f"paket/{f.name}")
    return zpath


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _pick(page, dropdown_id: str, index: int = 0) -> str:
    """Choose option `index` of a Gradio dropdown; returns its text."""
    page.locator(f"#{dropdown_id} input").click()
    option = page.get_by_role("option").nth(index)
    text = option.inner_text()
    option.click()
    return text


def _pick_text(page, dropdown_id: str, needle: str) -> str:
    """Choose the first option of a Gradio dropdown whose text holds `needle`."""
    page.locator(f"#{dropdown_id} input").click()
    option = page.get_by_role("option").filter(has_text=needle).first
    text = option.inner_text()
    option.click()
    return text


def _shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _download(page, button_id: str, expected: str, target: Path) -> Path:
    """Click an export button, wait until the file list shows `expected`, download it."""
    page.locator(f"#{button_id}").click()
    page.locator("#berkas-ekspor").get_by_text(expected).first.wait_for(timeout=30_000)
    link = page.locator("#berkas-ekspor a").first
    link.wait_for(timeout=30_000)
    with page.expect_download() as dl:
        link.click()
    dl.value.save_as(target)
    return target


def test_review_triage_export_in_browser(server, package, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None) and not r.url.startswith("data:")
            else None)
    page.goto(server)
    page.get_by_role("tab", name="Periksa dokumen").wait_for()

    # upload the package and review it
    page.locator("#unggah input[type=file]").set_input_files(str(package))
    page.locator("#tombol-periksa").click()
    status = page.locator("#status-periksa")
    status.get_by_text("selesai").wait_for(timeout=REVIEW_TIMEOUT)
    assert "2 dokumen" in status.inner_text()
    cards = page.locator("#kartu-temuan .pbj-card")
    assert cards.count() >= 2
    assert page.locator("#tampilan-dokumen mark").count() >= 1
    _shot(page, "periksa-dokumen", full_page=False)

    # choose a finding: its clause is shown in context and marked active in the document
    _pick_text(page, "lompat-temuan", "merek")
    page.locator("#konteks mark.aktif").wait_for()
    assert "Lenovo" in page.locator("#konteks").inner_text()
    assert "Lenovo" in page.locator("#tampilan-dokumen mark.aktif").inner_text()
    _shot(page, "temuan-dalam-konteks")

    # click a finding card of the other document: the same jump as the dropdown, made by the card
    card = cards.filter(has_text="rancangan-kontrak-laptop").filter(has=page.locator("blockquote")).first
    evidence = card.locator("blockquote").inner_text().split("”")[0].strip("“ ")
    card.locator(".pbj-lihat").click()
    page.locator("#tampilan-dokumen mark.aktif").filter(has_text=evidence[:40]).wait_for()
    assert "rancangan-kontrak" in page.locator("#pilih-dokumen input").input_value()
    assert "Lenovo" not in page.locator("#tampilan-dokumen").inner_text()
    assert evidence[:40] in page.locator("#konteks mark.aktif").inner_text()
    title = card.locator("b").first.inner_text().split(". ", 1)[1]
    assert title in page.locator("#lompat-temuan input").input_value()
    page.wait_for_function("() => { const m = document.getElementById('temuan-aktif');"
                           " const r = m && m.getBoundingClientRect(); return r && r.top >= 0 && r.bottom <= innerHeight; }")
    # clicking the body of a card (not its button) works too, and brings the KAK back
    cards.filter(has_text="Lenovo").first.locator(".meta").first.click()
    page.locator("#tampilan-dokumen mark.aktif").filter(has_text="Lenovo").wait_for()
    assert "Lenovo" in page.locator("#konteks mark.aktif").inner_text()
    # a finding about a missing element shows what the section should hold
    missing = cards.filter(has_text="Tidak ditemukan dalam dokumen")
    assert missing.count() >= 1  # the KAK has no ruang lingkup section
    missing_title = missing.first.locator("b").first.inner_text().split(". ", 1)[1]
    missing.first.locator(".pbj-lihat").click()
    page.locator("#konteks").get_by_text("Yang seharusnya ada").wait_for()
    assert missing_title in page.locator("#konteks").inner_text()
    assert page.locator("#tampilan-dokumen mark.aktif").count() == 0
    _shot(page, "temuan-dari-kartu", full_page=False)

    # triage: accept the first finding, dismiss the second with a reason
    page.get_by_role("tab", name="Triage").click()
    first = _pick(page, "triage-temuan", 0)
    page.locator("#triage-keputusan").get_by_text("Diterima (perlu diperbaiki)").click()
    page.locator("#triage-nama textarea, #triage-nama input").first.fill("Sari Wulandari")
    page.locator("#triage-catatan textarea").fill("Ganti dengan spesifikasi fungsi")
    page.locator("#tombol-simpan").click()
    page.locator("#triage-pesan").get_by_text("Tersimpan").wait_for()

    second = _pick(page, "triage-temuan", 1)
    page.locator("#triage-keputusan").get_by_text("Ditolak (bukan masalah)").click()
    page.locator("#tombol-simpan").click()  # no reason yet: refused
    page.get_by_text("wajib diberi alasan").first.wait_for()
    page.locator("#triage-alasan textarea").fill("Sudah diatur dalam SSKK")
    page.locator("#tombol-simpan").click()
    page.locator("#kemajuan").get_by_text("2 dari").wait_for()
    _shot(page, "triage")

    # reload: the latest review is reopened with its decisions
    page.reload()
    page.get_by_role("tab", name="Triage").click()
    table = page.locator("#tabel-keputusan")
    table.wait_for()
    page.locator("#kemajuan").get_by_text("2 dari").wait_for()
    text = table.inner_text()
    assert "Diterima (perlu diperbaiki)" in text and "Ditolak (bukan masalah)" in text
    assert "Sudah diatur dalam SSKK" in text and "Sari Wulandari" in text
    page.get_by_text("Riwayat keputusan (audit)").click()
    page.locator("#audit").get_by_text("diputuskan").first.wait_for()
    assert page.locator("#audit tr").count() == 3  # header + two decisions

    # exports: XLSX register and the DOCX with Word comments
    page.get_by_role("tab", name="Ekspor").click()
    xlsx = _download(page, "ekspor-xlsx", "-register", tmp_path / "register.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Temuan"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    decisions = {r["Keputusan"] for r in rows}
    assert {"Diterima (perlu diperbaiki)", "Ditolak (bukan masalah)"} <= decisions
    _shot(page, "ekspor")
    docx_path = _download(page, "ekspor-docx", "-dengan-komentar", tmp_path / "komentar.docx")
    comments = list(docx.Document(str(docx_path)).comments)
    assert comments and all(c.author == "Sari Wulandari" for c in comments)

    # Aturan: search the rulebook in plain Indonesian
    page.get_by_role("tab", name="Aturan").click()
    page.locator("#cari-aturan textarea, #cari-aturan input").first.fill("denda keterlambatan")
    page.locator("#tombol-cari").click()
    page.locator("#hasil-aturan p.meta").filter(has_text="pencarian").wait_for(timeout=REVIEW_TIMEOUT)
    assert page.locator("#hasil-aturan .pbj-rule").count() >= 1
    _shot(page, "aturan", full_page=False)

    # Bimtek: the gallery, and the first example when the corpus has one
    page.get_by_role("tab", name="Bimtek").click()
    page.locator("#galeri").wait_for()
    page.locator("#galeri input").click()
    if page.get_by_role("option").count():
        page.get_by_role("option").filter(has_text="merek").first.click()
        page.locator("#tombol-buka-contoh").click()
        page.locator("#langkah-bimtek").get_by_text("Masalah 1 dari").wait_for(timeout=REVIEW_TIMEOUT)
        assert "disembunyikan" in page.locator("#langkah-bimtek").inner_text()
        _shot(page, "bimtek-tersembunyi")
        page.locator("#sembunyikan input").uncheck()
        page.locator("#langkah-bimtek").get_by_text("Penjelasan").wait_for()
    else:
        page.keyboard.press("Escape")
    _shot(page, "bimtek")

    assert first != second
    assert outside == [], f"the page reached outside the machine: {outside}"
    context.close()
