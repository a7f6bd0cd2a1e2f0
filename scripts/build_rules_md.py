#!/usr/bin/env python
"""Write corpus/RULES.md from the rule cards and article summaries.

    python scripts/build_rules_md.py           # regenerate
    python scripts/build_rules_md.py --check   # exit 1 if RULES.md is stale (used by the tests)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.errors import RulebookError  # noqa: E402
from reviewer.rules import load_rulebook  # noqa: E402
from reviewer.rules_view import render_rules_markdown  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Buat corpus/RULES.md dari berkas YAML aturan.")
    parser.add_argument("--check", action="store_true",
                        help="jangan menulis; keluar dengan kode 1 bila RULES.md tidak mutakhir")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="folder corpus")
    args = parser.parse_args(argv)
    target = args.corpus / "RULES.md"
    try:
        text = render_rules_markdown(load_rulebook(args.corpus))
    except RulebookError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if args.check:
        if current != text:
            sys.stderr.write(f"{target} tidak mutakhir; jalankan: python scripts/build_rules_md.py\n")
            return 1
        return 0
    if current != text:
        target.write_text(text, encoding="utf-8")
        print(f"{target} ditulis ({text.count(chr(10))} baris)")
    else:
        print(f"{target} sudah mutakhir")
    return 0


if __name__ == "__main__":
    sys.exit(main())
