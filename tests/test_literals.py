"""Required-literal prefilter of regex checks: it may only drop clauses where no match is possible."""

from __future__ import annotations

import re

import pytest

from reviewer.literals import ClauseLiterals, fold, required_literals


@pytest.mark.parametrize("pattern,expected", [
    (r"\bmerek\b", {"merek"}),
    (r"\b(merek|merk|brand)\s+tertentu\b", {"tertentu"}),
    (r"\b(?:merek|merk|brand)\b", {"merek", "merk", "brand"}),
    (r"uang\s+muka", {"uang"}),
    (r"[Pp]enyedia", {"penyedia"}),  # a class of one letter in two cases is that letter
    (r"\d+\s*%", {"%"}),
    (r"(merek)?\s*tipe?", {"tip"}),  # the optional group and the optional "e" are not required
    (r"[a-z]+ tertentu|x", {" tertentu", "x"}),
])
def test_required_literals(pattern, expected):
    assert required_literals(re.compile(pattern, re.IGNORECASE)) == frozenset(expected)


@pytest.mark.parametrize("pattern", [r"\d+\s*[a-z]+", r"(merek)?\s*", r"[a-z]+ tertentu|\d", r"‰", r"\s+"])
def test_no_literal_means_no_filter(pattern):
    # no literal at all, a branch without one, a non-ASCII literal or only whitespace: no filter
    assert required_literals(re.compile(pattern, re.IGNORECASE)) is None


def test_fold_mirrors_ignorecase_and_keeps_length():
    for text in ["İZİN USAHA", "ızın", "ſyarat", "KELVIN", "Merek Tertentu"]:
        folded = fold(text)
        assert len(folded) == len(text)
        for word in ("izin", "syarat", "kelvin", "merek"):
            if re.search(word, text, re.IGNORECASE):
                assert word in folded


def test_candidates_keep_every_clause_a_pattern_matches():
    texts = ["Spesifikasi mengacu merek Dell.", "Tidak ada apa-apa di sini.", "MERK HP seri 5",
             "Garansi 3 tahun.", "brand tertentu", "merek"]
    patterns = [re.compile(r"\b(?:merek|merk|brand)\b", re.IGNORECASE),
                re.compile(r"\bseri\s+\d", re.IGNORECASE)]
    cl = ClauseLiterals(texts)
    matched = [i for i, t in enumerate(texts) if any(rx.search(t) for rx in patterns)]
    candidates = list(cl.candidates(patterns))
    assert set(matched) <= set(candidates)
    assert 1 not in candidates and 3 not in candidates  # clauses without any literal are skipped


def test_literal_absent_from_document_skips_every_clause():
    cl = ClauseLiterals(["Garansi 3 tahun.", "Pembayaran sekaligus."])
    assert list(cl.candidates([re.compile(r"\bsepihak\b", re.IGNORECASE)])) == []


def test_rulebook_patterns_never_lose_a_match():
    """Every pattern of the rulebook against every rule example: a match implies a candidate."""
    from reviewer.rules import default_rulebook

    book = default_rulebook()
    texts = [ex.text for r in book.rules for ex in (*r.violating, *r.compliant) if ex.text]
    cl = ClauseLiterals(texts)
    checked = 0
    for rule in book.rules:
        for rx in (*rule.compiled, *rule.compiled_unless):
            candidates = set(cl.candidates([rx]))
            for i, text in enumerate(texts):
                if rx.search(text):
                    checked += 1
                    assert i in candidates, (rule.id, rx.pattern, text)
    assert checked > 100
