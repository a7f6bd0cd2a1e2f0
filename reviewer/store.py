"""Saved reviews and the reviewer's decisions on each finding, with an audit trail.

SQLAlchemy 2.x; SQLite by default (WAL journal and a busy timeout, so several users and threads can
decide at the same time without "database is locked"), any other SQLAlchemy URL (PostgreSQL) works.
Tables are created on start. Every decision is written in its own transaction together with its
audit row, so a crash never loses a decision that was confirmed to the user.

Carry-over: when a new review holds a document the same user reviewed before (a revised version:
the same name, or a renamed file with the same bytes or mostly the same text), decisions on the
same findings are copied and logged as carried over.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (ForeignKey, LargeBinary, String, Text, UniqueConstraint, create_engine, event,
                        select)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from .errors import ReviewerError

DECISIONS = ("diterima", "ditolak", "selesai")
DECISION_LABELS = {
    "diterima": "Diterima (perlu diperbaiki)",
    "ditolak": "Ditolak (bukan masalah)",
    "selesai": "Selesai (sudah diperbaiki)",
}
KEEP_BLOB_FORMATS = ("docx",)  # originals kept so the commented DOCX can be exported later
RENAMED_LOOKBACK = 50  # earlier documents of the user compared with a new name
RENAMED_MIN_SIMILARITY = 0.8  # share of word 3-grams two versions of one document have in common


class StoreError(ReviewerError):
    """A decision or lookup that cannot be done; the message is for the user (Bahasa Indonesia)."""


class Base(DeclarativeBase):
    pass


class ReviewRow(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    report_json: Mapped[str] = mapped_column(Text)
    findings_total: Mapped[int] = mapped_column(default=0)


class DocumentRow(Base):
    __tablename__ = "review_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str | None] = mapped_column(Text)
    original: Mapped[bytes | None] = mapped_column(LargeBinary)


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("review_id", "finding_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    finding_key: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[str] = mapped_column(String(40))


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    finding_key: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20))  # putusan | dibawa (carried over)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[str] = mapped_column(String(40))
    carried_from: Mapped[int | None] = mapped_column(default=None)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def text_similarity(a: str, b: str) -> float:
    """Overlap of word 3-grams relative to the larger text: a revision that edits a few clauses
    stays high; two KAK from one template, or a page cut out of a longer document, stay lower."""
    if not a or not b or not 0.5 <= len(a) / len(b) <= 2:  # cheap test first: very different lengths
        return 0.0
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / max(len(sa), len(sb))


def _safe_url(url: str) -> str:
    """The URL for a message, with any password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _decision_dict(row: DecisionRow) -> dict[str, Any]:
    return {"decision": row.decision, "reason": row.reason, "note": row.note, "user": row.user,
            "decided_at": row.decided_at}


