"""`check: hps_arithmetic`: the arithmetic of HPS tables.

Per row: volume x harga satuan = jumlah. Per block: a "Jumlah"/"Sub Total" row = the sum of its
rows; a total of subtotals = their sum; the PPN row = rate x base; the grand total = base + PPN;
"dibulatkan" sits at most one rounding unit below the total, never above.

One finding per problem: every level is judged against the figures as written *and* against the
figures as they should have been, and passes if either fits. So an error in one row that carries
into its subtotal and the grand total is reported at the row only.

Tables come from the ingested document (PDF/DOCX tables, XLSX rows with typed values) or, for
plain text, from pipe- or tab-separated lines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..analysis_tables import is_analysis_table
from ..model import Finding
from ..numbers import parse_number
from ..rules import Rule
from .base import DocContext, document_check, make_finding, related_quote
from .numbers import fmt_num, fmt_rp

# (a unit-price analysis multiplies a coefficient, not a volume: reviewer.analysis_tables)
VOL_RE = re.compile(r"\b(vol|volume|kuantitas|qty|kuantum|jumlah\s+satuan|jml\.?\s+satuan|banyaknya|jumlah\s+barang|"
                    r"koef(?:isien)?|indeks)\b", re.I)
HS_RE = re.compile(r"harga\s*(/|per)?\s*satuan|harga\s+unit|unit\s+price", re.I)
JUMLAH_RE = re.compile(r"\b(jumlah|total|sub\s*total|nilai)\b", re.I)
# "Harga Satuan (Rp) | Diskon (%) | Harga Setelah Diskon (Rp) | Jumlah": the net price is the one
# the volume multiplies; so is the price chosen from several quotes ("PT A (Rp) | CV B (Rp) | Harga
# Rata-rata (Rp) | Jumlah")
NET_PRICE_RE = re.compile(r"harga\s+(?:satuan\s+)?(?:(?:setelah|sesudah|stlh\.?)\s+(?:diskon|potongan|rabat)|"
                          r"net(?:t|to)?\b|bersih|rata[\s-]*rata|rerata|terpilih|yang\s+(?:digunakan|dipakai))", re.I)
# (a recap adds its locations: "No | Lokasi | Lembar | Jumlah (Rp)")
LABEL_RE = re.compile(r"uraian|nama|jenis|item|barang|pekerjaan|keterangan|rincian|komponen|lokasi", re.I)
BASE_PRICE_RE = re.compile(r"harga\s+dasar|biaya\s+dasar|harga\s+pokok", re.I)
OVERHEAD_RE = re.compile(r"overhead|keuntungan|profit|biaya\s+umum", re.I)

PPN_ROW_RE = re.compile(r"\bppn\b|pajak\s+pertambahan\s+nilai", re.I)
GRAND_RE = re.compile(r"(total|jumlah)[^|]{0,40}(\+|termasuk|setelah|dengan|incl\.?|plus)\s*(ppn|pajak)|grand\s*total|total\s+(keseluruhan|hps|akhir)", re.I)
ROUND_RE = re.compile(r"di\s*bulatkan|pembulatan", re.I)
TOTAL_RE = re.compile(r"\b(jumlah|sub\s*-?\s*total|subtotal|total|sub\s+jumlah)\b", re.I)
# "Subtotal A (tidak dikenakan PPN)", "Jumlah sebelum PPN", "DPP": a subtotal that names PPN
SUBTOTAL_FIRST_RE = re.compile(r"\W*(?:[a-z0-9]{1,3}[.)]?\s+)?(?:sub\s*-?\s*total|subtotal|sub\s+jumlah|jumlah|total|"
                               r"dpp|dasar\s+pengenaan)\b(?![^|]{0,15}\bppn\s+\d)", re.I)
SKIP_RE = re.compile(r"terbilang", re.I)
# "Potongan harga (diskon) 4% | (7.048.000)": a discount taken off the sum above it
# ("rabat beton" is a concrete pavement, and "potongan PPh" a tax withheld, not discounts)
DISCOUNT_RE = re.compile(r"\b(?:potongan\s+harga|diskon|discount|rabat(?!\s+beton))\b", re.I)
# PPN 12% charged on "DPP nilai lain" = 11/12 of the price, i.e. 11% of it (PMK 131/2024)
DPP_OTHER_RE = re.compile(r"nilai\s+lain|(?<![\d.,])11\s*/\s*12(?![\d.,])", re.I)
FRACTION_IN_LABEL_RE = re.compile(r"(?<![\d.,])(\d{1,2})\s*/\s*(\d{1,2})(?![\d.,])")
RATE_IN_LABEL_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d+)?)\s*%")
# "Harga termasuk PPN", "Jumlah belum PPN": an amount column that names PPN, not the PPN itself
PPN_QUALIFIER_RE = re.compile(r"\b(?:belum|sebelum|tanpa|termasuk|sudah|incl\w*|excl\w*|setelah|dengan)\b\s*(?:ppn|pajak)|\+", re.I)


@dataclass
class Row:
    cells: list[str]
    values: list[Any] | None
    start: int | None
    end: int | None
    evidence: str


@dataclass
class Columns:
    vol: int | None
    hs: int | None
    jumlah: int
    header_rows: int  # index of the first data row (title and preamble rows included)
    header_start: int = 0  # index of the first header row: rows above it are a title/preamble
    label: int | None = None  # the "Uraian"/"Nama Barang" column
    analysis: bool = False  # a unit-price analysis (reviewer.analysis_tables), checked block by block
    # "Jumlah belum PPN | PPN 11% | Jumlah + PPN": PPN charged row by row, in its own column
    ppn: int | None = None
    gross: int | None = None  # the row amount with its PPN
    ppn_rate: float | None = None
    # "Volume Awal | Volume Adendum I | Jumlah Awal | Jumlah Adendum I": the first volume and
    # amount, checked as a table of their own (vol, jumlah is the last pair)
    before: tuple[int, int] | None = None
    # "Harga Dasar | Overhead & Profit 15% | Harga Satuan": the columns the unit price is built
    # from (base, overhead) and the overhead rate when the header states it
    parts: tuple[int, int, float | None] | None = None


@dataclass
class Level:
    """A figure as written (stated) and as it should be if everything above it were right."""

    stated: float
    correct: float


@dataclass
class Walk:
    items: list[Level] = field(default_factory=list)
    item_rows: list[Row] = field(default_factory=list)  # the rows of `items`
    subtotals: list[Level] = field(default_factory=list)
    all_items: list[Level] = field(default_factory=list)
    base: Level | None = None
    dpp: Level | None = None  # "DPP nilai lain (11/12 x Jumlah)": what a 12% PPN is charged on
    ppn: Level | None = None
    grand: Level | None = None
    row_ppn: list[Level] = field(default_factory=list)  # PPN charged row by row, since the last total


# --- tables -------------------------------------------------------------------------------------

def _doc_tables(ctx: DocContext) -> list[list[Row]]:
    doc = ctx.document
    by_row = {(c.table, c.row): c for c in ctx.clauses if c.kind == "table_row" and c.table is not None}
    out = []
    for ti, table in enumerate(doc.tables):
        rows = []
        for ri, cells in enumerate(table.rows):
            start = end = None
            if ri < len(table.row_blocks) and 0 <= table.row_blocks[ri] < len(doc.blocks):
                b = doc.blocks[table.row_blocks[ri]]
                start, end = b.start, b.end
            elif (ti, ri) in by_row:
                start, end = by_row[(ti, ri)].start, by_row[(ti, ri)].end
            values = table.values[ri] if table.values and ri < len(table.values) else None
            cells = ["" if c is None else str(c) for c in cells]
            evidence = doc.text[start:end].strip() if start is not None else " | ".join(c for c in cells if c.strip())
            rows.append(Row(cells, values, start, end, evidence))
        out.append(rows)
    return out


def _text_tables(ctx: DocContext) -> list[list[Row]]:
    """Pipe- or tab-separated lines in plain text, grouped into tables by adjacency."""
    text = ctx.document.text
    out, current, pos = [], [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        sep = "|" if raw.count("|") >= 2 else ("\t" if raw.count("\t") >= 2 else None)
        if sep is None:
            if current and raw.strip():
                out.append(current)
                current = []
            continue
        if re.fullmatch(r"[\s|:\-+=]*", raw):
            continue  # markdown separator line
        cells = [c.strip() for c in raw.strip().strip("|").split(sep)] if sep == "|" else [c.strip() for c in raw.split(sep)]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        current.append(Row(cells, None, start + lead, end - trail, raw.strip()))
    if current:
        out.append(current)
    return out


def table_rows(ctx: DocContext) -> list[list[Row]]:
    """Every table of the document as rows: its own tables (one per `document.tables`, in order),
    else pipe- or tab-separated lines of plain text. Read once per document."""
    if "hps_math.rows" not in ctx.cache:
        ctx.cache["hps_math.rows"] = _doc_tables(ctx) or _text_tables(ctx)
    return ctx.cache["hps_math.rows"]


def hps_tables(ctx: DocContext) -> list[tuple[list[Row], Columns]]:
    """The document's tables that look like HPS breakdowns, with their key columns."""
    cached = ctx.cache.get("hps_math.tables")
    if cached is not None:
        return cached
    found = []
    for k, rows in enumerate(table_rows(ctx)):
        cols = find_columns(rows)
        if cols is not None:
            sheet = ctx.document.tables[k].sheet if ctx.document.tables else None  # a document table's sheet
            cols.analysis = is_analysis_table([r.cells for r in rows], sheet)
            found.append((rows, cols))
    ctx.cache["hps_math.tables"] = found
    return found


