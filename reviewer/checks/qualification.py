"""`check: experience_value`: a qualification that asks for past work worth more than this package.

"memiliki pengalaman ... dengan nilai kontrak paling sedikit Rp10.000.000.000,00" for a package
whose HPS is Rp2,18 miliar: only firms that have done a contract four times this size qualify.
The sentence must speak of experience and put a lower bound on a money amount; the amount is
compared with the package's own value (HPS, else the KAK's cost estimate, else pagu), so nothing
is reported when the document states no value.
"""

from __future__ import annotations

import re

from ..model import Finding
from ..numbers import find_amounts
from ..rules import Rule
from .base import DocContext, document_check, reference_value
from .numbers import finding_at, fmt_rp, sentences

EXPERIENCE_RE = re.compile(r"\b(?:ber)?pengalaman\b|\bpernah\s+(?:melaksanakan|mengerjakan|menyediakan)\b", re.I)
# the bound and the amount it governs: "nilai kontrak paling sedikit Rp10 miliar", "senilai minimal Rp 5 M"
LOWER_BOUND_RE = re.compile(
    r"\b(?:nilai|senilai|bernilai)\b[^.;\n]{0,40}?\b(?:paling\s+(?:sedikit|rendah|kurang)|minimal|min\.|"
    r"sekurang-kurangnya|sedikitnya|di\s+atas|lebih\s+dari)\s*", re.I)


def _value_without(ctx: DocContext, start: int, end: int) -> float | None:
    """The package value, unless the only value the document states is inside this sentence."""
    facts = {k: f for k, f in ctx.facts.items()
             if k in ("nilai_hps", "perkiraan_biaya", "pagu") and not (f.start is not None and start <= f.start < end)}
    return reference_value(facts)


@document_check("experience_value")
def experience_value(rule: Rule, ctx: DocContext) -> list[Finding]:
    ratio = float(rule.params.get("max_ratio", 1.0))
    for sent in sentences(ctx):
        if not EXPERIENCE_RE.search(sent.text):
            continue
        for m in LOWER_BOUND_RE.finditer(sent.text):
            amounts = [a for a in find_amounts(sent.text[m.end():m.end() + 80]) if a.is_money and a.start <= 3]
            if not amounts:
                continue
            required = amounts[0].value
            value = _value_without(ctx, sent.start, sent.end)
            if value is None or required <= value * ratio:
                continue
            msg = (f"Syarat pengalaman meminta nilai pekerjaan paling sedikit {fmt_rp(required)}, lebih besar "
                   f"dari nilai paket ini sendiri ({fmt_rp(value)}). Syarat yang melampaui besaran paket "
                   f"menyingkirkan penyedia yang mampu dan tidak objektif.")
            return [finding_at(rule, ctx, sent, msg)]
    return []
