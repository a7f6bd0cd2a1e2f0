"""Document check `percent_of_value`: an amount written as a share of the contract value must be
that share of it.

    Jaminan pelaksanaan 5% (lima persen) dari Nilai Kontrak, yaitu Rp15.973.500   (5% of
    Rp318.750.000 is Rp15.937.500)
    Termin III | Juli s.d. September | 25% | 330.000.000                          (25% of
    Rp1.200.000.000 is Rp300.000.000)

Whether the rate itself is allowed is judged elsewhere (NUM-JAMLAK-01, NUM-UANGMUKA-01); this
check only multiplies. The contract value is any amount the document states after "nilai
kontrak"/"nilai SPK"/"harga kontrak" (an addendum states the old and the new one), or the 100%
row of the payment table: an amount that fits one of them passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Clause, Finding
from ..numbers import find_amounts, find_percentages, parse_number
from ..rules import Rule
from .base import DocContext, document_check, make_finding
from .consistency import LABELS
from .hps_math import Row, cell_number, table_rows
from .numbers import Sentence, fmt_num, fmt_rp, sentences

MIN_AMOUNT = 1000.0
# the amount right after the share: "dari nilai kontrak, yaitu Rp...", "x Nilai SPK = Rp..."
OF_VALUE_RE = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?(?:dari|x|×|\*)\s*(?:total\s+|seluruh\s+)?(?:nilai|harga)\s+"
    r"(?:kontrak|spk|surat\s+perintah\s+kerja|perjanjian)\b", re.I)
# "30% x Rp600.000.000 = Rp180.000.000", "5% × Rp 318.750.000,- = Rp 15.937.500"
WORKED_RE = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?(?:x|×|\*)\s*(?:(?:nilai|harga)\s+(?:kontrak|spk)\s*)?"
                       r"Rp\.?\s*(?P<base>\d[\d.,]*\d)(?:,-)?\s*=\s*Rp\.?\s*(?P<amount>\d[\d.,]*\d)", re.I)
AMOUNT_LEAD_RE = re.compile(r"^[\s,:]*(?:(?:yaitu|yakni|ialah|adalah|sebesar|senilai|atau|=)\s*)*(?:sebesar\s*)?$", re.I)
# a different base, or a cap rather than the share itself
OTHER_BASE_RE = re.compile(r"ppn|pajak|awal|semula|sebelum|setelah|per\s*(?:hari|bulan|termin)|maksimal|"
                           r"maksimum|paling|setinggi|tidak\s+melebihi|sampai|s\.?\s?d\.?|hingga", re.I)
SHARE_BEFORE_RE = re.compile(r"(?:dari|x|×|\*)\s*(?:total\s+|seluruh\s+)?$", re.I)
TAX_RE = re.compile(r"\bppn\b|pajak", re.I)
PAYMENT_TABLE_RE = re.compile(r"termin|tahap|pembayaran|angsuran|pencairan|uang\s+muka", re.I)
PERCENT_HEAD_RE = re.compile(r"%|persen|prosentase|porsi|bobot", re.I)
AMOUNT_HEAD_RE = re.compile(r"jumlah|nilai|besar|rp|rupiah|pembayaran", re.I)
TOTAL_LABEL_RE = re.compile(r"^\W*(?:jumlah|total|sub\s*total)\b", re.I)


@dataclass
class Share:
    percent: float
    percent_text: str
    amount: float
    start: int | None
    end: int | None
    evidence: str
    label: str  # the table row's name ("Termin III"), empty for a sentence
    clause: Clause | None = None
    base: float | None = None  # a base written in the sentence itself ("30% x Rp600.000.000 = ...")


def contract_values(ctx: DocContext) -> list[float]:
    """Every amount the document states as its contract value."""
    label = LABELS["nilai_kontrak"]
    out = []
    fact = ctx.fact("nilai_kontrak")  # also read from a table cell ("Nilai SPK | 366.300.000")
    if isinstance(fact, (int, float)) and fact >= MIN_AMOUNT:
        out.append(float(fact))
    for sent in sentences(ctx):
        for m in label.finditer(sent.text):
            if SHARE_BEFORE_RE.search(sent.text[max(0, m.start() - 12):m.start()]):
                continue  # "5% dari nilai kontrak, yaitu Rp...": the share, not the value
            tail = sent.text[m.end():m.end() + 120]
            amounts = [a for a in find_amounts(tail) if a.is_money and a.value >= MIN_AMOUNT]
            if not amounts or amounts[0].start > 60:
                continue
            between = tail[:amounts[0].start]
            if find_percentages(between) and not TAX_RE.search(between):
                continue  # "nilai kontrak paling tinggi 15% ... Rp": a share; "termasuk PPN 11%": the value
            out.append(amounts[0].value)
    return out


def _half_ulp(percent_text: str) -> float:
    """Half the last written decimal of a percentage ("8,33%": 0,005); a whole percentage is exact."""
    m = re.search(r"[.,](\d+)", percent_text)
    return 0.5 * 10 ** -len(m.group(1)) if m else 0.0


def _tolerance(percent_text: str, base: float, expected: float) -> float:
    """How far a written share may sit from percent x base: rupiah rounding up to Rp1.000, and
    the precision of the percentage as written ("8,33%" stands for anything in 8,325-8,335)."""
    return max(MIN_AMOUNT, 0.0005 * expected, base * _half_ulp(percent_text) / 100)


def _fits(share: Share, bases: list[float]) -> bool:
    for base in bases:
        expected = share.percent / 100 * base
        if abs(share.amount - expected) <= _tolerance(share.percent_text, base, expected):
            return True
    return False


def sentence_shares(sent: Sentence) -> list[Share]:
    """"P% dari nilai kontrak, yaitu Rp X" in one sentence."""
    t, out = sent.text, []
    for value, s, e in find_percentages(t):
        if not 0 < value <= 100:
            continue
        worked = WORKED_RE.match(t[e:])
        if worked:  # the sum written out: its own base, whatever the contract value
            base = parse_number(worked.group("base"), money=True)
            amount = parse_number(worked.group("amount"), money=True)
            if base and amount and base >= MIN_AMOUNT:
                out.append(Share(value, t[s:e].strip(), amount, sent.start, sent.end, " ".join(t.split()), "",
                                 sent.clause, base))
            continue
        m = OF_VALUE_RE.match(t[e:])
        if not m:
            continue
        rest_at = e + m.end()
        amounts = [a for a in find_amounts(t[rest_at:rest_at + 120]) if a.is_money and a.value >= MIN_AMOUNT]
        if not amounts:
            continue
        between = t[rest_at:rest_at + amounts[0].start]
        if OTHER_BASE_RE.search(between) or not AMOUNT_LEAD_RE.match(re.sub(r"\bRp\.?\s*$", "", between, flags=re.I)):
            continue
        out.append(Share(value, t[s:e].strip(), amounts[0].value, sent.start, sent.end,
                         " ".join(t.split()), "", sent.clause))
    return out


def _column(header: list[str], head_re: re.Pattern, prefer: re.Pattern | None = None) -> int | None:
    found = [i for i, c in enumerate(header) if head_re.search(c or "")]
    if len(found) > 1 and prefer is not None:
        found = [i for i in found if prefer.search(header[i])] or found
    return found[0] if len(found) == 1 else None


def table_shares(rows: list[Row]) -> tuple[list[Share], list[Share]]:
    """Rows of a payment schedule (a percentage column and an amount column), and its total rows
    ("Jumlah | 100% | 1.200.000.000")."""
    for h, row in enumerate(rows[:3]):
        header = row.cells
        pct_col = _column(header, PERCENT_HEAD_RE, re.compile(r"bayar|termin", re.I))
        amt_col = _column([c if i != pct_col else "" for i, c in enumerate(header)], AMOUNT_HEAD_RE,
                          re.compile(r"jumlah|rp|rupiah", re.I))
        if pct_col is not None and amt_col is not None:
            break
    else:
        return [], []
    table_text = " ".join(" ".join(r.cells) for r in rows)
    if not PAYMENT_TABLE_RE.search(table_text):
        return [], []
    shares, totals = [], []
    for row in rows[h + 1:]:
        if max(pct_col, amt_col) >= len(row.cells):
            continue
        pct_cell = row.cells[pct_col]
        pcts = find_percentages(pct_cell) or ([(cell_number(pct_cell), 0, len(pct_cell))]
                                              if "%" in header[pct_col] and cell_number(pct_cell) is not None else [])
        amount = cell_number(row.cells[amt_col])
        if len(pcts) != 1 or amount is None or amount < MIN_AMOUNT or not 0 < pcts[0][0] <= 100:
            continue
        label = next((c for c in row.cells if c.strip() and not re.fullmatch(r"[\d.\s]+", c)), "")
        share = Share(pcts[0][0], pct_cell[pcts[0][1]:pcts[0][2]].strip() or pct_cell.strip(), amount,
                      row.start, row.end, row.evidence, label.strip())
        (totals if TOTAL_LABEL_RE.match(label) else shares).append(share)
    return shares, totals


def total_problem(shares: list[Share], total: Share, values: list[float], rows_fit: bool) -> str | None:
    """What is wrong with a payment table's total row, if anything: its percentage is not the sum
    of the rows', its amount is not the sum of theirs, or a 100% total is not the contract value.
    A total that only repeats a wrong row is not a second problem."""
    pct_sum = sum(s.percent for s in shares)
    slack = sum(_half_ulp(s.percent_text) for s in shares) + _half_ulp(total.percent_text) + 1e-9
    if abs(pct_sum - total.percent) > slack:
        return (f"Jumlah persentase pembayaran {fmt_num(pct_sum)}% tidak sama dengan "
                f"{total.percent_text} yang tertulis pada baris {total.label}.")
    if not rows_fit:
        return None
    amount_sum = sum(s.amount for s in shares)
    if abs(amount_sum - total.amount) > MIN_AMOUNT:
        return (f"Jumlah pembayaran per baris {fmt_rp(amount_sum)} tidak sama dengan "
                f"{fmt_rp(total.amount)} yang tertulis pada baris {total.label}.")
    if values and abs(total.percent - 100) < 1e-9 and not any(abs(total.amount - v) <= MIN_AMOUNT for v in values):
        return (f"Jumlah tabel pembayaran (100%) {fmt_rp(total.amount)} tidak sama dengan nilai kontrak "
                f"{fmt_rp(values[0])}.")
    return None


@document_check("percent_of_value")
def percent_of_value(rule: Rule, ctx: DocContext) -> list[Finding]:
    values = contract_values(ctx)
    out, seen = [], set()

    def report(share: Share, bases: list[float]) -> bool:
        """A finding for a share that fits none of the bases; True when it fits."""
        if not bases or _fits(share, bases):
            return True
        if (share.start, share.end) not in seen:
            seen.add((share.start, share.end))
            base = bases[0]
            what = f"{share.label}: " if share.label else ""
            if share.base:
                msg = (f"{what}{share.percent_text} × {fmt_rp(base)} = {fmt_rp(share.percent / 100 * base)}, "
                       f"tetapi tertulis {fmt_rp(share.amount)}.")
            else:
                msg = (f"{what}{share.percent_text} dari nilai kontrak {fmt_rp(base)} adalah "
                       f"{fmt_rp(share.percent / 100 * base)}, tetapi tertulis {fmt_rp(share.amount)}.")
            out.append(make_finding(rule, ctx, clause=share.clause, start=share.start, end=share.end,
                                    message=msg, evidence=share.evidence))
        return False

    for sent in sentences(ctx):
        for share in sentence_shares(sent):
            report(share, [share.base] if share.base else values)
    for rows in table_rows(ctx):
        shares, totals = table_shares(rows)
        bases = values + [t.amount for t in totals if abs(t.percent - 100) < 1e-9]
        rows_fit = all([report(share, bases) for share in shares])  # a list: every row is reported
        for total in totals[:1]:
            problem = total_problem(shares, total, values, rows_fit) if shares else None
            if problem:
                out.append(make_finding(rule, ctx, start=total.start, end=total.end, message=problem,
                                        evidence=total.evidence))
    return out