def covered_spans(ctx: DocContext) -> list[tuple[int, int]]:
    """Text spans of the table rows this module checks (so other checks do not count them twice)."""
    spans = []
    for rows, _ in hps_tables(ctx):
        spans.extend((r.start, r.end) for r in rows if r.start is not None and r.end is not None)
    return spans


MAX_PREAMBLE_ROWS = 15  # title, satuan kerja, pekerjaan, sumber dana ... above the header


def find_columns(rows: list[Row]) -> Columns | None:
    """Read the header (up to three rows, merged per column: "HARGA" over "SATUAN"). A sheet often
    starts with a title and preamble rows ("Satuan Kerja | ...", "Sumber Dana | ..."), so the
    header may sit lower. A header must be followed by a row with a figure in one of its columns."""
    # the header is the rows right above the first data row: try the shortest header per end row,
    # so preamble rows are not merged into it
    for end in range(1, min(MAX_PREAMBLE_ROWS + 3, len(rows) - 1) + 1):
        for n_header in (1, 2, 3):
            start = end - n_header
            if start < 0 or start > MAX_PREAMBLE_ROWS:
                continue
            cols = _header_columns(rows[start:end])
            if cols is None:
                continue
            vol, hs, jumlah, label, extra = cols
            data = rows[end:]
            if not any(_value(r, c) is not None for r in data for c in (vol, hs, jumlah)):
                continue  # a preamble line that happens to say "nilai" or "jumlah"
            return Columns(vol, hs, jumlah, start + n_header, start, label, **extra)
    return None


