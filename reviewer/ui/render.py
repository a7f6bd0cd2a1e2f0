"""HTML pieces of the workspace: summary, the document with flagged clauses highlighted, finding
cards, the clause in context. Every piece of document or rule text is escaped."""

from __future__ import annotations

from html import escape
from typing import Any, Iterable

from ..model import SEVERITY_ORDER, related_label
from ..report import DOC_TYPE_LABEL, FACT_LABEL, KIND_LABEL, SEVERITY_LABEL, format_fact
from ..store import DECISION_LABELS

KEY_FACTS = ("jenis_pengadaan", "metode", "pagu", "nilai_hps", "nilai_kontrak", "jangka_waktu_hari",
             "jenis_kontrak", "tahun_anggaran")
CONTEXT_CHARS = 400

CSS = """
.pbj-summary{display:flex;flex-wrap:wrap;gap:.6em;align-items:stretch}
.pbj-count{border-radius:.5em;padding:.4em .9em;color:#fff;font-weight:600;min-width:6em}
.pbj-count b{font-size:1.5em;display:block;color:#fff}
.pbj-count.tinggi{background:#b03a2e}.pbj-count.sedang{background:#9a6b00}.pbj-count.rendah{background:#2e6da4}.pbj-count.total{background:#444}
.pbj-docs{width:100%;border-collapse:collapse;margin-top:.6em;font-size:.92em}
.pbj-docs td,.pbj-docs th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
.pbj-doc{white-space:pre-wrap;font-family:'DejaVu Sans',system-ui,sans-serif;font-size:.92em;line-height:1.55;max-height:72vh;overflow:auto;border:1px solid #ddd;border-radius:.4em;padding:.8em;background:#fff;color:#222}
.pbj-doc h4{margin:0 0 .5em 0;white-space:normal}
mark.sev-tinggi{background:#f5b7b1;color:#000}mark.sev-sedang{background:#fde49b;color:#000}mark.sev-rendah{background:#c6def5;color:#000}
mark.aktif{outline:3px solid #1f4e78;outline-offset:1px}
.pbj-cards{max-height:80vh;overflow:auto}
.pbj-card{border:1px solid #ddd;border-left:6px solid #999;border-radius:.4em;padding:.55em .8em;margin-bottom:.6em;background:#fff;color:#222}
.pbj-card.tinggi{border-left-color:#b03a2e}.pbj-card.sedang{border-left-color:#d49b00}.pbj-card.rendah{border-left-color:#2e6da4}
.pbj-card .meta{color:#666;font-size:.85em}
.pbj-card[data-temuan]{cursor:pointer}.pbj-card[data-temuan]:hover{box-shadow:0 0 0 2px #c9d7e8}
.pbj-card.dipilih{box-shadow:0 0 0 2px #1f4e78}
.pbj-lihat{float:right;font-size:.85em;border:1px solid #1f4e78;color:#1f4e78;background:#fff;border-radius:.4em;padding:.1em .6em;cursor:pointer}
.pbj-lihat:hover,.pbj-lihat:focus{background:#1f4e78;color:#fff}
.pbj-card blockquote{margin:.35em 0;padding:.25em .6em;background:#f4f4f4;border-left:3px solid #aaa}
.pbj-badge{display:inline-block;border-radius:.8em;padding:0 .55em;font-size:.8em;color:#fff;background:#777;margin-right:.3em}
.pbj-badge.tinggi{background:#b03a2e}.pbj-badge.sedang{background:#9a6b00}.pbj-badge.rendah{background:#2e6da4}
.pbj-badge.cek{background:#6c5a99}.pbj-badge.putusan{background:#2f7d32}
.pbj-error{color:#9b1c1c;background:#fdecea;border-radius:.4em;padding:.4em .7em;margin:.2em 0}
.pbj-warn{color:#6b4e00;background:#fff6d6;border-radius:.4em;padding:.4em .7em;margin:.2em 0}
.pbj-ok{color:#1e5a22;background:#e8f5e9;border-radius:.4em;padding:.4em .7em;margin:.2em 0}
.pbj-rule{border:1px solid #ddd;border-radius:.4em;padding:.6em .9em;margin-bottom:.8em;background:#fff;color:#222}
.pbj-rule table{border-collapse:collapse;margin:.3em 0}.pbj-rule td,.pbj-rule th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
.pbj-ex-bad{background:#fdecea;padding:.2em .5em;margin:.2em 0;border-radius:.3em}
.pbj-ex-good{background:#e8f5e9;padding:.2em .5em;margin:.2em 0;border-radius:.3em}
.pbj-hidden{color:#666;font-style:italic}
"""


