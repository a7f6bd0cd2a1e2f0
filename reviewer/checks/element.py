"""`check: element`: a required element (latar belakang, jangka waktu, keadaan kahar...) is missing.

The engine has already checked `applies_to` and `when`. The element counts as present when
  * a clause matches one of the rule's `patterns` without an `unless` pattern
    (at least `params.min_matches` such clauses, default 1), or
  * a heading named by `params.section` (phrases) or matching `params.section_pattern` (regexes, for
    a KAK written as questions: "Mengapa alat ini perlu dibeli?") has real content under it (or
    "Sumber Dana: APBD ..."), or
  * the hybrid retriever scores some clause at least `params.min_score` (default DEFAULT_MIN_SCORE of the retrieval mode).
Otherwise one finding without a span, naming what is expected and, when there is one, the closest
weak candidate so the reader can judge ("paling mendekati: ...").

Optional params narrow a card without code:
  * `params.relevant_if`: regexes; the element is expected only when some clause matches one (SNI
    only for goods that have a standard, after-sales service only for durable goods);
  * `params.relevant_in: subject`: the trigger must name what is bought (title, "Nama Paket:",
    "pengadaan X", an item table's name cell), not a material of one of its parts;
  * `params.incorporated_by` / `params.incorporated_text`: when the element is absent but a clause
    makes a standard text part of the document (SSUK) that is not in the file itself, the finding
    becomes a low-severity "Periksa" note: the element may sit in that text, which was not read;
  * `params.advisory: true`: the element is good practice rather than a duty, so the finding is
    worded "Periksa ..." like a rule on a secondary source.
  * `params.require_pattern: true`: the element is a term of art with no paraphrase (TKDN, SNI),
    so only `patterns`/`section` count as evidence; retrieval only supplies the closest candidate
    (an NIB clause that sounds like a qualification is not a TKDN clause).
"""

from __future__ import annotations

import re

from functools import lru_cache
from itertools import islice

from ..addendum import change_only_addendum
from ..literals import ClauseLiterals, clause_literals
from ..model import Clause, Finding
from ..rules import Rule, Rulebook
from .base import DocContext, document_check, make_finding

# Calibrated on labelled snippets (tests/test_element.py, see models/README.md), per retrieval mode
# since lexical-only scores run lower: below it a clause is at best a weak candidate, shown as
# "paling mendekati" but not taken as the element.
DEFAULT_MIN_SCORE = {"hybrid": 0.35, "leksikal": 0.40}
# A weaker candidate than this is not worth showing.
RELATED_MIN_SCORE = 0.15
_WORD_RE = re.compile(r"[0-9A-Za-z]{3,}")


def _phrases(value) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _phrase_regex(phrase: str) -> re.Pattern:
    words = phrase.split()
    return re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def _has_content(text: str) -> bool:
    return len(_WORD_RE.findall(text)) >= 2 or bool(re.search(r"\d", text))


