"""What `reviewer extract` shows: the document's type, facts with their evidence, and its clauses.

Plain text for the terminal (Bahasa Indonesia) and a dict for `--format json`.
"""

from __future__ import annotations

from dataclasses import asdict

from .model import MONEY_FACTS, Clause, Document, Fact
from .numbers import format_rupiah

DOC_TYPE_NAMES = {
    "kak": "KAK / kerangka acuan kerja", "spesifikasi": "spesifikasi teknis",
    "hps": "HPS (harga perkiraan sendiri)", "kontrak": "rancangan kontrak",
    "dokumen_pemilihan": "dokumen pemilihan", "lainnya": "lainnya (tidak dikenali)",
}
FACT_NAMES = {
    "jenis_pengadaan": "Jenis pengadaan", "metode": "Metode pemilihan", "pagu": "Pagu anggaran",
    "nilai_hps": "Nilai HPS", "nilai_kontrak": "Nilai kontrak", "perkiraan_biaya": "Perkiraan biaya",
    "jangka_waktu_hari": "Jangka waktu",
    "jenis_kontrak": "Jenis kontrak", "tahun_anggaran": "Tahun anggaran", "tahun_jamak": "Tahun jamak",
    "ppn_persen": "PPN", "sumber_dana": "Sumber dana", "usaha_kecil": "Usaha kecil/mikro/koperasi",
}
KIND_NAMES = {"heading": "judul", "item": "butir", "sentence": "kalimat", "paragraph": "paragraf",
              "table_row": "baris tabel"}
CLAUSE_PREVIEW_CHARS = 160




def format_fact_value(fact: Fact) -> str:
    v = fact.value
    if fact.name in MONEY_FACTS and isinstance(v, (int, float)):
        return format_rupiah(float(v))
    if fact.name == "jangka_waktu_hari":
        return f"{v} hari kalender"
    if fact.name == "ppn_persen":
        return f"{v:g}%"
    if isinstance(v, bool):
        return "ya" if v else "tidak"
    if isinstance(v, str):
        return v.replace("_", " ")
    return str(v)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= CLAUSE_PREVIEW_CHARS else flat[:CLAUSE_PREVIEW_CHARS - 1] + "…"


def render_extract(doc: Document, clauses: list[Clause], doc_type: str, confidence: float,
                   facts: dict[str, Fact]) -> str:
    """Readable terminal text: header, facts with evidence, then the clauses indented by depth."""
    lines = [
        f"Berkas      : {doc.name}",
        f"Jenis       : {DOC_TYPE_NAMES.get(doc_type, doc_type)} (keyakinan {confidence:.0%})",
        f"Halaman     : {doc.pages}" + (f" (OCR: {', '.join(map(str, doc.ocr_pages))})" if doc.ocr_pages else ""),
        f"Klausul     : {len(clauses)}",
    ]
    if doc.warnings:
        lines.append("Peringatan  :")
        lines += [f"  - {w}" for w in doc.warnings]
    lines += ["", "FAKTA PENGADAAN"]
    if not facts:
        lines.append("  (tidak ada fakta yang ditemukan)")
    for name, fact in facts.items():
        where = f"{doc.page_label(fact.page)}" if fact.page else "-"
        lines.append(f"  {FACT_NAMES.get(name, name)}: {format_fact_value(fact)}"
                     f"  [keyakinan {fact.confidence:.0%}, {where}]")
        lines.append(f"      bukti: \"{_preview(fact.text)}\"")
    lines += ["", "KLAUSUL"]
    for c in clauses:
        indent = "  " * (1 + len(c.heading_path))
        where = f"{c.label}, " if c.label else ""
        head = f"[{where}{doc.page_label(c.page)}; {KIND_NAMES.get(c.kind, c.kind)}]"
        lines.append(f"{indent}{head} {_preview(c.text)}")
    return "\n".join(lines)


def extract_dict(doc: Document, clauses: list[Clause], doc_type: str, confidence: float,
                 facts: dict[str, Fact]) -> dict:
    """The same content for `--format json`."""
    return {
        "name": doc.name,
        "format": doc.format,
        "doc_type": doc_type,
        "doc_type_confidence": confidence,
        "pages": doc.pages,
        "warnings": list(doc.warnings),
        "ocr_pages": list(doc.ocr_pages),
        "facts": {name: asdict(f) for name, f in facts.items()},
        "clauses": [
            {"id": c.id, "kind": c.kind, "page": c.page, "start": c.start, "end": c.end,
             "numbering": c.numbering, "label": c.label, "heading_path": c.heading_path,
             "text": c.text, **({"cells": c.cells, "table": c.table, "row": c.row}
                                if c.kind == "table_row" else {})}
            for c in clauses
        ],
    }
