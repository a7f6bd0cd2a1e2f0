"""Findings register (XLSX): one row per finding with its decision, and a summary sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .common import (DOC_TYPE_LABEL, KIND_LABEL, SEVERITY_LABEL, decision_counts, fact_lines, finding_rows,
                     related_text)

COLUMNS = [  # (header, row key, width)
    ("No", "no", 5), ("Dokumen", "document", 24), ("Lokasi", "location", 20),
    ("Tingkat", "severity_label", 9), ("Jenis", "kind_label", 16), ("Kategori", "category", 20),
    ("Kode aturan", "rule_id", 18), ("Judul", "title", 30), ("Bukti (kutipan)", "evidence", 50),
    ("Bukti lain", "related_text", 40),
    ("Dasar", "citation", 30), ("Temuan", "message", 45), ("Saran", "suggestion", 45),
    ("Keyakinan", "confidence", 10), ("Keputusan", "decision_label", 22), ("Alasan", "reason", 30),
    ("Catatan", "note", 30), ("Pereviu", "reviewer", 14), ("Waktu keputusan", "decided_at", 20),
]
SEVERITY_FILL = {"tinggi": "F8CBAD", "sedang": "FFE699", "rendah": "DDEBF7"}
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
# Formula injection guard: a cell starting with these would be run as a formula by spreadsheet apps.
FORMULA_START = ("=", "+", "-", "@")


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_register(report: dict, decisions: dict[str, dict] | None, path: str | Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Temuan"
    ws.append([c[0] for c in COLUMNS])
    for i, (_, _, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(1, i).font = HEADER
        ws.cell(1, i).fill = HEADER_FILL
    for row in finding_rows(report, decisions):
        row["severity_label"] = SEVERITY_LABEL.get(row["severity"], row["severity"])
        row["kind_label"] = KIND_LABEL.get(row["kind"], row["kind"])
        if not row.get("evidence"):
            row["evidence"] = "(tidak ditemukan dalam dokumen)"
        row["related_text"] = related_text(row)
        ws.append([_cell(row.get(key, "")) for _, key, _ in COLUMNS])
        fill = SEVERITY_FILL.get(row["severity"])
        if fill:
            ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=fill)
        for c in ws[ws.max_row]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, ws.max_row)}"

    s = wb.create_sheet("Ringkasan")
    s.column_dimensions["A"].width = 34
    s.column_dimensions["B"].width = 50
    bold = Font(bold=True)
    s.append(["Register temuan reviu dokumen pengadaan"])
    s["A1"].font = Font(bold=True, size=13)
    s.append(["Jumlah temuan", len(report.get("findings", []))])
    for sev, label in SEVERITY_LABEL.items():
        s.append([f"Tingkat {label}", sum(1 for f in report.get("findings", []) if f.get("severity") == sev)])
    s.append([])
    s.append(["Keputusan"])
    s.cell(s.max_row, 1).font = bold
    for label, n in decision_counts(report, decisions).items():
        s.append([label, n])
    s.append([])
    s.append(["Dokumen"])
    s.cell(s.max_row, 1).font = bold
    for doc in report.get("documents", []):
        s.append([_cell(doc["name"]), DOC_TYPE_LABEL.get(doc.get("doc_type"), doc.get("doc_type"))])
        for label, value in fact_lines(doc):
            s.append([f"  {label}", _cell(value)])
    for err in report.get("errors", []):
        s.append([_cell(err.get("file", "")), _cell("Tidak dapat dibaca: " + err.get("message", ""))])
    s.append([])
    s.append(["Versi rulebook", report.get("rulebook_version", "")])
    s.append(["Model", report.get("model", "")])
    path = Path(path)
    wb.save(path)
    return path