def _ppn_columns(heads: list[str], jumlah: int, amounts: list[int]) -> tuple[int, dict]:
    """A PPN column between the row amount and the amount with PPN ("Jumlah belum PPN | PPN 11% |
    Jumlah + PPN"): the row amount is the one before it, and the other two are checked per row.
    `amounts` are the "jumlah"/"total" columns."""
    ppn = next((i for i, h in enumerate(heads) if PPN_ROW_RE.search(h) and not JUMLAH_RE.search(h)
                and not HS_RE.search(h) and not PPN_QUALIFIER_RE.search(h)), None)
    if ppn is None:
        return jumlah, {}
    net = max((i for i in amounts if i < ppn), default=None)
    if net is None:
        return jumlah, {}
    gross = min((i for i in amounts if i > ppn), default=None)
    rate_m = RATE_IN_LABEL_RE.search(heads[ppn])
    rate = float(rate_m.group(1).replace(",", ".")) if rate_m else None
    return net, {"ppn": ppn, "gross": gross, "ppn_rate": rate}


PPN_EXCLUDED_RE = re.compile(r"\b(?:sebelum|belum|tanpa|excl\w*)\s+(?:ppn|pajak)", re.I)
PPN_INCLUDED_RE = re.compile(r"\b(?:termasuk|dengan|sudah|incl\w*|setelah)\s+(?:ppn|pajak)|\+\s*ppn", re.I)


def _same_ppn_basis(heads: list[str], hs: int | None, amounts: list[int], jumlah: int) -> int:
    """"Harga Satuan sebelum PPN | Harga Satuan termasuk PPN | Jumlah sebelum PPN | Jumlah termasuk
    PPN": the row amount checked against the unit price is the one on the same side of PPN."""
    if hs is None or len(amounts) < 2:
        return jumlah
    for basis in (PPN_EXCLUDED_RE, PPN_INCLUDED_RE):
        if basis.search(heads[hs]):
            same = [i for i in amounts if basis.search(heads[i])]
            return same[-1] if same else jumlah
    return jumlah


