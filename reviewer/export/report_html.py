"""Printable report as one self-contained HTML page (inline CSS, no external assets)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from .common import (DOC_TYPE_LABEL, KIND_LABEL, SEVERITY_LABEL, decision_counts, decision_text, fact_lines,
                     finding_rows, related_text)

CSS = """
body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.2em;border-bottom:2px solid #1f4e78;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0} td,th{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#1f4e78;color:#fff} .muted{color:#666;font-size:.9em}
.finding{border:1px solid #ccc;border-left:6px solid #999;padding:.6em .9em;margin:.8em 0;page-break-inside:avoid}
.finding.tinggi{border-left-color:#c0392b} .finding.sedang{border-left-color:#e0a800} .finding.rendah{border-left-color:#2e75b6}
.badge{display:inline-block;padding:0 .5em;border-radius:.8em;font-size:.85em;color:#fff;background:#999}
.badge.tinggi{background:#c0392b} .badge.sedang{background:#b07f00} .badge.rendah{background:#2e75b6}
blockquote{margin:.4em 0;padding:.3em .8em;background:#f6f6f6;border-left:3px solid #aaa}
.decision{margin-top:.4em;padding:.3em .6em;background:#eef5ea} .error{color:#a00}
@media print{body{margin:0}}
"""


def render_html(report: dict, decisions: dict[str, dict] | None = None, title: str = "Laporan Reviu Dokumen Pengadaan") -> str:
    e = lambda v: escape(str(v if v is not None else ""))  # noqa: E731
    findings = report.get("findings", [])
    out = [f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{e(title)}</title>"
           f"<style>{CSS}</style></head><body>",
           f"<h1>{e(title)}</h1><p class='muted'>Dibuat {e(datetime.now().strftime('%d-%m-%Y %H:%M'))} · "
           f"versi rulebook {e(report.get('rulebook_version', ''))} · model {e(report.get('model', ''))}</p>",
           "<p class='muted'>Temuan adalah alasan untuk memeriksa ulang, bukan putusan. Periksa selalu "
           "teks resmi peraturan.</p>",
           "<h2>Ringkasan</h2><table><tr><th>Tingkat</th><th>Jumlah</th></tr>"]
    for sev, label in SEVERITY_LABEL.items():
        out.append(f"<tr><td>{e(label)}</td><td>{sum(1 for f in findings if f.get('severity') == sev)}</td></tr>")
    out.append(f"<tr><td><b>Jumlah</b></td><td><b>{len(findings)}</b></td></tr></table>")
    out.append("<table><tr><th>Keputusan</th><th>Jumlah</th></tr>")
    for label, n in decision_counts(report, decisions).items():
        out.append(f"<tr><td>{e(label)}</td><td>{n}</td></tr>")
    out.append("</table><h2>Dokumen</h2>")
    for doc in report.get("documents", []):
        out.append(f"<h3>{e(doc['name'])} <span class='muted'>({e(DOC_TYPE_LABEL.get(doc.get('doc_type'), doc.get('doc_type')))}, "
                   f"{e(doc.get('pages', ''))} halaman)</span></h3>")
        facts = fact_lines(doc)
        if facts:
            out.append("<table>" + "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in facts) + "</table>")
        for w in doc.get("warnings") or []:
            out.append(f"<p class='muted'>Catatan: {e(w)}</p>")
    for err in report.get("errors", []):
        out.append(f"<p class='error'><b>{e(err.get('file'))}</b>: tidak dapat dibaca — {e(err.get('message'))}</p>")
    out.append("<h2>Temuan</h2>")
    if not findings:
        out.append("<p>Tidak ada temuan.</p>")
    for r in finding_rows(report, decisions):
        sev = r.get("severity", "")
        soft = " · <i>perlu dicek</i>" if r.get("confidence") == "perlu-cek" else ""
        out.append(f"<div class='finding {e(sev)}'><div><span class='badge {e(sev)}'>{e(SEVERITY_LABEL.get(sev, sev))}</span> "
                   f"<b>{r['no']}. {e(r.get('title') or r.get('rule_id'))}</b> <span class='muted'>{e(r.get('rule_id'))} · "
                   f"{e(KIND_LABEL.get(r.get('kind'), r.get('kind')))}{soft}</span></div>")
        out.append(f"<div class='muted'>{e(r.get('document'))}{' · ' + e(r.get('location')) if r.get('location') else ''}</div>")
        out.append(f"<div><b>Dasar:</b> {e(r.get('citation'))}</div>")
        if r.get("evidence"):
            out.append(f"<blockquote>“{e(r['evidence'])}”</blockquote>")
        else:
            out.append("<div><b>Bukti:</b> bagian ini tidak ditemukan dalam dokumen</div>")
        out.append(f"<div><b>Temuan:</b> {e(r.get('message'))}</div>")
        for line in related_text(r).splitlines():
            out.append(f"<div class='muted'>{e(line)}</div>")
        if r.get("why"):
            out.append(f"<div><b>Mengapa penting:</b> {e(r['why'])}</div>")
        if r.get("suggestion"):
            out.append(f"<div><b>Saran:</b> {e(r['suggestion'])}</div>")
        out.append(f"<div class='decision'><b>Keputusan:</b> {e(decision_text(r))}</div></div>")
    out.append("</body></html>")
    return "\n".join(out)


def write_html(report: dict, decisions: dict[str, dict] | None, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(report, decisions), encoding="utf-8")
    return path
