"""The labelled evaluation set is well formed, and its scorer matches findings the way it says.

The set itself: every label file names existing specs, uses categories of the taxonomy, quotes
evidence that really occurs in its document (in the spec, and in the text the reviewer extracts
from the generated file, on the labelled page), and the set has the size and mix it promises.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.evalset import (Label, load_label_sets, load_spec, spec_names, spec_units)  # noqa: E402
from eval.matching import (evidence_matches, location_accuracy, match, normalise,  # noqa: E402
                           scores_by_kind)
from eval.taxonomy import CATEGORIES, KINDS, kind_of  # noqa: E402

SETS = load_label_sets()
SPECS = {name: load_spec(name) for name in spec_names()}


def all_labels():
    for ls in SETS:
        for lab in ls.expected + ls.debatable:
            yield ls, lab


# --- the set --------------------------------------------------------------------------------

def test_every_spec_is_labelled_exactly_once():
    used = Counter(d for ls in SETS for d in ls.documents)
    assert set(used) == set(SPECS), set(used) ^ set(SPECS)
    assert all(n == 1 for n in used.values()), [d for d, n in used.items() if n > 1]


def test_categories_and_kinds_come_from_the_taxonomy():
    for ls, lab in all_labels():
        assert lab.category in CATEGORIES, (ls.name, lab.category)
        assert lab.kind in KINDS and lab.kind == kind_of(lab.category), (ls.name, lab.category, lab.kind)
        assert lab.document in ls.documents, (ls.name, lab.document)


def test_missing_labels_have_no_evidence_and_others_do():
    for ls in SETS:
        for lab in ls.expected:
            if lab.kind == "missing":
                assert not lab.evidence, (ls.name, lab.category)
            else:
                assert lab.evidence, (ls.name, lab.category)


def test_a_missing_element_is_labelled_once_per_document():
    for ls in SETS:
        keys = [(lab.document, lab.category) for lab in ls.expected if lab.kind == "missing"]
        assert len(keys) == len(set(keys)), ls.name


def test_clean_sets_expect_nothing():
    for ls in SETS:
        if ls.clean:
            assert ls.expected == [], ls.name


def test_set_size_and_mix():
    formats = Counter(spec["format"] for spec in SPECS.values())
    assert len(SPECS) >= 24
    assert formats["pdf"] >= 6 and formats["docx"] >= 6 and formats["xlsx"] >= 4 and formats["scan_pdf"] >= 1
    packages = [ls for ls in SETS if ls.package]
    assert len(packages) >= 3 and all(len(ls.documents) >= 3 for ls in packages)
    clean_docs = sum(len(ls.documents) for ls in SETS if ls.clean)
    assert clean_docs >= 4
    expected = [lab for ls in SETS for lab in ls.expected]
    kinds = Counter(lab.kind for lab in expected)
    assert all(kinds[k] >= 4 for k in KINDS), kinds
    assert len({lab.category for lab in expected}) >= 30
    doc_kinds = Counter(name.split("-")[0] for name in SPECS)
    assert doc_kinds["kak"] + doc_kinds["spek"] >= 8 and doc_kinds["hps"] >= 5
    assert doc_kinds["spk"] + doc_kinds["kontrak"] >= 8


def test_label_evidence_sits_inside_one_unit_of_its_spec():
    """A quote must be in one paragraph, list item or cell: a finding quotes a sentence or a row."""
    for ls, lab in all_labels():
        units = [normalise(u) for d in (ls.documents if lab.kind == "consistency" else [lab.document])
                 for u in spec_units(SPECS[d])]
        for ev in lab.evidence:
            assert any(normalise(ev) in u for u in units), (ls.name, lab.category, ev)


# --- the generated documents --------------------------------------------------------------

def _generated(tmp_path_factory, names):
    from eval.build import build
    out = tmp_path_factory.getbasetemp() / "eval_generated"
    return build(names, out)


@pytest.fixture(scope="module")
def loaded_text_documents(tmp_path_factory):
    from reviewer.ingest import load
    names = [n for n, s in SPECS.items() if s["format"] != "scan_pdf"]
    return {n: load(p, ocr=False) for n, p in _generated(tmp_path_factory, names).items()}


def _check_evidence_in_documents(docs: dict, names: list[str]):
    checked = 0
    for ls, lab in all_labels():
        targets = ls.documents if lab.kind == "consistency" else [lab.document]
        targets = [t for t in targets if t in names]
        for ev in lab.evidence:
            hits = []
            for t in targets:
                text = docs[t].text
                flat = normalise(text)
                if normalise(ev) in flat:
                    hits.append(t)
            if not targets:
                continue
            assert hits, (ls.name, lab.category, ev)
            checked += 1
            if lab.page is not None and lab.kind != "consistency":
                doc = docs[lab.document]
                assert lab.page in _pages_of(doc, ev), (ls.name, lab.category, ev, lab.page)
    return checked


def _pages_of(doc, evidence: str) -> set[int]:
    """Pages where the evidence's first words occur (whitespace may differ in extracted text)."""
    import re
    words = evidence.split()[:4]
    pattern = r"\s+".join(re.escape(w) for w in words)
    return {doc.page_at(m.start()) for m in re.finditer(pattern, doc.text, re.IGNORECASE)}