def _header_columns(header: list[Row]) -> tuple[int | None, int | None, int, int | None, dict] | None:
    width = max(len(r.cells) for r in header)
    heads = [" ".join(r.cells[i] for r in header if i < len(r.cells)) for i in range(width)]
    vol = hs = jumlah = None
    # a title in the header row ("ANALISA HARGA SATUAN PEKERJAAN | ... | Harga Satuan (Rp)") is no
    # column: of several "harga satuan" heads the shortest is the column's own
    priced = [i for i, h in enumerate(heads) if HS_RE.search(h)]
    if len(priced) > 1:
        keep = min(priced, key=lambda i: len(heads[i]))
        heads = ["" if i in priced and i != keep else h for i, h in enumerate(heads)]
    for i, h in enumerate(heads):
        if vol is None and VOL_RE.search(h) and not HS_RE.search(h):
            vol = i
        elif hs is None and HS_RE.search(h):
            hs = i
        elif JUMLAH_RE.search(h) and not HS_RE.search(h):
            jumlah = i  # the rightmost "jumlah"/"total" column
    net = next((i for i, h in enumerate(heads) if NET_PRICE_RE.search(h) and i != jumlah), None)
    if net is not None:
        hs = net
    label = next((i for i, h in enumerate(heads)
                  if LABEL_RE.search(h) and not HS_RE.search(h) and i not in (vol, hs, jumlah)), None)
    if jumlah is not None and (hs is not None or label is not None):
        amounts = [i for i, h in enumerate(heads) if JUMLAH_RE.search(h) and not HS_RE.search(h)]
        jumlah = _same_ppn_basis(heads, hs, amounts, jumlah)
        jumlah, extra = _ppn_columns(heads, jumlah, amounts)
        vols = [i for i, h in enumerate(heads) if VOL_RE.search(h) and not HS_RE.search(h)]
        if not extra and hs is not None and len(vols) == 2 and len(amounts) == 2 and amounts[1] == jumlah:
            # the amounts before and after a change, each with its own volume
            extra = {"before": (vols[0], amounts[0])}
            vol = vols[1]
        if hs is not None:
            parts = _price_parts(heads, hs)
            if parts:
                extra = {**extra, "parts": parts}
        return vol, hs, jumlah, label, extra
    return None


def _price_parts(heads: list[str], hs: int) -> tuple[int, int, float | None] | None:
    """The base-price and overhead columns left of the unit price, with the overhead rate."""
    base = next((i for i in range(hs) if BASE_PRICE_RE.search(heads[i])), None)
    overhead = next((i for i in range(hs) if OVERHEAD_RE.search(heads[i]) and i != base), None)
    if base is None or overhead is None:
        return None
    rate_m = RATE_IN_LABEL_RE.search(heads[overhead])
    return base, overhead, float(rate_m.group(1).replace(",", ".")) if rate_m else None


def _composed_price(row: Row, cols: Columns, hs: float) -> tuple[float, str] | None:
    """(the unit price its parts make, what is wrong) when a unit price built from a base price
    and an overhead does not add up, or the overhead is not its stated rate of the base."""
    if cols.parts is None:
        return None
    b_col, o_col, rate = cols.parts
    base, overhead = _value(row, b_col), _value(row, o_col)
    if base is None or overhead is None:
        return None
    if rate is not None and not _close(overhead, base * rate / 100, 1.0):
        expected = base * rate / 100
        return base + expected, (f"Overhead & keuntungan {fmt_num(rate)}% × harga dasar {fmt_rp(base)} = "
                                 f"{fmt_rp(expected)}, tetapi tertulis {fmt_rp(overhead)}.")
    if not _close(hs, base + overhead, 1.0):
        return base + overhead, (f"Harga dasar {fmt_rp(base)} + overhead & keuntungan {fmt_rp(overhead)} = "
                                 f"{fmt_rp(base + overhead)}, tetapi harga satuan tertulis {fmt_rp(hs)} "
                                 f"(selisih {fmt_rp(abs(hs - base - overhead))}).")
    return None


def _value(row: Row, col: int | None) -> float | None:
    if col is None or col >= len(row.cells):
        return None
    if row.values is not None and col < len(row.values):
        v = row.values[col]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return cell_number(row.cells[col])


# "450 (empat ratus lima puluh)", "12 bulan", "450 stel", "10 m2": a figure with its words or unit
FIGURE_WITH_WORDS_RE = re.compile(
    r"(?P<num>\d(?:[\d.,]*\d)?)\s*(?:\([A-Za-z\s\-]{2,80}\))?\s*(?:[A-Za-z][A-Za-z0-9'²³/.]*\s*){0,3}")


def cell_number(cell: str) -> float | None:
    """The number in a numeric cell, also when the cell adds its terbilang or unit."""
    raw = re.sub(r"^(Rp\.?|IDR)\s*", "", cell.strip(), flags=re.I).strip()
    if not raw or raw in "-–":
        return None
    value = parse_number(raw, money=True)
    if value is None and (m := FIGURE_WITH_WORDS_RE.fullmatch(raw)):
        value = parse_number(m.group("num"), money=True)
    return value