@lru_cache(maxsize=256)
def _compile_all(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


# The subject of a document (what is being bought) is named in its title block, in a "Nama Paket:"
# style line, right after the word "pengadaan", or in the first text cell of an item table row.
SUBJECT_ZONE_CHARS = 600
_SUBJECT_LABEL_RE = re.compile(
    r"^\s*(?:[\dA-Za-z]{1,3}[.)]\s*)?(?:nama\s+|jenis\s+)?(?:paket(?:\s+pekerjaan)?|pekerjaan|kegiatan|sub\s*kegiatan|"
    r"barang|judul)\s*[:|]", re.IGNORECASE)
_AFTER_PENGADAAN_RE = re.compile(r"\bpengadaan\s+([^.;:\n]{1,80})", re.IGNORECASE)
_NUMBERISH_RE = re.compile(r"^[\s\dIVXivx.,()\-/]*$")


def subject_text(clauses: list[Clause]) -> str:
    """The parts of a document that name what is procured, not the materials of its parts: a pipe
    frame of a tent or the concrete footing of fitness equipment is not the thing bought."""
    parts: list[str] = []
    for clause in clauses:
        if _SUBJECT_LABEL_RE.match(clause.text):
            parts.append(clause.text)
            continue
        if clause.start < SUBJECT_ZONE_CHARS:
            # a long opening paragraph counts only as far as the title block reaches
            parts.append(clause.text[:SUBJECT_ZONE_CHARS - clause.start])
        parts.extend(m.group(1) for m in _AFTER_PENGADAAN_RE.finditer(clause.text))
        if clause.cells:
            first = next((c for c in clause.cells if c and not _NUMBERISH_RE.match(c)), None)
            if first:
                parts.append(first)
    return "\n".join(parts)


def element_relevant(rule: Rule, clauses: list[Clause], literals: ClauseLiterals | None = None) -> bool:
    """Without `params.relevant_if` every document the rule applies to needs the element. With
    `params.relevant_in: subject` the trigger must name what is bought (subject_text)."""
    triggers = _compile_all(tuple(_phrases(rule.params.get("relevant_if"))))
    if not triggers:
        return True
    if rule.params.get("relevant_in") == "subject":
        subject = subject_text(clauses)
        return any(rx.search(subject) for rx in triggers)
    # only clauses holding a trigger's required literal can match it (reviewer.literals)
    candidates = literals.candidates(triggers) if literals is not None else range(len(clauses))
    return any(rx.search(clauses[i].text) for i in candidates for rx in triggers)


def iter_pattern_matches(rule: Rule, clauses: list[Clause], literals: ClauseLiterals | None = None):
    """Clauses matching a pattern of the rule and none of its `unless` patterns, in order."""
    candidates = literals.candidates(rule.compiled) if literals is not None else range(len(clauses))
    for i in candidates:
        text = clauses[i].text
        if any(rx.search(text) for rx in rule.compiled) and not any(rx.search(text) for rx in rule.compiled_unless):
            yield clauses[i]


_BARE_NUMBERING_RE = re.compile(r"^(?:[0-9]{1,2}|[A-Za-z]|[IVXLivxl]{1,5})[.)]\s*")


def section_present(phrases: list[str], clauses: list[Clause], patterns: list[str] | None = None) -> bool:
    """A heading with one of `phrases` (or matching one of `patterns`) and content under it, or an
    inline "Heading: content"."""
    regexes = [_phrase_regex(p) for p in phrases]
    heading_only = list(_compile_all(tuple(patterns or ())))
    if not regexes and not heading_only:
        return False

    def names(text: str) -> bool:
        return any(rx.search(text) for rx in regexes) or any(rx.search(text) for rx in heading_only)

    for i, clause in enumerate(clauses):
        if clause.kind != "heading":
            if any(names(h) for h in clause.heading_path) and _has_content(clause.text):
                return True
            for rx in regexes + heading_only:
                m = rx.search(clause.text)
                # "Sumber Dana: APBD Kabupaten 2026" / "4. Lokasi Pekerjaan - Kecamatan Ciawi" /
                # a KAK laid out as a table: "3. Sasaran | 48 kepala keluarga ..." / "1.2 Lingkup: ..."
                if m and m.start() <= 12 and re.match(r"\s*[:\-\u2013|]\s*\S", clause.text[m.end():]) \
                        and _has_content(clause.text[m.end():]):
                    return True
            # a heading the segmenter kept as a list item or paragraph ("c. Sasaran", an OCR'd
            # "Ill. SASARAN") followed by its content
            bare = _BARE_NUMBERING_RE.sub("", clause.text.strip()).rstrip(" :")
            # a heading naming several parts ("3. Maksud, Tujuan dan Sasaran") names each of them
            if len(bare.split()) <= 6 and (any(rx.match(bare) for rx in regexes)
                                           or (_capitalised(bare) and any(rx.search(bare) for rx in regexes))
                                           or any(rx.search(clause.text) for rx in heading_only)):
                nxt = clauses[i + 1] if i + 1 < len(clauses) else None
                if nxt is not None and nxt.kind != "heading" and _has_content(nxt.text):
                    return True
            # a question the segmenter kept as text ("3. Kapan barang diserahkan?") answered by
            # the next clause
            if clause.text.rstrip().endswith("?") and any(rx.search(clause.text) for rx in heading_only):
                nxt = clauses[i + 1] if i + 1 < len(clauses) else None
                if nxt is not None and nxt.kind != "heading" and _has_content(nxt.text):
                    return True
            continue
        if names(clause.text):
            for nxt in clauses[i + 1:]:
                if nxt.kind == "heading":
                    break
                if _has_content(nxt.text):
                    return True
    return False


def _fallback_retriever(rule: Rule):
    """Lexical scoring of one rule when the engine gave no retriever (the index failed to build)."""
    from ..index import RuleIndex
    return RuleIndex(Rulebook(rules=[rule], articles={}, version=f"adhoc-{rule.id}"), None,
                     status="leksikal")


def _retriever(rule: Rule, ctx: DocContext):
    if ctx.retriever is not None:
        return ctx.retriever
    key = f"element_fallback:{rule.id}"
    if key not in ctx.cache:
        ctx.cache[key] = _fallback_retriever(rule)
    return ctx.cache[key]


def best_candidate(rule: Rule, ctx: DocContext) -> tuple[Clause | None, float]:
    scored = _retriever(rule, ctx).clause_scores(rule, ctx)
    if not scored:
        return None, 0.0
    clause, score = max(scored, key=lambda cs: cs[1])
    return clause, float(score)


def default_threshold(rule: Rule, ctx: DocContext) -> float:
    if "min_score" in rule.params:
        return float(rule.params["min_score"])
    mode = getattr(_retriever(rule, ctx), "mode", "hybrid")
    return DEFAULT_MIN_SCORE.get(mode, DEFAULT_MIN_SCORE["hybrid"])


def incorporated(rule: Rule, clauses: list[Clause]) -> bool:
    """The element may sit in a standard text the document makes part of itself but does not hold
    ("SSUK dan SSKK merupakan bagian dari Kontrak": the model SSUK has it), so its absence is only
    worth a "Periksa" note. Not so when that text is itself in the document (a heading matching
    `params.incorporated_text`): then its own clauses must show it."""
    refs = _compile_all(tuple(_phrases(rule.params.get("incorporated_by"))))
    if not refs or not any(rx.search(c.text) for c in clauses for rx in refs):
        return False
    included = _compile_all(tuple(_phrases(rule.params.get("incorporated_text"))))
    return not any(rx.search(c.text) for c in clauses if c.kind == "heading" or _title_like(c.text)
                   for rx in included)


def _capitalised(text: str) -> bool:
    """Every longer word starts with a capital, as in a heading ("Maksud, Tujuan dan Sasaran")."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def _title_like(text: str) -> bool:
    """A short clause that may be the title of an included text ("B. SYARAT-SYARAT UMUM KONTRAK"),
    not an entry of a list of contract documents ("e. Syarat-Syarat Umum Kontrak;")."""
    t = text.strip()
    return len(t) <= 80 and not re.search(r"(?:[;,]|\b(?:dan|atau))\s*$", t)


def element_present(rule: Rule, ctx: DocContext) -> tuple[bool, Clause | None, float]:
    """(present?, best retrieved clause, its score). Patterns and sections decide before retrieval."""
    min_matches = int(rule.params.get("min_matches", 1) or 1)
    if rule.compiled:
        # stop at the min_matches-th match: the rest need not be searched
        matches = islice(iter_pattern_matches(rule, ctx.clauses, clause_literals(ctx)), min_matches)
        if sum(1 for _ in matches) >= min_matches:
            return True, None, 1.0
    if section_present(_phrases(rule.params.get("section")), ctx.clauses,
                       _phrases(rule.params.get("section_pattern"))):
        return True, None, 1.0
    clause, score = best_candidate(rule, ctx)
    if rule.params.get("require_pattern"):
        return False, clause, score
    return score >= default_threshold(rule, ctx), clause, score


def amends_contract(ctx: DocContext) -> bool:
    """A change-only addendum: the contract elements it lacks are in the original contract."""
    if "change_only_addendum" not in ctx.cache:
        ctx.cache["change_only_addendum"] = (
            ctx.doc_type == "kontrak" and change_only_addendum(ctx.document.text, ctx.clauses))
    return ctx.cache["change_only_addendum"]


@document_check("element")
def element_check(rule: Rule, ctx: DocContext) -> list[Finding]:
    if amends_contract(ctx) or not element_relevant(rule, ctx.clauses, clause_literals(ctx)):
        return []
    present, clause, score = element_present(rule, ctx)
    if present:
        return []
    if incorporated(rule, ctx.clauses):
        return [make_finding(rule, ctx, severity="rendah", score=1.0 - score, message=(
            "Periksa: ketentuan ini tidak tertulis di berkas. Berkas menyatakan SSUK/SSKK sebagai bagian "
            "kontrak, tetapi teks SSUK tidak ada di berkas ini; pastikan SSUK yang berlaku memuatnya (model "
            "SSUK LKPP memuatnya), atau periksa SSUK bersama berkas ini."))]
    advisory = rule.soft or bool(rule.params.get("advisory"))
    # The title already says what is absent; the message says what the section should contain
    # (advisory and perlu-cek statements are already worded "Periksa ...").
    if advisory:
        message = rule.statement if rule.statement.lower().startswith("periksa") else f"Periksa: {rule.statement}"
    else:
        message = f"Unsur wajib tidak ditemukan. {rule.statement}"
    related = []
    if clause is not None and score >= RELATED_MIN_SCORE:
        evidence = " ".join(clause.text.split())
        related.append({"document": ctx.document.name,
                        "evidence": evidence if len(evidence) <= 300 else evidence[:297] + "...",
                        "page": clause.page, "score": round(score, 4)})
        message += f" Paling mendekati: \u201c{related[0]['evidence'][:160]}\u201d (skor {score:.2f})."
    return [make_finding(rule, ctx, message=message, score=1.0 - score, related=related)]
