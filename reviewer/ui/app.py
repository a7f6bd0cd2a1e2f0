"""The Gradio workspace: Periksa dokumen, Triage, Ekspor, Aturan, Bimtek.

`build_app(workspace)` makes the Blocks; `launch(demo, workspace, ...)` starts it with the local
theme (system fonts only, nothing fetched), login when users are configured, and the export folder
allowed for download; `serve(host, port)` is what `reviewer serve` calls.
"""

from __future__ import annotations

import functools
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import gradio as gr  # reviewer.ui/__init__ has already switched analytics and hub access off

from ..config import ConfigError, Settings, User, load_settings
from ..store import DECISION_LABELS, StoreError
from . import bimtek, render
from .render import CSS, audit_html, cards_html, context_html, document_html, finding_card, finding_label, summary_html
from .rules_view import rules_html
from .workspace import ReviewView, Workspace, user_message

log = logging.getLogger(__name__)

STAGE_LABELS = {"analisis": "Menganalisis struktur dan fakta", "pemeriksaan": "Memeriksa terhadap aturan",
                "ekstraksi": "Mengekstrak teks", "ocr": "OCR halaman pindaian", "ingest": "Membaca berkas"}
PACKAGE_MODES = [("Otomatis (lebih dari satu berkas = paket)", "otomatis"), ("Satu paket", "paket"),
                 ("Dokumen terpisah", "terpisah")]
SEVERITY_CHOICES = [("Tinggi", "tinggi"), ("Sedang", "sedang"), ("Rendah", "rendah")]
DECISION_CHOICES = [(label, value) for value, label in DECISION_LABELS.items()]
SCROLL_JS = ("() => { setTimeout(() => { const el = document.getElementById('temuan-aktif');"
             " if (el) el.scrollIntoView({block: 'center', behavior: 'smooth'}); }, 150); }")
# Runs once when the cards component loads. One listener on the component (not on each card)
# survives every re-render of the cards; a click on a card or its "Lihat di dokumen" button sends
# the finding's key to the server as the data of a 'click' event. Dragging to select text is not a click.
CARD_CLICK_JS = """
element.addEventListener('click', (ev) => {
  const card = ev.target.closest('[data-temuan]');
  if (!card || !element.contains(card)) return;
  if (!ev.target.closest('.pbj-lihat') && String(window.getSelection() || '').length) return;
  element.querySelectorAll('.pbj-card.dipilih').forEach((c) => c.classList.remove('dipilih'));
  card.classList.add('dipilih');
  trigger('click', {key: card.dataset.temuan});
});
"""
ERROR_TITLE = "Tidak dapat diproses"
THEME_FONTS = ["DejaVu Sans", "Liberation Sans", "system-ui", "sans-serif"]


def local_theme() -> gr.themes.Base:
    """System fonts only: gradio's stock themes name web fonts; a string font is never fetched."""
    return gr.themes.Base(primary_hue="blue", neutral_hue="slate", font=THEME_FONTS,
                          font_mono=["DejaVu Sans Mono", "monospace"])


