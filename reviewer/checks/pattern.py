"""`check: pattern`: a risky-wording recognizer declared entirely in the rule card.

A clause is flagged when one of the rule's `patterns` matches it and none of its `unless` patterns
does (the Presidio invalidate idea). `context` words near the match raise the score; with
`params.require_context: true` at least one of them must be present in the clause. With
`params.relevant_if` the rule runs only on documents where some clause matches one of those
regexes (a clause may be risky only in one kind of work: a construction manager's contract).

Only the clauses that hold one of the patterns' required literals are searched (reviewer.literals):
in most documents most risk words never occur, and a substring test is far cheaper than a regex.
"""

from __future__ import annotations

import re

from ..literals import clause_literals
from ..model import Finding
from ..rules import Rule
from .base import DocContext, document_check, make_finding
from .element import element_relevant

SKIP_KINDS = ("heading",)


def context_hits(rule: Rule, text: str) -> int:
    low = text.lower()
    return sum(1 for word in rule.context if word.lower() in low)


def _matches(rxs, text: str) -> bool:
    return any(rx.search(text) for rx in rxs)


def flagged(rule: Rule, clause) -> bool:
    """A pattern matches the clause and no `unless` pattern does. A table row may hold several
    statements: a value cell that itself holds the words is also judged with the row's label and
    the cells after it, not those before, since a later column overrides or qualifies an earlier
    one. In "Penyesuaian Harga | Tidak berlaku | Berlaku; penyesuaian harga dihitung ..." (an SSKK
    overriding the SSUK default) the "tidak berlaku" does not negate the SSKK's own statement,
    while "Merek X | boleh setara" in a later "Keterangan" column still qualifies the cell before."""
    text = clause.text
    if _matches(rule.compiled, text) and not _matches(rule.compiled_unless, text):
        return True
    return any(_matches(rule.compiled, value) and not _matches(rule.compiled_unless, rest)
               for value, rest in _value_cells(clause))


_NUMBER_CELL_RE = re.compile(r"^\s*[\dIVXivx]{1,4}[.)]?\s*$")


def _value_cells(clause) -> list[tuple[str, str]]:
    """(value, "label | value | later values") for each value cell but the first of a table row
    with a label and two or more values: the first is judged with the whole row already."""
    if clause.kind != "table_row":
        return []
    cells = [c for c in (clause.cells or []) if c.strip() and not _NUMBER_CELL_RE.match(c)]
    if len(cells) < 3:
        return []
    label, values = cells[0], cells[1:]
    return [(v, " | ".join([label, *values[i:]])) for i, v in enumerate(values) if i > 0]


@document_check("pattern")
def pattern_check(rule: Rule, ctx: DocContext) -> list[Finding]:
    findings: list[Finding] = []
    require_context = bool(rule.params.get("require_context"))
    include_headings = bool(rule.params.get("include_headings"))
    clauses = ctx.clauses
    if not element_relevant(rule, clauses, clause_literals(ctx)):
        return findings
    for i in clause_literals(ctx).candidates(rule.compiled):
        clause = clauses[i]
        if clause.kind in SKIP_KINDS and not include_headings:
            continue
        text = clause.text
        if not flagged(rule, clause):
            continue
        hits = context_hits(rule, text)
        if require_context and hits == 0:
            continue
        score = min(1.0, 0.7 + 0.1 * hits)
        findings.append(make_finding(rule, ctx, clause=clause, score=score))
    return findings
