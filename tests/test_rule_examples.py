"""Every rule carries its own violating and compliant examples; each one runs through the real
review engine (segmentation, facts, retrieval, the rule's check). A missed violating example or a
flagged compliant one fails, like LanguageTool's rule tests."""

from __future__ import annotations

import pytest

from reviewer.checks import DOCUMENT_CHECKS, PACKAGE_CHECKS, load_checks
from reviewer.review import review_package_texts, review_text
from reviewer.rules import default_rulebook

BOOK = default_rulebook()
CASES = [pytest.param(rule.id, label, i, id=f"{rule.id}-{label}-{i}")
         for rule in BOOK.rules
         for label, examples in (("violating", rule.violating), ("compliant", rule.compliant))
         for i in range(len(examples))]


def run_example(rule, example):
    facts = example.facts_dict or None
    if example.documents:
        return review_package_texts(example.documents, facts, [rule.id])
    return review_text(example.text, example.doc_type or rule.applies_to[0], facts, [rule.id])


@pytest.mark.parametrize("rule_id,label,index", CASES)
def test_rule_example(rule_id, label, index):
    rule = BOOK.by_id(rule_id)
    example = (rule.violating if label == "violating" else rule.compliant)[index]
    hits = [f for f in run_example(rule, example) if f.rule_id == rule_id or rule_id in f.merged_rules]
    shown = example.text or " / ".join(t for _, t in example.documents)
    if label == "violating":
        assert hits, f"{rule_id} tidak menandai contoh pelanggaran: {shown!r}"
    else:
        assert not hits, f"{rule_id} keliru menandai contoh yang benar: {shown!r} -> {hits[0].evidence!r}"


def test_every_rule_names_an_existing_check():
    assert load_checks() == {}, "modul pemeriksaan gagal dimuat"
    known = set(DOCUMENT_CHECKS) | set(PACKAGE_CHECKS)
    unknown = {r.id: r.check for r in BOOK.rules if r.check not in known}
    assert not unknown, f"aturan dengan pemeriksaan yang tidak ada: {unknown}"