def e(value: Any) -> str:
    return escape(str(value if value is not None else ""))


def when(iso: str | None) -> str:
    """'2025-11-22T02:58:03+07:00' -> '22-11-2025 02:58'."""
    if not iso:
        return ""
    try:
        from datetime import datetime
        return datetime.fromisoformat(iso).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return iso


def severity_label(sev: str) -> str:
    return SEVERITY_LABEL.get(sev, sev)


def finding_label(no: int, f: dict) -> str:
    """Short label for dropdowns: '3. [Tinggi] Spesifikasi menyebut merek — KAK.docx'."""
    return f"{no}. [{severity_label(f.get('severity', ''))}] {f.get('title') or f.get('rule_id')} — {f.get('document')}"


def ordered_findings(report: dict) -> list[dict]:
    return sorted(report.get("findings", []),
                  key=lambda f: (f.get("document", ""), SEVERITY_ORDER.get(f.get("severity"), 9),
                                 f.get("start") if f.get("start") is not None else -1))


def messages_html(errors: Iterable[dict], warnings: Iterable[str] = (), ok: str = "") -> str:
    parts = [f"<div class='pbj-ok'>{e(ok)}</div>"] if ok else []
    parts += [f"<div class='pbj-error'>⚠ <b>{e(err.get('file'))}</b>: {e(err.get('message'))}</div>" for err in errors]
    parts += [f"<div class='pbj-warn'>{e(w)}</div>" for w in warnings]
    return "".join(parts)


def summary_html(report: dict | None, decisions: dict[str, dict] | None = None) -> str:
    if not report:
        return "<p>Belum ada reviu. Unggah dokumen lalu tekan <b>Periksa</b>.</p>"
    findings = report.get("findings", [])
    decided = sum(1 for f in findings if f.get("key") in (decisions or {}))
    boxes = [f"<div class='pbj-count total'><b>{len(findings)}</b>temuan · {decided} diputuskan</div>"]
    for sev in SEVERITY_ORDER:
        n = sum(1 for f in findings if f.get("severity") == sev)
        boxes.append(f"<div class='pbj-count {sev}'><b>{n}</b>{e(severity_label(sev))}</div>")
    rows = ["<tr><th>Dokumen</th><th>Jenis</th><th>Hal.</th>"
            + "".join(f"<th>{e(FACT_LABEL.get(k, k))}</th>" for k in KEY_FACTS[:2])
            + "<th>Nilai</th><th>Jangka waktu</th></tr>"]
    for doc in report.get("documents", []):
        facts = doc.get("facts") or {}
        value = next((format_fact(k, facts[k]) for k in ("nilai_kontrak", "nilai_hps", "pagu") if facts.get(k) is not None), "—")
        days = f"{facts['jangka_waktu_hari']} hari" if facts.get("jangka_waktu_hari") is not None else "—"
        conf = doc.get("doc_type_confidence")
        dtype = DOC_TYPE_LABEL.get(doc.get("doc_type"), doc.get("doc_type"))
        if isinstance(conf, (int, float)) and conf < 0.6:
            dtype += " (ragu)"
        rows.append(f"<tr><td>{e(doc['name'])}</td><td>{e(dtype)}</td><td>{e(doc.get('pages', ''))}</td>"
                    + "".join(f"<td>{e(format_fact(k, facts[k])) if facts.get(k) is not None else '—'}</td>" for k in KEY_FACTS[:2])
                    + f"<td>{e(value)}</td><td>{e(days)}</td></tr>")
    warnings = [w for d in report.get("documents", []) for w in (d.get("warnings") or [])]
    return (f"<div class='pbj-summary'>{''.join(boxes)}</div>"
            f"<table class='pbj-docs'>{''.join(rows)}</table>"
            + messages_html(report.get("errors", []), warnings + list(report.get("warnings", []))))