def _rightmost_number(row: Row) -> float | None:
    for cell in reversed(row.cells):
        raw = re.sub(r"^(Rp\.?|IDR)\s*", "", cell.strip(), flags=re.I)
        if raw and (v := parse_number(raw, money=True)) is not None:
            return v
    return None


def summary_amount(row: Row, cols: Columns) -> float | None:
    """The figure of a total/PPN/rounding row, even when a merged label cell shifted it left."""
    v = _value(row, cols.jumlah)
    return v if v is not None else _rightmost_number(row)


def _label(row: Row, cols: Columns) -> str:
    numeric = {cols.vol, cols.hs, cols.jumlah, cols.ppn, cols.gross}
    return " ".join(c for i, c in enumerate(row.cells) if i not in numeric and c.strip())


def _item_name(row: Row, cols: Columns) -> str:
    """The item's own name: its "Uraian" cell, else the row's text cells."""
    if cols.label is not None and cols.label < len(row.cells) and row.cells[cols.label].strip():
        return row.cells[cols.label].strip()
    return _label(row, cols)


# --- the walk -----------------------------------------------------------------------------------

def _close(a: float, b: float, tol: float = 1.0) -> bool:
    return abs(a - b) <= max(tol, abs(b) * 1e-9)


def _fits(stated: float, a: float, b: float, tol: float = 1.0) -> bool:
    return _close(stated, a, tol) or _close(stated, b, tol)


def _add(a: Level, b: Level) -> Level:
    return Level(a.stated + b.stated, a.correct + b.correct)


def _sum(levels: list[Level]) -> Level:
    return Level(sum(x.stated for x in levels), sum(x.correct for x in levels))


def _bases(w: Walk) -> list[Level]:
    """What PPN may be charged on, most likely first: the last (sub)total, all subtotals, all items.
    Some goods are exempt (animal feed, books), so PPN may rest on one subtotal only."""
    out = [b for b in (w.base, _sum(w.subtotals) if len(w.subtotals) > 1 else None) if b is not None]
    return out + [_sum(w.all_items)]


@dataclass
class Problem:
    row: Row
    message: str
    kind: str = "aritmetika"  # "ppn": the PPN row is not its rate times the sum (a PPN finding)
    related: Row | None = None  # the row that explains it (an item the sum leaves out)


# rates a PPN row may have been computed at by mistake (old 10%, nominal 12% without DPP 11/12)
OTHER_PPN_RATES = (10.0, 11.0, 12.0)


def _ppn_message(what: str, amount: float, rate: float, base: float) -> str:
    """Why a PPN figure is wrong: charged at another rate than the one written, or just off."""
    expected = base * rate / 100
    other = next((r for r in OTHER_PPN_RATES if r != rate and base and _close(amount, base * r / 100, 1.0)), None)
    if other is not None:
        return (f"{what} menulis {fmt_num(rate)}%, tetapi nilainya {fmt_rp(amount)} = {fmt_num(other)}% × "
                f"{fmt_rp(base)}; PPN dihitung dengan tarif yang berbeda dari yang tertulis (seharusnya "
                f"{fmt_rp(expected)}).")
    return (f"PPN {fmt_rp(amount)} tidak sama dengan {fmt_num(rate)}% × {fmt_rp(base)} = "
            f"{fmt_rp(expected)} (selisih {fmt_rp(abs(amount - expected))}).")


def _check_gross(row: Row, cols: Columns, amount: float, ppn: float, problems: list[Problem]) -> None:
    """The "with PPN" cell of a per-row PPN table is the amount plus the PPN as written (a wrong
    PPN is reported once, at the PPN)."""
    gross = _value(row, cols.gross)
    if gross is not None and not _close(gross, amount + ppn):
        problems.append(Problem(row, f"Jumlah dengan PPN {fmt_rp(gross)} tidak sama dengan {fmt_rp(amount)} + "
                                     f"PPN {fmt_rp(ppn)} = {fmt_rp(amount + ppn)}."))


def _row_ppn(row: Row, cols: Columns, amount: Level, rate: float | None, problems: list[Problem]) -> Level | None:
    """The PPN cell of an item row and its "with PPN" cell, checked against the row amount."""
    ppn = _value(row, cols.ppn)
    if ppn is None:
        return None
    if rate is not None and not _fits(ppn, amount.stated * rate / 100, amount.correct * rate / 100):
        problems.append(Problem(row, _ppn_message("PPN baris", ppn, rate, amount.stated), kind="ppn"))
    _check_gross(row, cols, amount.stated, ppn, problems)
    return Level(ppn, amount.correct * rate / 100 if rate is not None else ppn)


