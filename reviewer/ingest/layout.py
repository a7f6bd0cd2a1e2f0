"""From visual lines to blocks: join the lines of a wrapped paragraph, keep headings and numbered
items apart, and recognise repeated page headers/footers. Shared by PDF, OCR and plain text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass
class Line:
    text: str
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0  # distance from the top of the page (any unit, same for the whole page)
    bottom: float = 0.0


ITEM_START = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,2})+\.?(?![\d,])|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|[ivxIVX]{1,5}[.)]|[-•*–▪●])\s+\S"
)
# a line that ends on a word that cannot end a sentence goes on below, even when the next line
# starts like a list item: "... sebagaimana dimaksud pada angka" / "9.1 paling banyak 20% ...",
# "Perkiraan biaya Rp" / "145.000.000,- (...)"
OPEN_END = re.compile(
    r"(?:\b(?:angka|ayat|pasal|butir|huruf|nomor|no\.?|poin|sub|pada|dalam|dengan|untuk|dari|oleh|"
    r"sebesar|senilai|sejumlah|sebanyak|Rp\.?|yaitu|adalah|yang)|[(/])$", re.I)
CELLS_RE = re.compile(r"\S \| \S.* \| \S")  # cells of a row kept apart by the rules between them
HEADING_START = re.compile(r"^(?:BAB\s+[IVXLC\d]+\b|Pasal\s+\d+\b|PASAL\s+\d+\b|LAMPIRAN\b)")
KEY_VALUE = re.compile(r"^[\w/().,'’ -]{2,45}?\s+:\s*\S")
PAGE_NUMBER = re.compile(
    r"^(?:-\s*\d+\s*-|(?:halaman|hal\.?|page)\s*:?\s*\d+(?:\s*(?:dari|of|/)\s*\d+)?|\d+\s*(?:dari|/|of)\s*\d+|\d{1,4})$",
    re.IGNORECASE,
)


def is_heading(text: str) -> bool:
    if HEADING_START.match(text):
        return True
    if KEY_VALUE.match(text) or text.rstrip().endswith(":"):
        return False  # "NAMA : ...", "PEKERJAAN :" are fields of a form, not headings
    body = text
    m = re.match(r"^(?:[IVX]+|[A-Z]|\d+(?:\.\d+)*)[.)]?\s+(.*)$", text)
    if m:
        body = m.group(1)
    letters = [c for c in body if c.isalpha()]
    if len(letters) < 3 or len(text) > 120 or text.rstrip().endswith((",", ";")):
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


def line_kind(text: str) -> str:
    if is_heading(text):
        return "heading"
    if ITEM_START.match(text):
        return "list_item"
    return "paragraph"


def reaches_right_margin(line: Line, left: float, right: float) -> bool:
    """The line runs (nearly) to the right margin: its text was wrapped, not ended."""
    return line.x1 >= right - 0.12 * (right - left)


def next_word_did_not_fit(line: Line, text: str, next_text: str, right: float) -> bool:
    """A sentence left open ("... dibagi menjadi 4 (empat) paket") whose next word is too long
    for the gap left at the right margin: the line was wrapped there, however far from the margin
    it stopped."""
    if not text or text[-1] in ".:;?!" or line.x1 <= line.x0:
        return False
    char = (line.x1 - line.x0) / max(1, len(text))
    first = next_text.split(" ", 1)[0]
    return line.x1 + char * (len(first) + 1) > right


def group_lines(lines: list[Line], full_width: float | None = None) -> list[tuple[str, str]]:
    """Blocks (kind, text) from lines in reading order.

    A line continues the block above when that block is a paragraph or list item, the line does
    not start a heading, an item or a "Label : isi" pair, and either the line above runs to the
    right margin (it was wrapped) or this line starts in lower case.
    """
    geometry = full_width is not None and any(ln.x1 for ln in lines)
    if geometry:
        left = min(ln.x0 for ln in lines)
        right = max(ln.x1 for ln in lines)
    else:
        longest = max((len(ln.text) for ln in lines), default=0)
    blocks: list[list] = []  # [kind, text, last_line]
    for ln in lines:
        text = " ".join(ln.text.split())
        if not text:
            continue
        kind = line_kind(text)
        # a table row read by OCR ("3 | Radio genggam HT | Motorola ... | 40 unit") stands alone
        if blocks and not (CELLS_RE.search(text) or CELLS_RE.search(blocks[-1][1])):
            prev: Line = blocks[-1][2]
            prev_text = " ".join(prev.text.split())
            if geometry:
                wrapped = reaches_right_margin(prev, left, right) or next_word_did_not_fit(prev, prev_text, text, right)
            else:
                wrapped = len(prev_text) >= 0.75 * longest
            lower = text[0].islower() or text[0] in "(,;)"
            continues_text = (kind == "paragraph" and not KEY_VALUE.match(text)
                              and blocks[-1][0] in ("paragraph", "list_item") and (lower or wrapped))
            if kind != "heading" and blocks[-1][0] in ("paragraph", "list_item") and (
                    OPEN_END.search(prev_text) or (prev_text[-1:].isdigit() and text.startswith("("))):
                continues_text = True  # "... dibagi menjadi 2" / "(dua) paket ...": a figure and its words
            # a long title wraps too: "PENGADAAN LAPTOP UNTUK ... ADMINISTRASI / KEPENDUDUKAN"
            continues_heading = (kind == "heading" and blocks[-1][0] == "heading" and wrapped and geometry
                                 and not ITEM_START.match(text) and not HEADING_START.match(text))
            if continues_text or continues_heading:
                joiner = "" if prev_text.endswith("-") and lower else " "
                blocks[-1][1] += joiner + text
                blocks[-1][2] = ln
                continue
        blocks.append([kind, text, ln])
    return [(k, t) for k, t, _ in blocks]


def furniture_keys(pages: list[list[Line]], page_heights: list[float] | None = None, band: float = 0.09) -> set[str]:
    """Normalised texts of running headers/footers: lines near the top or bottom edge that repeat
    (digits ignored) on at least half of the pages, or that are page numbers."""
    counts: Counter[str] = Counter()
    for i, lines in enumerate(pages):
        seen = {normalise(ln.text) for ln in edge_lines(lines, page_heights[i] if page_heights else None, band)}
        counts.update(seen)
    if len(pages) < 2:
        return set()
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need and k}


def edge_lines(lines: list[Line], height: float | None, band: float = 0.09) -> list[Line]:
    if height:
        return [ln for ln in lines if ln.bottom <= band * height or ln.top >= (1 - band) * height]
    return lines[:2] + lines[-2:]


def is_furniture(line: Line, keys: set[str], height: float | None, band: float = 0.09) -> bool:
    at_edge = not height or line.bottom <= band * height or line.top >= (1 - band) * height
    if not at_edge:
        return False
    text = " ".join(line.text.split())
    return normalise(text) in keys or bool(PAGE_NUMBER.match(text))


def normalise(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))
