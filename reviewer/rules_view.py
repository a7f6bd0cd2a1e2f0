"""Plain-text views of the rulebook, for `reviewer rules` and for corpus/RULES.md.

Everything here is derived from the rule cards and the article summaries, so the CLI listing, the
card view and RULES.md cannot drift from the YAML.
"""

from __future__ import annotations

import re
from typing import Iterable

from .numbers import format_rupiah
from .rules import Article, Example, Rule, Rulebook, normalise_article

KIND_LABELS = {
    "missing": "unsur wajib",
    "risk": "rumusan berisiko",
    "number": "angka/ambang",
    "consistency": "konsistensi antardokumen",
}
CONFIDENCE_LABELS = {"pasti": "pasti (teks pasal diperiksa)", "perlu-cek": "perlu cek (sumber sekunder)"}
STATUS_LABELS = {"berlaku": "berlaku", "diubah": "diubah", "dihapus": "dihapus"}
VERSIONS = ("16/2018", "12/2021", "46/2025")
WHEN_LABELS = {
    "jenis_pengadaan": "jenis pengadaan",
    "metode": "metode",
    "jenis_kontrak": "jenis kontrak",
    "facts_required": "fakta yang harus diketahui",
}


# ---------------------------------------------------------------- filtering

def _article_matches(rule_article: str, query: str) -> bool:
    """'Pasal 26' matches 'Pasal 26 ayat (4)'; '26' is read as 'Pasal 26'; never 'Pasal 2' vs 26."""
    q = query.strip()
    if re.fullmatch(r"\d+[A-Za-z]?", q):
        q = f"Pasal {q}"
    q_norm = " ".join(q.lower().split())
    full = " ".join(rule_article.lower().split())
    for candidate in (normalise_article(rule_article), full):
        if candidate == q_norm or candidate.startswith(q_norm + " "):
            return True
    return False


def list_rules(rulebook: Rulebook, category: str | None = None, doc_type: str | None = None,
               article: str | None = None, kind: str | None = None) -> list[Rule]:
    """Rules filtered by category (exact, or a prefix such as 'kontrak' or 'risk'), document type,
    cited article ('Pasal 26', 'Pasal 26 ayat (3)', '26') and kind; sorted by category then id."""
    out = []
    for rule in rulebook.rules:
        if category:
            c = category.strip().lower()
            if rule.category != c and not rule.category.startswith(c.rstrip(".") + "."):
                continue
        if doc_type and doc_type not in rule.applies_to:
            continue
        if article and not _article_matches(rule.source.article, article):
            continue
        if kind and rule.kind != kind:
            continue
        out.append(rule)
    return sorted(out, key=lambda r: (r.category, r.id))


# ---------------------------------------------------------------- shared pieces



def describe_when(when: dict) -> str:
    """The rule's conditions in words, '' when it always applies."""
    parts = []
    for key, value in when.items():
        if key == "nilai_min":
            parts.append(f"nilai paling sedikit {format_rupiah(value)}")
        elif key == "nilai_max":
            parts.append(f"nilai paling banyak {format_rupiah(value)}")
        else:
            values = value if isinstance(value, (list, tuple)) else [value]
            shown = ", ".join(str(v).replace("_", " ") for v in values)
            parts.append(f"{WHEN_LABELS.get(key, key)}: {shown}")
    return "; ".join(parts)


def describe_scope(rule: Rule) -> str:
    scope = ", ".join(rule.applies_to)
    cond = describe_when(rule.when)
    return f"{scope} (bila {cond})" if cond else scope


def citation_line(rule: Rule) -> str:
    src = rule.source
    return (f"{src.article} {src.regulation} — versi {src.version}, keyakinan: "
            f"{CONFIDENCE_LABELS.get(src.confidence, src.confidence)}")


def history_line(article: Article) -> str:
    steps = [f"{v}: {article.history.get(v, 'tidak diketahui')}" for v in VERSIONS]
    extra = [f"{k}: {v}" for k, v in article.history.items() if k not in VERSIONS]
    return "; ".join(steps + extra)


def article_status(rule: Rule, rulebook: Rulebook) -> str:
    article = rulebook.article_for(rule)
    if article is None:
        return "ringkasan pasal belum ada"
    return f"{STATUS_LABELS.get(article.status, article.status)} (keyakinan ringkasan: {article.confidence})"


def example_text(example: Example) -> str:
    if example.documents:
        return " / ".join(f"[{dt}] {text}" for dt, text in example.documents)
    return example.text


def _example_context(example: Example) -> str:
    bits = []
    if example.doc_type:
        bits.append(f"dokumen: {example.doc_type}")
    if example.facts:
        bits.append("fakta: " + ", ".join(f"{k}={v}" for k, v in example.facts))
    if example.note:
        bits.append(example.note)
    return f" ({'; '.join(bits)})" if bits else ""


# ---------------------------------------------------------------- CLI views

def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_rule_table(rules: Iterable[Rule]) -> str:
    """One line per rule: id, category, kind, severity, documents, article, title."""
    rules = list(rules)
    if not rules:
        return "Tidak ada aturan yang cocok dengan saringan."
    header = ("ID", "KATEGORI", "JENIS", "TINGKAT", "DOKUMEN", "DASAR", "JUDUL")
    rows = [(r.id, r.category, KIND_LABELS.get(r.kind, r.kind), r.severity, ",".join(r.applies_to),
             _cut(r.source.article, 28) + (" *" if r.soft else ""), _cut(r.title, 60)) for r in rules]
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header) - 1)]
    lines = []
    for row in [header] + rows:
        cells = [row[i].ljust(widths[i]) for i in range(len(widths))] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append(f"{len(rules)} aturan. * = bersumber sekunder (perlu cek), ditulis sebagai 'periksa'.")
    return "\n".join(lines)