def check_table(rows: list[Row], cols: Columns, *, default_rate: float | None = None,
                max_rounding_unit: float = 1000.0) -> list[Problem]:
    problems: list[Problem] = []
    w = Walk()
    unknown = False
    for row in rows[cols.header_rows:]:
        label = _label(row, cols)
        low = label.lower()
        # a row with a volume and a unit price is an item, whatever its other cells say ("Kena PPN")
        item = _value(row, cols.vol) is not None and _value(row, cols.hs) is not None
        if not item and not unknown and DISCOUNT_RE.search(low) and not TOTAL_RE.search(low):
            _discount(row, cols, w, problems)
            continue
        summary = not item and bool(GRAND_RE.search(low) or ROUND_RE.search(low) or PPN_ROW_RE.search(low)
                                    or TOTAL_RE.search(low))
        ppn_row = summary and bool(PPN_ROW_RE.search(low)) and not SUBTOTAL_FIRST_RE.match(low)
        amount = summary_amount(row, cols) if summary else _value(row, cols.jumlah)
        shifted = summary and _value(row, cols.jumlah) is None  # its figure sits in another column
        if amount is None and item:
            unknown = True  # e.g. a formula without a cached value: the sums below cannot be judged
        if amount is None or SKIP_RE.search(label):
            continue
        if summary and unknown:
            continue
        if summary and (GRAND_RE.search(low) or (w.ppn is not None and TOTAL_RE.search(low) and not ROUND_RE.search(low))):
            ppn = w.ppn or Level(0.0, 0.0)
            # the total adds PPN to the base it was charged on, or to every subtotal ("A + B + PPN"
            # when PPN was charged on B alone)
            exps = [Level(b.stated + ppn.stated, b.correct + ppn.correct) for b in _bases(w)]
            exp = next((e for e in exps if _fits(amount, e.stated, e.correct)), exps[0])
            if not _fits(amount, exp.stated, exp.correct):
                if ROUND_RE.search(low):
                    # "TOTAL HPS (dibulatkan)": the grand total and its rounding in one row
                    msg = _rounding_problem(amount, exp, max_rounding_unit)
                    if msg:
                        problems.append(Problem(row, msg))
                else:
                    problems.append(Problem(row, f"Total {fmt_rp(amount)} tidak sama dengan jumlah sebelum PPN "
                                                 f"ditambah PPN = {fmt_rp(exp.stated)} (selisih {fmt_rp(abs(amount - exp.stated))})."))
                w.grand = Level(amount, exp.correct)
            else:
                w.grand = Level(amount, exp.correct)
        elif summary and ROUND_RE.search(low):
            # "Total (dibulatkan)" right after the PPN row rounds the base plus PPN
            ref = w.grand or (_add(w.base, w.ppn) if w.base is not None and w.ppn is not None else None) \
                or w.base or _sum(w.all_items)
            msg = _rounding_problem(amount, ref, max_rounding_unit)
            if msg:
                problems.append(Problem(row, msg))
        elif summary and DPP_OTHER_RE.search(low) and not ppn_row:
            base = w.base or _sum(w.all_items)
            frac_m = FRACTION_IN_LABEL_RE.search(label)
            share = int(frac_m.group(1)) / int(frac_m.group(2)) if frac_m and int(frac_m.group(2)) else 11 / 12
            exp = Level(base.stated * share, base.correct * share)
            if not _fits(amount, exp.stated, exp.correct):
                problems.append(Problem(row, f"DPP nilai lain {fmt_rp(amount)} tidak sama dengan "
                                             f"{frac_m.group(0) if frac_m else '11/12'} × {fmt_rp(base.stated)} = "
                                             f"{fmt_rp(exp.stated)}."))
            w.dpp = Level(amount, exp.correct)
        elif ppn_row:
            rate_m = RATE_IN_LABEL_RE.search(label) or next(
                (m for c in row.cells if (m := RATE_IN_LABEL_RE.search(c))), None)
            rate = float(rate_m.group(1).replace(",", ".")) if rate_m else default_rate
            # no rate, or nothing above to charge it on (a two-column summary "Harga sebelum PPN |
            # PPN 11% | Nilai termasuk PPN" of a contract): nothing to check against
            if rate is None or (not w.all_items and w.base is None and w.dpp is None):
                w.ppn = Level(amount, amount)
                continue
            bases = ([w.dpp] if w.dpp is not None else []) + _bases(w)
            base = next((b for b in bases if _fits(amount, b.stated * rate / 100, b.correct * rate / 100)), bases[0])
            exp = Level(base.stated * rate / 100, base.correct * rate / 100)
            if not _fits(amount, exp.stated, exp.correct):
                problems.append(Problem(row, _ppn_message("Baris PPN", amount, rate, base.stated), kind="ppn"))
            w.ppn = Level(amount, exp.correct)
        elif summary and TOTAL_RE.search(low) and (shifted or _value(row, cols.hs) is None):
            left_out = None
            if w.items:
                exp = _sum(w.items)
                left_out = _left_out(amount, exp, w)
                if w.subtotals and not _fits(amount, exp.stated, exp.correct):
                    # "C | Jumlah sebelum pajak (A + B)": the subtotal above plus the rows after it
                    # (an overhead line) make the new subtotal
                    carried = _sum(w.subtotals + w.items)
                    if _fits(amount, carried.stated, carried.correct):
                        exp, w.subtotals = carried, []
                w.subtotals.append(Level(amount, exp.correct))
                w.items, w.item_rows = [], []
            elif w.subtotals:
                exp = _sum(w.subtotals)
                w.subtotals = [Level(amount, exp.correct)]
            else:
                continue
            if not _fits(amount, exp.stated, exp.correct):
                msg = (f"Jumlah {fmt_rp(amount)} tidak sama dengan penjumlahan rincian di atasnya = "
                       f"{fmt_rp(exp.stated)} (selisih {fmt_rp(abs(amount - exp.stated))}).")
                if left_out is not None:
                    msg += (f" Selisihnya sama dengan jumlah baris \u201c{_item_name(left_out, cols)}\u201d: baris itu "
                            "tampaknya tidak ikut dijumlahkan.")
                problems.append(Problem(row, msg, related=left_out))
            w.base = w.subtotals[-1]
            if cols.ppn is not None and w.row_ppn:
                _total_ppn(row, cols, w, problems)
        else:
            vol, hs = _value(row, cols.vol), _value(row, cols.hs)
            correct = amount
            if vol is not None and hs is not None:
                expected = vol * hs
                tol = max(1.0, 0.5 * abs(vol))  # harga satuan rounded to the rupiah
                if not _close(amount, expected, tol):
                    problems.append(Problem(row, f"Volume {fmt_num(vol)} × harga satuan {fmt_rp(hs)} = "
                                                 f"{fmt_rp(expected)}, tetapi jumlah tertulis {fmt_rp(amount)} "
                                                 f"(selisih {fmt_rp(abs(amount - expected))})."))
                    correct = expected
                else:
                    composed = _composed_price(row, cols, hs)
                    if composed is not None:
                        price, why = composed
                        problems.append(Problem(row, why + f" Jumlah baris menjadi {fmt_rp(vol * price)}, "
                                                           f"bukan {fmt_rp(amount)}."))
                        correct = vol * price
            level = Level(amount, correct)
            w.items.append(level)
            w.item_rows.append(row)
            w.all_items.append(level)
            if cols.ppn is not None:
                ppn = _row_ppn(row, cols, level, cols.ppn_rate or default_rate, problems)
                if ppn is not None:
                    w.row_ppn.append(ppn)
    return problems