def test_label_evidence_occurs_in_extracted_text(loaded_text_documents):
    assert _check_evidence_in_documents(loaded_text_documents, list(loaded_text_documents)) >= 40


@pytest.mark.slow
def test_label_evidence_survives_ocr_of_the_scanned_document(tmp_path_factory):
    from reviewer.ingest import load
    names = [n for n, s in SPECS.items() if s["format"] == "scan_pdf"]
    docs = {n: load(p, ocr=True) for n, p in _generated(tmp_path_factory, names).items()}
    assert _check_evidence_in_documents(docs, names) >= 1


# --- the matcher --------------------------------------------------------------------------

def _finding(category, evidence="", document="kak-a.pdf", page=None, kind=None, related=None):
    return {"rule_id": "X-01", "category": category, "kind": kind or kind_of(category),
            "document": document, "page": page, "evidence": evidence, "related": related or []}


def _label(category, evidence=(), document="kak-a", page=None):
    return Label(category=category, kind=kind_of(category), document=document, evidence=list(evidence), page=page)


def test_evidence_matching_is_containment_or_large_overlap():
    assert evidence_matches("Merek  Lenovo ThinkPad", "Laptop merek lenovo thinkpad seri T14, 28 unit")
    assert evidence_matches("\u201cPerpres 54\u201d", '"perpres 54" tahun 2010')
    # the finding quotes most of the label's sentence but cuts it short
    assert evidence_matches("dibagi menjadi 3 (tiga) paket Pengadaan Langsung per gedung",
                            "pekerjaan dibagi menjadi 3 (tiga) paket Pengadaan Langsung")
    assert not evidence_matches("Perpres 54 Tahun 2010", "Perpres 16 Tahun 2018")
    assert not evidence_matches("denda 1/100", "")


def test_match_counts_hits_misses_duplicates_and_debatable():
    labels = [_label("risk.merek", ["Lenovo ThinkPad"], page=2), _label("kak.jangka_waktu"),
              _label("number.ppn", ["PPN 10%"])]
    debatable = [_label("risk.merek", ["Epson L3250"])]
    findings = [
        _finding("risk.merek", "Laptop merek Lenovo ThinkPad seri T14", page=2),
        _finding("risk.merek", "Laptop merek Lenovo ThinkPad seri T14 (lagi)", page=2),  # duplicate: FP
        _finding("risk.merek", "contoh Epson L3250 atau setara"),  # debatable: ignored
        _finding("kak.jangka_waktu"),
        _finding("kak.jangka_waktu", document="kak-b.pdf"),  # other document: FP
        _finding("number.ppn", "PPN 11%"),  # wrong evidence: FP, and the label is a miss
    ]
    r = match(labels, findings, debatable)
    assert [lab.category for lab, _ in r.matched] == ["risk.merek", "kak.jangka_waktu"]
    assert [lab.category for lab in r.missed] == ["number.ppn"]
    assert len(r.spurious) == 3 and len(r.ignored) == 1
    table = scores_by_kind([r])
    assert (table["risk"].tp, table["risk"].fp, table["risk"].fn) == (1, 1, 0)
    assert (table["number"].tp, table["number"].fp, table["number"].fn) == (0, 1, 1)
    assert (table["overall"].tp, table["overall"].fp, table["overall"].fn) == (2, 3, 1)
    assert table["overall"].precision == pytest.approx(2 / 5)
    assert table["overall"].recall == pytest.approx(2 / 3)
    assert location_accuracy([r]) == (1, 1)


