"""The `reviewer` command line, run as a user would (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAK = """KERANGKA ACUAN KERJA
PENGADAAN MEJA KERJA

1. LATAR BELAKANG
Kantor kecamatan memerlukan 20 unit meja kerja baru.

2. RUANG LINGKUP
Penyedia mengirim dan merakit meja di kantor kecamatan.
"""


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "reviewer.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600)


def test_check_json_and_exit_codes(tmp_path):
    good = tmp_path / "kak-meja.txt"
    good.write_text(KAK, encoding="utf-8")
    ok = run("check", str(good), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["documents"][0]["name"] == "kak-meja.txt"
    assert data["documents"][0]["doc_type"] == "kak"

    empty = tmp_path / "kosong.docx"
    empty.write_bytes(b"")
    mixed = run("check", str(empty), str(good), "--format", "json")
    assert mixed.returncode == 1
    assert "kosong.docx" in mixed.stderr
    assert json.loads(mixed.stdout)["documents"][0]["name"] == "kak-meja.txt"

    gone = run("check", str(tmp_path / "tidak-ada.pdf"))
    assert gone.returncode == 1 and "tidak ditemukan" in gone.stderr


def test_extract_shows_structure(tmp_path):
    path = tmp_path / "kak-meja.txt"
    path.write_text(KAK, encoding="utf-8")
    out = run("extract", str(path))
    assert out.returncode == 0, out.stderr
    assert "LATAR BELAKANG" in out.stdout
    data = json.loads(run("extract", str(path), "--format", "json").stdout)
    assert data["doc_type"] == "kak"


def test_rules_list_and_show():
    listing = run("rules", "--kind", "risk")
    assert listing.returncode == 0 and listing.stdout.strip()
    first_id = next(tok for tok in listing.stdout.split() if tok.count("-") >= 2 and tok[:2].isupper())
    card = run("rules", "show", first_id)
    assert card.returncode == 0 and first_id in card.stdout and "Pasal" in card.stdout
    assert run("rules", "show", "TIDAK-ADA-99").returncode == 2
