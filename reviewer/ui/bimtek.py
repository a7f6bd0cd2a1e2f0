"""The Bimtek tab: a gallery of training documents (corpus/examples/*.yaml) with their answer key.

Opening an example writes its document (reviewer.docgen), reviews it with the engine, and walks
through the known problems one by one. In 'sembunyikan jawaban' mode the participants see the
document plain and the step only says how many problems there are, until the answer is shown.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Callable

import yaml

from ..rules import CORPUS_DIR
from .render import document_html, e, finding_card, severity_label

EXAMPLES_DIR = CORPUS_DIR / "examples"
_cache: dict[tuple[str, float], dict] = {}
_lock = threading.Lock()


def list_examples(directory: Path = EXAMPLES_DIR) -> list[tuple[str, str]]:
    """(title, path) of every readable example, sorted by title."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            out.append((str(data.get("title") or path.stem), str(path)))
        except (yaml.YAMLError, OSError):
            continue
    return sorted(out)


def find_span(text: str, evidence: str) -> tuple[int, int] | None:
    """Where `evidence` sits in `text`, ignoring case and spacing (line breaks differ by format)."""
    words = re.findall(r"\S+", evidence or "")
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words[:40])
    m = re.search(pattern, text, re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def open_example(path: str, workdir: Path, review_fn: Callable[..., Any]) -> dict:
    """Write, review and index one example. Cached per file version (a review costs seconds)."""
    p = Path(path)
    key = (str(p), p.stat().st_mtime)
    with _lock:
        if key in _cache:
            return _cache[key]
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    from ..docgen import write_document

    doc_path = write_document(data["spec"], workdir / p.stem)
    report = review_fn([doc_path])
    name = doc_path.name
    source = report.sources.get(name)
    text = source.text if source is not None else None
    findings = [f.to_dict() for f in report.findings]
    problems = []
    for prob in data.get("problems") or []:
        span = find_span(text or "", str(prob.get("evidence", "")))
        engine = next((f for f in findings if f["category"] == prob.get("category")), None)
        problems.append({"category": str(prob.get("category", "")), "evidence": str(prob.get("evidence", "")),
                         "explanation": str(prob.get("explanation", "")), "span": span, "engine": engine})
    state = {"title": str(data.get("title", p.stem)), "description": str(data.get("description", "")),
             "name": name, "text": text, "problems": problems, "findings": findings,
             "errors": report.errors}
    with _lock:
        _cache[key] = state
    return state


def step_view(state: dict | None, index: int, hidden: bool) -> tuple[str, str]:
    """(document html, step html) for problem `index` of the opened example."""
    if not state:
        return "", "<p>Pilih contoh dari galeri lalu tekan <b>Buka</b>.</p>"
    problems = state["problems"]
    n = len(problems)
    index = max(0, min(index, n - 1)) if n else 0
    intro = (f"<p><b>{e(state['title'])}</b> — {e(state['description'])}</p>"
             f"<p>Dokumen ini memuat <b>{n}</b> masalah yang perlu ditemukan.</p>")
    if not n:
        found = state["findings"]
        note = ("<p>Contoh ini disusun tanpa masalah yang disengaja: gunakan sebagai teladan.</p>"
                + (f"<p class='meta'>Alat tetap menandai {len(found)} hal; bahas bersama apakah itu benar masalah.</p>"
                   + "".join(finding_card(i, f) for i, f in enumerate(found, 1)) if found and not hidden else ""))
        return document_html(state["name"], state["text"], []), intro + note
    prob = problems[index]
    if hidden:
        doc = document_html(state["name"], state["text"], [])
        step = intro + (f"<div class='pbj-card'><b>Masalah {index + 1} dari {n}</b><br>"
                        "<span class='pbj-hidden'>Jawaban disembunyikan. Cari sendiri masalahnya di dokumen, "
                        "lalu hilangkan centang 'Sembunyikan jawaban'.</span></div>")
        return doc, step
    marks = []
    if prob["span"]:
        marks.append({"document": state["name"], "start": prob["span"][0], "end": prob["span"][1],
                      "severity": (prob["engine"] or {}).get("severity", "sedang"), "key": "bimtek-aktif",
                      "title": prob["category"]})
    doc = document_html(state["name"], state["text"], marks, active_key="bimtek-aktif")
    step = intro + (f"<div class='pbj-card'><b>Masalah {index + 1} dari {n}</b> · <span class='meta'>{e(prob['category'])}</span>"
                    + (f"<blockquote>“{e(prob['evidence'])}”</blockquote>" if prob["evidence"] else
                       "<div>Bagian ini tidak ada dalam dokumen.</div>")
                    + f"<div><b>Penjelasan:</b> {e(prob['explanation'])}</div></div>")
    if prob["engine"]:
        f = prob["engine"]
        step += (f"<p class='meta'>Alat juga menemukannya ({e(severity_label(f['severity']))}):</p>"
                 + finding_card(index + 1, f))
    else:
        step += "<p class='meta'>Alat tidak menandai masalah ini; inilah gunanya pereviu manusia.</p>"
    return doc, step
