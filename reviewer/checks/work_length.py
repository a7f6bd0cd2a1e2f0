"""Package check `consistency_length`: the length of a linear work (a road, a channel, a pipe line,
a retaining wall) must be the same in the KAK, the HPS and the contract.

CONS-VOLUME-01 compares items by name; a length is often stated outside any item, in a sentence
("jalan usaha tani sepanjang 600 m") or in a title row of the HPS ("Dimensi | Panjang jalan 550
m"), where no item name matches. A document counts only when it states one length: a KAK that
names several stretches ("ruas A 350 m, ruas B 1,2 km") is not compared (do not guess which).
"""

from __future__ import annotations

import re

from ..model import Finding
from ..numbers import parse_number
from ..rules import Rule
from .base import DocContext, package_check
from .consistency import Stated, _by_type, _finding
from .numbers import fmt_num

LINEAR_WORK_RE = re.compile(
    r"\b(?:jalan|saluran|drainase|ruas|pagar|turap|talud|tanggul|pipa|perpipaan|perkerasan|rabat|"
    r"trotoar|bronjong|tembok\s+penahan|jembatan|dermaga|paving|irigasi)\b", re.I)
LENGTH_RE = re.compile(
    r"\b(?:se)?panjang\s+(?P<what>(?:(?:total|keseluruhan|efektif|penanganan|jalan|saluran|ruas|pagar|turap|talud|"
    r"tanggul|pipa|perkerasan|rabat|jaringan|bronjong|jembatan|dermaga|drainase)\s+){0,3})[:=]?\s*"
    r"(?:(?:±|\+/-|kurang\s+lebih|lebih\s+kurang|kira-kira)\s*)?"
    r"(?P<qty>\d+(?:[.,]\d+)?)\s*(?:\([A-Za-z\s\-]+\)\s*)?(?P<unit>km|meter|m)(?![\w²³'’])", re.I)
HANDLED_LENGTH_RE = re.compile(r"\bpenanganan\b", re.I)
# a piece, not the work: "pipa PVC panjang 4 m per batang", a form board
MIN_LENGTH_M = 20.0


def stated_lengths(ctx: DocContext) -> list[Stated]:
    """Lengths (in metres) of a linear work stated in clauses that name one."""
    out = []
    for clause in ctx.clauses:
        linear = bool(LINEAR_WORK_RE.search(clause.text))
        for m in LENGTH_RE.finditer(clause.text):
            qty = parse_number(m.group("qty"))
            # "panjang penanganan 1.100 m" names a linear work by itself (a location row of the HPS)
            if qty is None or not (linear or HANDLED_LENGTH_RE.search(m.group("what"))):
                continue
            metres = qty * 1000.0 if m.group("unit").lower() == "km" else qty
            if metres >= MIN_LENGTH_M:
                out.append(Stated(ctx, metres, clause.start, clause.end, " ".join(clause.text.split())))
    return out


def single_length(docs: list[DocContext]) -> Stated | None:
    """The one length these documents state, or None when they state none or disagree among
    themselves."""
    found = [s for d in docs for s in stated_lengths(d)]
    values = {round(float(s.value), 2) for s in found}
    return found[0] if len(values) == 1 else None


@package_check("consistency_length")
def consistency_length(rule: Rule, docs: list[DocContext]) -> list[Finding]:
    kak = single_length(_by_type(docs, "kak", "spesifikasi", "dokumen_pemilihan"))
    hps = single_length(_by_type(docs, "hps"))
    kontrak = single_length(_by_type(docs, "kontrak"))
    # the KAK is the reference; without one the HPS is, for the contract
    reference, others = (kak, (hps, kontrak)) if kak else (hps, (kontrak,))
    out = []
    for other in others:
        if other is None or reference is None:
            continue
        if abs(float(other.value) - float(reference.value)) > 0.5:
            msg = (f"Panjang pekerjaan di {other.ctx.document.name} ({fmt_num(float(other.value))} m) berbeda "
                   f"dengan {reference.ctx.document.name} ({fmt_num(float(reference.value))} m).")
            out.append(_finding(rule, other, msg, [reference]))
    return out