def _left_out(amount: float, exp: Level, w: Walk) -> Row | None:
    """The one item row whose amount is exactly what a sum falls short by (a SUM range that
    stops a row early)."""
    short = exp.stated - amount
    if short <= 0:
        return None
    rows = [r for lv, r in zip(w.items, w.item_rows) if _close(lv.stated, short, 1.0)]
    return rows[0] if len(rows) == 1 else None


def _discount_amount(row: Row, cols: Columns) -> float | None:
    """The size of a discount, written "(7.048.000)", "-7.048.000" or plain."""
    for col in ([cols.jumlah] if cols.jumlah is not None else []) + list(range(len(row.cells) - 1, -1, -1)):
        raw = row.cells[col].strip() if col < len(row.cells) else ""
        raw = re.sub(r"^\(\s*(.*?)\s*\)$|^[-–]\s*(?=\d|Rp)", lambda m: m.group(1) or "", raw)
        if raw and (v := cell_number(raw)) is not None and not RATE_IN_LABEL_RE.fullmatch(raw):
            return abs(v)
    return None


def _discount(row: Row, cols: Columns, w: Walk, problems: list[Problem]) -> None:
    """A discount row: its rate (when written) times the sum above, which it then reduces; PPN is
    charged on what is left, so the items before the discount are no longer a base."""
    amount = _discount_amount(row, cols)
    if amount is None:
        return
    base = _sum(w.items) if w.items else (w.base or _sum(w.all_items))
    correct = amount
    rate_m = RATE_IN_LABEL_RE.search(_label(row, cols))
    if rate_m:
        rate = float(rate_m.group(1).replace(",", "."))
        correct = base.correct * rate / 100
        if not _fits(amount, base.stated * rate / 100, correct):
            problems.append(Problem(row, f"Potongan harga {fmt_rp(amount)} tidak sama dengan {fmt_num(rate)}% × "
                                         f"{fmt_rp(base.stated)} = {fmt_rp(base.stated * rate / 100)}."))
    after = Level(base.stated - amount, base.correct - correct)
    w.items, w.subtotals, w.all_items, w.base = [], [after], [after], after


