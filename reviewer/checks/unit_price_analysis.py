"""Arithmetic of a unit-price analysis table (see reviewer.analysis_tables), block by block.

Each work item is one block:

    A.2 | Urugan sirtu dipadatkan (per m3)
        | Sirtu   | m3 | 1,20  | 210.000 | 252.000      coefficient x base price = amount
        | Pekerja | OH | 0,25  | 110.000 |  27.500
        | D. Jumlah upah dan bahan          | 283.500      the block's lines
        | E. Biaya Umum dan Keuntungan (15% x D) | 42.525  its rate of D
        | F. Harga Satuan Pekerjaan (D + E) | 326.025      D + E
        | Dibulatkan                        | 326.000      within one rounding unit, up or down

The last two lines are often one: "Harga satuan pekerjaan (D + E), dibulatkan | 326.000".

A row with a label and no figure starts the next block. Only what the table states is checked;
a line that fits none of these shapes is left alone. As in the HPS walk, each figure is kept as
written and as it would be if the lines above were right, so one wrong line is one problem.
"""

from __future__ import annotations

import re

from .hps_math import (RATE_IN_LABEL_RE, ROUND_RE, TOTAL_RE, Columns, Level, Problem, Row, _close, _fits,
                       _label, _sum, _value, summary_amount)
from .numbers import fmt_num, fmt_rp

OVERHEAD_RE = re.compile(r"keuntungan|overhead|biaya\s+umum|profit", re.I)
UNIT_PRICE_RE = re.compile(r"harga\s+satuan\s+(?:pekerjaan|item)|\(\s*\w\s*\+\s*\w\s*\)", re.I)


def _d_plus_e(base: Level, overhead: Level | None) -> Level:
    """The block's lines (D) plus its overhead and profit (E), when it has one."""
    return _sum([base] + ([overhead] if overhead is not None else []))


def check_analysis_table(rows: list[Row], cols: Columns, max_rounding_unit: float = 1000.0) -> list[Problem]:
    problems: list[Problem] = []
    lines: list[Level] = []
    base = overhead = unit_price = None
    for row in rows[cols.header_rows:]:
        label = _label(row, cols)
        amount = summary_amount(row, cols) if (ROUND_RE.search(label) or TOTAL_RE.search(label)
                                               or OVERHEAD_RE.search(label) or UNIT_PRICE_RE.search(label)) \
            else _value(row, cols.jumlah)
        if amount is None:
            if label.strip():
                lines, base, overhead, unit_price = [], None, None, None  # the next item's block
            continue
        if ROUND_RE.search(label):
            ref = unit_price
            if ref is None and base is not None:  # "Harga satuan (D + E), dibulatkan": D + E rounded
                ref = _d_plus_e(base, overhead)
            if ref is not None and min(abs(amount - ref.stated), abs(amount - ref.correct)) >= max_rounding_unit:
                problems.append(Problem(row, f"Harga dibulatkan {fmt_rp(amount)} selisih {fmt_rp(abs(amount - ref.stated))} "
                                             f"dari harga satuan {fmt_rp(ref.stated)}, lebih dari satuan pembulatan "
                                             f"{fmt_rp(max_rounding_unit)}."))
        elif OVERHEAD_RE.search(label):
            rate_m = RATE_IN_LABEL_RE.search(label)
            correct = amount
            if rate_m and base is not None:
                rate = float(rate_m.group(1).replace(",", "."))
                exp = Level(base.stated * rate / 100, base.correct * rate / 100)
                if not _fits(amount, exp.stated, exp.correct):
                    problems.append(Problem(row, f"Biaya umum dan keuntungan {fmt_rp(amount)} tidak sama dengan "
                                                 f"{fmt_num(rate)}% × {fmt_rp(base.stated)} = {fmt_rp(exp.stated)}."))
                correct = exp.correct
            overhead = Level(amount, correct)
        elif UNIT_PRICE_RE.search(label) and base is not None:
            exp = _d_plus_e(base, overhead)
            if not _fits(amount, exp.stated, exp.correct):
                problems.append(Problem(row, f"Harga satuan pekerjaan {fmt_rp(amount)} tidak sama dengan jumlah "
                                             f"upah dan bahan ditambah biaya umum dan keuntungan = {fmt_rp(exp.stated)}."))
            unit_price = Level(amount, exp.correct)
        elif TOTAL_RE.search(label):
            correct = amount
            if lines:
                exp = _sum(lines)
                if not _fits(amount, exp.stated, exp.correct):
                    problems.append(Problem(row, f"Jumlah {fmt_rp(amount)} tidak sama dengan penjumlahan baris "
                                                 f"di atasnya = {fmt_rp(exp.stated)}."))
                correct = exp.correct
            base = Level(amount, correct)
        else:
            coef, price = _value(row, cols.vol), _value(row, cols.hs)
            correct = amount
            if coef is not None and price is not None:
                expected = coef * price
                if not _close(amount, expected, max(1.0, 0.5 * abs(coef))):
                    problems.append(Problem(row, f"Koefisien {fmt_num(coef)} × harga {fmt_rp(price)} = "
                                                 f"{fmt_rp(expected)}, tetapi jumlah tertulis {fmt_rp(amount)}."))
                    correct = expected
            lines.append(Level(amount, correct))
    return problems
