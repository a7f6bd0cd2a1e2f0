"""OCR with tesseract (language "ind"), returning lines with their boxes for the layout step."""

from __future__ import annotations

import functools
import os
import re
from typing import Any

from ..numbers import parse_terbilang
from .layout import Line

INSTALL_HINT = "pasang: apt-get install tesseract-ocr tesseract-ocr-ind"
LANG = "ind"


@functools.lru_cache(maxsize=1)
def ocr_problem() -> str | None:
    """None when tesseract with the Indonesian model is usable, else a warning for the user."""
    try:
        import pytesseract

        pytesseract.get_tesseract_version()
        langs = set(pytesseract.get_languages(config=""))
    except Exception:  # missing binary or module: OCR is optional, report it instead
        return f"OCR tidak tersedia karena tesseract tidak terpasang ({INSTALL_HINT})"
    if LANG not in langs:
        return f"OCR tidak tersedia karena model bahasa Indonesia untuk tesseract tidak ada ({INSTALL_HINT})"
    return None


# tesseract reads "%" as "96", "76" or "%6": "10076 (seratus persen)" is "100% (seratus persen)";
# the words in brackets say which figure was meant, so only a figure they confirm is repaired
_MISREAD_PERCENT_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{1,2})?)(?:96|76|%6|9%|7%)(?=\s*\(([A-Za-z\s-]+?)\s+persen\))")


# ... or as "Yc"/"Yo" glued to the figure ("80Yc dinyatakan kompeten"): no Indonesian word or unit
# is spelled so, so these are repaired without words to confirm them
_GARBLED_PERCENT_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{1,2})?)(?:Yc|Yo)(?![A-Za-z])")


def repair_misread_percent(text: str) -> str:
    def fix(m: re.Match) -> str:
        said = parse_terbilang(m.group(2))
        written = float(m.group(1).replace(",", "."))
        return f"{m.group(1)}%" if said is not None and abs(said - written) < 1e-9 else m.group(0)
    return _GARBLED_PERCENT_RE.sub(r"\1%", _MISREAD_PERCENT_RE.sub(fix, text))


def ocr_lines(image: Any) -> list[Line]:
    """Lines of text in `image` (a PIL image), in reading order, with pixel boxes."""
    import pytesseract

    # tesseract's OpenMP threads fight each other (and the rest of the app) on small machines:
    # one thread per page measured 2-3x faster here under load
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image.convert("L"), lang=LANG, config="--psm 3",
                                     output_type=pytesseract.Output.DICT)
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word and word.strip() and float(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            grouped.setdefault(key, []).append(i)
    lines = []
    for idx in grouped.values():
        idx.sort(key=lambda k: data["left"][k])
        lines.append(Line(
            text=repair_misread_percent(" ".join(data["text"][k].strip() for k in idx)),
            x0=min(data["left"][k] for k in idx),
            x1=max(data["left"][k] + data["width"][k] for k in idx),
            top=min(data["top"][k] for k in idx),
            bottom=max(data["top"][k] + data["height"][k] for k in idx),
        ))
    lines.sort(key=lambda ln: (round(ln.top / 12), ln.x0))
    return lines