def _sqlite_pragmas(engine) -> None:
    """WAL lets readers work while one writer writes; BEGIN IMMEDIATE takes the write lock up front
    so two writers queue on the busy timeout instead of failing with a deadlock."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class ReviewStore:
    def __init__(self, url: str):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            folder = Path(url.removeprefix("sqlite:///")).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"Folder basis data {folder} tidak dapat dibuat: {e.strerror}") from e
        is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {}
        if is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        try:
            self.engine = create_engine(url, **kwargs)
        except ModuleNotFoundError as e:  # e.g. PostgreSQL without its driver
            raise StoreError(f"Driver basis data '{e.name}' belum terpasang untuk {_safe_url(url)}. "
                             "Untuk PostgreSQL: pip install 'pbj-reviewer[postgres]'.") from e
        except ArgumentError as e:
            raise StoreError(f"Alamat basis data tidak dikenali: {_safe_url(url)}") from e
        if is_sqlite:
            _sqlite_pragmas(self.engine)
        try:
            Base.metadata.create_all(self.engine)
        except (OperationalError, InterfaceError) as e:
            raise StoreError(f"Basis data {_safe_url(url)} tidak dapat dibuka: "
                             f"{str(e.orig or e).strip().splitlines()[0]}") from e
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- writing -------------------------------------------------------------------------------

    def _write(self, fn):
        """Run `fn(session)` in one transaction; retry a few times if the database stays busy
        (SQLite) or another writer inserted the same decision first (PostgreSQL: the retry then
        finds that row and updates it)."""
        for attempt in range(5):
            try:
                with self._sessions.begin() as session:
                    return fn(session)
            except IntegrityError:
                if attempt == 4:
                    raise
            except OperationalError as e:
                if "locked" not in str(e).lower() or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def save_review(self, report: Any, user: str, title: str | None = None) -> int:
        """Store a Report (or its dict) with its documents; carry over earlier decisions.
        Returns the new review id."""
        report_dict = report if isinstance(report, dict) else report.to_dict()
        sources = {} if isinstance(report, dict) else dict(getattr(report, "sources", {}) or {})
        names = [d["name"] for d in report_dict.get("documents", [])]
        for err in report_dict.get("errors", []):
            if err.get("file") and err["file"] not in names:
                names.append(err["file"])
        docs = []
        for d in report_dict.get("documents", []):
            src = sources.get(d["name"])
            text = getattr(src, "text", None)
            fmt = getattr(src, "format", None) or d.get("format", "")
            sha = getattr(src, "sha256", None)
            blob = None
            path = getattr(src, "path", None)
            if path and fmt in KEEP_BLOB_FORMATS and Path(path).is_file():
                blob = Path(path).read_bytes()
                sha = sha or hashlib.sha256(blob).hexdigest()
            docs.append((d["name"], sha, fmt, text, blob))
        keys = {f["key"] for f in report_dict.get("findings", [])}
        title = title or ", ".join(names) or "(tanpa dokumen)"

        def work(s: Session) -> int:
            row = ReviewRow(owner=user, created_at=_now(), title=title[:500],
                            report_json=json.dumps(report_dict, ensure_ascii=False, default=str),
                            findings_total=len(keys))
            s.add(row)
            s.flush()
            for name, sha, fmt, text, blob in docs:
                s.add(DocumentRow(review_id=row.id, name=name, sha256=sha, format=fmt, text=text,
                                  original=blob))
            self._carry_over(s, row.id, user, docs, keys)
            return row.id

        return self._write(work)

    def _carry_over(self, s: Session, review_id: int, user: str, docs: list[tuple], keys: set[str]) -> None:
        if not keys or not docs:
            return
        for name, sha, _fmt, text, _blob in docs:
            found = self._previous_version(s, review_id, user, name, sha, text)
            if found is None:
                continue
            prev_id, prev_name = found
            wanted = {k for k in keys if k.split("|", 2)[1:2] == [name]}
            prev = s.scalars(select(DecisionRow).where(DecisionRow.review_id == prev_id)).all()
            for d in prev:
                rule, doc, evidence = (d.finding_key.split("|", 2) + ["", ""])[:3]
                if doc != prev_name:
                    continue
                key = f"{rule}|{name}|{evidence}"  # a renamed file: the same finding under the new name
                if key not in wanted:
                    continue
                exists = s.scalar(select(DecisionRow.id).where(DecisionRow.review_id == review_id,
                                                               DecisionRow.finding_key == key))
                if exists:
                    continue
                s.add(DecisionRow(review_id=review_id, finding_key=key, decision=d.decision,
                                  reason=d.reason, note=d.note, user=d.user, decided_at=d.decided_at))
                after = dict(_decision_dict(d), **({"from_document": prev_name} if prev_name != name else {}))
                s.add(AuditRow(review_id=review_id, finding_key=key, action="dibawa",
                               before_json=None, after_json=json.dumps(after, ensure_ascii=False),
                               user=user, at=_now(), carried_from=prev_id))

    def _previous_version(self, s: Session, review_id: int, user: str, name: str, sha: str | None,
                          text: str | None) -> tuple[int, str] | None:
        """The latest earlier review of this user holding this document: by the same name, or, for a
        renamed file (KAK_rev2.docx), by the same bytes or a text that is mostly the same."""
        earlier = (select(DocumentRow.review_id, DocumentRow.name, DocumentRow.sha256, DocumentRow.text)
                   .join(ReviewRow, ReviewRow.id == DocumentRow.review_id)
                   .where(ReviewRow.owner == user, ReviewRow.id != review_id))
        same_name = s.execute(earlier.where(DocumentRow.name == name)
                              .order_by(DocumentRow.review_id.desc()).limit(1)).first()
        if same_name is not None:
            return same_name.review_id, name
        recent = s.execute(earlier.order_by(DocumentRow.review_id.desc()).limit(RENAMED_LOOKBACK)).all()
        for row in recent:
            if sha and row.sha256 == sha:
                return row.review_id, row.name
            if text and row.text and text_similarity(text, row.text) >= RENAMED_MIN_SIMILARITY:
                return row.review_id, row.name
        return None

    def decide(self, review_id: int, finding_key: str, decision: str, reason: str = "", note: str = "",
               user: str = "") -> dict[str, Any]:
        """Record a decision on one finding. `ditolak` needs a reason. Returns the stored decision."""
        if decision not in DECISIONS:
            raise StoreError(f"Keputusan '{decision}' tidak dikenal; pilih {', '.join(DECISIONS)}")
        reason = (reason or "").strip()
        if decision == "ditolak" and not reason:
            raise StoreError("Temuan yang ditolak wajib diberi alasan.")
        if not (user or "").strip():
            raise StoreError("Nama pereviu wajib diisi.")
        report = self._report_json(review_id)
        if finding_key not in {f["key"] for f in report.get("findings", [])}:
            raise StoreError("Temuan tidak ada dalam reviu ini.")

        def work(s: Session) -> dict[str, Any]:
            # FOR UPDATE: on PostgreSQL a second writer waits here, so its audit row's "before"
            # is the first writer's decision (SQLite's BEGIN IMMEDIATE already serialises writers)
            row = s.scalar(select(DecisionRow).where(DecisionRow.review_id == review_id,
                                                     DecisionRow.finding_key == finding_key).with_for_update())
            before = _decision_dict(row) if row else None
            if row is None:
                row = DecisionRow(review_id=review_id, finding_key=finding_key)
                s.add(row)
            row.decision, row.reason, row.note = decision, reason, (note or "").strip()
            row.user, row.decided_at = user.strip(), _now()
            after = _decision_dict(row)
            s.add(AuditRow(review_id=review_id, finding_key=finding_key, action="putusan",
                           before_json=json.dumps(before, ensure_ascii=False) if before else None,
                           after_json=json.dumps(after, ensure_ascii=False), user=user.strip(), at=row.decided_at))
            return after

        return self._write(work)

    # -- reading -------------------------------------------------------------------------------

    def _report_json(self, review_id: int) -> dict:
        with self._sessions() as s:
            row = s.get(ReviewRow, review_id)
            if row is None:
                raise StoreError(f"Reviu #{review_id} tidak ditemukan.")
            return json.loads(row.report_json)

    def get_review(self, review_id: int) -> tuple[dict, dict[str, dict]]:
        report = self._report_json(review_id)
        return report, self.decisions(review_id)

    def decisions(self, review_id: int) -> dict[str, dict]:
        with self._sessions() as s:
            rows = s.scalars(select(DecisionRow).where(DecisionRow.review_id == review_id)).all()
            return {r.finding_key: _decision_dict(r) for r in rows}

    def owner(self, review_id: int) -> str:
        with self._sessions() as s:
            row = s.get(ReviewRow, review_id)
            if row is None:
                raise StoreError(f"Reviu #{review_id} tidak ditemukan.")
            return row.owner

    def list_reviews(self, user: str, role: str) -> list[dict[str, Any]]:
        """Newest first. A `penyusun` sees own reviews; `reviu` sees everyone's."""
        with self._sessions() as s:
            q = select(ReviewRow.id, ReviewRow.owner, ReviewRow.created_at, ReviewRow.title,
                       ReviewRow.findings_total).order_by(ReviewRow.id.desc())
            if role != "reviu":
                q = q.where(ReviewRow.owner == user)
            rows = s.execute(q).all()
            out = []
            for r in rows:
                decided = len(s.scalars(select(DecisionRow.id).where(DecisionRow.review_id == r.id)).all())
                out.append({"id": r.id, "owner": r.owner, "created_at": r.created_at, "title": r.title,
                            "total": r.findings_total, "decided": decided})
            return out

    def document(self, review_id: int, name: str) -> dict[str, Any] | None:
        """The stored text (and original bytes for DOCX) of one reviewed document."""
        with self._sessions() as s:
            row = s.scalar(select(DocumentRow).where(DocumentRow.review_id == review_id,
                                                     DocumentRow.name == name))
            if row is None:
                return None
            return {"name": row.name, "format": row.format, "sha256": row.sha256, "text": row.text,
                    "original": row.original}

    def audit_log(self, review_id: int) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.scalars(select(AuditRow).where(AuditRow.review_id == review_id).order_by(AuditRow.id)).all()
            return [{"finding_key": r.finding_key, "action": r.action,
                     "before": json.loads(r.before_json) if r.before_json else None,
                     "after": json.loads(r.after_json), "user": r.user, "at": r.at,
                     "carried_from": r.carried_from} for r in rows]

    def progress(self, review_id: int) -> tuple[int, int]:
        report = self._report_json(review_id)
        keys = {f["key"] for f in report.get("findings", [])}
        decided = sum(1 for k in self.decisions(review_id) if k in keys)
        return decided, len(keys)
