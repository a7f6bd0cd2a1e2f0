"""PDF: text layer and ruled tables through pypdfium2 (fast: no second parse of the page), OCR
for pages without a text layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import IngestError
from .builder import DocumentBuilder
from .layout import KEY_VALUE, Line, furniture_keys, group_lines, is_furniture, line_kind, reaches_right_margin
from .limits import Limits, check_pages
from .ocr import ocr_lines, ocr_problem
from .pdf_tables import find_grid_tables

OCR_DPI = 300
MIN_PAGE_CHARS = 8
SCAN_MAX_CHARS = 120  # a scanned page may carry a little real text (stamp, e-sign note); still OCR it


@dataclass
class PageTable:
    top: float
    bottom: float
    rows: list[list[str]]


@dataclass
class PageContent:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    has_images: bool = False
    scanned: bool = False  # an image covers most of the page (a scan, perhaps with a stamp of text)
    ocr: bool = False


def open_pdf(data: bytes, name: str):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise IngestError(name, "PDF terkunci dengan kata sandi; buka kuncinya lalu unggah ulang") from None
        raise IngestError(name, "berkas PDF rusak atau terpotong") from None
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(name, "berkas PDF rusak atau terpotong (penanda akhir berkas tidak ada)")
    return pdf


def read_pdf(data: bytes, builder: DocumentBuilder, limits: Limits, ocr: bool,
             progress: Callable[[str, float], None] | None) -> None:
    pdf = open_pdf(data, builder.name)
    try:
        n = len(pdf)
        check_pages(builder.name, n, limits)
        if n == 0:
            raise IngestError(builder.name, "PDF tidak berisi halaman")
        pages = [_page_text(pdf, i, progress, n) for i in range(n)]
        _ocr_empty_pages(pdf, pages, builder, ocr, progress)
    finally:
        pdf.close()
    _emit(pages, builder)


def _page_text(pdf, i: int, progress, n: int) -> PageContent:
    import pypdfium2.raw as raw

    page = pdf[i]
    width, height = page.get_size()
    content = PageContent(width, height)
    textpage = page.get_textpage()
    rects = []
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if text.strip():
            rects.append(Line(text, left, right, height - top, height - bottom))
    content.lines = _merge_into_lines(rects)
    image_area = 0.0
    for obj in page.get_objects(max_depth=2, filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        image_area += max(right - left, 0) * max(top - bottom, 0)
    content.has_images = image_area > 0
    content.scanned = image_area >= 0.5 * width * height
    if content.lines:
        tables = find_grid_tables(page, textpage)
        content.tables = [PageTable(height - t.top, height - t.bottom, t.rows) for t in tables]
        if content.tables:  # cell text belongs to the table, not to the loose lines
            content.lines = [ln for ln in content.lines if not any(
                t.top - 1 <= (ln.top + ln.bottom) / 2 <= t.bottom + 1 for t in content.tables)]
    textpage.close()
    page.close()
    if progress:
        progress("ekstraksi", (i + 1) / n)
    return content


def _merge_into_lines(rects: list[Line]) -> list[Line]:
    """pdfium gives text runs; runs whose vertical centres fall inside one another form a line."""
    rects.sort(key=lambda r: (r.top, r.x0))
    lines: list[list[Line]] = []
    for r in rects:
        centre = (r.top + r.bottom) / 2
        for line in reversed(lines[-3:]):
            first = line[0]
            if first.top - 1 <= centre <= first.bottom + 1:
                line.append(r)
                break
        else:
            lines.append([r])
    out = []
    for parts in lines:
        parts.sort(key=lambda r: r.x0)
        out.append(Line(" ".join(" ".join(p.text.split()) for p in parts),
                        parts[0].x0, max(p.x1 for p in parts),
                        min(p.top for p in parts), max(p.bottom for p in parts)))
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out


def _ocr_empty_pages(pdf, pages: list[PageContent], builder: DocumentBuilder, ocr: bool, progress) -> None:
    def chars(p: PageContent) -> int:
        return sum(len(ln.text.strip()) for ln in p.lines)

    empty = [i for i, p in enumerate(pages) if not p.tables and (
        chars(p) < MIN_PAGE_CHARS or (p.scanned and chars(p) < SCAN_MAX_CHARS))]
    if not empty:
        return
    problem = None if ocr else "OCR dimatikan"
    if ocr:
        problem = ocr_problem()
    for k, i in enumerate(empty):
        content = pages[i]
        if problem is None:
            image = pdf[i].render(scale=OCR_DPI / 72).to_pil()
            scale = 72 / OCR_DPI
            lines = [Line(ln.text, ln.x0 * scale, ln.x1 * scale, ln.top * scale, ln.bottom * scale)
                     for ln in ocr_lines(image, OCR_DPI)]
            if sum(len(ln.text) for ln in lines) >= chars(content):  # OCR also reads the visible text layer
                content.lines = lines
            content.ocr = True
            builder.ocr_pages.append(i + 1)
            if progress:
                progress("OCR", (k + 1) / len(empty))
        if chars(content) < MIN_PAGE_CHARS:
            content.lines = []
            if problem is None:
                builder.warn(f"Halaman {i + 1} tidak berisi teks yang dapat dibaca, juga setelah OCR")
            else:
                builder.warn(f"Halaman {i + 1} tidak berisi teks yang dapat dibaca ({problem})")
        elif problem is not None:
            builder.warn(f"Halaman {i + 1} adalah hasil pindai; hanya sebagian kecil teksnya terbaca ({problem})")


def _emit(pages: list[PageContent], builder: DocumentBuilder) -> None:
    keys = furniture_keys([p.lines for p in pages], [p.height for p in pages])
    open_table: int | None = None  # table that ended the previous page, which may continue here
    runs_on = False  # the previous page ended inside a wrapped sentence
    for number, content in enumerate(pages, start=1):
        builder.new_page()
        lines = [ln for ln in content.lines if not is_furniture(ln, keys, content.height)]
        items: list[tuple[float, object]] = [(ln.top, ln) for ln in lines] + [(t.top, t) for t in content.tables]
        items.sort(key=lambda it: it[0])
        width = max((ln.x1 for ln in lines), default=content.width)
        pending: list[Line] = []
        for pos, (_, item) in enumerate(items):
            if isinstance(item, Line):
                pending.append(item)
                open_table = None
                continue
            _flush(pending, builder, number, width, runs_on)
            pending, runs_on = [], False
            open_table = _emit_table(item, builder, number, open_table if pos == 0 else None)
        _flush(pending, builder, number, width, runs_on)
        runs_on = bool(pending) and _ends_mid_sentence(pending, lines)
        if items and not isinstance(items[-1][1], PageTable):
            open_table = None


# a sentence that stops at the foot of a page without its full stop, on a line that reaches the
# right margin, goes on at the top of the next page ("... Cabang Gunung Halimun" / "Raya, ...")
END_OF_SENTENCE = (".", ":", ";", "!", "?")


def _ends_mid_sentence(pending: list[Line], lines: list[Line]) -> bool:
    last = pending[-1]
    text = " ".join(last.text.split())
    if not text or text.endswith(END_OF_SENTENCE) or line_kind(text) == "heading":
        return False
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    return right > left and reaches_right_margin(last, left, right)


def _flush(lines: list[Line], builder: DocumentBuilder, page: int, width: float, runs_on: bool = False) -> None:
    if not lines:
        return
    groups = group_lines(lines, full_width=width)
    if runs_on and groups and groups[0][0] == "paragraph" and not KEY_VALUE.match(groups[0][1]):
        if builder.continue_block(groups[0][1]):
            groups = groups[1:]
    for kind, text in groups:
        builder.add_block(kind, text, location=f"halaman {page}")
    builder.end_table()


def _emit_table(table: PageTable, builder: DocumentBuilder, page: int, continuing: int | None) -> int:
    ncols = max(len(r) for r in table.rows)
    rows = table.rows
    if continuing is not None:
        previous = builder.tables[continuing]
        if max(len(r) for r in previous.rows) == ncols:
            if rows[0] == previous.rows[0]:
                rows = rows[1:]  # header repeated on the new page
            for row in rows:
                builder.add_row(continuing, row, location=f"halaman {page}")
            return continuing
    builder.end_table()
    index = builder.start_table()
    for row in rows:
        builder.add_row(index, row, location=f"halaman {page}")
    return index
