"""Generate every evaluation document from its spec into eval/_generated/.

    python eval/build.py            # all specs
    python eval/build.py NAME ...   # only these
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.evalset import GENERATED_DIR, load_spec, spec_names  # noqa: E402


def build(names: list[str] | None = None, out_dir: Path = GENERATED_DIR) -> dict[str, Path]:
    """Write the named specs (all when None); returns spec name -> generated path."""
    from reviewer.docgen import write_document

    out_dir.mkdir(parents=True, exist_ok=True)
    built = {}
    for name in names or spec_names():
        built[name] = Path(write_document(load_spec(name), out_dir))
    return built


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Buat dokumen evaluasi dari spesifikasinya.")
    ap.add_argument("names", nargs="*", help="nama spesifikasi (default: semua)")
    ap.add_argument("--out", type=Path, default=GENERATED_DIR)
    args = ap.parse_args(argv)
    built = build(args.names or None, args.out)
    for name, path in built.items():
        print(f"{name:40s} -> {path}")
    print(f"{len(built)} dokumen dibuat di {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
