"""Number checks on one document: fines, advances, guarantees, retention, addenda, PPN, terbilang,
method and contract-form thresholds, and contracts that run past their budget year.

Each check reads sentences (tight evidence), finds the figures with reviewer.numbers, and judges
them against the rule card's params. The sentence helpers at the top are shared with hps_math.py
and consistency.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import MONEY_FACTS, Clause, Fact, Finding
from ..numbers import (UNIT_NAMES, WORDS_RE, Amount, find_amounts, find_durations, find_percentages, find_permil, find_terbilang,
                       format_rupiah, parse_number, parse_terbilang)
from ..rules import UNKNOWN, Rule
from .base import REFERENCE_FACTS, DocContext, document_check, make_finding, reference_value, related_quote

# --- sentences: the unit of evidence ------------------------------------------------------------

ABBREVIATIONS = {"no", "nomor", "rp", "ps", "hlm", "dll", "dsb", "tgl", "jl", "kab", "kec", "st",
                 "ir", "dr", "h", "s", "d", "a", "b", "c", "an", "u", "ttd", "telp", "ayat", "psl"}
# sentence ends; blank lines; a line break before a list item, after a label line ("...:"),
# or around a heading line (no lower-case letters)
# a blank line ends a sentence unless the text goes on in lowercase (a reader's gap inside a
# wrapped sentence: "per hari keterlambatan\n\ndari nilai kontrak")
_BOUNDARY_RE = re.compile(
    r"[.;!?](?=\s+[\"'(A-Z0-9])|\n\s*\n(?![ \t]*[a-z])|\n(?=[ \t]*(?:[-•*–][ \t]|\(?\d{1,2}[.)][ \t]|\(?[a-zA-Z][.)][ \t]))"
    r"|(?<=:)[ \t]*\n|\n(?=[^a-z\n]{3,80}(?:\n|$))|(?m:^[^a-z\n]{3,80}\n)")


@dataclass
class Sentence:
    start: int  # offsets into the document text
    end: int
    text: str
    clause: Clause | None


def _split(text: str, offset: int) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.group(0) in ".;!?" and len(m.group(0)) == 1:
            word = re.search(r"([A-Za-z]+)\.?$", text[max(0, m.start() - 8):m.start() + 1])
            if m.group(0) == "." and word and word.group(1).lower() in ABBREVIATIONS:
                continue  # "No. 5", "Rp. 1.000": not a sentence end
        g = m.group(0)
        end = m.end() if g in ".;!?" or (len(g) > 2 and not g.isspace()) else m.start()
        if text[begin:end].strip():
            spans.append((begin, end))
        begin = m.end()
    if text[begin:].strip():
        spans.append((begin, len(text)))
    out = []
    for s, e in spans:  # trim whitespace so the evidence is tight
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s + offset, e + offset))
    return out


def _fallback_units(ctx: DocContext) -> list[tuple[int, int, Clause | None]]:
    """Without clauses (no segmenter), use blocks, else blank-line paragraphs."""
    doc = ctx.document
    if doc.blocks:
        return [(b.start, b.end, None) for b in doc.blocks]
    return [(m.start(), m.end(), None) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", doc.text)]


def sentences(ctx: DocContext) -> list[Sentence]:
    """The document's sentences (table rows count as one sentence each), cached per document."""
    cached = ctx.cache.get("numbers.sentences")
    if cached is not None:
        return cached
    text = ctx.document.text
    units = [(c.start, c.end, c) for c in ctx.clauses] if ctx.clauses else _fallback_units(ctx)
    out: list[Sentence] = []
    seen: set[tuple[int, int]] = set()
    for start, end, clause in units:
        if clause is not None and clause.kind == "table_row":
            spans = [(start, end)]
        else:
            spans = _split(text[start:end], start)
        for s, e in spans:
            if (s, e) not in seen and e > s:
                seen.add((s, e))
                out.append(Sentence(s, e, text[s:e], clause))
    ctx.cache["numbers.sentences"] = out
    return out


def sentence_at(ctx: DocContext, offset: int) -> Sentence | None:
    """The sentence holding text offset `offset`."""
    return next((s for s in sentences(ctx) if s.start <= offset < s.end), None)


