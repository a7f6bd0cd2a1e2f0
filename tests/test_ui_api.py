"""The workspace through its HTTP API (gradio_client), plus the upload guard it relies on.

The app runs on 127.0.0.1 on a free port in this process, with the real review engine and a
fresh database; a generated KAK (DOCX) with a brand lock is reviewed end to end."""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reviewer.config import Limits, load_settings
from reviewer.ui.uploads import collect_files

KAK_SPEC = {"name": "kak-laptop-sekolah", "format": "docx", "blocks": [
    {"h": "KERANGKA ACUAN KERJA", "level": 0},
    {"p": "Pengadaan Laptop untuk Operator Sekolah Dinas Pendidikan Kabupaten Sukamaju Tahun Anggaran 2025"},
    {"h": "1. Latar Belakang", "level": 1},
    {"p": "Operator sekolah memerlukan perangkat komputer jinjing untuk mengelola data pokok pendidikan "
          "dan pelaporan dana BOS secara daring."},
    {"h": "2. Maksud dan Tujuan", "level": 1},
    {"p": "Maksud kegiatan ini adalah menyediakan 40 unit laptop bagi operator sekolah dasar."},
    {"h": "3. Spesifikasi Teknis", "level": 1},
    {"p": "Laptop wajib bermerek Lenovo ThinkPad tipe E14 Gen 5, tidak boleh merek lain."},
    {"p": "Prosesor minimal 8 inti, memori 16 GB, penyimpanan SSD 512 GB, layar 14 inci."},
    {"h": "4. Jangka Waktu Pelaksanaan", "level": 1},
    {"p": "Pekerjaan diselesaikan dalam waktu 45 (empat puluh lima) hari kalender sejak SPMK."},
]}


# -- upload guard (no server needed) -------------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_zip_entries_cannot_escape(tmp_path):
    z = _zip(tmp_path / "paket.zip", {"../../etc/evil.txt": b"isi", "/abs/KAK.txt": b"KAK",
                                      "folder/HPS.txt": b"HPS", "C:\\win\\kontrak.txt": b"kontrak"})
    out = collect_files([z], tmp_path / "unpacked", Limits())
    assert sorted(p.name for p in out.files) == ["HPS.txt", "KAK.txt", "evil.txt", "kontrak.txt"]
    assert all(p.resolve().is_relative_to((tmp_path / "unpacked").resolve()) for p in out.files)
    assert not (tmp_path.parent / "etc").exists()


def test_zip_bomb_and_odd_entries_refused(tmp_path):
    z = _zip(tmp_path / "bom.zip", {"besar.txt": b"0" * (3 * 1024 * 1024), "dalam.zip": b"PK",
                                    "gambar.exe": b"MZ", "KAK.txt": b"Kerangka acuan kerja"})
    out = collect_files([z], tmp_path / "u", Limits(max_zip_ratio=50))
    assert [p.name for p in out.files] == ["KAK.txt"]
    messages = {e["file"].split(" › ")[-1]: e["message"] for e in out.errors}
    assert "zip bomb" in messages["besar.txt"]
    assert "ZIP di dalam ZIP" in messages["dalam.zip"]
    assert "tidak didukung" in messages["gambar.exe"]


def test_bad_uploads_named_beside_each_file(tmp_path):
    empty = tmp_path / "kosong.pdf"
    empty.write_bytes(b"")
    broken = tmp_path / "rusak.zip"
    broken.write_bytes(b"bukan zip")
    big = tmp_path / "besar.pdf"
    big.write_bytes(b"%PDF" + b"0" * 2 * 1024 * 1024)
    good = tmp_path / "KAK.txt"
    good.write_text("Kerangka acuan kerja", encoding="utf-8")
    out = collect_files([empty, broken, big, good], tmp_path / "u", Limits(max_file_mb=1))
    assert out.files == [good]
    assert {e["file"] for e in out.errors} == {"kosong.pdf", "rusak.zip", "besar.pdf"}
    assert all(e["message"] for e in out.errors)


