"""Document check `payment_terms`: the shares of a payment schedule written in words must add up
to the whole contract value.

    termin I sebesar 20% ..., termin II sebesar 25% ..., termin III sebesar 25% ..., dan
    termin IV sebesar 20% ...                                   (90%: a tenth is never paid)

Only a percentage written right after its term counts ("Termin II: 30%", "pembayaran kedua
sebesar 30%"); "termin II dibayar setelah progres mencapai 50%" is a progress threshold, not a
share. A schedule is judged only when its terms run I, II, III ... without a gap and no later term
is named anywhere in the document. Shares rising to 100% are cumulative progress steps and
pass. A retention, a down payment, a final settlement ("pelunasan", "sisa") or a maintenance share
written with its own percentage ("retensi 5%", "5% setelah masa pemeliharaan") may make up the rest. Payment tables with a total row are
checked by `percent_of_value`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Clause, Finding
from ..numbers import find_percentages
from ..rules import Rule
from .base import DocContext, document_check, make_finding
from .numbers import fmt_num, sentences

ORDINAL_WORDS = {"pertama": 1, "kesatu": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5,
                 "keenam": 6, "ketujuh": 7, "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
# "Termin II", "tahap 3", "pembayaran ke-2", "angsuran kedua"; a bare figure after "pembayaran" is a
# count or a share ("pembayaran 2 kali", "pembayaran 30%"), not a term
TERM_RE = re.compile(
    r"\b(?P<word>(?:pembayaran\s+)?(?:termin|tahap)|pembayaran|angsuran)\s+(?P<ke>ke[-\s]?)?"
    r"(?P<ord>(?-i:X|IX|VI{0,3}|IV|I{1,3})|\d{1,2}|" + "|".join(ORDINAL_WORDS) + r")\b"
    r"(?!\s*(?:%|persen|[.,]\d))", re.I)
# what may sit between a term and its share: "Termin I: 30%", "termin II sebesar 25%",
# "pembayaran kedua dibayarkan sebesar 30%", "Tahap 1 (30%)"
LEAD_RE = re.compile(r"^\s*(?:[:=(\-–]\s*)?(?:(?:sebesar|senilai|yaitu|yakni|adalah|dibayarkan|dibayar|"
                     r"diberikan|dicairkan)\s*)*$", re.I)
# a share that is not a term but still part of the whole: retention, settlement, maintenance
OTHER_SHARE_RE = re.compile(r"\b(?:retensi|pemeliharaan|pelunasan|sisa(?:nya)?|selebihnya|uang\s+muka)\b",
                            re.I)
# ... or named right after its share: "dan 5% setelah masa pemeliharaan berakhir"
OTHER_SHARE_AFTER_RE = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:dibayar(?:kan)?|dicairkan|ditahan)\s+)?(?:setelah|sesudah|pada\s+akhir|saat)\s+"
    r"(?:\w+\s+){0,2}?(?:(?:masa\s+)?pemeliharaan|serah\s+terima\s+(?:kedua|akhir)|FHO)\b", re.I)
PAYMENT_WORD_RE = re.compile(r"bayar|termin|angsuran", re.I)
MAX_LEAD = 30


@dataclass
class Term:
    number: int
    percent: float
    percent_text: str
    label: str
    start: int
    end: int
    clause: Clause | None


def _ordinal(m: re.Match) -> int | None:
    text = m.group("ord")
    if text.isdigit() and not m.group("ke") and not re.search(r"termin|tahap", m.group("word"), re.I):
        return None
    if text in ROMAN:
        return ROMAN[text]
    if text.isdigit():
        return int(text)
    return ORDINAL_WORDS.get(text.lower())


def _terms(ctx: DocContext) -> tuple[list[Term], set[int], list[float]]:
    """Terms with their share, every term number named anywhere, and the other shares."""
    terms, named, others = [], set(), []
    for sent in sentences(ctx):
        t = sent.text
        pcts = find_percentages(t)
        for m in TERM_RE.finditer(t):
            n = _ordinal(m)
            if n is None:
                continue
            named.add(n)
            share = next(((v, s, e) for v, s, e in pcts if s >= m.end()), None)
            if share is None or share[1] - m.end() > MAX_LEAD or not LEAD_RE.match(t[m.end():share[1]]):
                continue
            if not (PAYMENT_WORD_RE.search(m.group("word")) or PAYMENT_WORD_RE.search(t)):
                continue  # "tahap I 40%" of a work plan, not a payment
            terms.append(Term(n, share[0], t[share[1]:share[2]].strip(), " ".join(m.group(0).split()),
                              sent.start + m.start(), sent.start + share[2], sent.clause))
        for v, s, e in pcts:
            if (OTHER_SHARE_RE.search(t[max(0, s - 60):s]) or OTHER_SHARE_AFTER_RE.match(t[e:])) and 0 < v < 100:
                others.append(v)
    return terms, named, others


def _schedule(terms: list[Term], named: set[int]) -> list[Term] | None:
    """The terms 1..n, one share each, when nothing suggests a term was missed."""
    by_number: dict[int, Term] = {}
    for term in terms:
        known = by_number.get(term.number)
        if known is not None and abs(known.percent - term.percent) > 1e-9:
            return None  # two schedules, or a term restated differently: not one schedule
        by_number.setdefault(term.number, term)
    n = len(by_number)
    if n < 2 or set(by_number) != set(range(1, n + 1)) or max(named, default=0) > n:
        return None
    return [by_number[i] for i in range(1, n + 1)]


def _completes(total: float, others: list[float]) -> bool:
    """True when the other shares written in the document make the schedule whole."""
    if abs(total - 100) < 1e-6:
        return True
    if any(abs(total + o - 100) < 1e-6 for o in others):
        return True
    return abs(total + sum(set(others)) - 100) < 1e-6


@document_check("payment_terms")
def payment_terms(rule: Rule, ctx: DocContext) -> list[Finding]:
    terms, named, others = _terms(ctx)
    schedule = _schedule(terms, named)
    if schedule is None:
        return []
    shares = [t.percent for t in schedule]
    if shares[-1] == 100 and all(a < b for a, b in zip(shares, shares[1:])):
        return []  # cumulative progress steps: 30%, 60%, 100%
    total = sum(shares)
    if _completes(total, others):
        return []
    parts = " + ".join(f"{t.label} {t.percent_text}" for t in schedule)
    message = (f"Jumlah termin pembayaran ({parts}) = {fmt_num(total)}%, bukan 100% nilai kontrak; "
               f"{'ada bagian nilai kontrak yang tidak pernah dibayar' if total < 100 else 'pembayaran melebihi nilai kontrak'}.")
    first, last = schedule[0], schedule[-1]
    same = first.clause is not None and first.clause is last.clause
    start, end = (first.start, last.end) if same else (first.start, first.end)
    evidence = ctx.document.text[start:end] if same else "; ".join(
        ctx.document.text[t.start:t.end] for t in schedule)
    return [make_finding(rule, ctx, clause=first.clause, start=start, end=end, message=message,
                         evidence=evidence)]