def _total_ppn(row: Row, cols: Columns, w: Walk, problems: list[Problem]) -> None:
    """A total row of a per-row PPN table: its PPN cell is the sum of the rows' PPN (a row error
    carried into it is not a second problem), and it becomes the PPN the grand total adds."""
    ppn = _value(row, cols.ppn)
    if ppn is None:
        return
    exp = _sum(w.row_ppn)
    if not _fits(ppn, exp.stated, exp.correct):
        problems.append(Problem(row, f"Jumlah PPN {fmt_rp(ppn)} tidak sama dengan penjumlahan PPN per baris = "
                                     f"{fmt_rp(exp.stated)} (selisih {fmt_rp(abs(ppn - exp.stated))}).", kind="ppn"))
    _check_gross(row, cols, w.base.stated, ppn, problems)  # w.base: the total this row states
    w.ppn = Level(ppn, exp.correct)
    w.row_ppn = []


def rounding_unit(total: float, max_unit: float) -> float:
    """The largest rounding unit allowed for `total`: `max_unit`, or for a large HPS the power of ten
    at most a thousandth of it (Rp554.112.000 may be rounded down to Rp554.100.000, not to
    Rp550.000.000)."""
    if total <= 0:
        return max_unit
    return max(max_unit, 10.0 ** math.floor(math.log10(total / 1000.0)))


def _rounding_problem(rounded: float, ref: Level, max_unit: float) -> str | None:
    total = ref.stated
    if _close(rounded, total) or _close(rounded, ref.correct):
        return None
    max_unit = rounding_unit(max(total, ref.correct), max_unit)
    if rounded > total + 1.0 and rounded > ref.correct + 1.0:
        return (f"Nilai dibulatkan {fmt_rp(rounded)} lebih besar dari total {fmt_rp(total)}; pembulatan HPS "
                f"lazimnya ke bawah.")
    if total - rounded >= max_unit and ref.correct - rounded >= max_unit:
        return (f"Nilai dibulatkan {fmt_rp(rounded)} selisih {fmt_rp(total - rounded)} dari total "
                f"{fmt_rp(total)}, lebih dari satuan pembulatan {fmt_rp(max_unit)}.")
    return None


@document_check("hps_arithmetic")
def hps_arithmetic(rule: Rule, ctx: DocContext) -> list[Finding]:
    max_unit = float(rule.params.get("max_rounding_unit", 1000))
    out = []
    for p in table_problems(ctx, max_unit):
        if p.kind == "aritmetika":  # a wrong PPN row is a PPN finding (NUM-PPN-01)
            out.append(problem_finding(rule, ctx, p))
    return out


def problem_finding(rule: Rule, ctx: DocContext, p: Problem) -> Finding:
    """A finding at the table row of `p` (its text when the row has no offsets)."""
    related = [related_quote(ctx, p.related.evidence, p.related.start)] if p.related is not None else []
    if p.row.start is not None:
        return make_finding(rule, ctx, start=p.row.start, end=p.row.end, message=p.message, related=related)
    return make_finding(rule, ctx, message=p.message, evidence=p.row.evidence, related=related)


def table_problems(ctx: DocContext, max_unit: float = 1000.0) -> list[Problem]:
    """Every problem in the document's HPS tables (cached: two rules read them)."""
    key = f"hps_math.problems.{max_unit:g}"
    if key not in ctx.cache:
        default_rate = ctx.fact("ppn_persen")
        from .unit_price_analysis import check_analysis_table  # it imports this module
        rate = float(default_rate) if default_rate else None
        problems = []
        for rows, cols in hps_tables(ctx):
            if cols.analysis:
                problems += check_analysis_table(rows, cols, max_unit)
                continue
            problems += check_table(rows, cols, default_rate=rate, max_rounding_unit=max_unit)
            if cols.before is not None:
                before = replace(cols, vol=cols.before[0], jumlah=cols.before[1], before=None)
                problems += check_table(rows, before, default_rate=rate, max_rounding_unit=max_unit)
        ctx.cache[key] = problems
    return ctx.cache[key]
