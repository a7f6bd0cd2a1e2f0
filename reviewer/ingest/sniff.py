"""What a file really is, from its first bytes (the extension can lie)."""

from __future__ import annotations

import io
import zipfile

# extensions a user may give each real format
EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx", ".docm", ".dotx"},
    "xlsx": {".xlsx", ".xlsm", ".xltx"},
    "txt": {".txt", ".md", ".markdown", ".text", ".csv", ""},
    "image": {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"},
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "txt": "teks", "image": "gambar",
                 "zip": "ZIP", "doc": "DOC (Word lama)", "xls": "XLS (Excel lama)", "ole": "Office lama",
                 "exe": "program (EXE)", "elf": "program", "unknown": "tidak dikenal"}
SUPPORTED = ("pdf", "docx", "xlsx", "txt", "image")


def sniff_format(data: bytes, name: str = "") -> str:
    """pdf | docx | xlsx | txt | image | zip | doc | xls | ole | exe | elf | unknown, by magic bytes."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        lower = name.lower()
        return "xls" if lower.endswith((".xls", ".xlt")) else "doc" if lower.endswith((".doc", ".dot")) else "ole"
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff") or head[:4] in (
        b"II*\x00", b"MM\x00*") or head.startswith(b"BM") or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if _looks_like_text(head):
        return "txt"
    return "unknown"


def _sniff_zip(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip"  # a broken archive; the reader reports it as corrupt
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # more than a multi-byte character cut at the end of the sample
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


def extension_matches(fmt: str, name: str) -> bool:
    ext = _ext(name)
    if not ext:
        return True  # no extension claims anything
    if fmt == "txt":
        return ext in EXTENSIONS["txt"] or ext not in set().union(*EXTENSIONS.values())
    return ext in EXTENSIONS.get(fmt, set())


def _ext(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