def test_match_is_a_maximum_matching_not_first_come():
    # finding 0 fits both labels, finding 1 fits only the first: both labels must be hit
    labels = [_label("risk.sepihak", ["tanpa alasan"]), _label("risk.sepihak", ["memutuskan Kontrak"])]
    findings = [_finding("risk.sepihak", "PPK dapat memutuskan Kontrak tanpa alasan"),
                _finding("risk.sepihak", "diputus tanpa alasan apa pun")]
    r = match(labels, findings)
    assert len(r.matched) == 2 and not r.spurious and not r.missed


def test_consistency_labels_match_either_side_and_any_document():
    lab = Label(category="consistency.nilai", kind="consistency", document="spk-x",
                evidence=["Rp 184.260.000", "Total HPS"])
    f = _finding("consistency.nilai", "Nilai SPK Rp 184.260.000 termasuk PPN", document="hps-x.xlsx")
    assert len(match([lab], [f]).matched) == 1
    g = _finding("consistency.nilai", "Jumlah", document="spk-x.pdf",
                 related=[{"document": "hps-x.xlsx", "evidence": "TOTAL HPS 178.710.000"}])
    assert len(match([lab], [g]).matched) == 1


def test_scorer_json_and_thresholds(tmp_path, monkeypatch):
    """The CLI reports scores, writes JSON and exits 1 only when a threshold is not met."""
    import json

    import eval.score as score
    from eval.matching import MatchResult

    def fake_run(ls, gen_dir, use_embeddings):
        # a reviewer that finds exactly the first expected label of each set and one false positive
        res = MatchResult()
        if ls.expected:
            res.matched.append((ls.expected[0], {"page": ls.expected[0].page}))
            res.missed.extend(ls.expected[1:])
        res.spurious.append(_finding("risk.merek", "x", document=ls.documents[0] + ".pdf"))
        return res

    monkeypatch.setattr(score, "run_label_set", fake_run)
    out = tmp_path / "s.json"
    assert score.main(["--json", str(out), "--verbose"]) == 0
    data = json.loads(out.read_text())
    overall = data["scores"]["overall"]
    n_expected = sum(len(ls.expected) for ls in SETS)
    n_sets_with_labels = sum(1 for ls in SETS if ls.expected)
    assert overall["tp"] == n_sets_with_labels and overall["fn"] == n_expected - n_sets_with_labels
    assert overall["fp"] == len(SETS)
    assert data["clean_false_positives"] == sum(1 for ls in SETS if ls.clean)
    assert score.main(["--min-recall", "0.99"]) == 1
    assert score.main(["--min-precision", "0.99"]) == 1
    assert score.main(["--min-recall", "0.1", "--min-precision", "0.1"]) == 0


def test_batch_option_scores_only_the_held_out_sets(tmp_path, monkeypatch):
    """--batch uji runs exactly the label sets named uji-*, --batch utama exactly the others, and
    every held-out batch owns exactly its prefix ("uji2-x" is not "uji", "uji-x" is not "uji2")."""
    import json

    import eval.score as score
    from eval.evalset import BATCH_PREFIXES, in_batch
    from eval.matching import MatchResult

    assert in_batch("kak-laptop-dinkes", "utama") and in_batch("kak-laptop-dinkes", None)
    for batch, prefix in BATCH_PREFIXES.items():
        name = f"{prefix}kak-x"
        assert in_batch(name, batch) and in_batch(name, None) and not in_batch(name, "utama"), name
        assert not in_batch("kak-laptop-dinkes", batch)
        assert [b for b in BATCH_PREFIXES if in_batch(name, b)] == [batch], name
    with pytest.raises(ValueError):
        in_batch("uji-kak-x", "lain")

    seen: list[str] = []

    def fake_run(ls, gen_dir, use_embeddings):
        seen.append(ls.name)
        return MatchResult(missed=list(ls.expected))

    monkeypatch.setattr(score, "run_label_set", fake_run)
    out = tmp_path / "s.json"
    held_out = 0
    for batch, prefix in BATCH_PREFIXES.items():
        seen.clear()
        assert score.main(["--batch", batch, "--json", str(out)]) == 0
        names = sorted(ls.name for ls in SETS if ls.name.startswith(prefix))
        assert names and sorted(seen) == names, batch
        assert sorted(json.loads(out.read_text())["sets"]) == names
        held_out += len(names)
    seen.clear()
    assert score.main(["--batch", "utama"]) == 0
    assert seen and not any(n.startswith(tuple(BATCH_PREFIXES.values())) for n in seen)
    assert len(seen) + held_out == len(SETS)


