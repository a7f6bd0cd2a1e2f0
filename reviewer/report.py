"""Readable renderings of a Report: Markdown (also fine in a terminal) and JSON.

Findings are grouped by document and severity; each shows its citation, the quoted evidence with
its page, why it matters and suggested wording. A flag is a reason to review, not a verdict.
"""

from __future__ import annotations

import json

from .model import MONEY_FACTS, SEVERITY_ORDER, Finding, Report, related_label
from .numbers import format_rupiah

SEVERITY_LABEL = {"tinggi": "Tinggi", "sedang": "Sedang", "rendah": "Rendah"}
KIND_LABEL = {"missing": "unsur tidak ada", "risk": "rumusan berisiko", "number": "angka",
              "consistency": "konsistensi paket"}
DOC_TYPE_LABEL = {"kak": "KAK", "spesifikasi": "Spesifikasi teknis", "hps": "HPS",
                  "kontrak": "Rancangan kontrak", "dokumen_pemilihan": "Dokumen pemilihan",
                  "lainnya": "Lainnya"}
FACT_LABEL = {"jenis_pengadaan": "Jenis pengadaan", "metode": "Metode", "pagu": "Pagu",
              "nilai_hps": "Nilai HPS", "nilai_kontrak": "Nilai kontrak", "perkiraan_biaya": "Perkiraan biaya",
              "jangka_waktu_hari": "Jangka waktu (hari)", "jenis_kontrak": "Jenis kontrak",
              "tahun_anggaran": "Tahun anggaran", "tahun_jamak": "Tahun jamak",
              "ppn_persen": "PPN (%)", "sumber_dana": "Sumber dana", "usaha_kecil": "Usaha kecil"}


rupiah = format_rupiah


def format_fact(name: str, value) -> str:
    if name in MONEY_FACTS and isinstance(value, (int, float)):
        return rupiah(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, str):
        return value.replace("_", " ")
    return str(value)


def _finding_md(f: Finding) -> list[str]:
    soft = " — *perlu dicek*" if f.confidence == "perlu-cek" else ""
    lines = [f"#### [{SEVERITY_LABEL.get(f.severity, f.severity)}] {f.title or f.rule_id} (`{f.rule_id}`){soft}",
             f"- **Dasar:** {f.citation}",
             f"- **Jenis:** {KIND_LABEL.get(f.kind, f.kind)} · `{f.category}`"]
    if f.evidence:
        where = f" ({f.location})" if f.location else ""
        lines.append(f"- **Bukti{where}:** “{f.evidence}”")
    else:
        lines.append("- **Bukti:** tidak ditemukan dalam dokumen")
    lines.append(f"- **Temuan:** {f.message}")
    if f.why:
        lines.append(f"- **Mengapa penting:** {f.why}")
    if f.suggestion:
        lines.append(f"- **Saran rumusan:** {f.suggestion}")
    for rel in f.related:
        ev = rel.get("evidence") or ""
        page = f", halaman {rel['page']}" if rel.get("page") else ""
        label = related_label(f.kind)
        lines.append(f"- **{label}** ({rel.get('document', '')}{page}): “{ev}”")
    if f.merged_rules:
        lines.append(f"- Juga ditandai oleh: {', '.join(f.merged_rules)}")
    return lines


def to_markdown(report: Report) -> str:
    out = ["# Hasil reviu dokumen pengadaan", ""]
    s = report.summary
    sev = s.get("by_severity", {})
    out.append(f"**{s.get('total', 0)} temuan** — tinggi {sev.get('tinggi', 0)}, sedang "
               f"{sev.get('sedang', 0)}, rendah {sev.get('rendah', 0)}. Temuan adalah alasan untuk "
               "memeriksa ulang, bukan putusan pelanggaran.")
    out.append("")
    for err in report.errors:
        out.append(f"> **Tidak dapat dibaca:** {err['message']}")
    for w in report.warnings:
        out.append(f"> Catatan: {w}")
    if report.errors or report.warnings:
        out.append("")
    for doc in report.documents:
        out.append(f"## {doc.name} — {DOC_TYPE_LABEL.get(doc.doc_type, doc.doc_type)} "
                   f"(keyakinan {doc.doc_type_confidence:.0%}, {doc.pages} halaman)")
        for w in doc.warnings:
            out.append(f"> Peringatan: {w}")
        if doc.facts:
            out.append("")
            for name, value in doc.facts.items():
                out.append(f"- {FACT_LABEL.get(name, name)}: {format_fact(name, value)}")
        findings = [f for f in report.findings if f.document == doc.name]
        if not findings:
            out += ["", "Tidak ada temuan."]
        for severity in SEVERITY_ORDER:
            group = [f for f in findings if f.severity == severity]
            if not group:
                continue
            out += ["", f"### Tingkat {SEVERITY_LABEL[severity].lower()} ({len(group)})"]
            for f in group:
                out += [""] + _finding_md(f)
        out.append("")
    out.append(f"<sub>Rulebook {report.rulebook_version} · model {report.model}</sub>")
    return "\n".join(out) + "\n"


def to_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=indent, default=str)
