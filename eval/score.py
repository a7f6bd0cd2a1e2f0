"""Score the reviewer against the labelled evaluation set.

    python eval/score.py [--verbose] [--json out.json] [--only NAME ...] [--batch utama|uji|uji2|...|uji44]
                         [--no-embeddings]
                         [--min-recall 0.6] [--min-precision 0.6]

Runs reviewer.review.review() on every labelled document or package (building missing documents
first), matches findings to labels (see eval/matching.py) and prints TP/FP/FN, precision, recall
and F1 per kind and overall, the evidence-location accuracy and the false positives on clean
documents. Exit status: 0 (scores are reported, not asserted), 1 when below --min-recall or
--min-precision, 2 when a review raised an exception.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.evalset import (BATCHES, GENERATED_DIR, LABELS_DIR, LabelSet, generated_path,  # noqa: E402
                          load_label_sets)
from eval.matching import (MatchResult, location_accuracy, match, scores_by_kind)  # noqa: E402
from eval.taxonomy import KINDS  # noqa: E402


def document_paths(ls: LabelSet, gen_dir: Path) -> list[Path]:
    missing = [n for n in ls.documents if generated_path(n, gen_dir) is None]
    if missing:
        from eval.build import build
        build(missing, gen_dir)
    return [generated_path(n, gen_dir) for n in ls.documents]


def run_label_set(ls: LabelSet, gen_dir: Path, use_embeddings: bool) -> MatchResult:
    from reviewer.review import review

    report = review(document_paths(ls, gen_dir), package=ls.package, use_embeddings=use_embeddings)
    return match(ls.expected, report.findings, ls.debatable)


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def format_table(results: dict[str, MatchResult], sets: dict[str, LabelSet]) -> str:
    table = scores_by_kind(results.values())
    lines = [f"{'jenis':12s} {'TP':>4s} {'FP':>4s} {'FN':>4s} {'presisi':>8s} {'recall':>8s} {'F1':>8s}"]
    for kind in (*KINDS, "overall"):
        s = table[kind]
        lines.append(f"{kind:12s} {s.tp:4d} {s.fp:4d} {s.fn:4d} {_pct(s.precision):>8s} "
                     f"{_pct(s.recall):>8s} {_pct(s.f1):>8s}")
    hits, total = location_accuracy(results.values())
    lines.append("")
    lines.append(f"akurasi lokasi (halaman sama dengan label): {hits}/{total}"
                 + (f" = {100 * hits / total:.1f}%" if total else ""))
    clean_fp = [(n, f) for n, r in results.items() if sets[n].clean for f in r.spurious]
    clean_docs = sum(len(sets[n].documents) for n in results if sets[n].clean)
    lines.append(f"positif palsu pada dokumen bersih: {len(clean_fp)} (di {clean_docs} dokumen bersih)")
    for n, f in clean_fp:
        lines.append(f"  - {f.get('document')} [{f.get('rule_id')} {f.get('category')}] {_short(f.get('evidence'))}")
    ignored = sum(len(r.ignored) for r in results.values())
    lines.append(f"temuan pada label 'debatable' (tidak dihitung): {ignored}")
    return "\n".join(lines)


def _short(text: str | None, width: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_details(results: dict[str, MatchResult]) -> str:
    lines = []
    for name, r in results.items():
        if not r.missed and not r.spurious:
            continue
        lines.append(f"== {name}")
        for lab in r.missed:
            ev = " | ".join(lab.evidence) if lab.evidence else "(unsur tidak ada)"
            lines.append(f"  FN {lab.document} [{lab.category}] {_short(ev)}")
        for f in r.spurious:
            lines.append(f"  FP {f.get('document')} p.{f.get('page')} [{f.get('rule_id')} {f.get('category')}] "
                         f"{_short(f.get('evidence')) or '(tanpa kutipan)'}")
    return "\n".join(lines) if lines else "(tidak ada FN atau FP)"


def to_json(results: dict[str, MatchResult], sets: dict[str, LabelSet], errors: dict[str, str]) -> dict:
    table = scores_by_kind(results.values())
    hits, total = location_accuracy(results.values())
    per_set = {}
    for name, r in results.items():
        per_set[name] = {
            "documents": sets[name].documents, "clean": sets[name].clean,
            "matched": [{"category": lab.category, "document": lab.document, "evidence": lab.evidence,
                         "page": lab.page, "finding_page": f.get("page"), "rule_id": f.get("rule_id")}
                        for lab, f in r.matched],
            "false_negatives": [{"category": lab.category, "document": lab.document,
                                 "evidence": lab.evidence, "note": lab.note} for lab in r.missed],
            "false_positives": [{k: f.get(k) for k in ("rule_id", "category", "kind", "document", "page", "evidence")}
                                for f in r.spurious],
            "ignored": len(r.ignored),
        }
    return {"scores": {k: v.to_dict() for k, v in table.items()},
            "location": {"hits": hits, "total": total, "accuracy": hits / total if total else None},
            "clean_false_positives": sum(len(r.spurious) for n, r in results.items() if sets[n].clean),
            "sets": per_set, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Nilai hasil reviu terhadap set evaluasi berlabel.")
    ap.add_argument("--verbose", "-v", action="store_true", help="tampilkan setiap FN dan FP")
    ap.add_argument("--json", type=Path, help="tulis hasil lengkap ke berkas JSON")
    ap.add_argument("--only", nargs="*", help="hanya berkas label ini (nama tanpa .yaml)")
    ap.add_argument("--batch", choices=BATCHES,
                    help="hanya satu kelompok: utama (dipakai saat menyusun aturan) atau salah satu kelompok uji "
                         "tertutup (uji, uji2, ...; berkasnya berawalan nama kelompok diikuti '-')")
    ap.add_argument("--labels", type=Path, default=LABELS_DIR)
    ap.add_argument("--generated", type=Path, default=GENERATED_DIR)
    ap.add_argument("--no-embeddings", action="store_true", help="tanpa model embedding (leksikal saja)")
    ap.add_argument("--min-recall", type=float, help="keluar dengan status 1 bila recall keseluruhan di bawah ini")
    ap.add_argument("--min-precision", type=float, help="keluar dengan status 1 bila presisi keseluruhan di bawah ini")
    args = ap.parse_args(argv)

    sets = {ls.name: ls for ls in load_label_sets(args.labels, args.batch)
            if not args.only or ls.name in args.only}
    results: dict[str, MatchResult] = {}
    errors: dict[str, str] = {}
    for name, ls in sets.items():
        try:
            results[name] = run_label_set(ls, args.generated, not args.no_embeddings)
        except Exception as exc:  # one broken review must not hide the others' scores
            errors[name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc(file=sys.stderr)
            results[name] = MatchResult(missed=list(ls.expected))
    print(format_table(results, sets))
    if args.verbose:
        print()
        print(format_details(results))
    for name, err in errors.items():
        print(f"GAGAL {name}: {err}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(to_json(results, sets, errors), ensure_ascii=False, indent=2),
                             encoding="utf-8")
    if errors:
        return 2
    overall = scores_by_kind(results.values())["overall"]
    if args.min_recall is not None and (overall.recall or 0.0) < args.min_recall:
        print(f"recall {_pct(overall.recall)} di bawah batas {args.min_recall:.2f}", file=sys.stderr)
        return 1
    if args.min_precision is not None and (overall.precision or 0.0) < args.min_precision:
        print(f"presisi {_pct(overall.precision)} di bawah batas {args.min_precision:.2f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