def lines(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Physical lines of the text with their offsets (HPS recaps are line-shaped)."""
    out, pos = [], 0
    for raw in ctx.document.text.split("\n"):
        if raw.strip():
            out.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def finding_at(rule: Rule, ctx: DocContext, sent: Sentence, message: str, **kw) -> Finding:
    return make_finding(rule, ctx, clause=sent.clause, start=sent.start, end=sent.end,
                        message=message, **kw)


def also_quoted(ctx: DocContext, other: Sentence | None, at: Sentence) -> list[dict]:
    """`related` for a finding at `at` that also rests on `other` (the method stated apart from
    the value, the planned start of a period): empty when there is no other sentence."""
    if other is None or other.start == at.start:
        return []
    return [related_quote(ctx, other.text, other.start)]


fmt_rp = format_rupiah  # Rp12.500.000 or Rp12.500.000,50, for messages


def fmt_num(value: float) -> str:
    return (f"{value:.4f}".rstrip("0").rstrip(".")).replace(".", ",")


def budget_year(ctx: DocContext) -> int | None:
    year = ctx.fact("tahun_anggaran")
    if year:
        try:
            return int(year)
        except (TypeError, ValueError):
            pass
    m = re.search(r"(?:tahun\s+anggaran|\bT\.?\s?A\.?)\s*:?\s*(20\d\d)\b", ctx.document.text, re.I)
    return int(m.group(1)) if m else None


def anchored_percentages(t: str, anchors: list[int], max_gap: int):
    """(value, start, end, anchor) of each percentage in `t` that follows one of `anchors` (end
    offsets of the keyword, e.g. "retensi") by at most `max_gap` characters; anchor is the nearest."""
    if not anchors:
        return
    for value, s, e in find_percentages(t):
        anchor = max((a for a in anchors if a <= s), default=None)
        if anchor is not None and s - anchor <= max_gap:
            yield value, s, e, anchor


# --- number.denda -------------------------------------------------------------------------------

# "denda", or a "sanksi" that names a rate ("dikenakan sanksi sebesar 2 persen per hari")
DENDA_RE = re.compile(r"\bdenda\b|\bsanksi\b(?=[^.\n]{0,80}(?:%|persen|per\s*mil|permil|\u2030|/\s*1\.?000))", re.I)
LATE_RE = re.compile(r"terlambat|keterlambatan|setiap hari|per ?hari|tiap hari|penyelesaian pekerjaan", re.I)
CAP_BEFORE_RE = re.compile(
    r"(maksimal|maksimum|paling\s+(banyak|tinggi)|setinggi-tingginya|tidak\s+(boleh\s+)?melebihi|"
    r"melampaui|dibatasi|batas(an)?|mencapai|sampai\s+(dengan|batas)|s\.?\s?d\.?|hingga|sebesar-besarnya)\s*"
    r"(\w+\s+){0,4}$", re.I)
PER_DAY_RE = re.compile(r"(per|setiap|tiap|untuk\s+setiap|/)\s*hari|sehari|perhari", re.I)
PER_WEEK_RE = re.compile(r"(per|setiap|tiap|untuk\s+setiap|/)\s*(minggu|pekan)|perminggu", re.I)
PER_MONTH_RE = re.compile(r"(per|setiap|tiap|untuk\s+setiap|/)\s*bulan|perbulan", re.I)
RATE_LEAD_RE = re.compile(r"(sebesar|adalah|yaitu|senilai|=|:)\s*$", re.I)
WITH_PPN_RE = re.compile(r"(termasuk|sudah\s+termasuk|setelah|dengan|ditambah|\+)\s*(pajak\s+pertambahan\s+nilai|ppn)", re.I)
NO_PPN_BEFORE_RE = re.compile(r"(tidak|belum|bukan)\s*$", re.I)
# "1 (satu) permil" is not read by find_permil (words between figure and unit)
PERMIL_PAREN_RE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*\([^()]{1,30}\)\s*(?:per\s*mil|permil|per\s*seribu)\b", re.I)
DECIMAL_FRACTION_RE = re.compile(r"(?<![\w.,])0[.,]00(\d+)\s*(?:x|×|kali|dari)", re.I)
# "1/200 (satu per dua ratus)", "5/1000": any fraction with a round denominator (not "16/2018")
FRACTION_RE = re.compile(r"(?<![\w.,/])(\d{1,3})\s*/\s*(\d{2,6})(?![\w/]|[.,]\d)")


def _round_fraction(m: re.Match) -> float | None:
    """The permil value of a fraction such as 1/200, or None for a year or document number."""
    num, den = int(m.group(1)), int(m.group(2))
    if den == 0 or den % 50 or 1900 <= den <= 2100:
        return None
    return num / den * 1000


def _denda_rates(text: str) -> list[tuple[float, int, int]]:
    """(permil, start, end) for every rate expression in a sentence."""
    rates = [(v, s, e) for v, s, e in find_permil(text)]
    for m in PERMIL_PAREN_RE.finditer(text):
        if not any(s <= m.start() < e for _, s, e in rates):
            rates.append((float(m.group(1).replace(",", ".")), m.start(), m.end()))
    for v, s, e in find_percentages(text):
        if not any(rs <= s < re_ for _, rs, re_ in rates):
            rates.append((v * 10, s, e))
    for m in DECIMAL_FRACTION_RE.finditer(text):
        value = float("0.00" + m.group(1)) * 1000
        rates.append((value, m.start(), m.end()))
    for m in FRACTION_RE.finditer(text):
        value = _round_fraction(m)
        if value is not None and not any(rs <= m.start() < re_ for _, rs, re_ in rates):
            rates.append((value, m.start(), m.end()))
    return sorted(rates, key=lambda r: r[1])


def _ppn_included(text: str) -> bool:
    for m in WITH_PPN_RE.finditer(text):
        if not NO_PPN_BEFORE_RE.search(text[max(0, m.start() - 12):m.start()]):
            return True
    return False


@document_check("denda_rate")
def denda_rate(rule: Rule, ctx: DocContext) -> list[Finding]:
    """A late fine other than 1 permil per day, counted per week, or on a base that includes PPN.
    A cap ("paling banyak 5% dari nilai kontrak") is a contract term, not a rate: never flagged."""
    expected = float(rule.params.get("expected_permil", 1))
    out = []
    for sent in sentences(ctx):
        t = sent.text
        if not DENDA_RE.search(t) or not LATE_RE.search(t):
            continue
        problems = []
        for value, s, e in _denda_rates(t):
            if CAP_BEFORE_RE.search(t[max(0, s - 40):s]):
                continue
            after = t[e:e + 110]
            if PER_WEEK_RE.search(after):
                problems.append(f"denda dihitung per minggu ({t[s:e].strip()}), bukan per hari keterlambatan")
            elif PER_MONTH_RE.search(after):
                problems.append(f"denda dihitung per bulan ({t[s:e].strip()}), bukan per hari keterlambatan")
            elif PER_DAY_RE.search(after) or re.search(r"hari\s+keterlambatan", t, re.I):
                if abs(value - expected) > 1e-9:
                    problems.append(f"tarif denda {t[s:e].strip()} ({fmt_num(value)}‰) per hari, "
                                    f"seharusnya {fmt_num(expected)}‰ (satu permil)")
            elif RATE_LEAD_RE.search(t[max(0, s - 12):s]) and not CAP_BEFORE_RE.search(t):
                problems.append(f"denda ditetapkan {t[s:e].strip()} tanpa dikaitkan dengan setiap hari "
                                "keterlambatan")
            if problems:
                break
        if _ppn_included(t):
            problems.append("dasar perhitungan denda termasuk PPN, padahal nilai kontrak untuk denda "
                            "tidak termasuk PPN (Pasal 79 ayat (5))")
        if problems:
            msg = "Ketentuan denda keterlambatan menyimpang: " + "; ".join(problems) + "."
            out.append(finding_at(rule, ctx, sent, msg))
    return out


# --- number.uang_muka ------------------------------------------------------------------------

UANG_MUKA_RE = re.compile(r"\buang\s+muka\b", re.I)
UM_SKIP_BETWEEN_RE = re.compile(r"pengembalian|angsuran|pelunasan|potong|jaminan|retensi|termin|pembayaran\s+ke", re.I)
UM_OF_UM_RE = re.compile(r"^\s*(\)\s*)?(dari\s+)?(nilai\s+|jumlah\s+|besaran\s+)?uang\s+muka", re.I)
TIER_AFTER = (
    (re.compile(r"tahun\s+jamak|multi\s*years?", re.I), "tahun_jamak"),
    (re.compile(r"non[\s-]*kecil|bukan\s+usaha\s+kecil|usaha\s+menengah|usaha\s+besar", re.I), "non_kecil"),
    (re.compile(r"konsultan", re.I), "non_kecil"),
    (re.compile(r"usaha\s+(mikro|kecil)", re.I), "kecil"),
)


def _advance_cap(rule: Rule, ctx: DocContext) -> tuple[float, str]:
    caps = rule.params
    if ctx.fact("tahun_jamak") is True:
        return float(caps.get("tahun_jamak", 15)), "kontrak tahun jamak"
    if ctx.fact("jenis_pengadaan") == "jasa_konsultansi":
        return float(caps.get("non_kecil", 20)), "penyedia jasa konsultansi"
    if ctx.fact("usaha_kecil") is True:
        return float(caps.get("kecil", 30)), "usaha kecil"
    if ctx.fact("usaha_kecil") is False:
        return float(caps.get("non_kecil", 20)), "usaha non-kecil"
    return float(caps.get("kecil", 30)), "usaha kecil (batas tertinggi yang mungkin berlaku)"


@document_check("advance_payment")
def advance_payment(rule: Rule, ctx: DocContext) -> list[Finding]:
    """Uang muka above its Pasal 29 ayat (2) cap for this provider and contract."""
    cap, who = _advance_cap(rule, ctx)
    tier_caps = {"kecil": float(rule.params.get("kecil", 30)), "non_kecil": float(rule.params.get("non_kecil", 20)),
                 "tahun_jamak": float(rule.params.get("tahun_jamak", 15))}
    tier_names = {"kecil": "usaha kecil", "non_kecil": "usaha non-kecil/jasa konsultansi",
                  "tahun_jamak": "kontrak tahun jamak"}
    out = []
    for sent in sentences(ctx):
        t = sent.text
        anchors = [m.end() for m in UANG_MUKA_RE.finditer(t)
                   if not re.search(r"jaminan\s*$", t[max(0, m.start() - 9):m.start()], re.I)]
        for value, s, e, anchor in anchored_percentages(t, anchors, 90):
            if UM_SKIP_BETWEEN_RE.search(t[anchor:s]):
                continue
            if UM_OF_UM_RE.match(t[e:e + 30]):
                continue  # "100% dari nilai uang muka": the guarantee, not the advance
            limit, limit_who = cap, who
            tail = re.split(r"[,;]|\d", t[e:e + 45])[0]  # this figure's own tier words only
            for rx, tier in TIER_AFTER:
                if rx.search(tail):
                    limit, limit_who = tier_caps[tier], tier_names[tier]
                    break
            if value > limit + 1e-9:
                msg = (f"Uang muka {t[s:e].strip()} melebihi batas paling tinggi {fmt_num(limit)}% "
                       f"dari nilai kontrak untuk {limit_who} (Pasal 29 ayat (2)).")
                out.append(finding_at(rule, ctx, sent, msg))
                break
    return out


# --- number.jaminan_pelaksanaan ---------------------------------------------------------------

JAMLAK_RE = re.compile(r"\bjaminan\s+pelaksanaan\b", re.I)
OFFER_RANGE_BEFORE_RE = re.compile(r"(penawaran|antara|di\s*bawah|kurang\s+dari|sampai\s+dengan|s\.?\s?d\.?|s/d|hingga|-)\s*(\w+\s+){0,3}$", re.I)
OFFER_RANGE_AFTER_RE = re.compile(r"^\s*(\([^)]*\)\s*)?(sampai|s\.?\s?d|s/d|hingga|-|–)|^\s*(\([^)]*\)\s*)?(dari\s+)?(nilai\s+)?(total\s+)?(hps|harga\s+perkiraan)", re.I)
NEGATED_RE = re.compile(r"tidak\s+(di)?(perlu|diperlukan|dipersyaratkan|disyaratkan|wajib|ada|dikenakan|diminta)|tanpa\s+jaminan|dikecualikan|tidak\s+memerlukan|bebas\s+dari", re.I)
DEMAND_RE = re.compile(r"wajib|harus|menyerahkan|menyampaikan|diserahkan|disampaikan|sebesar|berlaku|dipersyaratkan|memberikan|melampirkan", re.I)


@document_check("performance_bond_rate")
def performance_bond_rate(rule: Rule, ctx: DocContext) -> list[Finding]:
    """A jaminan pelaksanaan other than 5% (of the contract value, or of the HPS below 80%)."""
    expected = float(rule.params.get("expected_percent", 5))
    out = []
    for sent in sentences(ctx):
        t = sent.text
        anchors = [m.end() for m in JAMLAK_RE.finditer(t)]
        for value, s, e, anchor in anchored_percentages(t, anchors, 100):
            if OFFER_RANGE_BEFORE_RE.search(t[anchor:s][-40:]) or OFFER_RANGE_AFTER_RE.search(t[e:e + 40]):
                continue  # 80%/100% of HPS are the offer bands, not the guarantee
            if re.search(r"uang\s+muka|retensi|pemeliharaan", t[anchor:s], re.I):
                continue
            if abs(value - expected) > 1e-9:
                msg = (f"Jaminan pelaksanaan ditetapkan {t[s:e].strip()}, padahal besarnya "
                       f"{fmt_num(expected)}% dari nilai kontrak (atau {fmt_num(expected)}% dari nilai total HPS "
                       "bila penawaran terkoreksi di bawah 80% HPS).")
                out.append(finding_at(rule, ctx, sent, msg))
                break
    return out


@document_check("performance_bond_consultancy")
def performance_bond_consultancy(rule: Rule, ctx: DocContext) -> list[Finding]:
    """A jaminan pelaksanaan demanded in a consultancy procurement (Pasal 30 ayat (5))."""
    if ctx.fact("jenis_pengadaan") != "jasa_konsultansi":
        return []
    for sent in sentences(ctx):
        t = sent.text
        if JAMLAK_RE.search(t) and DEMAND_RE.search(t) and not NEGATED_RE.search(t):
            msg = ("Jaminan pelaksanaan dipersyaratkan pada pengadaan jasa konsultansi, padahal jasa "
                   "konsultansi tidak memerlukan jaminan pelaksanaan (Pasal 30 ayat (5)).")
            return [finding_at(rule, ctx, sent, msg)]
    return []


# --- number.retensi ---------------------------------------------------------------------------

RETENSI_RE = re.compile(r"\bretensi\b", re.I)
RETENSI_AFTER_RE = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:sebagai|untuk)\s+(?:uang\s+|dana\s+)?retensi\b", re.I)


@document_check("retention_rate")
def retention_rate(rule: Rule, ctx: DocContext) -> list[Finding]:
    expected = float(rule.params.get("expected_percent", 5))
    out = []
    for sent in sentences(ctx):
        t = sent.text
        anchors = [m.end() for m in RETENSI_RE.finditer(t)]
        found = list(anchored_percentages(t, anchors, 70))
        # "dipotong 10% sebagai uang retensi": the rate may come first
        found += [(v, s, e, e) for v, s, e in find_percentages(t)
                  if RETENSI_AFTER_RE.match(t, e) and not any(s == f[1] for f in found)]
        for value, s, e, anchor in found:
            # a payment share named between "retensi" and the rate is not the retention rate
            if anchor <= s and re.search(r"pembayaran|prestasi|progres|kemajuan", t[anchor:s], re.I):
                continue
            if abs(value - expected) > 1e-9:
                msg = (f"Retensi ditetapkan {t[s:e].strip()}, padahal besarnya {fmt_num(expected)}% "
                       "(Pasal 53 ayat (2)).")
                out.append(finding_at(rule, ctx, sent, msg))
                break
    return out


# --- number.adendum ---------------------------------------------------------------------------

ADENDUM_RE = re.compile(r"adendum|addendum|amandemen|perubahan\s+kontrak|pekerjaan\s+tambah|penambahan\s+(?:nilai|pekerjaan|volume)|tambah\s+kurang", re.I)
# "bertambah sebesar Rp 277.500.000,- atau 14,88%": the amount may come first
ADD_CUE_RE = re.compile(r"(penambahan|bertambah|tambahan|tambah|kenaikan|naik|melebihi|paling\s+banyak|maksimal|maksimum|"
                        r"paling\s+tinggi|sampai\s+dengan|hingga|sebesar)\s*(?:Rp\.?\s*\d[\d.,]*-?\s*(?:atau|=|/|\()\s*)?"
                        r"(\w+\s+){0,4}$", re.I)
ALLOW_EXCEED_RE = re.compile(r"(?<!tidak )(?<!tidak\s)(dapat|boleh|diperbolehkan|diizinkan)\s+(\w+\s+){0,2}melebihi\s+(\d+(?:[.,]\d+)?)\s*(%|persen)", re.I)
# "tanpa batasan nilai", "tidak dibatasi nilainya", "berapa pun nilainya": no cap at all
UNCAPPED_RE = re.compile(
    r"tanpa\s+(?:ada\s+)?(?:batas(?:an)?|pembatasan)(?:\s+(?:nilai|jumlah|besaran|persentase))?"
    r"|tidak\s+(?:ada|terdapat|diberi)\s+batas(?:an)?\s+(?:nilai|jumlah|besaran)"
    r"|tidak\s+dibatasi\s+(?:nilai|jumlah|besaran)(?:nya)?|nilai(?:nya)?\s+tidak\s+dibatasi"
    r"|berapa\s*pun\s+(?:nilai|besar|jumlah)(?:nya)?", re.I)
ADD_VALUE_RE = re.compile(r"penambahan|tambah(?:an)?\b|pekerjaan\s+tambah|menambah|bertambah|kenaikan", re.I)
# "semula sebesar Rp X,- (terbilang ...) berubah menjadi Rp Y": the words of the old value may sit between
FROM_TO_RE = re.compile(r"(?:dari|semula)\s+(?:sebesar\s+)?(Rp\.?\s*\d(?:[\d.,]*\d)?)(?:[,.\-\s]*\([^()]{0,200}\))?"
                        r"[^;]{0,60}?menjadi\s+(?:sebesar\s+)?(Rp\.?\s*\d(?:[\d.,]*\d)?)", re.I)


@document_check("addendum_cap")
def addendum_cap(rule: Rule, ctx: DocContext) -> list[Finding]:
    """An addendum that adds more than 10% to the original contract price, or a clause that
    allows it."""
    cap = float(rule.params.get("max_percent", 10))
    out = []
    # in an addendum itself ("ADENDUM I SURAT PERJANJIAN ...") every sentence is about the change
    whole = bool(ADENDUM_RE.search(ctx.document.text[:400]))
    for sent in sentences(ctx):
        t = sent.text
        if not (whole or ADENDUM_RE.search(t)):
            continue
        msg, addition_row = None, None
        m = FROM_TO_RE.search(t)
        if m:
            old, new = parse_number(m.group(1), money=True), parse_number(m.group(2), money=True)
            if old and new and new > old and (new - old) / old * 100 > cap + 1e-9:
                pct = (new - old) / old * 100
                addition_row = _row_stating(ctx, new - old)
                msg = (f"Perubahan kontrak menambah nilai dari {fmt_rp(old)} menjadi {fmt_rp(new)} "
                       f"(+{fmt_num(round(pct, 2))}%), melebihi {fmt_num(cap)}% dari harga kontrak awal.")
        if msg is None:
            allow = ALLOW_EXCEED_RE.search(t)
            if allow:
                msg = (f"Klausul membuka kemungkinan penambahan nilai kontrak melebihi {allow.group(3)}%; "
                       f"penambahan nilai kontrak akhir tidak boleh melebihi {fmt_num(cap)}% dari harga kontrak awal.")
        if msg is None and ADD_VALUE_RE.search(t) and re.search(r"nilai|harga|biaya|volume|pekerjaan\s+tambah", t, re.I):
            uncapped = UNCAPPED_RE.search(t)
            if uncapped:
                msg = (f"Klausul membolehkan penambahan nilai kontrak {uncapped.group(0)}, padahal penambahan "
                       f"nilai kontrak akhir tidak boleh melebihi {fmt_num(cap)}% dari harga kontrak awal.")
        # a cap on a reduction ("pekerjaan kurang") is no cap on additions; "tambah/kurang" is both
        if msg is None and re.search(r"nilai|harga", t, re.I) and not re.search(r"(?<!tambah/)(?<!tambah )(?<!tambah-)\bkurang\b", t, re.I):
            for value, s, e in find_percentages(t):
                cue = ADD_CUE_RE.search(t[max(0, s - 50):s])
                # a share of something else ("uang muka sebesar 20%"); PPN counts only after the
                # cue ("termasuk PPN 11%, atau bertambah ... (11,96%)" is the addition itself)
                if value > cap + 1e-9 and cue \
                        and not re.search(r"uang\s+muka|denda|retensi|jaminan", t[max(0, s - 50):e + 30], re.I) \
                        and not re.search(r"ppn", t[max(0, s - 50) + cue.start():e + 30], re.I):
                    msg = (f"Batas penambahan nilai kontrak ditulis {t[s:e].strip()}, padahal penambahan "
                           f"nilai kontrak akhir tidak boleh melebihi {fmt_num(cap)}% dari harga kontrak awal.")
                    break
        if msg:
            out.append(finding_at(rule, ctx, sent, msg, related=also_quoted(ctx, addition_row, sent)))
    return out


NET_ADDITION_RE = re.compile(r"selisih|pekerjaan\s+tambah|penambahan|tambah(?:an)?\b", re.I)


def _row_stating(ctx: DocContext, amount: float) -> Sentence | None:
    """The table row that states the net addition ("Selisih tambah | 148.000.000"), where the
    addendum tabulates it as well as writing the old and new value in a sentence."""
    for sent in sentences(ctx):
        if sent.clause is not None and sent.clause.kind == "table_row" and NET_ADDITION_RE.search(sent.text) \
                and any(abs(a.value - amount) < 1 for a in find_amounts(sent.text)):
            return sent
    return None


# --- number.ppn -------------------------------------------------------------------------------

# A PPN rate is the figure the tax words name directly: "PPN 11%", "PPN (11%)", "PPN sebesar 11%",
# "Pajak Pertambahan Nilai (PPN) dengan tarif 11 persen", "11% PPN". Only linking words may sit in
# between, so "sebelum PPN, paling banyak 5%" (a cap on denda) is no PPN rate.
_PPN_WORD = r"(?:\bPPN\b|pajak\s+pertambahan\s+nilai)"
_PPN_LINK = r"(?:[\s(:=]|\bsebesar\b|\bdengan\b|\btarif\b|\byaitu\b|\badalah\b|\bsenilai\b|\bberlaku\b|\bdikenakan\b)*"
_RATE = r"(?<![\d.,])(\d{1,2}(?:[.,]\d+)?)\s*(?:%|persen\b)"
PPN_RATE_RE = re.compile(
    rf"{_PPN_WORD}(?:\s*\(\s*PPN\s*\))?{_PPN_LINK}{_RATE}"
    rf"|{_RATE}\s*\)?\s*{_PPN_WORD}", re.I)
PPN_12_OK_RE = re.compile(r"dpp\s+nilai\s+lain|11\s*/\s*12|barang\s+(yang\s+tergolong\s+)?mewah|ppnbm", re.I)


def ppn_rates_accepted(rule: Rule, year: int | None) -> list[float]:
    periods = rule.params.get("periods") or [
        {"until": 2021, "rates": [10]}, {"until": 2022, "rates": [10, 11]}, {"until": 9999, "rates": [11]}]
    if year is None:
        return [float(r) for r in rule.params.get("default_rates", [11])]
    for p in periods:
        if year <= int(p["until"]):
            return [float(r) for r in p["rates"]]
    return [float(r) for r in periods[-1]["rates"]]


def ppn_rate_matches(text: str) -> list[tuple[float, int, int]]:
    out = []
    for m in PPN_RATE_RE.finditer(text):
        raw = m.group(1) or m.group(2)
        end = m.end()
        if m.group(0).count("(") > m.group(0).count(")") and text[end:end + 1] == ")":
            end += 1  # "PPN (11%)": keep the evidence balanced
        out.append((float(raw.replace(",", ".")), m.start(), end))
    return out


@document_check("ppn_rate")
def ppn_rate(rule: Rule, ctx: DocContext) -> list[Finding]:
    """A PPN rate other than the one in force for the budget year, and (outside HPS tables, which
    hps_arithmetic checks) a PPN amount that is not rate x base."""
    year = budget_year(ctx)
    accepted = ppn_rates_accepted(rule, year)
    nominal_from = int(rule.params.get("nominal_12_from", 2025))
    text = ctx.document.text
    out: list[Finding] = []
    flagged: set[int] = set()
    for sent in sentences(ctx):
        for value, s, e in ppn_rate_matches(sent.text):
            if value in accepted or value == 0:
                continue
            if value == 12 and (year is None or year >= nominal_from) and (
                    PPN_12_OK_RE.search(sent.text) or PPN_12_OK_RE.search(text)):
                continue  # 12% on DPP nilai lain 11/12 (or luxury goods) is the same 11% in effect
            when = f"tahun anggaran {year}" if year else "tahun berjalan"
            msg = (f"Periksa tarif PPN: tertulis {sent.text[s:e].strip()}, sedangkan tarif yang berlaku untuk "
                   f"{when} adalah {' atau '.join(fmt_num(a) + '%' for a in accepted)}.")
            out.append(finding_at(rule, ctx, sent, msg))
            flagged.add(sent.start)
            break
    if not rule.params.get("check_amount", True) or ctx.doc_type not in ("hps", "kontrak"):
        return out
    if ctx.doc_type == "hps":
        out.extend(_ppn_amount_lines(rule, ctx, flagged))
    # a contract's price table is checked like an HPS table (NUM-ARITMETIKA-01 does the sums)
    from .hps_math import problem_finding, table_problems
    out.extend(problem_finding(rule, ctx, p) for p in table_problems(ctx)
               if p.kind == "ppn" and not any(f.start == p.row.start for f in out))
    return out


BASE_LABEL_RE = re.compile(r"jumlah|total|sub\s*total|dpp|dasar\s+pengenaan|harga|nilai|biaya", re.I)


def _ppn_amount_lines(rule: Rule, ctx: DocContext, flagged: set[int]) -> list[Finding]:
    """"PPN 11% Rp 4.977.500" against the amount before it ("Jumlah Rp 45.250.000"), or
    "PPN 11% x Rp 45.250.000 = Rp 4.977.500" on its own."""
    from .hps_math import covered_spans  # rows hps_arithmetic already checks

    covered = covered_spans(ctx)
    all_lines = lines(ctx)
    out = []
    for i, (ls, le, raw) in enumerate(all_lines):
        if any(cs <= ls < ce for cs, ce in covered):
            continue
        amounts = [a for a in find_amounts(raw) if a.value >= 100]
        for rate, rs, re_ in ppn_rate_matches(raw):
            if re.search(r"(total|jumlah)[^\n]{0,30}(\+|termasuk|setelah|dengan)\s*$", raw[max(0, rs - 40):rs], re.I):
                continue  # "Total + PPN 11%" is a grand total, not the PPN amount
            after = [a for a in amounts if a.start >= re_ and a.start - re_ <= 60]
            if not after:
                continue
            times = len(after) >= 2 and re.search(r"[x×*]|dari|kali", raw[re_:after[0].start], re.I)
            if times:
                base, stated, end = after[0].value, after[1].value, after[1].end
            else:
                stated, end = after[0].value, after[0].end
                before = [a for a in amounts if a.end <= rs]
                base = before[-1].value if before and BASE_LABEL_RE.search(raw[:rs]) else None
                for _, _, prev in reversed(all_lines[max(0, i - 4):i] if base is None else []):
                    prev_amounts = find_amounts(prev)
                    if prev_amounts and BASE_LABEL_RE.search(prev) and not re.search(r"\bppn\b", prev, re.I):
                        base = prev_amounts[-1].value
                        break
                if base is None:
                    continue
            expected = base * rate / 100
            if abs(stated - expected) > 1.0 and ls + rs not in flagged:
                msg = (f"Nilai PPN {fmt_rp(stated)} tidak sama dengan {fmt_num(rate)}% × {fmt_rp(base)} = "
                       f"{fmt_rp(expected)} (selisih {fmt_rp(abs(stated - expected))}).")
                out.append(finding_at(rule, ctx, Sentence(ls + rs, ls + end, raw[rs:end], None), msg))
    return out


# --- number.terbilang -------------------------------------------------------------------------

# (a figure starts a token: the "2" of "150 m2 (seratus lima puluh meter persegi)" is the unit's,
# and the unit may stand between the figure and its words)
FIGURE_BEFORE_RE = re.compile(
    r"(?<![\w.,])(?P<fig>(?:Rp\.?\s*)?\d(?:[\d.,]*\d)?)(?:\s*/\s*(?P<den>\d(?:[\d.,]*\d)?))?"
    r"\s*(?P<unit>%|‰|persen\b|permil\b|per\s+mil\b)?"
    r"(?:\s*(?:m2|m3|m²|m³|m'|km|cm|mm|m|kg|ton|liter|unit|buah|set|paket|orang|titik|lembar|eksemplar)(?![\w']))?"
    r"\s*(?:,-|\.-)?\s*(?:\(\s*|terbilang\s*[:=]?\s*)$", re.I)
# what one unit of the figure is worth: "5%" is 0.05, "1‰" is 0.001
UNIT_SCALE = {"persen": 0.01, "permil": 0.001, "pecahan": 1.0, "rupiah": 1.0, "angka": 1.0}
WORDS_UNIT_RE = re.compile(r"\s*(?P<unit>persen\b|per\s*seratus\b|permil\b|per\s*mil\b)", re.I)


@dataclass
class Figure:
    value: float  # as written: 5 for "5%", 1/1000 for "1/1000"
    start: int
    end: int
    kind: str  # rupiah | persen | permil | pecahan | angka


def _figure_for(text: str, words_start: int) -> Figure | None:
    """The figure written just before "(words)" or "terbilang:"."""
    base = max(0, words_start - 60)
    m = FIGURE_BEFORE_RE.search(text[base:words_start])
    if not m:
        return None
    fig = m.group("fig")
    unit = " ".join((m.group("unit") or "").lower().split())
    if m.group("den"):
        num, den = parse_number(fig), parse_number(m.group("den"))
        if num is None or not den:
            return None
        value, kind = num / den, "pecahan"
        if unit:
            return None  # "1/2%": too unusual to judge
    else:
        is_money = fig.lower().startswith("rp") or bool(re.search(r"\d[.,]\d{3}", fig))
        value = parse_number(fig, money=is_money and not unit)
        if value is None:
            return None
        kind = ("persen" if unit in ("%", "persen") else "permil" if unit else
                "rupiah" if is_money else "angka")
    fig_end = base + (m.end("unit") if m.group("unit") else m.end("den") if m.group("den") else m.end("fig"))
    return Figure(value, base + m.start("fig"), fig_end, kind)


def _words_agree(words: float, words_scale: float, fig: Figure) -> bool:
    """Words restate the figure as written ("30% (tiga puluh persen)") or as a value of the same
    size in another form ("1/1000 (satu per seribu)", "0,1% (satu per seribu)")."""
    if fig.kind == "rupiah":  # sen may be left out of the words
        return abs(words - fig.value) < 0.5 or abs(words - int(fig.value)) < 1e-9
    same = math.isclose(words, fig.value, rel_tol=1e-6, abs_tol=1e-9)
    return same or math.isclose(words * words_scale, fig.value * UNIT_SCALE[fig.kind], rel_tol=1e-6, abs_tol=1e-12)


@document_check("terbilang")
def terbilang_mismatch(rule: Rule, ctx: DocContext) -> list[Finding]:
    """A figure and the words that spell it out disagree."""
    text = ctx.document.text
    all_lines = lines(ctx)
    out = []
    for value_words, ws, we in find_terbilang(text):
        fig = _figure_for(text, ws)
        if fig is None and re.search(r"terbilang\s*[:=]?\s*$", text[max(0, ws - 16):ws], re.I):
            # "TERBILANG : ..." on its own line: the amount is on the line just above
            idx = next((i for i, (s, e, _) in enumerate(all_lines) if s <= ws <= e), None)
            if idx:
                same = find_amounts(text[all_lines[idx][0]:ws])
                prev = same or find_amounts(all_lines[idx - 1][2])
                if prev:
                    base = all_lines[idx][0] if same else all_lines[idx - 1][0]
                    if not re.match(r"[.,](?![\d-])", text[base + prev[-1].end:base + prev[-1].end + 2]):
                        fig = Figure(prev[-1].value, base + prev[-1].start, base + prev[-1].end, "rupiah")
                    # else "Rp 49,775," : a figure cut off by the text layer, not a wrong one
        if fig is None:
            continue
        unit_m = WORDS_UNIT_RE.match(text, we)
        words_unit = " ".join(unit_m.group("unit").lower().split()) if unit_m else ""
        words_scale = 0.01 if words_unit in ("persen", "per seratus", "perseratus") else 0.001 if words_unit else 1.0
        words = float(value_words)
        if _words_agree(words, words_scale, fig):
            continue
        close = re.match(r"[^()\n]{0,25}?\)", text[we:])  # "... persen)" / "... hari kalender)"
        end = we + close.end() if close else we
        sent = Sentence(fig.start, end, text[fig.start:end], None)
        if fig.kind == "rupiah":
            shown, said = fmt_rp(fig.value), fmt_rp(words)
        else:  # the words in the figure's own unit: "(= 25%)", "(= 1‰)", "(= 0,01)"
            shown = " ".join(text[fig.start:fig.end].split())
            absolute = words * words_scale if words_scale != 1 or words < 1 else words * UNIT_SCALE[fig.kind]
            per_unit = {"persen": (100, "%"), "permil": (1000, "‰")}.get(fig.kind, (1, ""))
            said = fmt_num(absolute * per_unit[0]) + per_unit[1]
        msg = f"Angka {shown} tidak sama dengan terbilangnya \"{text[ws:we].strip()}\" (= {said})."
        out.append(finding_at(rule, ctx, sent, msg))
    return out + _words_only_amounts(rule, ctx)


# "dengan nilai sebesar tujuh ratus empat puluh delapan juta lima ratus ribu rupiah": an amount in
# words alone, whose figure the document gives elsewhere
WORDS_ONLY_LEAD_RE = re.compile(r"\b(?:sebesar|senilai|sejumlah|nilai(?:nya)?|total(?:nya)?)\s*:?\s*$", re.I)


def _mistyped(a: float, b: float) -> bool:
    """Two whole amounts of the same length that differ in at most two digits (784.500.000 and
    748.500.000): one figure written twice, once with a slip."""
    x, y = f"{a:.0f}", f"{b:.0f}"
    return x != y and len(x) == len(y) and sum(p != q for p, q in zip(x, y)) <= 2


def _words_only_amounts(rule: Rule, ctx: DocContext) -> list[Finding]:
    text = ctx.document.text
    amounts = [a for a in find_amounts(text) if a.is_money and a.value >= 1_000_000]
    # a value read from a table ("Nilai Kontrak | | 824.730.000" under "Jumlah (Rp)") is money too
    for name in MONEY_FACTS:
        f = ctx.facts.get(name)
        if f is not None and f.start is not None and isinstance(f.value, (int, float)) and f.value >= 1_000_000:
            amounts.append(Amount(float(f.value), f.start, f.end if f.end is not None else f.start, f.text, True))
    out = []
    for m in WORDS_RE.finditer(text):
        if not WORDS_ONLY_LEAD_RE.search(text[max(0, m.start() - 20):m.start()]) \
                or not re.match(r"\s*rupiah\b", text[m.end():], re.I):
            continue
        words = parse_terbilang(m.group(0))
        if words is None or words < 1_000_000 or any(abs(a.value - words) < 1 for a in amounts):
            continue
        twin = next((a for a in amounts if _mistyped(a.value, words)), None)
        if twin is None:
            continue  # another amount, not this one misspelt
        sent = sentence_at(ctx, m.start()) or Sentence(m.start(), m.end(), text[m.start():m.end()], None)
        other = sentence_at(ctx, twin.start)
        msg = (f"Nilai yang ditulis dengan huruf \"{m.group(0).strip()} rupiah\" (= {fmt_rp(words)}) tidak "
               f"sama dengan angka {fmt_rp(twin.value)} yang disebut di bagian lain dokumen; salah satunya keliru.")
        out.append(finding_at(rule, ctx, sent, msg, related=also_quoted(ctx, other, sent)))
    return out


# --- thresholds on facts: method and contract form ------------------------------------------

def _fact_anchor(ctx: DocContext, names: tuple[str, ...], fallback_re: re.Pattern | None) -> Sentence | None:
    """The evidence for a fact-based finding: the fact's own span, else a sentence that states it."""
    text = ctx.document.text
    for name in names:
        f: Fact | None = ctx.facts.get(name)
        if f is not None and f.start is not None and f.end is not None and f.end > f.start:
            return sentence_at(ctx, f.start) or Sentence(f.start, f.end, text[f.start:f.end], None)
    if fallback_re is not None:
        for sent in sentences(ctx):
            if fallback_re.search(sent.text):
                return sent
    return None


def _limit_for_year(params: dict, year: int | None) -> float:
    """params: {max_value, earlier: {until_year, max_value}} (a ceiling raised by an amendment)."""
    earlier = params.get("earlier")
    if earlier and year is not None and year <= int(earlier["until_year"]):
        return float(earlier["max_value"])
    return float(params["max_value"])


VALUE_RE = re.compile(r"nilai|pagu|hps|harga|biaya|rp", re.I)
# the document divides its cost over several packages ("dibagi menjadi 3 paket", "dilaksanakan dalam
# 3 (tiga) paket Pengadaan Langsung", "melalui 4 (empat) paket", "masing-masing paket bernilai ...")
SPLIT_RE = re.compile(
    r"\b(?:dibagi|dipecah|dilaksanakan|dilakukan|diadakan|dipaketkan|terbagi)\s+(?:\w+\s+){0,3}?"
    r"(?:menjadi|dalam|ke\s+dalam|atas|melalui)\s+(?P<n>\d+)\s*(?:\([^)]*\)\s*)?(?:paket|bagian|lot|tahap)\b"
    r"|\bmasing-masing\s+(?:paket|bernilai|senilai)\b", re.I)


def divided_into_packages(text: str) -> bool:
    return any(m.group("n") is None or int(m.group("n")) > 1 for m in SPLIT_RE.finditer(text))


PL_RE = re.compile(r"pengadaan\s+langsung", re.I)


@document_check("method_threshold")
def method_threshold(rule: Rule, ctx: DocContext) -> list[Finding]:
    """Pengadaan langsung above its ceiling (the rule's `when` picks metode and jenis)."""
    if ctx.fact("metode") != rule.params.get("metode", "pengadaan_langsung"):
        return []
    value = reference_value(ctx.facts)
    if value is None:
        return []
    if not (ctx.fact("nilai_kontrak") or ctx.fact("nilai_hps")) and divided_into_packages(ctx.document.text):
        return []  # a cost or pagu shared by several packages: RISK-PECAH judges the split itself
    limit = _limit_for_year(rule.params, budget_year(ctx))
    if value <= limit:
        return []
    anchor = _fact_anchor(ctx, ("nilai_kontrak", "nilai_hps", "perkiraan_biaya", "pagu", "metode"), PL_RE)
    if ctx.fact("jenis_pengadaan") is None:
        msg = (f"Nilai paket {fmt_rp(value)} dengan pengadaan langsung melebihi {fmt_rp(limit)}; jenis "
               f"pengadaan tidak terbaca dari dokumen, {rule.params.get('unknown_note', 'periksa batasnya')}.")
    else:
        msg = (f"Nilai paket {fmt_rp(value)} melebihi batas pengadaan langsung {fmt_rp(limit)} untuk jenis "
               f"pengadaan ini; gunakan metode pemilihan lain (tender/seleksi).")
    if rule.soft:
        msg = "Periksa metode: " + msg[0].lower() + msg[1:]
    if anchor is None:
        return [make_finding(rule, ctx, message=msg, evidence="")]
    # the value and the method are often stated apart (an HPS header, a KAK section): show both
    method = _fact_anchor(ctx, ("metode",), PL_RE)
    return [finding_at(rule, ctx, anchor, msg, related=also_quoted(ctx, method, anchor))]


# "SPK" inside a letter number ("Nomor: 511.2/1187/SPK-KONS/IX/2026") is a filing code, and a
# "Surat Perjanjian Kerja" is often filed under it: only a standalone "SPK" declares the form
SPK_RE = re.compile(r"(?i:surat\s+perintah\s+kerja)|(?<![/\-.])\bSPK\b(?![/\-.]\w)")
PERJANJIAN_RE = re.compile(r"surat\s+perjanjian", re.I)


def contract_form_of(ctx: DocContext) -> tuple[str, Sentence] | None:
    """The contract form the document itself declares: 'spk' or 'surat_perjanjian' (title first)."""
    head_limit = int(len(ctx.document.text) * 0.25) + 600
    best = None
    for sent in sentences(ctx):
        if sent.start > head_limit:
            break
        spk = SPK_RE.search(sent.text)
        sp = PERJANJIAN_RE.search(sent.text)
        if spk and not (sp and sp.start() < spk.start()):
            return "spk", sent
        if sp and best is None:
            best = ("surat_perjanjian", sent)
    return best


# A KAK names the contract to be signed in passing: "Bentuk kontrak: SPK", "sejak SPK
# ditandatangani", "dituangkan dalam Surat Perintah Kerja" (not the SPMK, which starts the work)
_SPK = f"(?:{SPK_RE.pattern})"
KAK_SPK_RE = re.compile(
    rf"(?i:\b(?:bentuk|jenis)\s+kontrak(?:nya)?\b)[^.\n]{{0,40}}{_SPK}"
    rf"|{_SPK}\s+(?i:(?:di|akan\s+di)(?:tanda\s*tangani|terbitkan))"
    rf"|(?i:\b(?:penandatanganan|penerbitan|dituangkan\s+dalam(?:\s+bentuk)?))\s+{_SPK}")


# "Setiap paket dituangkan dalam SPK tersendiri": one SPK per part, whose value is not the KAK's
PER_PART_RE = re.compile(r"\b(?:setiap|tiap|masing-masing|per)\s+(?:paket|lot|lokasi|desa|kelurahan|kecamatan|tahap)\b", re.I)


def kak_contract_form(ctx: DocContext) -> tuple[str, Sentence] | None:
    """The contract form a KAK names for its own procurement: the first sentence that makes an
    SPK the contract, unless it weighs a surat perjanjian beside it (a rule for both forms) or
    gives each of several parts its own SPK (the KAK's estimate covers them all)."""
    for sent in sentences(ctx):
        if KAK_SPK_RE.search(sent.text) and not PERJANJIAN_RE.search(sent.text) \
                and not PER_PART_RE.search(sent.text):
            return "spk", sent
    return None


@document_check("contract_form")
def contract_form(rule: Rule, ctx: DocContext) -> list[Finding]:
    """An SPK above its ceiling (params.spk_max by jenis), or (params.mode: small_perjanjian) a
    surat perjanjian for a value that a kuitansi or SPK would cover. A contract declares its form
    in its title; a KAK, in passing."""
    if ctx.doc_type == "kak" and ctx.fact("metode") == "pengadaan_langsung":
        # the Pengadaan Langsung ceilings equal the SPK ceilings: an SPK over its ceiling in such a
        # KAK is the method over its ceiling, which the method rules report
        return []
    form = kak_contract_form(ctx) if ctx.doc_type == "kak" else contract_form_of(ctx)
    jenis = ctx.fact("jenis_pengadaan")
    value = ctx.fact("nilai_kontrak") or reference_value(ctx.facts)
    if form is None or value is None:
        return []
    kind, sent = form
    mode = rule.params.get("mode", "spk_ceiling")
    if mode == "spk_ceiling" and kind == "spk":
        limits = rule.params.get("spk_max", {})
        key = UNKNOWN if jenis is None else jenis  # a rule may set a ceiling for an unstated jenis
        if key not in limits:
            return []
        spec = limits[key]
        limit = _limit_for_year(spec if isinstance(spec, dict) else {"max_value": spec}, budget_year(ctx))
        if float(value) > limit:
            msg = (f"Bentuk kontrak SPK dipakai untuk nilai {fmt_rp(float(value))}, di atas batas SPK "
                   f"{fmt_rp(limit)} untuk jenis pengadaan ini; nilai di atas batas itu memakai surat perjanjian.")
            if jenis is None:
                msg = (f"Bentuk kontrak SPK dipakai untuk nilai {fmt_rp(float(value))}, di atas {fmt_rp(limit)}; "
                       f"jenis pengadaan tidak terbaca dari dokumen, {rule.params.get('unknown_note', 'periksa batasnya')}.")
            if rule.soft:
                msg = "Periksa bentuk kontrak: " + msg[0].lower() + msg[1:]
            # the form is read from the title, the value from elsewhere: show where the value is stated
            stated = _fact_anchor(ctx, REFERENCE_FACTS, None)
            return [finding_at(rule, ctx, sent, msg, related=also_quoted(ctx, stated, sent))]
    if mode == "small_perjanjian" and kind == "surat_perjanjian" and jenis is not None:
        limits = rule.params.get("perjanjian_min", {})
        if jenis in limits and float(value) <= float(limits[jenis]):
            msg = (f"Periksa bentuk kontrak: surat perjanjian dipakai untuk nilai {fmt_rp(float(value))}; "
                   f"untuk nilai sekecil ini bentuk yang lebih sederhana (kuitansi atau SPK) sudah cukup.")
            return [finding_at(rule, ctx, sent, msg)]
    return []


# --- number.jaminan_penawaran ------------------------------------------------------------------

JAMPEN_RE = re.compile(r"\bjaminan\s+penawaran\b", re.I)


@document_check("bid_bond")
def bid_bond(rule: Rule, ctx: DocContext) -> list[Finding]:
    """Jaminan penawaran only for construction with total HPS above Rp10 miliar, at 1%-3%."""
    min_hps = float(rule.params.get("min_hps", 10_000_000_000))
    lo, hi = float(rule.params.get("min_percent", 1)), float(rule.params.get("max_percent", 3))
    jenis = ctx.fact("jenis_pengadaan")
    hps = ctx.fact("nilai_hps") or ctx.fact("pagu")
    for sent in sentences(ctx):
        t = sent.text
        m = JAMPEN_RE.search(t)
        if not m or NEGATED_RE.search(t):
            continue
        problems = []
        if jenis is not None and jenis != "pekerjaan_konstruksi":
            problems.append("jaminan penawaran hanya untuk pekerjaan konstruksi (Pasal 30 ayat (2))")
        if hps is not None and float(hps) <= min_hps:
            problems.append(f"nilai total HPS {fmt_rp(float(hps))} tidak di atas Rp10.000.000.000 (Pasal 31 ayat (1))")
        for value, s, e in find_percentages(t):
            if s < m.start() or s - m.end() > 90 or OFFER_RANGE_BEFORE_RE.search(t[max(0, s - 20):s]) and value <= hi:
                continue
            if not lo - 1e-9 <= value <= hi + 1e-9:
                problems.append(f"besaran {t[s:e].strip()} di luar rentang 1%–3% dari nilai total HPS (Pasal 31 ayat (2))")
            break
        if problems and (DEMAND_RE.search(t) or problems[-1].startswith("besaran")):
            msg = "Jaminan penawaran tidak sesuai: " + "; ".join(problems) + "."
            return [finding_at(rule, ctx, sent, msg)]
    return []


# --- number.tahun_anggaran -----------------------------------------------------------------------

MONTHS = {"januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
          "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11,
          "desember": 12}
DATE_RE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(20\d\d)\b|\b(\d{1,2})[-/.](\d{1,2})[-/.](20\d\d)\b", re.I)
TIME_CUE_RE = re.compile(r"jangka\s+waktu|waktu\s+pelaksanaan|masa\s+pelaksanaan|selesai|berakhir|penyelesaian|masa\s+kontrak|masa\s+kerja|lama\s+pekerjaan|dilaksanakan", re.I)
# periods that may cross the year; "pemeliharaan" only as the period after handover, since a
# maintenance service ("Pemeliharaan jaringan dilaksanakan selama 12 bulan") is the work itself
YEAR_EXEMPT_RE = re.compile(
    r"kesempatan|kahar|masa\s+pemeliharaan|jaminan|garansi|denda|retensi|tahun\s+jamak|multi\s*years?|"
    r"pemeliharaan\b[^;]{0,60}\b(?:setelah|sejak|terhitung\s+sejak)\s+(?:serah\s+terima|PHO|BAST)|"
    r"(?:dengan|dan|serta)\s+pemeliharaan\b", re.I)
START_CUE_RE = re.compile(r"(sejak|mulai|terhitung|dari)\s*(\w+\s+){0,3}$", re.I)
END_CUE_RE = re.compile(r"(sampai|hingga|s\.?\s?d\.?|s/d|berakhir|selesai|penyelesaian|paling\s+lambat|batas\s+akhir|"
                        r"tanggal\s+akhir)\s*(\w+\s+){0,3}(?:\w+\s*)?[:|]?\s*$", re.I)
MULTI_YEAR_DOC_RE = re.compile(r"(?<!bukan )(?<!tidak )kontrak\s+tahun\s+jamak|multi\s*years?\s+contract", re.I)


# a contract that writes its dates in words: "tanggal tiga puluh satu Januari dua ribu dua puluh
# tujuh", "dua puluh sembilan bulan Januari tahun dua ribu dua puluh enam"
WORD_DATE_RE = re.compile(
    rf"(?P<day>{WORDS_RE.pattern})\s+(?:bulan\s+)?(?P<month>" + "|".join(MONTHS) + r")\s+(?:tahun\s+)?"
    r"(?P<year>dua\s+ribu(?:[\s\-]+(?:" + "|".join(UNIT_NAMES[1:]) + r"|sepuluh|sebelas|belas|puluh))*)\b",
    re.I)


def parse_dates(text: str) -> list[tuple[date, int, int]]:
    out = []
    for m in DATE_RE.finditer(text):
        try:
            if m.group(1):
                d = date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            else:
                d = date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
        except ValueError:
            continue
        out.append((d, m.start(), m.end()))
    for m in WORD_DATE_RE.finditer(text):
        day, year = parse_terbilang(m.group("day")), parse_terbilang(m.group("year"))
        try:
            d = date(int(year), MONTHS[m.group("month").lower()], int(day)) if day and year else None
        except ValueError:
            continue
        if d is not None:
            out.append((d, m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out


def _add_duration(start: date, days: int, unit: str) -> date:
    if unit == "bulan":
        months = round(days / 30)
        y, mth = divmod(start.month - 1 + months, 12)
        day = min(start.day, 28)
        return date(start.year + y, mth + 1, day) - timedelta(days=1)
    return start + timedelta(days=days - 1)  # the start day is day 1


@document_check("budget_year")
def budget_year_check(rule: Rule, ctx: DocContext) -> list[Finding]:
    """A single-year contract or KAK whose execution time runs past 31 December of its budget
    year (Pasal 27 ayat (9)); kahar and pemberian kesempatan may cross the year (Pasal 55, 56)."""
    if ctx.fact("tahun_jamak") is True:
        return []
    if ctx.fact("tahun_jamak") is None and MULTI_YEAR_DOC_RE.search(ctx.document.text):
        if not re.search(r"(jika|apabila|bila|untuk)\s+kontrak\s+tahun\s+jamak", ctx.document.text, re.I):
            return []
    year = budget_year(ctx)
    for sent in sentences(ctx):
        t = sent.text
        if not TIME_CUE_RE.search(t):
            continue
        # the parts about maintenance, kahar, guarantees... may cross the year: judge the rest
        kept = [seg for seg in SEGMENT_SPLIT_RE.split(t) if not YEAR_EXEMPT_RE.search(seg)]
        found = _execution_end("; ".join(kept)) if kept else None
        if found is None:
            continue
        end_date, how = found
        ta = year or parse_dates(t)[0][0].year  # no stated budget year: the first date's year
        if end_date.year > ta:
            other = _late_milestone(ctx, ta, sent)
            related = also_quoted(ctx, other, sent) + _budget_year_quote(ctx, sent, year)
            return [finding_at(rule, ctx, sent, _overrun_message(ta, how), related=related)]
    return _planned_start_overrun(rule, ctx, year)


def _budget_year_quote(ctx: DocContext, at: Sentence, year: int | None) -> list[dict]:
    """The sentence that states the budget year, when the finding's own sentence does not: an
    event dated in 2026 overruns only because the DPA named elsewhere is of 2025."""
    if year is None or str(year) in at.text:
        return []
    return also_quoted(ctx, _fact_anchor(ctx, ("tahun_anggaran",), None), at)


MILESTONE_END_RE = re.compile(r"\b(?:selesai|berakhir|diserahkan|penyerahan|paling\s+lambat)\b", re.I)


def _late_milestone(ctx: DocContext, year: int, found: Sentence) -> Sentence | None:
    """Another sentence that dates a step of the work past 31 December ("Laporan Akhir selesai
    tanggal 19 Januari 2027"): the schedule shows the same overrun."""
    for sent in sentences(ctx):
        if sent.start == found.start or YEAR_EXEMPT_RE.search(sent.text) or not MILESTONE_END_RE.search(sent.text):
            continue
        if any(d.year > year for d, _, _ in parse_dates(sent.text)):
            return sent
    return None


# "210 hari kalender sejak SPMK" with the start in another sentence: "SPMK direncanakan terbit pada
# minggu pertama bulan Juli 2026". A month without a day starts at the earliest day it can mean,
# so an overrun found this way holds for any day of that week or month.
FROM_EVENT_RE = re.compile(
    r"(?:sejak|terhitung\s+(?:sejak|mulai)|setelah)\s+(?:tanggal\s+)?(?:diterbitkannya\s+|terbitnya\s+)?"
    r"(?:SPMK|surat\s+perintah\s+mulai\s+kerja|penandatanganan\s+(?:kontrak|SPK)|kontrak\s+ditandatangani)", re.I)
PLANNED_START_RE = re.compile(
    r"\b(?:SPMK|surat\s+perintah\s+mulai\s+kerja|pelaksanaan\s+pekerjaan|pekerjaan|kontrak|penandatanganan\s+kontrak)\b"
    r"[^.;]{0,40}\b(?:direncanakan|diperkirakan|dijadwalkan|rencana(?:nya)?|akan)\s+(?:\w+\s+){0,2}?"
    r"(?:terbit|diterbitkan|dimulai|mulai|ditandatangani|berjalan)\b"
    # "Penandatanganan kontrak direncanakan pada minggu pertama bulan Juni 2026": the event is named
    # first, so the plan needs no verb of its own
    r"|\b(?:SPMK|penandatanganan\s+(?:kontrak|SPK|surat\s+perjanjian))\b[^.;]{0,20}?\b(?:direncanakan|diperkirakan|"
    r"dijadwalkan)\s+(?:pada|dalam|di|bulan|minggu|awal|pertengahan|akhir|tanggal|sekitar)\b", re.I)
# the days a week or part of a month spans ("minggu pertama bulan Agustus": 1 to 7 August); None
# is the month's last day
WEEK_SPAN = {"pertama": (1, 7), "awal": (1, 10), "kedua": (8, 14), "pertengahan": (10, 20), "ketiga": (15, 21),
             "keempat": (22, 28), "terakhir": (20, None), "akhir": (20, None), "bulan": (1, None)}
MONTH_YEAR_RE = re.compile(
    r"(?:(?:minggu\s+(?P<week>pertama|kedua|ketiga|keempat|terakhir)|(?P<part>awal|pertengahan|akhir))\s+)?"
    r"(?:bulan\s+)?(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>20\d\d)\b", re.I)


def _planned_date(text: str) -> tuple[date, date, int, int] | None:
    """(earliest, latest, span) of a planned start: a date, or a week or part of a month."""
    dates = parse_dates(text)
    if dates:
        d, s, e = dates[0]
        return d, d, s, e
    m = MONTH_YEAR_RE.search(text)
    if not m:
        return None
    year, month = int(m.group("year")), MONTHS[m.group("month").lower()]
    first, last = WEEK_SPAN[(m.group("week") or m.group("part") or "bulan").lower()]
    month_end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, first), date(year, month, last or month_end), m.start(), m.end()


def _planned_start_overrun(rule: Rule, ctx: DocContext, year: int | None) -> list[Finding]:
    if year is None:
        return []
    sents = sentences(ctx)
    planned = None
    for sent in sents:
        if PLANNED_START_RE.search(sent.text) and not YEAR_EXEMPT_RE.search(sent.text):
            found = _planned_date(sent.text)
            if found is not None:
                planned = (sent, found)
                break
    if planned is None:
        return []
    start_sent, (start, latest, s, e) = planned
    for sent in sents:
        t = sent.text
        # a sentence with dates of its own was judged by budget_year_check, unless its date is the
        # planned start ("... sejak penandatanganan kontrak yang direncanakan pada 12 Oktober 2026")
        if not TIME_CUE_RE.search(t) or not FROM_EVENT_RE.search(t) or (parse_dates(t) and sent is not start_sent):
            continue
        kept = [seg for seg in SEGMENT_SPLIT_RE.split(t) if not YEAR_EXEMPT_RE.search(seg)]
        durations = find_durations("; ".join(kept))
        if not durations:
            continue
        days, unit, ds, de = durations[0]
        end, latest_end = _add_duration(start, days, unit), _add_duration(latest, days, unit)
        phrase = start_sent.text[s:e].strip()
        if end.year > year:
            how = f"{days} hari sejak {phrase} berakhir paling cepat {_dmy(end)}"
            return [finding_at(rule, ctx, sent, _overrun_message(year, how),
                               related=also_quoted(ctx, start_sent, sent))]
        if latest_end.year > year:
            # a start given as a week or a month: the period overruns unless it starts early in it
            cutoff = _last_safe_start(start, latest, days, unit, year)
            msg = (f"Waktu pelaksanaan dapat melewati 31 Desember tahun anggaran {year}: {days} hari sejak "
                   f"{phrase} berakhir antara {_dmy(end)} dan "
                   f"{_dmy(latest_end)}, jadi bila dimulai setelah "
                   f"{_dmy(cutoff)} pekerjaan melewati tahun anggaran, padahal "
                   f"kontrak bukan kontrak tahun jamak. Sesuaikan jangka waktu atau pastikan tanggal mulainya.")
            return [finding_at(rule, ctx, sent, msg, related=also_quoted(ctx, start_sent, sent))]
    return []


def _last_safe_start(first: date, last: date, days: int, unit: str, year: int) -> date:
    """The last start day between `first` and `last` whose period still ends within `year`."""
    day = first
    while day < last and _add_duration(day + timedelta(days=1), days, unit).year <= year:
        day += timedelta(days=1)
    return day


def _dmy(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _overrun_message(year: int, how: str) -> str:
    return (f"Waktu pelaksanaan melewati 31 Desember tahun anggaran {year} ({how}), padahal kontrak "
            f"bukan kontrak tahun jamak. Sesuaikan jangka waktu atau tetapkan sebagai kontrak tahun "
            f"jamak dengan persetujuan pejabat yang berwenang.")


# A sentence often joins the execution period and another period ("... sampai 29 Januari 2027,
# dengan masa pemeliharaan 180 hari"): it is cut into parts here, the parts about an exempt period
# are dropped, and the rest is read together (a start date and a duration may sit in two parts).
SEGMENT_SPLIT_RE = re.compile(r";|,\s+(?=(?:dengan|dan|serta|sedangkan|sementara|termasuk|kecuali|ditambah)\b)", re.I)


def _execution_end(t: str) -> tuple[date, str] | None:
    """The end of the execution period a text states: an explicit end date, or a start date plus
    a duration."""
    dates = parse_dates(t)
    if not dates:
        return None
    end_date, how = None, ""
    for d, s, e in dates:
        if END_CUE_RE.search(t[max(0, s - 30):s]):
            end_date, how = d, f"berakhir {t[s:e]}"
    if end_date is None:
        starts = [(d, s, e) for d, s, e in dates if START_CUE_RE.search(t[max(0, s - 30):s])]
        durations = find_durations(t)
        if starts and durations:
            d0 = starts[0][0]
            days, unit, ds, de = durations[0]
            end_date = _add_duration(d0, days, unit)
            how = f"{t[ds:de].strip()} sejak {t[starts[0][1]:starts[0][2]]} berakhir {_dmy(end_date)}"
    return (end_date, how) if end_date is not None else None
