"""Matching review findings to labels, and the scores that follow.

Rules of the match:
- a finding and a label match when the category is the same and, for a label with evidence, the
  normalised label evidence is contained in (or overlaps well with) the finding's evidence or one of
  its related quotes (consistency findings quote the other document there);
- a non-consistency label names its document, and the finding must be in that document;
- one finding matches at most one label and one label at most one finding (a maximum bipartite
  matching, so the order of findings cannot change the score);
- findings left over that match a debatable label are ignored: neither hits nor false positives.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import PurePath
from typing import Any, Iterable

from .evalset import Label
from .taxonomy import KINDS, kind_of

_TRANSLATE = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-",
    "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u00ad": "",
})
MIN_OVERLAP_CHARS = 12
MIN_OVERLAP_SHARE = 0.6


def normalise(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE).lower()
    return " ".join(text.split())


def evidence_matches(label_evidence: str, finding_evidence: str) -> bool:
    """Is the label's quote in the finding's quote, or do the two overlap by most of the label?"""
    le, fe = normalise(label_evidence), normalise(finding_evidence)
    if not le or not fe:
        return False
    if le in fe:
        return True
    m = SequenceMatcher(None, le, fe, autojunk=False).find_longest_match(0, len(le), 0, len(fe))
    return m.size >= MIN_OVERLAP_CHARS and m.size >= MIN_OVERLAP_SHARE * min(len(le), len(fe))


def finding_dict(finding: Any) -> dict:
    """A Finding object or a JSON finding, as a plain dict."""
    if isinstance(finding, dict):
        return dict(finding)
    if hasattr(finding, "to_dict"):
        return finding.to_dict()
    return dict(vars(finding))


def document_stem(name: str | None) -> str:
    return PurePath(name or "").stem


def finding_kind(f: dict) -> str:
    kind = f.get("kind")
    return kind if kind in KINDS else kind_of(str(f.get("category", "")))


def label_matches(label: Label, f: dict) -> bool:
    if f.get("category") != label.category:
        return False
    if label.kind != "consistency" and document_stem(f.get("document")) != label.document:
        return False
    if not label.evidence:
        return True
    quotes = [str(f.get("evidence") or "")]
    quotes += [str(r.get("evidence") or "") for r in f.get("related") or [] if isinstance(r, dict)]
    return any(evidence_matches(le, q) for le in label.evidence for q in quotes)


@dataclass
class MatchResult:
    matched: list[tuple[Label, dict]] = field(default_factory=list)
    missed: list[Label] = field(default_factory=list)  # false negatives
    spurious: list[dict] = field(default_factory=list)  # false positives
    ignored: list[dict] = field(default_factory=list)  # matched a debatable label only


def match(labels: list[Label], findings: Iterable[Any], debatable: list[Label] | None = None) -> MatchResult:
    found = [finding_dict(f) for f in findings]
    edges = [[j for j, f in enumerate(found) if label_matches(lab, f)] for lab in labels]
    owner: dict[int, int] = {}  # finding index -> label index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(labels)):
        augment(i, set())
    result = MatchResult()
    by_label = {i: j for j, i in owner.items()}
    for i, lab in enumerate(labels):
        if i in by_label:
            result.matched.append((lab, found[by_label[i]]))
        else:
            result.missed.append(lab)
    for j, f in enumerate(found):
        if j in owner:
            continue
        if any(label_matches(d, f) for d in debatable or []):
            result.ignored.append(f)
        else:
            result.spurious.append(f)
    return result


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


def scores_by_kind(results: Iterable[MatchResult]) -> dict[str, Score]:
    """TP and FN counted by the label's kind, FP by the finding's kind; plus 'overall'."""
    table = {k: Score() for k in (*KINDS, "overall")}
    for r in results:
        for lab, _ in r.matched:
            table[lab.kind].tp += 1
            table["overall"].tp += 1
        for lab in r.missed:
            table[lab.kind].fn += 1
            table["overall"].fn += 1
        for f in r.spurious:
            table[finding_kind(f)].fp += 1
            table["overall"].fp += 1
    return table


def location_accuracy(results: Iterable[MatchResult]) -> tuple[int, int]:
    """(matched findings whose page equals the labelled page, matched findings with a labelled page)."""
    hits = total = 0
    for r in results:
        for lab, f in r.matched:
            if lab.page is None:
                continue
            total += 1
            hits += int(f.get("page") == lab.page)
    return hits, total
