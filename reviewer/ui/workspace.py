"""What the workspace does, without Gradio: run a review and save it, load a saved review for the
views, record decisions with role checks, write exports. The Gradio layer only wires these up."""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..config import Settings, User
from ..errors import ReviewerError
from ..export import write_commented_docx, write_html, write_json, write_pdf, write_register
from ..store import ReviewStore, StoreError
from .render import ordered_findings
from .uploads import collect_files

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, float], None]
EXPORT_FORMATS = ("xlsx", "docx", "html", "pdf", "json")


class WorkspaceError(ReviewerError):
    """Something the user asked that cannot be done; the message says why, in Indonesian."""


@dataclass
class ReviewView:
    review_id: int
    report: dict
    decisions: dict[str, dict]
    texts: dict[str, str | None] = field(default_factory=dict)

    @property
    def findings(self) -> list[dict]:
        return ordered_findings(self.report)

    def numbered(self) -> dict[str, tuple[int, dict]]:
        return {f["key"]: (no, f) for no, f in enumerate(self.findings, 1)}


def _default_review(paths, *, package=None, progress=None):
    from ..review import review
    return review(paths, package=package, progress=progress)


def _safe_filename(name: str) -> str:
    return re.sub(r"[^\w.\- ]+", "_", name).strip() or "dokumen"


class Workspace:
    def __init__(self, settings: Settings, store: ReviewStore | None = None,
                 review_fn: Callable[..., Any] | None = None):
        self.settings = settings
        self.store = store or ReviewStore(settings.database_url)
        self.review_fn = review_fn or _default_review
        self.upload_dir = Path(tempfile.mkdtemp(prefix="pbj-unggah-"))
        self.export_dir = settings.data_dir / "ekspor"

    # -- reviewing -----------------------------------------------------------------------------

    def run_review(self, uploaded: list[str], user: User, package: bool | None = None,
                   progress: ProgressFn | None = None) -> tuple[int | None, list[dict]]:
        """Review the uploads and save the result. Returns (review id or None, refusals)."""
        if not uploaded:
            raise WorkspaceError("Belum ada berkas. Unggah PDF, DOCX, XLSX atau ZIP paket dokumen.")
        collected = collect_files(uploaded, Path(tempfile.mkdtemp(dir=self.upload_dir)), self.settings.limits)
        if not collected.files:
            return None, collected.errors
        report = self.review_fn(collected.files, package=package, progress=progress)
        report.errors = list(collected.errors) + list(report.errors or [])
        if not report.documents and not report.findings:
            return None, report.errors
        rid = self.store.save_review(report, user.name)
        return rid, report.errors

    # -- reading -------------------------------------------------------------------------------

    def visible(self, review_id: int, user: User) -> bool:
        return user.role == "reviu" or self.store.owner(review_id) == user.name

    def view(self, review_id: int, user: User) -> ReviewView:
        if not self.visible(review_id, user):
            raise WorkspaceError("Reviu ini milik pengguna lain.")
        report, decisions = self.store.get_review(review_id)
        texts = {}
        for doc in report.get("documents", []):
            stored = self.store.document(review_id, doc["name"])
            texts[doc["name"]] = stored["text"] if stored else None
        return ReviewView(review_id, report, decisions, texts)

    def past_reviews(self, user: User) -> list[tuple[str, int]]:
        out = []
        for r in self.store.list_reviews(user.name, user.role):
            owner = f" · {r['owner']}" if self.settings.login_required and user.role == "reviu" else ""
            out.append((f"#{r['id']} {r['title'][:80]} ({r['decided']}/{r['total']} diputuskan){owner} · {r['created_at'][:16]}", r["id"]))
        return out

    def latest_review(self, user: User) -> int | None:
        reviews = self.store.list_reviews(user.name, user.role)
        own = [r for r in reviews if r["owner"] == user.name]
        return (own or reviews or [{"id": None}])[0]["id"]

    # -- deciding ------------------------------------------------------------------------------

    def decide(self, review_id: int, key: str, decision: str, reason: str, note: str,
               reviewer: str, user: User) -> dict:
        if self.settings.login_required and user.role != "reviu":
            raise WorkspaceError("Hanya pengguna berperan 'reviu' yang dapat memutuskan temuan.")
        if not self.visible(review_id, user):
            raise WorkspaceError("Reviu ini milik pengguna lain.")
        if not key:
            raise WorkspaceError("Pilih temuan yang akan diputuskan.")
        if not decision:
            raise WorkspaceError("Pilih keputusan: diterima, ditolak atau selesai.")
        return self.store.decide(review_id, key, decision, reason=reason, note=note,
                                 user=(reviewer or "").strip() or user.name)

    # -- exporting -----------------------------------------------------------------------------

    def export(self, review_id: int, fmt: str, user: User, author: str = "") -> list[Path]:
        view = self.view(review_id, user)
        if fmt not in EXPORT_FORMATS:
            raise WorkspaceError(f"Format ekspor tidak dikenal: {fmt}")
        out_dir = self.export_dir / str(review_id)
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = f"reviu-{review_id}"
        if fmt == "xlsx":
            return [write_register(view.report, view.decisions, out_dir / f"{stem}-register.xlsx")]
        if fmt == "html":
            return [write_html(view.report, view.decisions, out_dir / f"{stem}-laporan.html")]
        if fmt == "pdf":
            return [write_pdf(view.report, view.decisions, out_dir / f"{stem}-laporan.pdf")]
        if fmt == "json":
            return [write_json(view.report, view.decisions, out_dir / f"{stem}.json")]
        paths = []
        for doc in view.report.get("documents", []):
            stored = self.store.document(review_id, doc["name"])
            if not stored or not stored.get("original"):
                continue
            target = out_dir / f"{Path(_safe_filename(doc['name'])).stem}-dengan-komentar.docx"
            result = write_commented_docx(stored["original"], view.report, view.decisions, target,
                                          doc["name"], author=author or user.name)
            paths.append(result.path)
        if not paths:
            raise WorkspaceError("Tidak ada dokumen DOCX dalam reviu ini; komentar Word hanya untuk masukan DOCX.")
        return paths


def user_message(exc: BaseException) -> str:
    """The Indonesian message for any failure, never a traceback."""
    if isinstance(exc, (ReviewerError, StoreError)):
        return str(exc)
    log.exception("unexpected error in the workspace", exc_info=exc)
    return "Terjadi kesalahan tak terduga; rinciannya dicatat di log server. Silakan coba lagi."
