"""Plain text and Markdown: blank lines separate paragraphs; a form feed or a line such as
"=== page 3 ===" starts a new page; lines with " | " or tabs form tables."""

from __future__ import annotations

import re

from .builder import DocumentBuilder
from .layout import Line, group_lines

PAGE_MARK = re.compile(r"^\s*=+\s*(?:page|halaman)\s*(\d+)\s*=+\s*$", re.IGNORECASE)
MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_text(data: bytes, builder: DocumentBuilder) -> None:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    pages = _split_pages(text)
    for page_text in pages:
        builder.new_page()
        for para in re.split(r"\n\s*\n", page_text):
            lines = [ln for ln in para.split("\n") if ln.strip()]
            if lines:
                _paragraph(lines, builder)


def _split_pages(text: str) -> list[str]:
    """Form feeds and "=== page N ===" marks break pages, except "=== page 1 ===" opening the
    file: a note above it stays on page 1 so page numbers match the marks."""
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        mark = PAGE_MARK.match(line)
        if mark:
            if not (len(pages) == 1 and mark.group(1) == "1"):
                pages.append([])
            continue
        chunks = line.split("\f")
        pages[-1].append(chunks[0])
        for chunk in chunks[1:]:
            pages.append([chunk])
    if len(pages) > 1 and not "".join(pages[-1]).strip():
        pages.pop()  # a trailing form feed does not open a page
    return ["\n".join(p) for p in pages]


def _is_table_line(line: str) -> bool:
    return line.count(" | ") >= 1 or line.count("\t") >= 2 or (line.strip().startswith("|") and line.count("|") >= 3)


def _cells(line: str) -> list[str]:
    if "\t" in line and "|" not in line:
        return [c.strip() for c in line.split("\t")]
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped.strip("|")
    return [c.strip() for c in stripped.split("|")]


def _paragraph(lines: list[str], builder: DocumentBuilder) -> None:
    pending: list[Line] = []
    table_rows: list[list[str]] = []

    def flush_text():
        nonlocal pending
        for kind, text in group_lines(pending):
            builder.add_block(kind, text)
        pending = []

    def flush_table():
        nonlocal table_rows
        rows = [r for r in table_rows if not all(re.fullmatch(r":?-{2,}:?", c) or not c for c in r)]
        if rows:
            width = max(len(r) for r in rows)
            builder.end_table()
            builder.add_table([r + [""] * (width - len(r)) for r in rows])
            builder.end_table()
        table_rows = []

    for line in lines:
        if _is_table_line(line):
            flush_text()
            table_rows.append(_cells(line))
            continue
        flush_table()
        m = MD_HEADING.match(line.strip())
        if m:
            flush_text()
            builder.add_block("heading", m.group(1))
            continue
        pending.append(Line(line))
    flush_table()
    flush_text()
