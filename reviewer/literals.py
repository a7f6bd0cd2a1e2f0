"""Skip regex searches that cannot match: required literals of a pattern, checked with `in`.

Most rule patterns need a word that a given document never contains ("merek", "sepihak"). Python's
`re` tries a pattern at every position of every clause, while `literal in text` runs at memchr speed.
`required_literals(rx)` reads the parsed pattern and returns lowercase strings of which every match
contains at least one; `ClauseLiterals` folds the clauses of one document once and says which
clauses can hold a match of a set of patterns. The regexes still decide: the filter only drops
clauses where a match is impossible, so results are the same with and without it.

Case folding mirrors `re.IGNORECASE`: besides the usual lowercasing it matches "ı"/"İ" with "i" and
"ſ" with "s", so the fold maps those three first (and keeps the text's length, hence offsets).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable, Sequence

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ZERO_WIDTH = {_c.AT}


def fold(text: str) -> str:
    """Lowercase `text` the way re.IGNORECASE compares letters, keeping its length."""
    return text.translate(_FOLD).lower()


def _literal_char(op, av) -> str | None:
    """The folded character an item always matches, or None (ASCII only: its fold is certain)."""
    if op is _c.LITERAL:
        ch = chr(av)
        return ch.lower() if ch.isascii() else None
    if op is _c.IN:
        chars = set()
        for sub_op, sub_av in av:
            if sub_op is not _c.LITERAL:
                return None
            ch = chr(sub_av)
            if not ch.isascii():
                return None
            chars.add(ch.lower())
        return chars.pop() if len(chars) == 1 else None
    return None


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective candidate: longest shortest literal, then fewest literals."""
    if not candidates:
        return None
    return max(candidates, key=lambda s: (all(x.strip() for x in s), min(map(len, s)), -len(s)))


def _sequence(items) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        ch = _literal_char(op, av)
        if ch is not None:
            run.append(ch)
            continue
        if op in _ZERO_WIDTH:
            continue  # \b, ^: the characters on both sides are still adjacent in the text
        close_run()
        if op is _c.SUBPATTERN:
            found = _sequence(av[-1])
        elif op is _c.BRANCH:
            found = _branches(av[1])
        elif op in _REPEATS and av[0] >= 1:
            found = _sequence(av[2])
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            found = _sequence(av)
        else:
            found = None
        if found:
            candidates.append(found)
    close_run()
    return _best(candidates)


def _branches(alternatives) -> frozenset[str] | None:
    out: set[str] = set()
    for alt in alternatives:
        found = _sequence(alt)
        if not found:
            return None  # one branch can match without any known literal
        out |= found
    return frozenset(out)


_CACHE: dict[tuple[str, int], frozenset[str] | None] = {}


def required_literals(rx: re.Pattern) -> frozenset[str] | None:
    """Folded literals of which every match of `rx` contains one, or None when none is known."""
    key = (rx.pattern, rx.flags)
    if key not in _CACHE:
        try:
            found = _sequence(_p.parse(rx.pattern, rx.flags))
        except Exception:  # an exotic pattern is simply never filtered
            found = None
        # a literal that is only whitespace or one character saves nothing worth the risk
        _CACHE[key] = found if found and all(s.strip() for s in found) else None
    return _CACHE[key]


def patterns_literals(patterns: Iterable[re.Pattern]) -> frozenset[str] | None:
    """Literals of which any match of any of `patterns` contains one (None: no filter)."""
    out: set[str] = set()
    for rx in patterns:
        found = required_literals(rx)
        if found is None:
            return None
        out |= found
    return frozenset(out)


class ClauseLiterals:
    """The folded texts of one document's clauses, to find where a pattern can match."""

    def __init__(self, texts: Sequence[str]):
        self.folded = [fold(t) for t in texts]
        # one string, clauses separated by a character no literal holds, so a literal found in it
        # lies inside one clause
        self.whole = "\x00".join(self.folded)
        self.starts: list[int] = []
        pos = 0
        for text in self.folded:
            self.starts.append(pos)
            pos += len(text) + 1
        self._holders: dict[str, list[int]] = {}

    def holders(self, literal: str) -> list[int]:
        """Indices of the clauses that contain `literal`, in order (memoised per document)."""
        found = self._holders.get(literal)
        if found is None:
            found = []
            whole, starts, find = self.whole, self.starts, self.whole.find
            pos = find(literal)
            while pos != -1:
                i = bisect_right(starts, pos) - 1
                found.append(i)
                pos = find(literal, starts[i] + len(self.folded[i]) + 1)  # next clause on
            self._holders[literal] = found
        return found

    def candidates(self, patterns: Sequence[re.Pattern]) -> range | list[int]:
        """Indices of the clauses where one of `patterns` may match, in order."""
        literals = patterns_literals(patterns)
        if literals is None:
            return range(len(self.folded))
        lists = [h for lit in literals if (h := self.holders(lit))]
        if len(lists) <= 1:
            return lists[0] if lists else []
        return sorted(set().union(*lists))


def clause_literals(ctx) -> ClauseLiterals:
    """The document's ClauseLiterals, built once per DocContext."""
    cl = ctx.cache.get("clause_literals")
    if cl is None or len(cl.folded) != len(ctx.clauses):
        cl = ctx.cache["clause_literals"] = ClauseLiterals([c.text for c in ctx.clauses])
    return cl