def _held_out_batch(prefix: str) -> tuple[list, list[str]]:
    """The label sets and documents of one held-out batch, checking that its names keep it apart:
    its sets review only its documents, and no other set reviews one of them."""
    held = [ls for ls in SETS if ls.name.startswith(prefix)]
    docs = [d for ls in held for d in ls.documents]
    assert all(d.startswith(prefix) for d in docs)
    assert not [ls.name for ls in SETS if not ls.name.startswith(prefix)
                and any(d.startswith(prefix) for d in ls.documents)]
    return held, docs


def _assert_one_package_with_two_inconsistencies(held: list) -> None:
    packages = [ls for ls in held if ls.package]
    assert len(packages) == 1 and len(packages[0].documents) == 3
    package_kinds = {lab.category for lab in packages[0].expected if lab.kind == "consistency"}
    assert len(package_kinds) >= 2, package_kinds


def test_held_out_batch_has_its_promised_mix():
    """Ten or more documents of every type, a package, at least two clean sets, every kind labelled,
    and specs and labels that share the uji- prefix (so --batch can tell the two batches apart)."""
    held, docs = _held_out_batch("uji-")
    assert len(docs) >= 10
    assert any(ls.package and len(ls.documents) >= 3 for ls in held)
    assert sum(1 for ls in held if ls.clean) >= 2
    kinds = Counter(lab.kind for ls in held for lab in ls.expected)
    assert all(kinds[k] >= 2 for k in KINDS), kinds
    formats = Counter(SPECS[d]["format"] for d in docs)
    assert formats["pdf"] >= 3 and formats["docx"] >= 3 and formats["xlsx"] >= 2


def test_second_held_out_batch_has_its_promised_mix():
    """uji2: twelve documents (four KAK, two HPS, three contracts, one three-document package),
    at least three clean, every format, every kind labelled, and names that keep it apart."""
    held, docs = _held_out_batch("uji2-")
    assert len(docs) == 12
    _assert_one_package_with_two_inconsistencies(held)
    assert sum(len(ls.documents) for ls in held if ls.clean) >= 3
    expected = [lab for ls in held for lab in ls.expected]
    assert 30 <= len(expected) <= 40, len(expected)
    kinds = Counter(lab.kind for lab in expected)
    assert all(kinds[k] >= 3 for k in KINDS), kinds
    formats = Counter(SPECS[d]["format"] for d in docs)
    assert all(formats[f] >= 1 for f in ("pdf", "docx", "xlsx", "scan_pdf")), formats
    types = Counter(d.split("-")[1] for d in docs)
    assert types["kak"] == 5 and types["hps"] == 3 and types["spk"] + types["kontrak"] == 4, types


# uji3: ten documents (four KAK, three HPS, three contracts counting the package's); uji4 to uji6:
# twelve (five KAK, three HPS, four contracts) and a scan. Each: one three-document package with two
# kinds of inconsistency, at least three clean documents, 25-35 expected labels, every kind at
# least three times, and PDF, DOCX and XLSX at least twice.
LATER_BATCHES = {"uji3-": (10, 4, 3, 3, 0), "uji4-": (12, 5, 3, 4, 1), "uji5-": (12, 5, 3, 4, 1),
                 "uji6-": (12, 5, 3, 4, 1), "uji7-": (12, 5, 3, 4, 1),
                 "uji8-": (12, 5, 3, 4, 1), "uji9-": (12, 5, 3, 4, 1),
                 "uji10-": (12, 5, 3, 4, 1), "uji11-": (12, 5, 3, 4, 1),
                 "uji12-": (12, 5, 3, 4, 1), "uji13-": (12, 5, 3, 4, 1),
                 "uji14-": (12, 5, 3, 4, 1), "uji15-": (12, 5, 3, 4, 1),
                 "uji16-": (12, 5, 3, 4, 1), "uji17-": (12, 5, 3, 4, 1),
                 "uji18-": (12, 5, 3, 4, 1), "uji19-": (12, 5, 3, 4, 1),
                 "uji20-": (12, 5, 3, 4, 1), "uji21-": (12, 5, 3, 4, 1),
                 "uji22-": (12, 5, 3, 4, 1), "uji23-": (12, 5, 3, 4, 1),
                 "uji24-": (12, 5, 3, 4, 1),
                 "uji25-": (12, 5, 3, 4, 1), "uji26-": (12, 5, 3, 4, 1),
                 "uji27-": (12, 5, 3, 4, 1), "uji28-": (12, 5, 3, 4, 1),
                 "uji29-": (12, 5, 3, 4, 1), "uji30-": (12, 5, 3, 4, 1),
                 "uji31-": (12, 5, 3, 4, 1), "uji32-": (12, 5, 3, 4, 1),
                 "uji33-": (12, 5, 3, 4, 1), "uji34-": (12, 5, 3, 4, 1),
                 "uji35-": (12, 5, 3, 4, 1), "uji36-": (12, 5, 3, 4, 1),
                 "uji37-": (12, 5, 3, 4, 1), "uji38-": (12, 5, 3, 4, 1),
                 "uji39-": (12, 5, 3, 4, 1), "uji40-": (12, 5, 3, 4, 1),
                 "uji41-": (12, 5, 3, 4, 1), "uji42-": (12, 5, 3, 4, 1),
                 "uji43-": (12, 5, 3, 4, 1), "uji44-": (12, 5, 3, 4, 1)}