def guarded(fn: Callable) -> Callable:
    """Every handler: a failure becomes an Indonesian message, never a traceback or a dead server."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged with its traceback
            raise gr.Error(user_message(exc), print_exception=False, title=ERROR_TITLE) from None

    return wrapper


def build_app(ws: Workspace) -> gr.Blocks:
    settings = ws.settings

    def current_user(request: gr.Request | None) -> User:
        name = getattr(request, "username", None) if request is not None else None
        return settings.user(name)

    def finding_choices(view: ReviewView | None) -> list[tuple[str, str]]:
        if view is None:
            return []
        return [(finding_label(no, f), f["key"]) for no, f in enumerate(view.findings, 1)]

    def decisions_table(view: ReviewView | None) -> str:
        if view is None or not view.findings:
            return ""
        rows = ["<tr><th>No</th><th>Tingkat</th><th>Temuan</th><th>Dokumen</th><th>Keputusan</th>"
                "<th>Alasan / catatan</th><th>Pereviu</th><th>Waktu</th></tr>"]
        for no, f in enumerate(view.findings, 1):
            d = view.decisions.get(f["key"]) or {}
            label = DECISION_LABELS.get(d.get("decision"), "Belum diputuskan")
            extra = " — ".join(x for x in (d.get("reason"), d.get("note")) if x)
            rows.append(f"<tr data-key='{render.e(f['key'])}'><td>{no}</td><td>{render.e(render.severity_label(f['severity']))}</td>"
                        f"<td>{render.e(f.get('title') or f['rule_id'])}</td><td>{render.e(f['document'])}</td>"
                        f"<td class='putusan'>{render.e(label)}</td><td>{render.e(extra)}</td>"
                        f"<td>{render.e(d.get('user', ''))}</td><td>{render.e(render.when(d.get('decided_at')))}</td></tr>")
        return f"<table class='pbj-docs' id='tabel-keputusan'>{''.join(rows)}</table>"

    def progress_text(view: ReviewView | None) -> str:
        if view is None:
            return "Belum ada reviu yang dibuka."
        total = len(view.findings)
        decided = sum(1 for f in view.findings if f["key"] in view.decisions)
        return f"**Reviu #{view.review_id}** — {decided} dari {total} temuan sudah diputuskan."

    def first_doc(view: ReviewView | None) -> str | None:
        docs = view.report.get("documents", []) if view else []
        return docs[0]["name"] if docs else None

    def full_views(view: ReviewView | None, user: User, status: str) -> list[Any]:
        docs = [d["name"] for d in view.report.get("documents", [])] if view else []
        cats = sorted({f["category"] for f in view.findings}) if view else []
        name = first_doc(view)
        return [
            view.review_id if view else None,
            status,
            summary_html(view.report if view else None, view.decisions if view else None),
            gr.update(choices=docs, value=name),
            gr.update(choices=finding_choices(view), value=None),
            "",
            document_html(name, view.texts.get(name), view.findings) if name else "",
            gr.update(choices=cats, value=[]),
            gr.update(choices=[("Semua dokumen", "")] + [(d, d) for d in docs], value=""),
            gr.update(value=[s for _, s in SEVERITY_CHOICES]),
            cards_html(view.report, view.decisions) if view else "",
            gr.update(choices=ws.past_reviews(user), value=view.review_id if view else None),
            progress_text(view),
            gr.update(choices=finding_choices(view), value=None),
            "",
            decisions_table(view),
            audit_html(ws.store.audit_log(view.review_id), view.numbered()) if view else "",
        ]

    with gr.Blocks(title="Reviu Dokumen PBJ", analytics_enabled=False) as demo:
        rid = gr.State(None)
        # the reviewer's name survives a reload in this browser (localStorage), never on the server
        saved_name = gr.BrowserState("", storage_key="pbj-nama-pereviu")
        gr.HTML("<h2 style='margin:.2em 0'>Reviu Dokumen Pengadaan Barang/Jasa</h2>"
                "<p style='margin:0;color:#555'>KAK/spesifikasi, HPS dan rancangan kontrak terhadap Perpres 16/2018 "
                "jo. 12/2021 jo. 46/2025. Temuan adalah alasan untuk memeriksa ulang, bukan putusan.</p>")
        with gr.Tabs():
            with gr.Tab("Periksa dokumen", id="periksa"):
                with gr.Row():
                    files = gr.File(file_count="multiple", label="Dokumen (PDF, DOCX, XLSX, TXT atau ZIP paket)",
                                    file_types=[".pdf", ".docx", ".xlsx", ".txt", ".zip"], scale=3, elem_id="unggah")
                    with gr.Column(scale=1):
                        package_mode = gr.Radio(PACKAGE_MODES, value="otomatis", label="Cara memeriksa")
                        run_btn = gr.Button("Periksa", variant="primary", elem_id="tombol-periksa")
                status = gr.HTML(elem_id="status-periksa")
                summary = gr.HTML(elem_id="ringkasan")
                with gr.Row():
                    with gr.Column(scale=3):
                        with gr.Row():
                            doc_select = gr.Dropdown([], label="Dokumen yang ditampilkan", elem_id="pilih-dokumen")
                            jump = gr.Dropdown([], label="Tampilkan temuan di dokumen", elem_id="lompat-temuan")
                        context = gr.HTML(elem_id="konteks")
                        doc_view = gr.HTML(elem_id="tampilan-dokumen")
                    with gr.Column(scale=2):
                        sev_filter = gr.CheckboxGroup(SEVERITY_CHOICES, value=[s for _, s in SEVERITY_CHOICES],
                                                      label="Tingkat")
                        with gr.Row():
                            cat_filter = gr.Dropdown([], multiselect=True, label="Kategori")
                            doc_filter = gr.Dropdown([("Semua dokumen", "")], value="", label="Dokumen")
                        cards = gr.HTML(elem_id="kartu-temuan", js_on_load=CARD_CLICK_JS)

            with gr.Tab("Triage", id="triage"):
                with gr.Row():
                    # custom values let API clients open a review by id; ws.view still checks who may see it
                    past = gr.Dropdown([], label="Reviu tersimpan", scale=4, elem_id="reviu-tersimpan",
                                       allow_custom_value=True)
                    open_btn = gr.Button("Buka reviu", scale=1)
                progress_md = gr.Markdown("Belum ada reviu yang dibuka.", elem_id="kemajuan")
                with gr.Row():
                    with gr.Column(scale=3):
                        t_finding = gr.Dropdown([], label="Temuan", elem_id="triage-temuan")
                        t_card = gr.HTML()
                    with gr.Column(scale=2):
                        t_decision = gr.Radio(DECISION_CHOICES, label="Keputusan", elem_id="triage-keputusan")
                        t_reason = gr.Textbox(label="Alasan (wajib bila ditolak)", lines=2, elem_id="triage-alasan")
                        t_note = gr.Textbox(label="Catatan", lines=2, elem_id="triage-catatan")
                        t_reviewer = gr.Textbox(label="Nama pereviu", placeholder="Nama Anda", elem_id="triage-nama")
                        save_btn = gr.Button("Simpan keputusan", variant="primary", elem_id="tombol-simpan")
                        t_msg = gr.HTML(elem_id="triage-pesan")
                t_table = gr.HTML(elem_id="triage-tabel")
                with gr.Accordion("Riwayat keputusan (audit)", open=False):
                    audit = gr.HTML(elem_id="audit")

            with gr.Tab("Ekspor", id="ekspor"):
                gr.Markdown("Ekspor reviu yang sedang dibuka, lengkap dengan keputusan pereviu.")
                with gr.Row():
                    ex_buttons = {fmt: gr.Button(label, elem_id=f"ekspor-{fmt}") for fmt, label in (
                        ("xlsx", "Register temuan (XLSX)"), ("docx", "DOCX dengan komentar"),
                        ("html", "Laporan HTML"), ("pdf", "Laporan PDF"), ("json", "JSON"))}
                ex_msg = gr.HTML()
                ex_files = gr.File(label="Berkas ekspor", file_count="multiple", interactive=False, elem_id="berkas-ekspor")

            with gr.Tab("Aturan", id="aturan"):
                with gr.Row():
                    query = gr.Textbox(label="Cari aturan", placeholder="mis. syarat uang muka, denda keterlambatan, merek",
                                       scale=4, elem_id="cari-aturan")
                    search_btn = gr.Button("Cari", scale=1, elem_id="tombol-cari")
                rules_out = gr.HTML(elem_id="hasil-aturan")

            with gr.Tab("Bimtek", id="bimtek"):
                examples = bimtek.list_examples()
                with gr.Row():
                    ex_select = gr.Dropdown(examples, label="Galeri contoh dokumen", scale=4, elem_id="galeri")
                    ex_open = gr.Button("Buka", scale=1, elem_id="tombol-buka-contoh")
                with gr.Row():
                    hide = gr.Checkbox(True, label="Sembunyikan jawaban", elem_id="sembunyikan")
                    prev_btn = gr.Button("‹ Sebelumnya")
                    next_btn = gr.Button("Berikutnya ›")
                ex_state = gr.State(None)
                ex_index = gr.State(0)
                with gr.Row():
                    ex_doc = gr.HTML(scale=3)
                    ex_step = gr.HTML("<p>Pilih contoh dari galeri lalu tekan <b>Buka</b>.</p>" if examples
                                      else "<p>Galeri belum berisi contoh (corpus/examples).</p>", elem_id="langkah-bimtek")

        view_outputs = [rid, status, summary, doc_select, jump, context, doc_view, cat_filter, doc_filter,
                        sev_filter, cards, past, progress_md, t_finding, t_card, t_table, audit]

        # -- Periksa -----------------------------------------------------------------------------
        @guarded
        def do_review(uploaded, mode, request: gr.Request, progress=gr.Progress()):
            user = current_user(request)
            package = {"paket": True, "terpisah": False}.get(mode)
            paths = [getattr(f, "name", f) for f in (uploaded or [])]

            def report_progress(stage: str, fraction: float) -> None:
                progress(min(max(fraction, 0.0), 1.0), desc=STAGE_LABELS.get(stage, stage))

            progress(0, desc="Membaca berkas")
            review_id, errors = ws.run_review(paths, user, package, report_progress)
            if review_id is None:
                return full_views(None, user, render.messages_html(errors or [{"file": "-", "message": "Tidak ada dokumen yang dapat diperiksa."}]))
            view = ws.view(review_id, user)
            n = len(view.findings)
            ok = f"Reviu #{review_id} selesai: {len(view.report.get('documents', []))} dokumen, {n} temuan."
            return full_views(view, user, render.messages_html(errors, ok=ok))

        run_btn.click(do_review, [files, package_mode], view_outputs, api_name="periksa", concurrency_limit=2)

        @guarded
        def show_document(review_id, name, request: gr.Request):
            if review_id is None or not name:
                return ""
            view = ws.view(review_id, current_user(request))
            return document_html(name, view.texts.get(name), view.findings)

        doc_select.input(show_document, [rid, doc_select], doc_view, api_name=False)

        def finding_in_document(review_id, key, request: gr.Request) -> list[Any] | None:
            """[document choice, clause in context, document with the clause active], or None."""
            if review_id is None or not key:
                return None
            view = ws.view(review_id, current_user(request))
            f = next((x for x in view.findings if x["key"] == key), None)
            if f is None:
                return None
            text = view.texts.get(f["document"])
            return [gr.update(value=f["document"]), context_html(text, f),
                    document_html(f["document"], text, view.findings, active_key=key)]

        @guarded
        def jump_to(review_id, key, request: gr.Request):
            return finding_in_document(review_id, key, request) or [gr.skip()] * 3

        # .input, not .change: a card click also sets this dropdown and must not render twice
        jump.input(jump_to, [rid, jump], [doc_select, context, doc_view], api_name=False).then(
            None, None, None, js=SCROLL_JS)

        @guarded
        def card_to_document(review_id, evt: gr.EventData, request: gr.Request):
            """A clicked finding card does what choosing it in the dropdown does, and shows it there."""
            data = getattr(evt, "_data", None)
            key = data.get("key") if isinstance(data, dict) else None
            shown = finding_in_document(review_id, key, request)
            return [gr.update(value=key)] + shown if shown else [gr.skip()] * 4

        cards.click(card_to_document, [rid], [jump, doc_select, context, doc_view], api_name=False).then(
            None, None, None, js=SCROLL_JS)

        @guarded
        def filter_cards(review_id, sevs, cats, doc, request: gr.Request):
            if review_id is None:
                return ""
            view = ws.view(review_id, current_user(request))
            return cards_html(view.report, view.decisions, list(sevs or []), list(cats or []), doc or None)

        for control in (sev_filter, cat_filter, doc_filter):
            control.input(filter_cards, [rid, sev_filter, cat_filter, doc_filter], cards, api_name=False)

        # -- Triage ------------------------------------------------------------------------------
        @guarded
        def open_review(review_id, request: gr.Request):
            user = current_user(request)
            try:
                review_id = int(str(review_id).strip().lstrip("#"))
            except ValueError:
                raise gr.Error("Pilih reviu tersimpan terlebih dahulu.", print_exception=False, title=ERROR_TITLE) from None
            return full_views(ws.view(review_id, user), user, "")

        open_btn.click(open_review, [past], view_outputs, api_name="buka_reviu")

        @guarded
        def on_load(name, request: gr.Request):
            user = current_user(request)
            latest = ws.latest_review(user)
            view = ws.view(latest, user) if latest is not None else None
            reviewer = name or (user.name if settings.login_required else "")
            return full_views(view, user, "") + [reviewer, rules_html("")]

        demo.load(on_load, saved_name, view_outputs + [t_reviewer, rules_out], api_name=False)
        t_reviewer.change(lambda name: name, t_reviewer, saved_name, api_name=False)

        @guarded
        def pick_finding(review_id, key, request: gr.Request):
            if review_id is None or not key:
                return "", None, "", ""
            view = ws.view(review_id, current_user(request))
            numbered = view.numbered()
            if key not in numbered:
                return "", None, "", ""
            no, f = numbered[key]
            d = view.decisions.get(key) or {}
            card = finding_card(no, f, d or None) + context_html(view.texts.get(f["document"]), f)
            return card, d.get("decision"), d.get("reason", ""), d.get("note", "")

        t_finding.change(pick_finding, [rid, t_finding], [t_card, t_decision, t_reason, t_note], api_name=False)

        @guarded
        def save_decision(review_id, key, decision, reason, note, reviewer, request: gr.Request):
            user = current_user(request)
            if review_id is None:
                raise gr.Error("Belum ada reviu yang dibuka.", print_exception=False, title=ERROR_TITLE)
            saved = ws.decide(review_id, key, decision, reason, note, reviewer, user)
            view = ws.view(review_id, user)
            no, f = view.numbered()[key]
            msg = (f"<div class='pbj-ok'>Tersimpan: temuan {no} — {render.e(DECISION_LABELS[saved['decision']])} "
                   f"oleh {render.e(saved['user'])} ({render.e(render.when(saved['decided_at']))}).</div>")
            return (msg, progress_text(view), decisions_table(view),
                    audit_html(ws.store.audit_log(review_id), view.numbered()),
                    finding_card(no, f, view.decisions.get(key)) + context_html(view.texts.get(f["document"]), f),
                    cards_html(view.report, view.decisions), summary_html(view.report, view.decisions),
                    gr.update(choices=ws.past_reviews(user), value=review_id))

        save_btn.click(save_decision, [rid, t_finding, t_decision, t_reason, t_note, t_reviewer],
                       [t_msg, progress_md, t_table, audit, t_card, cards, summary, past], api_name="putuskan")

        # -- Ekspor ------------------------------------------------------------------------------
        def make_export(fmt: str):
            @guarded
            def export(review_id, reviewer, request: gr.Request):
                if review_id is None:
                    raise gr.Error("Belum ada reviu yang dibuka untuk diekspor.", print_exception=False, title=ERROR_TITLE)
                paths = ws.export(review_id, fmt, current_user(request), author=reviewer or "")
                names = ", ".join(p.name for p in paths)
                return [str(p) for p in paths], f"<div class='pbj-ok'>Siap diunduh: {render.e(names)}</div>"
            return export

        for fmt, button in ex_buttons.items():
            button.click(make_export(fmt), [rid, t_reviewer], [ex_files, ex_msg], api_name=f"ekspor_{fmt}")

        # -- Aturan ------------------------------------------------------------------------------
        search = guarded(lambda q: rules_html(q))
        search_btn.click(search, query, rules_out, api_name="cari_aturan")
        query.submit(search, query, rules_out, api_name=False)

        # -- Bimtek ------------------------------------------------------------------------------
        @guarded
        def open_example(path, hidden, progress=gr.Progress()):
            if not path:
                raise gr.Error("Pilih contoh dari galeri.", print_exception=False, title=ERROR_TITLE)
            progress(0.1, desc="Menyiapkan dan memeriksa dokumen contoh")
            workdir = Path(tempfile.mkdtemp(prefix="pbj-bimtek-"))
            state = bimtek.open_example(path, workdir, lambda p: ws.review_fn(p, package=False))
            doc, step = bimtek.step_view(state, 0, hidden)
            return state, 0, doc, step

        ex_open.click(open_example, [ex_select, hide], [ex_state, ex_index, ex_doc, ex_step], api_name="buka_contoh")

        def stepper(delta: int):
            @guarded
            def move(state, index, hidden):
                n = len(state["problems"]) if state else 0
                index = max(0, min((index or 0) + delta, max(0, n - 1)))
                doc, step = bimtek.step_view(state, index, hidden)
                return index, doc, step
            return move

        prev_btn.click(stepper(-1), [ex_state, ex_index, hide], [ex_index, ex_doc, ex_step], api_name=False)
        next_btn.click(stepper(1), [ex_state, ex_index, hide], [ex_index, ex_doc, ex_step], api_name=False)
        hide.change(stepper(0), [ex_state, ex_index, hide], [ex_index, ex_doc, ex_step], api_name=False)

    demo.queue(default_concurrency_limit=8)
    return demo


def launch(demo: gr.Blocks, ws: Workspace, *, host: str | None = None, port: int | None = None,
           prevent_thread_lock: bool = False, quiet: bool = False):
    settings = ws.settings
    ws.export_dir.mkdir(parents=True, exist_ok=True)
    auth = settings.check_password if settings.login_required else None
    return demo.launch(
        server_name=host or settings.host, server_port=port or settings.port,
        auth=auth, auth_message="Masuk dengan akun yang diberikan admin." if auth else None,
        prevent_thread_lock=prevent_thread_lock, quiet=quiet, share=False, inbrowser=False,
        ssr_mode=False, footer_links=[], allowed_paths=[str(ws.export_dir)],
        max_file_size=f"{int(settings.limits.max_file_mb)}mb", theme=local_theme(), css=CSS,
        show_error=False, enable_monitoring=False, mcp_server=False, pwa=False,
    )


def create_workspace(settings: Settings | None = None, review_fn: Callable[..., Any] | None = None) -> Workspace:
    return Workspace(settings or load_settings(), review_fn=review_fn)


def serve(host: str | None = None, port: int | None = None, settings: Settings | None = None) -> None:
    """Start the workspace and block (the `reviewer serve` command)."""
    logging.basicConfig(level=logging.INFO)
    try:
        ws = create_workspace(settings)
    except (ConfigError, StoreError) as e:  # a setting or the database: say which, no traceback
        print(f"Aplikasi tidak dapat dijalankan: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    launch(build_app(ws), ws, host=host, port=port)
