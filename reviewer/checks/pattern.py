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

from ..literals import clause_literals
from ..model import Finding
from ..rules import Rule
from .base import DocContext, document_check, make_finding
from .element import element_relevant

SKIP_KINDS = ("heading",)


def context_hits(rule: Rule, text: str) -> int:
    low = text.lower()
    return sum(1 for word in rule.context if word.lower() in low)


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
        match = next((m for rx in rule.compiled if (m := rx.search(text))), None)
        if match is None:
            continue
        if any(rx.search(text) for rx in rule.compiled_unless):
            continue
        hits = context_hits(rule, text)
        if require_context and hits == 0:
            continue
        score = min(1.0, 0.7 + 0.1 * hits)
        findings.append(make_finding(rule, ctx, clause=clause, score=score))
    return findings