def document_html(name: str, text: str | None, findings: list[dict], active_key: str | None = None) -> str:
    """The document text with every located finding as a <mark> coloured by severity."""
    if text is None:
        return f"<div class='pbj-doc'><h4>{e(name)}</h4><i>Teks dokumen tidak tersimpan.</i></div>"
    spans = sorted(((f["start"], f["end"], f) for f in findings
                    if f.get("document") == name and f.get("start") is not None and f.get("end") is not None),
                   key=lambda s: (s[0], -s[1]))
    out, cursor = [f"<div class='pbj-doc' id='pbj-doc'><h4>{e(name)}</h4>"], 0
    for start, end, f in spans:
        start = max(start, cursor)  # overlapping spans: the earlier one keeps the shared text
        end = min(end, len(text))
        if end <= start:
            continue
        out.append(e(text[cursor:start]))
        active = f.get("key") == active_key
        attrs = f" id='temuan-aktif'" if active else ""
        title = f"[{severity_label(f['severity'])}] {f.get('title') or f.get('rule_id')}"
        out.append(f"<mark class='sev-{e(f['severity'])}{' aktif' if active else ''}'{attrs} title='{e(title)}'>"
                   f"{e(text[start:end])}</mark>")
        cursor = end
    out.append(e(text[cursor:]))
    out.append("</div>")
    return "".join(out)


def finding_card(no: int, f: dict, decision: dict | None = None, linkable: bool = False) -> str:
    """One finding as a card. A linkable card carries its key (data-temuan) and a "Lihat di dokumen"
    button; the page script (app.CARD_CLICK_JS) turns a click on it into a jump to the clause."""
    sev = f.get("severity", "")
    badges = f"<span class='pbj-badge {e(sev)}'>{e(severity_label(sev))}</span>"
    badges += f"<span class='pbj-badge'>{e(KIND_LABEL.get(f.get('kind'), f.get('kind')))}</span>"
    if f.get("confidence") == "perlu-cek":
        badges += "<span class='pbj-badge cek'>perlu dicek</span>"
    if decision:
        badges += f"<span class='pbj-badge putusan'>{e(DECISION_LABELS.get(decision['decision'], decision['decision']))}</span>"
    where = " · ".join(x for x in (f.get("document"), f.get("location")) if x)
    link = attrs = ""
    if linkable and f.get("key"):
        attrs = f" data-temuan='{e(f['key'])}' title='Klik untuk melihat temuan ini di dokumen'"
        link = "<button type='button' class='pbj-lihat'>Lihat di dokumen</button>"
    parts = [f"<div class='pbj-card {e(sev)}'{attrs}>{link}{badges}<div><b>{no}. {e(f.get('title') or f.get('rule_id'))}</b></div>",
             f"<div class='meta'>{e(f.get('rule_id'))} · {e(where)}</div>",
             f"<div><b>Dasar:</b> {e(f.get('citation'))}</div>"]
    if f.get("evidence"):
        page = f" (halaman {f['page']})" if f.get("page") else ""
        parts.append(f"<blockquote>“{e(f['evidence'])}”{e(page)}</blockquote>")
    else:
        parts.append("<div><b>Tidak ditemukan dalam dokumen.</b></div>")
    parts.append(f"<div>{e(f.get('message'))}</div>")
    for rel in f.get("related") or []:
        label = related_label(f.get("kind"))
        parts.append(f"<div class='meta'>{label} ({e(rel.get('document', ''))}"
                     f"{', halaman ' + e(rel['page']) if rel.get('page') else ''}): “{e(rel.get('evidence', ''))}”</div>")
    if f.get("why"):
        parts.append(f"<div><b>Mengapa penting:</b> {e(f['why'])}</div>")
    if f.get("suggestion"):
        parts.append(f"<div><b>Saran rumusan:</b> {e(f['suggestion'])}</div>")
    if decision:
        extra = " — ".join(x for x in (decision.get("reason"), decision.get("note")) if x)
        parts.append(f"<div class='meta'>Keputusan oleh {e(decision.get('user'))} ({e(when(decision.get('decided_at')))})"
                     f"{': ' + e(extra) if extra else ''}</div>")
    parts.append("</div>")
    return "".join(parts)


