"""The Aturan tab: search the rulebook in plain Indonesian and show rule cards with the article's
status across Perpres 16/2018, 12/2021 and 46/2025 and the rule's own good and bad examples."""

from __future__ import annotations

import logging
import re

from ..report import KIND_LABEL, SEVERITY_LABEL
from ..rules import Rule, Rulebook, default_rulebook
from .render import e

log = logging.getLogger(__name__)
VERSIONS = ("16/2018", "12/2021", "46/2025")
WORD = re.compile(r"\w+")
STOP = {"yang", "dan", "di", "ke", "dari", "untuk", "dengan", "atau", "apa", "berapa", "bagaimana",
        "adalah", "itu", "ini", "pada", "dalam", "harus", "boleh", "tidak", "ada", "syarat"}


def _words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1}


def overlap_search(rulebook: Rulebook, query: str, k: int = 10) -> list[tuple[str, float]]:
    """Fallback when the rule index cannot load: share of query words found in the rule's texts."""
    q = _words(query)
    if not q:
        return []
    scored = []
    for r in rulebook.rules:
        text = " ".join([r.title, r.statement, r.why, r.category.replace(".", " "), r.source.article,
                         " ".join(r.exemplars), " ".join(r.tags)])
        words = _words(text)
        # prefix match so 'denda' finds 'dendanya' and 'jaminan' finds 'jaminannya'
        hits = sum(1 for w in q if w in words or any(x.startswith(w) for x in words))
        if hits:
            scored.append((r.id, hits / len(q)))
    scored.sort(key=lambda s: -s[1])
    return scored[:k]


def search_rules(query: str, k: int = 10, rulebook: Rulebook | None = None) -> tuple[list[Rule], str]:
    """(rules, how they were found). An empty query lists the whole rulebook."""
    rulebook = rulebook or default_rulebook()
    query = (query or "").strip()
    if not query:
        return sorted(rulebook.rules, key=lambda r: (r.category, r.id)), "semua aturan"
    try:
        from ..index import get_rule_index
        hits = get_rule_index(rulebook).search(query, k)
        how = "pencarian makna dan kata"
    except Exception:  # the explorer must still answer without the model
        log.exception("rule index unavailable for search")
        hits = overlap_search(rulebook, query, k)
        how = "pencarian kata"
    rules = []
    for rule_id, _score in hits:
        try:
            rules.append(rulebook.by_id(rule_id))
        except KeyError:
            continue
    return rules, how


def rule_card(rule: Rule, rulebook: Rulebook) -> str:
    src = rule.source
    parts = [f"<div class='pbj-rule'><span class='pbj-badge {e(rule.severity)}'>{e(SEVERITY_LABEL.get(rule.severity, rule.severity))}</span>"
             f"<span class='pbj-badge'>{e(KIND_LABEL.get(rule.kind, rule.kind))}</span>"
             + ("<span class='pbj-badge cek'>perlu dicek</span>" if rule.soft else "")
             + f"<div><b>{e(rule.title)}</b> <span class='meta'>({e(rule.id)} · {e(rule.category)})</span></div>",
             f"<div><b>Dasar:</b> {e(rule.citation)}"
             + (f" — <a href='{e(src.read_at)}' target='_blank' rel='noopener'>teks resmi</a>" if src.read_at.startswith("http") else "")
             + "</div>",
             f"<div><b>Aturan:</b> {e(rule.statement)}</div>",
             f"<div><b>Mengapa penting:</b> {e(rule.why)}</div>",
             f"<div><b>Saran rumusan:</b> {e(rule.suggestion)}</div>"]
    if rule.known_problems:
        parts.append(f"<div><b>Bisa keliru bila:</b> {e(rule.known_problems)}</div>")
    article = rulebook.article_for(rule)
    if article is not None:
        parts.append(f"<div><b>{e(article.key)} {e(article.regulation)}</b> — {e(article.title)}: {e(article.summary)}</div>")
        cells = "".join(f"<td>{e(article.history.get(v, 'tidak diketahui'))}</td>" for v in VERSIONS)
        parts.append("<table><tr>" + "".join(f"<th>Perpres {v}</th>" for v in VERSIONS)
                     + f"<th>Status</th></tr><tr>{cells}<td>{e(article.status)}</td></tr></table>")
    else:
        parts.append("<div class='meta'>Ringkasan pasal belum tersedia; baca teks resmi.</div>")
    for ex in rule.violating[:2]:
        parts.append(f"<div class='pbj-ex-bad'>✗ {e(ex.text or ' / '.join(t for _, t in ex.documents))}</div>")
    for ex in rule.compliant[:2]:
        parts.append(f"<div class='pbj-ex-good'>✓ {e(ex.text or ' / '.join(t for _, t in ex.documents))}</div>")
    parts.append("</div>")
    return "".join(parts)


def rules_html(query: str, k: int = 10) -> str:
    try:
        rulebook = default_rulebook()
    except Exception as exc:  # a broken rule card: say which, never a traceback
        return f"<div class='pbj-error'>Rulebook tidak dapat dimuat: {e(exc)}</div>"
    rules, how = search_rules(query, k, rulebook)
    if not rules:
        return "<p>Tidak ada aturan yang cocok. Coba kata lain, misalnya <i>denda keterlambatan</i> atau <i>uang muka</i>.</p>"
    head = f"<p class='meta'>{len(rules)} aturan ({e(how)}).</p>"
    return head + "".join(rule_card(r, rulebook) for r in rules)
