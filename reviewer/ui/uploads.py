"""Turn uploaded files into the list of documents to review, unpacking ZIP packages safely.

A ZIP is opened with limits on entry count, expanded size and compression ratio (zip bombs), entry
names are reduced to their base name (no path traversal, no absolute paths), encrypted and nested
archives are refused, and every refusal becomes an Indonesian message beside that file name.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..config import Limits

SUPPORTED = (".pdf", ".docx", ".xlsx", ".txt", ".md")
MB = 1024 * 1024
RATIO_FLOOR = MB  # small entries compress well legitimately; the ratio limit applies above this
CHUNK = 256 * 1024


@dataclass
class Collected:
    files: list[Path] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"file", "message"}

    def refuse(self, name: str, message: str) -> None:
        self.errors.append({"file": name, "message": message})


def _safe_name(raw: str) -> str | None:
    """The entry's base name, or None when the entry is a folder or its name is unusable."""
    name = raw.replace("\\", "/")
    if name.endswith("/"):
        return None
    base = PurePosixPath(name).name or PureWindowsPath(raw).name
    base = base.strip().lstrip(".")
    if not base or base in ("", "..") or "\x00" in base:
        return None
    return base


def _unique(dest: Path, name: str) -> Path:
    path = dest / name
    n = 2
    while path.exists():
        path = dest / f"{Path(name).stem} ({n}){Path(name).suffix}"
        n += 1
    return path


def extract_zip(zip_path: Path, dest: Path, limits: Limits, out: Collected) -> None:
    label = zip_path.name
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        out.refuse(label, "Berkas ZIP rusak atau bukan ZIP.")
        return
    with zf:
        entries = [i for i in zf.infolist() if not i.is_dir()]
        if len(entries) > limits.max_zip_entries:
            out.refuse(label, f"ZIP berisi {len(entries)} berkas; batasnya {limits.max_zip_entries}.")
            return
        total = 0
        dest.mkdir(parents=True, exist_ok=True)
        for info in entries:
            name = _safe_name(info.filename)
            shown = f"{label} › {info.filename}"
            if name is None:
                continue
            if PurePosixPath(info.filename.replace("\\", "/")).parts[:1] == ("__MACOSX",):
                continue  # resource forks that Mac archivers add
            suffix = Path(name).suffix.lower()
            if suffix == ".zip":
                out.refuse(shown, "ZIP di dalam ZIP tidak dibuka; unggah isinya langsung.")
                continue
            if suffix not in SUPPORTED:
                out.refuse(shown, "Jenis berkas tidak didukung (hanya PDF, DOCX, XLSX, TXT); dilewati.")
                continue
            if info.flag_bits & 0x1:
                out.refuse(shown, "Berkas dalam ZIP terenkripsi (berkata sandi); tidak dapat dibaca.")
                continue
            if info.file_size > limits.max_file_mb * MB:
                out.refuse(shown, f"Berkas terlalu besar ({info.file_size / MB:.1f} MB; batas {limits.max_file_mb:g} MB).")
                continue
            if info.file_size > RATIO_FLOOR and info.file_size > limits.max_zip_ratio * max(1, info.compress_size):
                out.refuse(shown, "Rasio kompresi tidak wajar (kemungkinan 'zip bomb'); berkas tidak dibuka.")
                continue
            if total + info.file_size > limits.max_unzipped_mb * MB:
                out.refuse(label, f"Isi ZIP melebihi {limits.max_unzipped_mb:g} MB setelah dibuka; sisa berkas dilewati.")
                return
            target = _unique(dest, name)
            written = 0
            try:
                # the header's size can lie: count what is really written and stop at the limit
                with zf.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(CHUNK):
                        written += len(chunk)
                        if written > info.file_size or written > limits.max_file_mb * MB:
                            raise ValueError("ukuran tidak sesuai")
                        dst.write(chunk)
            except (ValueError, zipfile.BadZipFile, OSError, RuntimeError, EOFError):
                target.unlink(missing_ok=True)
                out.refuse(shown, "Berkas dalam ZIP rusak atau ukurannya tidak sesuai; dilewati.")
                continue
            total += written
            out.files.append(target)


def collect_files(paths: list[str | Path], dest: Path, limits: Limits) -> Collected:
    """Uploaded paths -> files to review (ZIPs expanded into `dest`) and refusals."""
    out = Collected()
    for raw in paths or []:
        path = Path(raw)
        name = path.name
        if not path.is_file():
            out.refuse(name, "Berkas tidak ditemukan di server (unggah ulang).")
            continue
        size = path.stat().st_size
        if size == 0:
            out.refuse(name, "Berkas kosong (0 byte).")
            continue
        if size > limits.max_file_mb * MB:
            out.refuse(name, f"Berkas terlalu besar ({size / MB:.1f} MB; batas {limits.max_file_mb:g} MB).")
            continue
        if path.suffix.lower() == ".zip":
            extract_zip(path, dest / f"paket-{len(out.files)}-{path.stem}", limits, out)
        elif path.suffix.lower() in SUPPORTED:
            out.files.append(path)
        else:
            out.refuse(name, "Jenis berkas tidak didukung; unggah PDF, DOCX, XLSX, TXT atau ZIP paket.")
    if len(out.files) > limits.max_files:
        dropped = out.files[limits.max_files:]
        out.files = out.files[:limits.max_files]
        for p in dropped:
            out.refuse(p.name, f"Melebihi batas {limits.max_files} berkas per reviu; tidak diperiksa.")
    return out