def cards_html(report: dict | None, decisions: dict[str, dict] | None, severities: list[str] | None = None,
               categories: list[str] | None = None, document: str | None = None) -> str:
    """The finding cards of the Periksa tab; each links to its clause in the document view."""
    if not report:
        return ""
    rows = []
    for no, f in enumerate(ordered_findings(report), 1):
        if severities is not None and f.get("severity") not in severities:
            continue
        if categories and f.get("category") not in categories:
            continue
        if document and f.get("document") != document:
            continue
        rows.append(finding_card(no, f, (decisions or {}).get(f.get("key")), linkable=True))
    if not rows:
        return "<p>Tidak ada temuan yang cocok dengan saringan.</p>" if report.get("findings") else "<p>Tidak ada temuan.</p>"
    return f"<div class='pbj-cards'>{''.join(rows)}</div>"


def context_html(text: str | None, f: dict | None) -> str:
    """The flagged clause with some text around it, or, for a missing element, what it should hold."""
    if not f:
        return ""
    if f.get("start") is None or text is None:
        closest = "".join(f"<div class='meta'>Paling mendekati: “{e(r.get('evidence', ''))}”</div>"
                          for r in f.get("related") or [])
        return (f"<div class='pbj-card {e(f.get('severity'))}'><b>Bagian tidak ditemukan:</b> {e(f.get('title'))}<br>"
                f"Yang seharusnya ada: {e(f.get('message'))}{closest}</div>")
    start, end = f["start"], f["end"]
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return (f"<div class='pbj-doc' style='max-height:16em'>{'…' if lo else ''}{e(text[lo:start])}"
            f"<mark class='sev-{e(f.get('severity'))} aktif'>{e(text[start:end])}</mark>"
            f"{e(text[end:hi])}{'…' if hi < len(text) else ''}</div>")


def audit_html(log: list[dict], findings_by_key: dict[str, tuple[int, dict]]) -> str:
    if not log:
        return "<p>Belum ada keputusan.</p>"
    rows = ["<tr><th>Waktu</th><th>Pengguna</th><th>Temuan</th><th>Tindakan</th><th>Sebelum</th><th>Sesudah</th></tr>"]

    def show(d: dict | None) -> str:
        if not d:
            return "—"
        extra = " — ".join(x for x in (d.get("reason"), d.get("note")) if x)
        return DECISION_LABELS.get(d["decision"], d["decision"]) + (f": {extra}" if extra else "")

    for entry in reversed(log):
        no, f = findings_by_key.get(entry["finding_key"], (0, {}))
        label = f"{no}. {f.get('title') or f.get('rule_id')}" if f else entry["finding_key"]
        action = "diputuskan" if entry["action"] == "putusan" else f"dibawa dari reviu #{entry.get('carried_from')}"
        if entry["action"] != "putusan" and (entry.get("after") or {}).get("from_document"):
            action += f" ({entry['after']['from_document']})"  # a renamed revision
        rows.append(f"<tr><td>{e(when(entry['at']))}</td><td>{e(entry['user'])}</td><td>{e(label)}</td>"
                    f"<td>{e(action)}</td><td>{e(show(entry['before']))}</td><td>{e(show(entry['after']))}</td></tr>")
    return f"<table class='pbj-docs'>{''.join(rows)}</table>"
