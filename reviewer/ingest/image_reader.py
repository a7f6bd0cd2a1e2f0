"""Photos and scans (PNG, JPG, TIFF): OCR every frame."""

from __future__ import annotations

import io
from typing import Callable

from ..errors import IngestError
from .builder import DocumentBuilder
from .layout import group_lines
from .limits import Limits, check_pages
from .ocr import ocr_lines, ocr_problem

MAX_PIXELS = 200_000_000  # larger images are decompression bombs, not scans


def read_image(data: bytes, builder: DocumentBuilder, limits: Limits, ocr: bool,
               progress: Callable[[str, float], None] | None) -> None:
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError:
        raise IngestError(builder.name, "gambar terlalu besar (lebih dari 200 juta piksel)") from None
    except Exception:  # Pillow raises several types for broken images
        raise IngestError(builder.name, "berkas gambar rusak atau terpotong") from None
    frames = [f.copy() for f in ImageSequence.Iterator(image)]
    check_pages(builder.name, len(frames), limits)
    problem = ocr_problem() if ocr else "OCR dimatikan"
    for number, frame in enumerate(frames, start=1):
        builder.new_page()
        if problem is not None:
            builder.warn(f"Halaman {number} adalah gambar dan tidak dapat dibaca ({problem})")
            continue
        lines = ocr_lines(frame)
        builder.ocr_pages.append(number)
        width = max((ln.x1 for ln in lines), default=frame.width)
        blocks = group_lines(lines, full_width=width)
        if sum(len(t) for _, t in blocks) < 8:
            builder.warn(f"Halaman {number} tidak berisi teks yang dapat dibaca, juga setelah OCR")
        for kind, text in blocks:
            builder.add_block(kind, text, location=f"halaman {number}")
        if progress:
            progress("OCR", number / len(frames))
