"""Unit-price analysis tables (analisa harga satuan pekerjaan, AHSP).

A construction HPS often carries, beside its bill of quantities, a sheet that builds each unit
price: coefficient x base price of labour and materials, their sum ("Jumlah upah dan bahan"),
overhead and profit, the unit price and its rounding. These tables repeat one block per work item,
so their totals are not the HPS total and their coefficients are not quantities procured.
"""

from __future__ import annotations

import re

# a title that starts with it ("ANALISA HARGA SATUAN PEKERJAAN"), not an HPS note that cites one
TITLE_RE = re.compile(r"^\W*(?:lampiran\W+\w*\W*)?(?:analisa|analisis|AHSP)\b", re.I)
COEFFICIENT_HEAD_RE = re.compile(r"^\s*(?:koef(?:isien)?\.?|indeks|index)\s*$", re.I)
HEAD_ROWS = 4  # a title or header row sits in the first rows


def is_analysis_table(rows: list[list[str]], sheet: str | None = None) -> bool:
    """Whether a table (cell texts) is a unit-price analysis: its sheet or title says "analisa", or
    a header cell is "Koefisien"/"Indeks"."""
    if sheet and TITLE_RE.search(sheet):
        return True
    for cells in rows[:HEAD_ROWS]:
        if any(COEFFICIENT_HEAD_RE.match(c or "") for c in cells):
            return True
        if TITLE_RE.search(" ".join(c or "" for c in cells)):
            return True
    return False