def format_rule_card(rule: Rule, rulebook: Rulebook) -> str:
    """The full card in Indonesian, with the cited article's summary and its history."""
    src = rule.source
    lines = [
        f"{rule.id} — {rule.title}",
        "=" * min(100, len(rule.id) + len(rule.title) + 3),
        f"Kategori       : {rule.category}",
        f"Jenis          : {KIND_LABELS.get(rule.kind, rule.kind)} · tingkat {rule.severity}"
        f" · pemeriksaan '{rule.check}'",
        f"Berlaku untuk  : {describe_scope(rule)}",
        f"Dasar          : {citation_line(rule)}",
    ]
    if src.read_at:
        lines.append(f"Baca teks resmi: {src.read_at}")
    if src.note:
        lines.append(f"Catatan sumber : {' '.join(src.note.split())}")
    lines += ["", "Aturan", f"  {rule.statement}", "", "Mengapa penting", f"  {rule.why}", "",
              "Saran perbaikan", f"  {rule.suggestion}"]
    if rule.known_problems:
        lines += ["", "Kemungkinan salah tanda", f"  {rule.known_problems}"]
    article = rulebook.article_for(rule)
    lines += ["", "Pasal yang dirujuk"]
    if article is None:
        lines.append("  Ringkasan pasal belum tersedia di corpus/regulations.")
    else:
        lines += [f"  {article.key} {article.regulation} — {article.title}",
                  f"  {' '.join(article.summary.split())}",
                  f"  Status: {STATUS_LABELS.get(article.status, article.status)}"
                  f" (keyakinan: {article.confidence})",
                  "  Riwayat:"]
        lines += [f"    - {v}: {article.history.get(v, 'tidak diketahui')}" for v in VERSIONS]
    lines += ["", "Contoh melanggar"]
    lines += [f"  - {_cut(example_text(e), 300)}{_example_context(e)}" for e in rule.violating]
    lines += ["", "Contoh sesuai"]
    lines += [f"  - {_cut(example_text(e), 300)}{_example_context(e)}" for e in rule.compliant]
    return "\n".join(lines)


# ---------------------------------------------------------------- RULES.md

def _anchor(rule_id: str) -> str:
    return rule_id.lower()


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


def _md_inline(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_rules_markdown(rulebook: Rulebook) -> str:
    """corpus/RULES.md: table of contents by category, then one section per rule. Deterministic."""
    rules = sorted(rulebook.rules, key=lambda r: (r.category, r.id))
    by_category: dict[str, list[Rule]] = {}
    for rule in rules:
        by_category.setdefault(rule.category, []).append(rule)
    kinds = {k: sum(1 for r in rules if r.kind == k) for k in KIND_LABELS}
    out = [
        "# Daftar aturan reviu dokumen pengadaan",
        "",
        "<!-- Dibuat otomatis oleh scripts/build_rules_md.py dari corpus/rules/*.yaml dan "
        "corpus/regulations/*.yaml. Jangan disunting langsung. -->",
        "",
        f"{len(rules)} aturan dalam {len(by_category)} kategori: "
        + ", ".join(f"{n} {KIND_LABELS[k]}" for k, n in kinds.items() if n) + ".",
        "Aturan dengan keyakinan *perlu cek* bersandar pada sumber sekunder dan ditulis sebagai "
        "\"periksa\", bukan sebagai pelanggaran.",
        "",
        "## Daftar isi",
        "",
    ]
    for category, items in by_category.items():
        links = ", ".join(f"[{r.id}](#{_anchor(r.id)})" for r in items)
        out.append(f"- **{category}**: {links}")
    for category, items in by_category.items():
        out += ["", f"## {category}"]
        for rule in items:
            out += ["", f"### {rule.id}", "", f"**{_md_inline(rule.title)}**", "",
                    "| | |", "|---|---|",
                    f"| Jenis | {KIND_LABELS.get(rule.kind, rule.kind)} (`{rule.kind}`), pemeriksaan `{rule.check}` |",
                    f"| Tingkat | {rule.severity} |",
                    f"| Berlaku untuk | {_md_inline(describe_scope(rule))} |",
                    f"| Dasar | {_md_inline(citation_line(rule))} |",
                    f"| Status pasal | {_md_inline(article_status(rule, rulebook))} |"]
            article = rulebook.article_for(rule)
            if article is not None:
                out.append(f"| Riwayat pasal | {_md_inline(history_line(article))} |")
            if rule.source.read_at:
                out.append(f"| Teks resmi | {_md_inline(rule.source.read_at)} |")
            if rule.source.note:
                out.append(f"| Catatan sumber | {_md_inline(rule.source.note)} |")
            out += ["", f"**Aturan.** {_md_inline(rule.statement)}", "",
                    f"**Mengapa.** {_md_inline(rule.why)}", "",
                    f"**Saran.** {_md_inline(rule.suggestion)}"]
            if rule.known_problems:
                out += ["", f"**Kemungkinan salah tanda.** {_md_inline(rule.known_problems)}"]
            if rule.violating:
                out += ["", "Contoh melanggar" + _example_context(rule.violating[0]) + ":", "",
                        _md_quote(example_text(rule.violating[0]))]
            if rule.compliant:
                out += ["", "Contoh sesuai" + _example_context(rule.compliant[0]) + ":", "",
                        _md_quote(example_text(rule.compliant[0]))]
    return "\n".join(out) + "\n"
