"""Printable report as PDF (reportlab): summary, documents with facts, findings and decisions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .common import (DOC_TYPE_LABEL, KIND_LABEL, SEVERITY_LABEL, decision_counts, decision_text, fact_lines,
                     finding_rows, related_text)

# DejaVu covers every character PPKs type (‰, ≥, curly quotes); Helvetica is the fallback.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SEVERITY_COLOR = {"tinggi": colors.HexColor("#c0392b"), "sedang": colors.HexColor("#b07f00"),
                  "rendah": colors.HexColor("#2e75b6")}


def _fonts() -> tuple[str, str]:
    try:
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
        return "DejaVuSans", "DejaVuSans-Bold"
    except Exception:  # font files absent: the standard font still writes Latin text
        return "Helvetica", "Helvetica-Bold"


def _numbered_canvas(font: str):
    """A canvas that writes "Halaman X dari Y" at the foot of every page: the total is known only
    after the last page, so pages are held until save()."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.setFillColor(colors.grey)
                self.drawRightString(A4[0] - 2 * cm, 1 * cm, f"Halaman {self._pageNumber} dari {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def write_pdf(report: dict, decisions: dict[str, dict] | None, path: str | Path,
              title: str = "Laporan Reviu Dokumen Pengadaan") -> Path:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, textColor=colors.grey)
    h1 = ParagraphStyle("h1", parent=base["Title"], fontName=bold, fontSize=16)
    h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=12.5)
    quote = ParagraphStyle("quote", parent=body, leftIndent=10, backColor=colors.HexColor("#f3f3f3"))
    e = lambda v: escape(str(v if v is not None else ""))  # noqa: E731
    findings = report.get("findings", [])

    story = [Paragraph(e(title), h1),
             Paragraph(f"Dibuat {e(datetime.now().strftime('%d-%m-%Y %H:%M'))} · versi rulebook "
                       f"{e(report.get('rulebook_version', ''))} · model {e(report.get('model', ''))}", small),
             Paragraph("Temuan adalah alasan untuk memeriksa ulang, bukan putusan.", small),
             Paragraph("Ringkasan", h2)]
    rows = [["Tingkat", "Jumlah"]] + [[label, str(sum(1 for f in findings if f.get("severity") == s))]
                                      for s, label in SEVERITY_LABEL.items()]
    rows += [["Jumlah temuan", str(len(findings))]]
    rows += [[label, str(n)] for label, n in decision_counts(report, decisions).items()]
    table = Table(rows, colWidths=[8 * cm, 3 * cm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 9), ("FONT", (0, 0), (-1, 0), bold, 9),
                               ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f1"))]))
    story += [table, Paragraph("Dokumen", h2)]
    for doc in report.get("documents", []):
        story.append(Paragraph(f"<font name='{bold}'>{e(doc['name'])}</font> — "
                               f"{e(DOC_TYPE_LABEL.get(doc.get('doc_type'), doc.get('doc_type')))}, "
                               f"{e(doc.get('pages', ''))} halaman", body))
        for label, value in fact_lines(doc):
            story.append(Paragraph(f"&nbsp;&nbsp;{e(label)}: {e(value)}", body))
    for err in report.get("errors", []):
        story.append(Paragraph(f"<font color='#aa0000'>{e(err.get('file'))}: tidak dapat dibaca — "
                               f"{e(err.get('message'))}</font>", body))
    story.append(Paragraph("Temuan", h2))
    if not findings:
        story.append(Paragraph("Tidak ada temuan.", body))
    for r in finding_rows(report, decisions):
        sev = r.get("severity", "")
        color = SEVERITY_COLOR.get(sev, colors.black).hexval()[2:]
        parts = [Paragraph(f"<font color='#{color}' name='{bold}'>[{e(SEVERITY_LABEL.get(sev, sev))}]</font> "
                           f"<font name='{bold}'>{r['no']}. {e(r.get('title') or r.get('rule_id'))}</font> "
                           f"({e(r.get('rule_id'))}, {e(KIND_LABEL.get(r.get('kind'), r.get('kind')))})", body),
                 Paragraph(f"{e(r.get('document'))}{' · ' + e(r.get('location')) if r.get('location') else ''}", small),
                 Paragraph(f"Dasar: {e(r.get('citation'))}", body)]
        if r.get("evidence"):
            parts.append(Paragraph(f"“{e(r['evidence'])}”", quote))
        else:
            parts.append(Paragraph("Bukti: bagian ini tidak ditemukan dalam dokumen", body))
        parts.append(Paragraph(f"Temuan: {e(r.get('message'))}", body))
        for line in related_text(r).splitlines():
            parts.append(Paragraph(e(line), small))
        if r.get("suggestion"):
            parts.append(Paragraph(f"Saran: {e(r['suggestion'])}", body))
        parts += [Paragraph(f"Keputusan: {e(decision_text(r))}", body), Spacer(1, 8)]
        story.append(KeepTogether(parts))
    path = Path(path)
    SimpleDocTemplate(str(path), pagesize=A4, title=title, leftMargin=2 * cm, rightMargin=2 * cm,
                      topMargin=1.8 * cm, bottomMargin=1.8 * cm).build(story, canvasmaker=_numbered_canvas(regular))
    return path