@pytest.mark.parametrize("prefix", sorted(LATER_BATCHES))
def test_later_held_out_batches_have_their_promised_mix(prefix):
    n_docs, n_kak, n_hps, n_contracts, n_scans = LATER_BATCHES[prefix]
    held, docs = _held_out_batch(prefix)
    assert len(docs) == n_docs
    _assert_one_package_with_two_inconsistencies(held)
    assert sum(len(ls.documents) for ls in held if ls.clean) >= 3
    expected = [lab for ls in held for lab in ls.expected]
    assert 25 <= len(expected) <= 35, len(expected)
    kinds = Counter(lab.kind for lab in expected)
    assert all(kinds[k] >= 3 for k in KINDS), kinds
    formats = Counter(SPECS[d]["format"] for d in docs)
    assert all(formats[f] >= 2 for f in ("pdf", "docx", "xlsx")) and formats["scan_pdf"] >= n_scans, formats
    types = Counter(d.split("-")[1] for d in docs)
    assert (types["kak"], types["hps"], types["spk"] + types["kontrak"]) == (n_kak, n_hps, n_contracts), types


# --- the training gallery (corpus/examples) -----------------------------------------------

GALLERY_DIR = ROOT / "corpus" / "examples"
GALLERY = {p.stem: __import__("yaml").safe_load(p.read_text(encoding="utf-8"))
           for p in sorted(GALLERY_DIR.glob("*.yaml"))}


def test_gallery_entries_are_complete():
    assert 6 <= len(GALLERY) <= 8
    assert any(not g["problems"] for g in GALLERY.values()), "perlu paling sedikit satu contoh yang baik"
    assert sum(1 for g in GALLERY.values() if g["problems"]) >= 4
    for name, g in GALLERY.items():
        assert g["level"] in ("dasar", "menengah", "lanjut"), name
        assert g["title"].strip() and len(g["description"]) > 80, name
        assert g["spec"]["name"] == name, name
        assert not (set(g["spec"]["name"].split("-")) >= {"eval"}), name
        for prob in g["problems"]:
            assert prob["category"] in CATEGORIES, (name, prob["category"])
            assert len(prob["explanation"]) > 100 and "Pasal" in prob["explanation"], (name, prob["category"])
            units = [normalise(u) for u in spec_units(g["spec"])]
            assert any(normalise(prob["evidence"]) in u for u in units), (name, prob["evidence"])


def test_gallery_is_not_a_copy_of_the_evaluation_set():
    eval_units = {normalise(u) for spec in SPECS.values() for u in spec_units(spec) if len(u) > 60}
    for name, g in GALLERY.items():
        shared = [u for u in spec_units(g["spec"]) if normalise(u) in eval_units]
        assert not shared, (name, shared[:2])


def test_gallery_documents_build_and_quote_their_text(tmp_path):
    from reviewer.docgen import write_document
    from reviewer.ingest import load
    for name, g in GALLERY.items():
        doc = load(write_document(g["spec"], tmp_path), ocr=False)
        for prob in g["problems"]:
            assert normalise(prob["evidence"]) in normalise(doc.text), (name, prob["evidence"])
