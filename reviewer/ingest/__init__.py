"""Files -> Document. One entry point, `load()`, for PDF, DOCX, XLSX, TXT/MD and images (OCR).

Every failure reaches the caller as an IngestError with a reason in Bahasa Indonesia; no library
traceback escapes. Problems that do not stop reading (a page that stays empty after OCR, formulas
without stored results, a hidden sheet) become `Document.warnings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..errors import IngestError
from ..model import Document
from .builder import DocumentBuilder
from .limits import Limits, check_size, check_zip
from .sniff import FORMAT_LABELS, SUPPORTED, extension_matches, sniff_format

__all__ = ["Limits", "load", "load_many", "sniff_format"]

Progress = Callable[[str, float], None]


def load(source: str | Path | bytes, name: str | None = None, *, limits: Limits | None = None,
         ocr: bool = True, progress: Progress | None = None) -> Document:
    """Read one file (a path, or its bytes plus `name`) into a Document."""
    limits = limits or Limits()
    path: str | None = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "dokumen"
    else:
        p = Path(source)
        path = str(p)
        name = name or p.name
        try:
            size = p.stat().st_size
        except OSError:
            raise IngestError(name, "berkas tidak ditemukan atau tidak dapat dibuka") from None
        check_size(name, size, limits)  # before reading a huge file into memory
        try:
            data = p.read_bytes()
        except OSError:
            raise IngestError(name, "berkas tidak dapat dibaca") from None
    check_size(name, len(data), limits)
    fmt = sniff_format(data, name)
    _check_format(fmt, name)
    builder = DocumentBuilder(name, "image" if fmt == "image" else fmt)
    try:
        _read(fmt, data, builder, limits, ocr, progress)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(name, "berkas terlalu besar untuk diproses") from None
    except Exception as err:  # any library failure becomes a readable error
        label = FORMAT_LABELS.get(fmt, fmt)
        raise IngestError(name, f"berkas {label} tidak dapat dibaca ({type(err).__name__})") from err
    doc = builder.build(data, path)
    if not doc.text.strip() and not doc.warnings:
        doc.warnings.append("dokumen tidak berisi teks")
    return doc


def load_many(paths: Iterable[str | Path], **kw) -> tuple[list[Document], list[IngestError]]:
    """Read several files; a bad file is reported and the others are still read."""
    docs: list[Document] = []
    errors: list[IngestError] = []
    for p in paths:
        try:
            docs.append(load(p, **kw))
        except IngestError as err:
            errors.append(err)
    return docs, errors


def _check_format(fmt: str, name: str) -> None:
    if fmt not in SUPPORTED:
        ext = Path(name).suffix.lower() or "tanpa akhiran"
        if fmt in ("doc", "xls", "ole"):
            raise IngestError(name, f"format Office lama tidak didukung ({ext}); simpan ulang sebagai .docx atau .xlsx")
        if fmt == "zip":
            raise IngestError(name, f"arsip ZIP ini bukan DOCX/XLSX atau rusak ({ext})")
        raise IngestError(name, f"format tidak didukung ({ext})")
    if not extension_matches(fmt, name):
        ext = Path(name).suffix.lower()
        raise IngestError(name, f"berkas ini sebenarnya {FORMAT_LABELS[fmt]} walaupun berakhiran {ext}; "
                                "ganti akhiran nama berkasnya lalu unggah ulang")


def _read(fmt: str, data: bytes, builder: DocumentBuilder, limits: Limits, ocr: bool,
          progress: Progress | None) -> None:
    if fmt == "pdf":
        from .pdf_reader import read_pdf

        read_pdf(data, builder, limits, ocr, progress)
    elif fmt == "docx":
        from .docx_reader import read_docx

        check_zip(builder.name, data, limits, "DOCX")
        read_docx(data, builder, progress)
    elif fmt == "xlsx":
        from .xlsx_reader import read_xlsx

        check_zip(builder.name, data, limits, "XLSX")
        read_xlsx(data, builder, limits, progress)
    elif fmt == "image":
        from .image_reader import read_image

        read_image(data, builder, limits, ocr, progress)
    else:
        from .text_reader import read_text

        read_text(data, builder)
        if progress:
            progress("ekstraksi", 1.0)


