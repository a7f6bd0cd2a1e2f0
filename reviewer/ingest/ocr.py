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


def _in_long_runs(dark, length: int):
    """Pixels that lie in a horizontal run of at least `length` dark pixels (a numpy bool array).
    Only rows with that many dark pixels at all are searched: on a page of text that is a few."""
    import numpy as np

    out = np.zeros_like(dark)
    width = dark.shape[1]
    if length < 2 or width < length:
        return out
    rows = np.flatnonzero(dark.sum(axis=1) >= length)
    if rows.size == 0:
        return out
    d = dark[rows].astype(np.int32)
    cs = np.concatenate([np.zeros((len(rows), 1), np.int32), np.cumsum(d, axis=1, dtype=np.int32)], axis=1)
    full = ((cs[:, length:] - cs[:, :-length]) == length).astype(np.int32)  # a run of `length` starts here
    starts = np.concatenate([np.zeros((len(rows), 1), np.int32), np.cumsum(full, axis=1, dtype=np.int32)], axis=1)
    # x is covered when a run starts in [x - length + 1, x]
    upto = np.concatenate([starts[:, 1:], np.repeat(starts[:, -1:], length - 1, axis=1)], axis=1)
    before = np.concatenate([np.zeros((len(rows), length - 1), np.int32), starts[:, :width - length + 1]], axis=1)
    out[rows] = (upto - before) > 0
    return out


def erase_rules(image: Any, dpi: int = 300) -> tuple[Any, Any]:
    """The page with its ruling lines whitened, and where its vertical rules were: tesseract drops
    a table drawn in a grid as a picture, but reads its cells once the grid is gone. A rule is a
    dark run longer than any letter: a quarter of the width across, a fifth of an inch down."""
    import numpy as np
    from PIL import Image

    page = image.convert("L")
    gray = np.asarray(page)
    dark = gray < 128
    vertical = _in_long_runs(dark.T, max(2, dpi // 5)).T
    rules = _in_long_runs(dark, max(2, gray.shape[1] // 4)) | vertical
    if not rules.any():
        return page, None
    # the grey edge of a rule would be read as "|": take two pixels either side too
    grown = rules.copy()
    for shift in (1, 2):
        grown[shift:, :] |= rules[:-shift, :]
        grown[:-shift, :] |= rules[shift:, :]
        grown[:, shift:] |= rules[:, :-shift]
        grown[:, :-shift] |= rules[:, shift:]
    cleaned = gray.copy()
    cleaned[grown] = 255
    return Image.fromarray(cleaned), vertical


def _joined(words: list[tuple[str, int, int]], top: int, bottom: int, vertical: Any) -> str:
    """A line's words, with " | " where a vertical rule ran between two of them (a table's cells)."""
    text = words[0][0]
    for (_, _, right), (word, left, _) in zip(words, words[1:]):
        between = vertical is not None and left > right and vertical[top:bottom, right:left].any()
        text += (" | " if between else " ") + word
    return text


def ocr_lines(image: Any, dpi: int | None = None) -> list[Line]:
    """Lines of text in `image` (a PIL image), in reading order, with pixel boxes. With the `dpi`
    of a rendered page known, ruling lines are erased first (a photo's scale is unknown, so its
    lines stay: a letter could be longer than the rule length guessed)."""
    import pytesseract

    # tesseract's OpenMP threads fight each other (and the rest of the app) on small machines:
    # one thread per page measured 2-3x faster here under load
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    page, vertical = erase_rules(image, dpi) if dpi else (image.convert("L"), None)
    data = pytesseract.image_to_data(page, lang=LANG, config="--psm 3",
                                     output_type=pytesseract.Output.DICT)
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word and word.strip() and word.strip("|") and float(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            grouped.setdefault(key, []).append(i)
    groups = [sorted(idx, key=lambda k: data["left"][k]) for idx in grouped.values()]
    if vertical is not None:
        groups = _rows_across_rules(groups, data, vertical)
    lines = []
    for idx in groups:
        idx.sort(key=lambda k: data["left"][k])
        x0, x1, top, bottom = _box(idx, data)
        words = [(data["text"][k].strip(), data["left"][k], data["left"][k] + data["width"][k]) for k in idx]
        lines.append(Line(text=repair_misread_percent(_joined(words, top, bottom, vertical)),
                          x0=x0, x1=x1, top=top, bottom=bottom))
    lines.sort(key=lambda ln: (round(ln.top / 12), ln.x0))
    return lines


def _box(idx: list[int], data: dict) -> tuple[int, int, int, int]:
    """(left, right, top, bottom) of tesseract's words `idx`."""
    return (min(data["left"][k] for k in idx), max(data["left"][k] + data["width"][k] for k in idx),
            min(data["top"][k] for k in idx), max(data["top"][k] + data["height"][k] for k in idx))


def _rows_across_rules(groups: list[list[int]], data: dict, vertical: Any) -> list[list[int]]:
    """Tesseract may read a table's columns as separate blocks: lines on the same row with a
    vertical rule between them are one row."""
    merged: list[list[int]] = []
    boxed = sorted(((_box(g, data), g) for g in groups), key=lambda bg: (bg[0][2], bg[0][0]))  # top, then left
    for (x0, x1, top, bottom), idx in boxed:
        for row in merged:
            r0, r1, rtop, rbottom = _box(row, data)
            overlap = min(bottom, rbottom) - max(top, rtop)
            if overlap < 0.5 * min(bottom - top, rbottom - rtop):
                continue
            left, right = (r1, x0) if r1 <= x0 else (x1, r0) if x1 <= r0 else (None, None)
            if left is not None and vertical[max(top, rtop):min(bottom, rbottom), left:right].any():
                row.extend(idx)
                break
        else:
            merged.append(list(idx))
    return merged
