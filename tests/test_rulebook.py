"""The rulebook as data: the whole corpus loads, covers the taxonomy, cites summarised articles,
words secondary-source rules as 'periksa', keeps RULES.md fresh, and the validator rejects broken
cards naming the file and the rule. Also the plain-text views in reviewer.rules_view.

Fast: no model is loaded here (the rule examples run through the engine in test_rule_examples.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reviewer.errors import RulebookError
from reviewer.rules import CORPUS_DIR, Rulebook, load_rulebook, parse_rule
from reviewer.rules_view import (describe_when, format_rule_card, format_rule_table, list_rules,
                                 render_rules_markdown)

ROOT = Path(__file__).resolve().parent.parent
OWN_FILES = ("hps.yaml", "kontrak.yaml")

# The minimum taxonomy of DESIGN.md ("The taxonomy of categories").
TAXONOMY = """
kak.latar_belakang kak.maksud_tujuan kak.sasaran kak.lokasi kak.sumber_dana kak.perkiraan_biaya
kak.ruang_lingkup kak.jangka_waktu kak.spesifikasi kak.keluaran kak.tenaga_ahli kak.pelaporan kak.tkdn
hps.rincian hps.ppn hps.total hps.sumber_harga hps.tanggal hps.penetapan
kontrak.para_pihak kontrak.ruang_lingkup kontrak.nilai kontrak.jenis_kontrak kontrak.jangka_waktu
kontrak.pembayaran kontrak.denda kontrak.jaminan_pelaksanaan kontrak.keadaan_kahar kontrak.pemutusan
kontrak.penyelesaian_perselisihan kontrak.serah_terima kontrak.perubahan kontrak.hak_kewajiban
kontrak.sumber_dana
risk.merek risk.diskriminatif risk.referensi_usang risk.sepihak risk.lingkup_kabur risk.pemecahan_paket
risk.pdn risk.umk risk.pembayaran_dimuka
number.terbilang number.aritmetika number.ppn number.denda number.jaminan_pelaksanaan number.uang_muka
number.adendum number.retensi number.ambang_metode number.bentuk_kontrak number.jaminan_penawaran
number.tahun_anggaran
consistency.nilai consistency.jangka_waktu consistency.volume consistency.jenis_kontrak
""".split()


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook()


def own_rules(book: Rulebook):
    return [r for r in book.rules if r.file in OWN_FILES]


# ---------------------------------------------------------------- the corpus as a whole

def test_whole_corpus_loads(book):
    assert len(book.rules) >= 35
    assert len({r.id for r in book.rules}) == len(book.rules)
    assert book.articles, "tidak ada ringkasan pasal di corpus/regulations"


def test_own_files_cover_their_categories(book):
    cats = {r.category for r in own_rules(book)}
    wanted = {c for c in TAXONOMY if c.split(".")[0] in ("hps", "kontrak")}
    wanted |= {"risk.sepihak", "risk.pembayaran_dimuka"}
    assert wanted <= cats, f"kategori tanpa aturan: {sorted(wanted - cats)}"
    assert len(own_rules(book)) >= 35


def test_every_taxonomy_category_has_a_rule(book):
    # Passes only once every author's file is in: that is the point.
    cats = {r.category for r in book.rules}
    missing = [c for c in TAXONOMY if c not in cats]
    assert not missing, f"kategori taksonomi tanpa aturan: {missing}"


def _regulation_key(text: str) -> tuple[str, str] | None:
    """('Perpres', '16/2018') from 'Perpres 16/2018 sebagaimana diubah ...'; tells Perpres 12/2021
    from Perlem 12/2021."""
    m = re.search(r"([A-Za-z]+)(?: LKPP)? (\d+/\d{4})", text)
    return (m.group(1).lower(), m.group(2)) if m else None


def test_every_cited_article_has_a_summary(book):
    problems = []
    for rule in book.rules:
        article = book.article_for(rule)
        if article is None:
            problems.append(f"{rule.file} {rule.id}: tidak ada ringkasan untuk "
                            f"{rule.source.article} {rule.source.regulation}")
        elif _regulation_key(article.regulation) != _regulation_key(rule.source.regulation):
            # the summaries are keyed by article only, so two regulations' 'Pasal 7' collide
            problems.append(f"{rule.file} {rule.id}: ringkasan {article.key} milik {article.regulation}, "
                            f"bukan {rule.source.regulation}")
    assert not problems, "\n".join(problems)


def test_article_summaries_are_complete(book):
    for article in book.articles.values():
        assert article.confidence in ("pasti", "perlu-cek"), article.key
        for version in ("16/2018", "12/2021", "46/2025"):
            assert article.history.get(version), f"{article.file} {article.key}: riwayat {version} kosong"
        assert 20 <= len(article.summary) <= 700, f"{article.key}: ringkasan 1-3 kalimat"


def test_changed_articles_of_46_2025_are_summarised(book):
    # regulations.md section 9: the articles the second amendment is reported to change
    for key in ("pasal 1", "pasal 26 ayat (7)", "pasal 28 ayat (4)", "pasal 33 ayat (2)", "pasal 66",
                "pasal 78 ayat (3)"):
        article = book.articles.get(key)
        assert article is not None, key
        assert article.status == "diubah" and "diubah" in article.history["46/2025"], key
    # the brand exceptions changed in 2021; the 2025 wording is unconfirmed and must say so
    brand = book.articles["pasal 19 ayat (2)"]
    assert brand.status == "diubah" and "diubah" in brand.history["12/2021"]
    assert "tidak diketahui" in brand.history["46/2025"]


def test_perlu_cek_rules_never_say_melanggar(book):
    for rule in book.rules:
        if not rule.soft:
            continue
        for field in (rule.title, rule.statement, rule.why, rule.suggestion):
            assert not re.search(r"\bmelanggar\b", field, re.I), f"{rule.id} menyatakan 'melanggar'"
        assert re.search(r"\bperiksa\b", rule.statement, re.I), f"{rule.id}: pernyataan perlu 'periksa'"


def test_patterns_have_no_nested_unbounded_quantifiers(book):
    # catastrophic backtracking comes from (x+)+ shapes; bounded {0,80} inside a group is fine
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants as C
        import sre_parse

    def unbounded(items) -> bool:
        for op, av in items:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT) and (av[1] == C.MAXREPEAT or unbounded(av[2])):
                return True
            if op == C.SUBPATTERN and unbounded(av[-1]):
                return True
            if op == C.BRANCH and any(unbounded(b) for b in av[1]):
                return True
        return False

    def nested(items) -> bool:
        for op, av in items:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT):
                if (av[1] == C.MAXREPEAT and unbounded(av[2])) or nested(av[2]):
                    return True
            elif op == C.SUBPATTERN and nested(av[-1]):
                return True
            elif op == C.BRANCH and any(nested(b) for b in av[1]):
                return True
        return False

    bad = [(r.id, p) for r in book.rules for p in r.patterns + r.unless if nested(sre_parse.parse(p))]
    assert not bad, bad


def test_rules_md_is_fresh():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_rules_md.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- our own cards, lexically

def _clauses(text: str) -> list[str]:
    """Lines, then sentences: a coarse stand-in for reviewer.segment, enough for clause-level regexes."""
    out = []
    for line in text.split("\n"):
        out += [s for s in re.split(r"(?<=[.!?;])\s+(?=[A-Z(0-9])", line) if s.strip()]
    return out


def _lexical_hit(rule, text: str) -> bool:
    if any(any(p.search(c) for p in rule.compiled) and not any(u.search(c) for u in rule.compiled_unless)
           for c in _clauses(text)):
        return True
    if rule.kind != "missing" or not (rule.params.get("section") or rule.params.get("section_pattern")):
        return False
    # a required element may also be a named section with content (reviewer.checks.element), which
    # needs the real segmentation
    from reviewer.checks.element import _phrases, section_present
    from reviewer.review import text_document
    from reviewer.segment import segment

    clauses = segment(text_document(text, "contoh.txt"))
    return section_present(_phrases(rule.params.get("section")), clauses, _phrases(rule.params.get("section_pattern")))


def test_own_cards_are_well_formed(book):
    for rule in own_rules(book):
        assert len(rule.violating) >= 3 and len(rule.compliant) >= 3, rule.id
        assert rule.known_problems, rule.id
        assert rule.patterns, rule.id
        if rule.kind == "missing":
            assert 2 <= len(rule.exemplars) <= 8, rule.id
        texts = [e.text for e in rule.violating + rule.compliant]
        assert len(set(texts)) == len(texts), f"{rule.id}: contoh ganda"


def test_own_examples_decided_by_patterns(book):
    """Without any retrieval: a risk pattern fires on every violating example and on no compliant
    one; a missing element's pattern finds it in every compliant example (unless the rule's `when`
    rules the example out) and in no violating one. Retrieval can only add to this."""
    from reviewer.checks.base import conditions_hold
    from reviewer.model import Fact

    failures = []
    for rule in own_rules(book):
        expect_hit = {"violating": rule.kind != "missing", "compliant": rule.kind == "missing"}
        for label, examples in (("violating", rule.violating), ("compliant", rule.compliant)):
            for ex in examples:
                facts = {k: Fact(name=k, value=v, text="") for k, v in ex.facts}
                if ex.facts and not conditions_hold(rule.when, facts):
                    assert label == "compliant", f"{rule.id}: contoh melanggar di luar 'when'"
                    continue
                if _lexical_hit(rule, ex.text) != expect_hit[label]:
                    failures.append(f"{rule.id} {label}: {ex.text[:80]}")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------- validator

GOOD_CARD = """
  - id: KONTRAK-UJI-01
    title: Kartu uji
    category: kontrak.denda
    kind: risk
    severity: sedang
    applies_to: [kontrak]
    source: {regulation: Perpres 16/2018, article: Pasal 79 ayat (4), version: 16/2018, confidence: pasti}
    statement: Pernyataan uji.
    why: Alasan uji.
    suggestion: Saran uji.
    known_problems: Tidak ada.
    patterns: ['\\bdenda sesuka hati\\b']
    examples:
      violating: ["Denda sesuka hati PPK.", "Penyedia didenda sesuka hati."]
      compliant: ["Denda keterlambatan 1 permil per hari.", "Tidak ada denda lain."]
