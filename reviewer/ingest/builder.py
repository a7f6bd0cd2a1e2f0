"""Assembles a Document: appends blocks to one text and keeps every offset and page consistent."""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Block, Document, Table

CELL_SEP = " | "


class DocumentBuilder:
    """Blocks are separated by a blank line, rows of one table by a single newline, so that
    `text[block.start:block.end]` is always the block's own text."""

    def __init__(self, name: str, fmt: str):
        self.name = name
        self.format = fmt
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.page_starts: list[int | None] = []
        self.page_labels: list[str] = []
        self.warnings: list[str] = []
        self.ocr_pages: list[int] = []
        self.page = 0
        self._last_table: int | None = None  # table whose row was the last block written

    # pages ---------------------------------------------------------------
    def new_page(self, label: str | None = None) -> int:
        """Start page `self.page + 1`; later blocks belong to it."""
        self.page += 1
        self.page_starts.append(None)  # fixed by the first block written on this page
        if label is not None:
            self.page_labels.append(label)
        return self.page

    def _start_pending_pages(self, offset: int) -> None:
        """Pages opened since the last text was written begin at `offset`."""
        for i in range(len(self.page_starts) - 1, -1, -1):
            if self.page_starts[i] is not None:
                break
            self.page_starts[i] = offset

    def _append(self, text: str, table: int | None) -> tuple[int, int]:
        if self.page == 0:
            self.new_page()
        if self.parts:
            sep = "\n" if table is not None and table == self._last_table else "\n\n"
            self.parts.append(sep)
            self.length += len(sep)
        start = self.length
        self._start_pending_pages(start)
        self.parts.append(text)
        self.length += len(text)
        self._last_table = table
        return start, self.length

    # blocks --------------------------------------------------------------
    def add_block(self, kind: str, text: str, location: str | None = None, style: str | None = None) -> int:
        text = text.strip()
        if not text:
            return -1
        start, end = self._append(text, None)
        self.blocks.append(Block(kind=kind, start=start, end=end, page=self.page,
                                 location=location or f"halaman {self.page}", style=style))
        return len(self.blocks) - 1

    def continue_block(self, text: str) -> bool:
        """Append `text` to the last block (a paragraph that runs on over a page break); the pages
        started since then begin where the added text begins."""
        text = text.strip()
        if not text or not self.blocks or self._last_table is not None:
            return False
        last = self.blocks[-1]
        if last.end != self.length or last.kind not in ("paragraph", "list_item"):
            return False
        joiner = "" if self.parts[-1].endswith("-") and text[0].islower() else " "
        self.parts.append(joiner)
        self.length += len(joiner)
        self._start_pending_pages(self.length)
        self.parts.append(text)
        self.length += len(text)
        last.end = self.length
        return True

    def start_table(self, sheet: str | None = None) -> int:
        self.tables.append(Table(page=self.page or 1, rows=[], start=self.length, end=self.length, sheet=sheet))
        self._last_table = None
        return len(self.tables) - 1

    def add_row(self, table: int, cells: list[str], values: list[Any] | None = None,
                location: str | None = None) -> int:
        """Append one row to `table` (also when the table continues on a later page)."""
        t = self.tables[table]
        cells = [" ".join(c.split()) if c else "" for c in cells]
        start, end = self._append(CELL_SEP.join(cells), table)
        if not t.rows:
            t.start = start
            t.page = self.page
        row = len(t.rows)
        t.rows.append(cells)
        if values is not None:
            if t.values is None:
                t.values = [[None] * len(r) for r in t.rows[:-1]]
            t.values.append(values)
        elif t.values is not None:
            t.values.append([None] * len(cells))
        t.end = end
        self.blocks.append(Block(kind="table_row", start=start, end=end, page=self.page,
                                 location=location or f"halaman {self.page}", table=table, row=row, cells=cells))
        t.row_blocks.append(len(self.blocks) - 1)
        return len(self.blocks) - 1

    def add_table(self, rows: list[list[str]], values: list[list[Any]] | None = None,
                  sheet: str | None = None, locations: list[str] | None = None) -> int:
        ti = self.start_table(sheet)
        for i, row in enumerate(rows):
            self.add_row(ti, row, values[i] if values else None, locations[i] if locations else None)
        if not self.tables[ti].rows:
            self.tables.pop()
            return -1
        return ti

    def end_table(self) -> None:
        self._last_table = None

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # result --------------------------------------------------------------
    def build(self, data: bytes | None = None, path: str | None = None) -> Document:
        text = "".join(self.parts)
        # a page with no text (e.g. unreadable) starts where the text ends
        starts = [len(text) if s is None else s for s in self.page_starts] or [0]
        return Document(
            name=self.name, format=self.format, text=text, blocks=self.blocks,
            tables=self.tables, page_starts=starts, page_labels=self.page_labels,
            warnings=self.warnings, ocr_pages=self.ocr_pages, path=path,
            sha256=hashlib.sha256(data).hexdigest() if data is not None else None,
        )