# -- the running app ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from gradio_client import Client

    from reviewer.ui.app import build_app, create_workspace, launch

    data = tmp_path_factory.mktemp("data")
    ws = create_workspace(load_settings({"PBJ_DATA_DIR": str(data)}))
    demo = build_app(ws)
    port = _free_port()
    launch(demo, ws, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False), ws, port
    finally:
        demo.close()


@pytest.fixture(scope="module")
def kak_docx(tmp_path_factory):
    from reviewer.docgen import write_document
    return write_document(KAK_SPEC, tmp_path_factory.mktemp("docs"))


def _choices(update: dict) -> list[tuple[str, str]]:
    return [tuple(c) for c in update["choices"]]


@pytest.mark.slow
def test_review_docx_end_to_end(app, kak_docx, tmp_path):
    from gradio_client import handle_file

    from reviewer.rules import default_rulebook

    client, ws, _ = app
    brand_rules = {r.id for r in default_rulebook().rules if r.category == "risk.merek"}
    assert brand_rules, "the rulebook has no brand-lock rule (risk.merek)"
    broken = tmp_path / "kontrak-rusak.docx"
    broken.write_bytes(b"PK\x03\x04 ini bukan dokumen Word")
    out = client.predict([handle_file(str(kak_docx)), handle_file(str(broken))], "otomatis", api_name="/periksa")
    status, summary, cards, triage_choices = out[0], out[1], out[9], out[12]
    assert "Reviu #" in status
    assert "kontrak-rusak.docx" in status  # the unreadable file is named beside its message
    assert "kak-laptop-sekolah.docx" in summary
    keys = [value for _, value in _choices(triage_choices)]
    brand = [k for k in keys if k.split("|")[0] in brand_rules]
    assert brand, f"no brand finding among {keys}"
    assert "Lenovo" in cards

    # decisions through the API: a dismissal without reason is refused with an Indonesian message
    with pytest.raises(Exception, match="alasan"):
        client.predict(brand[0], "ditolak", "", "", "Sari", api_name="/putuskan")
    saved = client.predict(brand[0], "diterima", "", "ganti dengan spesifikasi fungsi", "Sari", api_name="/putuskan")
    assert "Tersimpan" in saved[0] and "Sari" in saved[0]
    assert "1 dari" in saved[1]

    files, message = client.predict("Sari", api_name="/ekspor_xlsx")
    path = files[0] if isinstance(files, list) else files
    path = path.get("path", path) if isinstance(path, dict) else path
    ws_sheet = openpyxl.load_workbook(path)["Temuan"]
    header = [c.value for c in ws_sheet[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws_sheet.iter_rows(min_row=2)]
    decided = [r for r in rows if r["Kode aturan"] in brand_rules]
    assert decided and decided[0]["Keputusan"].startswith("Diterima") and decided[0]["Pereviu"] == "Sari"

    docx_files, _ = client.predict("Sari", api_name="/ekspor_docx")
    assert docx_files


@pytest.mark.slow
def test_page_fetches_nothing_external(app):
    import urllib.request

    _, _, port = app
    for path in ("/", "/theme.css"):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as resp:
            body = resp.read().decode("utf-8", "replace")
        assert "fonts.googleapis" not in body and "fonts.gstatic" not in body, path


@pytest.mark.slow
def test_rule_search_answers_in_indonesian(app):
    client, _, _ = app
    html = client.predict("denda keterlambatan", api_name="/cari_aturan")
    assert "aturan" in html


# -- settings the app starts from ----------------------------------------------------------------

def test_settings_from_toml_and_env(tmp_path):
    from reviewer.config import ConfigError

    cfg = tmp_path / "pbj.toml"
    cfg.write_text('data_dir = "/srv/pbj"\nport = 8000\n[limits]\nmax_files = 5\n'
                   '[[users]]\nname = "budi"\npassword = "rahasia"\nrole = "penyusun"\n', encoding="utf-8")
    s = load_settings({"PBJ_CONFIG": str(cfg), "PBJ_PORT": "9000"})
    assert s.data_dir == Path("/srv/pbj") and s.port == 9000 and s.limits.max_files == 5
    assert s.database_url == "sqlite:////srv/pbj/reviews.db"
    assert s.login_required and s.check_password("budi", "rahasia") and not s.check_password("budi", "x")
    assert s.user("budi").role == "penyusun"

    local = load_settings({"PBJ_DATA_DIR": str(tmp_path), "PBJ_DATABASE_URL": "postgresql://pbj@db/pbj"})
    assert local.database_url == "postgresql://pbj@db/pbj" and not local.login_required
    assert local.user(None).role == "reviu"  # single-user local mode may do everything

    env_users = load_settings({"PBJ_DATA_DIR": str(tmp_path), "PBJ_USERS": "sari:s1:reviu,budi:b2"})
    assert [(u.name, u.role) for u in env_users.users] == [("sari", "reviu"), ("budi", "penyusun")]
    with pytest.raises(ConfigError, match="Peran"):
        load_settings({"PBJ_DATA_DIR": str(tmp_path), "PBJ_USERS": "x:y:admin"})
    with pytest.raises(ConfigError, match="tidak dikenal"):
        cfg.write_text("[limits]\nmax_berkas = 3\n", encoding="utf-8")
        load_settings({"PBJ_CONFIG": str(cfg)})


def test_penyusun_cannot_decide_or_see_others(tmp_path):
    from reviewer.config import User
    from reviewer.ui.workspace import Workspace, WorkspaceError
    from test_store import make_report

    s = load_settings({"PBJ_DATA_DIR": str(tmp_path), "PBJ_USERS": "sari:s1:reviu,budi:b2:penyusun,ani:a3"})
    ws = Workspace(s)
    budi, sari, ani = s.user("budi"), s.user("sari"), s.user("ani")
    report = make_report()
    rid = ws.store.save_review(report, budi.name)
    key = report.findings[0].key
    with pytest.raises(WorkspaceError, match="reviu"):
        ws.decide(rid, key, "diterima", "", "", "Budi", budi)
    assert ws.decide(rid, key, "diterima", "", "", "", sari)["user"] == "sari"
    with pytest.raises(WorkspaceError, match="milik pengguna lain"):
        ws.view(rid, ani)
    assert [r for _, r in ws.past_reviews(sari)] == [rid] and ws.past_reviews(ani) == []
    assert isinstance(budi, User)


@pytest.mark.slow
def test_login_mode_roles_through_api(tmp_path):
    """With users configured the app asks for a login; a penyusun sees own reviews, cannot decide."""
    from gradio_client import Client

    from reviewer.ui.app import build_app, create_workspace, launch
    from test_store import make_report

    settings = load_settings({"PBJ_DATA_DIR": str(tmp_path), "PBJ_USERS": "sari:s1:reviu,budi:b2:penyusun"})
    ws = create_workspace(settings)
    report = make_report()
    rid = ws.store.save_review(report, "budi")
    demo = build_app(ws)
    port = _free_port()
    launch(demo, ws, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        with pytest.raises(Exception):
            Client(f"http://127.0.0.1:{port}/", verbose=False, auth=("budi", "salah"))
        budi = Client(f"http://127.0.0.1:{port}/", verbose=False, auth=("budi", "b2"))
        opened = budi.predict(rid, api_name="/buka_reviu")
        assert "Reviu #" in opened[11]
        with pytest.raises(Exception, match="reviu"):
            budi.predict(report.findings[0].key, "diterima", "", "", "Budi", api_name="/putuskan")
        sari = Client(f"http://127.0.0.1:{port}/", verbose=False, auth=("sari", "s1"))
        sari.predict(rid, api_name="/buka_reviu")
        saved = sari.predict(report.findings[0].key, "diterima", "", "", "", api_name="/putuskan")
        assert "oleh sari" in saved[0]
    finally:
        demo.close()