"""


def _corpus(tmp_path: Path, *cards: str, files: dict[str, str] | None = None) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (tmp_path / "regulations").mkdir()
    for name, body in (files or {"uji.yaml": "rules:" + "".join(cards)}).items():
        (rules / name).write_text(body, encoding="utf-8")
    return tmp_path


def test_validator_accepts_a_good_card(tmp_path):
    book = load_rulebook(_corpus(tmp_path, GOOD_CARD))
    assert [r.id for r in book.rules] == ["KONTRAK-UJI-01"]


@pytest.mark.parametrize("mutate,reason", [
    (lambda c: c.replace("    why: Alasan uji.\n", ""), "why"),
    (lambda c: c.replace("\\bdenda sesuka hati\\b", "denda (sesuka"), "regex"),
    (lambda c: c.replace("version: 16/2018", "version: 16/2019"), "version"),
    (lambda c: c.replace(', "Penyedia didenda sesuka hati."', ""), "minimal 2"),
    (lambda c: c.replace("kontrak.denda", "lainnya.denda"), "kategori"),
    (lambda c: c.replace("KONTRAK-UJI-01", "kontrak uji"), "id"),
])
def test_validator_rejects_broken_cards_with_file_and_rule(tmp_path, mutate, reason):
    broken = mutate(GOOD_CARD)
    assert broken != GOOD_CARD, "mutasi tidak mengubah kartu"
    with pytest.raises(RulebookError) as err:
        load_rulebook(_corpus(tmp_path, broken))
    message = str(err.value)
    assert "uji.yaml" in message
    assert reason in message
    if reason != "id":
        assert "KONTRAK-UJI-01" in message


def test_validator_rejects_duplicate_ids_across_files(tmp_path):
    corpus = _corpus(tmp_path, files={"a.yaml": "rules:" + GOOD_CARD, "b.yaml": "rules:" + GOOD_CARD})
    with pytest.raises(RulebookError) as err:
        load_rulebook(corpus)
    assert "b.yaml" in str(err.value) and "KONTRAK-UJI-01" in str(err.value) and "a.yaml" in str(err.value)


def test_validator_rejects_melanggar_in_a_perlu_cek_rule(tmp_path):
    raw = GOOD_CARD.replace("confidence: pasti", "confidence: perlu-cek").replace(
        "Pernyataan uji.", "Klausul ini melanggar Perpres.")
    with pytest.raises(RulebookError, match="periksa"):
        load_rulebook(_corpus(tmp_path, raw))


def test_validator_names_the_line_of_bad_yaml(tmp_path):
    with pytest.raises(RulebookError, match="baris"):
        load_rulebook(_corpus(tmp_path, files={"rusak.yaml": "rules:\n  - id: [tidak ditutup\n"}))


def test_parse_rule_reads_examples_with_facts():
    import yaml
    raw = yaml.safe_load(GOOD_CARD)[0]
    raw["examples"]["violating"][0] = {"text": "Denda sesuka hati.", "doc_type": "kontrak",
                                       "facts": {"nilai_kontrak": 250000000}}
    rule = parse_rule(raw, "uji.yaml")
    assert rule.violating[0].facts_dict == {"nilai_kontrak": 250000000}
    assert rule.check == "pattern"


# ---------------------------------------------------------------- views

def test_list_rules_filters(book):
    kontrak = list_rules(book, category="kontrak")
    assert kontrak and all(r.category.startswith("kontrak.") for r in kontrak)
    assert [r.id for r in list_rules(book, category="kontrak.keadaan_kahar")] == ["KONTRAK-KAHAR-01"]
    sepihak = list_rules(book, category="risk.sepihak", kind="risk")
    assert len(sepihak) >= 7
    hps_docs = list_rules(book, doc_type="hps", kind="missing")
    assert {r.category for r in hps_docs} >= {"hps.ppn", "hps.total", "hps.tanggal"}
    pasal26 = list_rules(book, article="Pasal 26")
    assert {"HPS-PPN-01", "HPS-RAHASIA-01"} <= {r.id for r in pasal26}
    assert all(r.source.article.startswith("Pasal 26") for r in pasal26)
    assert {r.id for r in list_rules(book, article="26")} == {r.id for r in pasal26}
    assert [r.id for r in list_rules(book, article="Pasal 26 ayat (3)")] == ["HPS-RAHASIA-01"]
    assert not any(r.source.article.startswith("Pasal 26") for r in list_rules(book, article="Pasal 2"))
    assert list_rules(book, category="tidak.ada") == []


def test_format_rule_table(book):
    rules = list_rules(book, category="hps")
    table = format_rule_table(rules)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["ID", "KATEGORI", "JENIS"]
    assert all(r.id in table for r in rules)
    assert f"{len(rules)} aturan" in table
    assert "HPS-SUMBER-01" in next(line for line in lines if "*" in line and "HPS-SUMBER-01" in line)
    assert format_rule_table([]) == "Tidak ada aturan yang cocok dengan saringan."


def test_format_rule_card_shows_article_and_history(book):
    card = format_rule_card(book.by_id("KONTRAK-JAMINAN-01"), book)
    for label in ("Kategori", "Berlaku untuk", "Dasar", "Aturan", "Mengapa penting", "Saran perbaikan",
                  "Kemungkinan salah tanda", "Pasal yang dirujuk", "Riwayat:", "Contoh melanggar",
                  "Contoh sesuai"):
        assert label in card, label
    assert "Pasal 33 ayat (1) Perpres 16/2018" in card
    assert "nilai paling sedikit Rp200.000.001" in card
    assert "- 46/2025: tetap (dilaporkan)" in card
    assert "nilai_kontrak=625000000" in card


def test_format_rule_card_without_summary():
    book = load_rulebook(CORPUS_DIR)
    bare = Rulebook(rules=book.rules, articles={}, version="x")
    assert "Ringkasan pasal belum tersedia" in format_rule_card(book.by_id("HPS-PPN-01"), bare)


def test_describe_when():
    assert describe_when({}) == ""
    assert describe_when({"metode": ["tender", "seleksi"], "nilai_max": 200000000}) == \
        "metode: tender, seleksi; nilai paling banyak Rp200.000.000"


def test_rules_markdown_lists_every_rule_once(book):
    md = render_rules_markdown(book)
    for rule in book.rules:
        assert md.count(f"\n### {rule.id}\n") == 1, rule.id
        assert f"(#{rule.id.lower()})" in md
    assert md == render_rules_markdown(book), "keluaran harus deterministik"


def test_build_script_check_detects_staleness(tmp_path):
    corpus = _corpus(tmp_path, GOOD_CARD)
    script = str(ROOT / "scripts" / "build_rules_md.py")
    stale = subprocess.run([sys.executable, script, "--check", "--corpus", str(corpus)],
                           capture_output=True, text=True)
    assert stale.returncode == 1 and "tidak mutakhir" in stale.stderr
    subprocess.run([sys.executable, script, "--corpus", str(corpus)], check=True, capture_output=True)
    assert "KONTRAK-UJI-01" in (corpus / "RULES.md").read_text(encoding="utf-8")
    fresh = subprocess.run([sys.executable, script, "--check", "--corpus", str(corpus)],
                           capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    (corpus / "rules" / "uji.yaml").write_text(
        textwrap.dedent("rules:" + GOOD_CARD.replace("Kartu uji", "Kartu uji diubah")), encoding="utf-8")
    again = subprocess.run([sys.executable, script, "--check", "--corpus", str(corpus)],
                           capture_output=True, text=True)
    assert again.returncode == 1
