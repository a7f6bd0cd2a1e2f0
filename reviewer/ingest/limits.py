"""Limits that keep a hostile or accidental file from exhausting memory or time."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..errors import IngestError


@dataclass
class Limits:
    max_bytes: int = 50 * 2**20
    max_pages: int = 600
    max_cells: int = 300_000
    max_unzipped: int = 300 * 2**20
    max_zip_ratio: float = 100
    max_zip_members: int = 10_000


def mb(n: int) -> str:
    value = n / 2**20
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB".replace(".", ",")


def check_size(name: str, size: int, limits: Limits) -> None:
    if size == 0:
        raise IngestError(name, "berkas kosong")
    if size > limits.max_bytes:
        raise IngestError(name, f"ukuran {mb(size)} melebihi batas {mb(limits.max_bytes)}")


def check_pages(name: str, pages: int, limits: Limits) -> None:
    if pages > limits.max_pages:
        raise IngestError(name, f"jumlah halaman {pages} melebihi batas {limits.max_pages}")


def check_zip(name: str, data: bytes, limits: Limits, kind: str) -> None:
    """Reject DOCX/XLSX archives whose declared sizes or compression ratios are implausible,
    before any XML parser sees them."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise IngestError(name, f"berkas {kind} rusak atau terpotong") from None
    suspicious = f"arsip {kind} mencurigakan (zip bomb)"
    if len(infos) > limits.max_zip_members:
        raise IngestError(name, f"{suspicious}: {len(infos)} berkas di dalam arsip")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped:
        raise IngestError(name, f"{suspicious}: isi terurai {mb(total)} melebihi batas {mb(limits.max_unzipped)}")
    for info in infos:
        # small members compress very well legitimately; only a large one with a huge ratio is a bomb
        if info.file_size > 2**20 and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise IngestError(name, f"{suspicious}: {info.filename} mengembang {ratio:.0f} kali "
                                    f"(batas {limits.max_zip_ratio:.0f} kali)")
