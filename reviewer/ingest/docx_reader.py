"""DOCX: body paragraphs and tables in document order, list markers resolved from numbering.xml,
headings from styles, page numbers from explicit and rendered page breaks."""

from __future__ import annotations

import io
import re
from typing import Callable

from ..errors import IngestError
from .builder import DocumentBuilder
from .numbering import W, NumberingResolver

HEADING_STYLE = re.compile(r"^(heading|judul)\s*(\d)?$|^title$", re.IGNORECASE)


def read_docx(data: bytes, builder: DocumentBuilder, progress: Callable[[str, float], None] | None) -> None:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several types for broken packages
        raise IngestError(builder.name, "berkas DOCX rusak atau tidak lengkap") from None
    try:
        numbering = NumberingResolver.from_part(document.part.numbering_part.element)
    except (NotImplementedError, KeyError):  # no numbering part in this document
        numbering = NumberingResolver()
    styles = _Styles(document)
    reader = _BodyReader(builder, numbering, styles)
    body = document.element.body
    children = list(body.iterchildren())
    builder.new_page()
    for k, child in enumerate(children):
        if child.tag == f"{W}p":
            reader.paragraph(child)
        elif child.tag == f"{W}tbl":
            reader.table(child)
        elif child.tag == f"{W}sdt":  # content controls (e.g. a cover page) hold ordinary paragraphs
            for inner in child.iter(f"{W}p"):
                reader.paragraph(inner)
        if progress and k % 50 == 0:
            progress("ekstraksi", (k + 1) / len(children))
    if progress:
        progress("ekstraksi", 1.0)


class _Styles:
    """Style id -> (name, numPr from the style chain, outline level)."""

    def __init__(self, document):
        self.by_id = {}
        for s in document.styles.element.findall(f"{W}style"):
            self.by_id[s.get(f"{W}styleId")] = s

    def name(self, style_id: str | None) -> str:
        el = self.by_id.get(style_id or "")
        if el is None:
            return ""
        n = el.find(f"{W}name")
        return n.get(f"{W}val", "") if n is not None else ""

    def num_pr(self, style_id: str | None) -> tuple[str | None, int]:
        seen = 0
        while style_id and seen < 10:
            el = self.by_id.get(style_id)
            if el is None:
                break
            num_pr = el.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{W}numId")
                ilvl = num_pr.find(f"{W}ilvl")
                return (num_id.get(f"{W}val") if num_id is not None else None,
                        int(ilvl.get(f"{W}val")) if ilvl is not None else 0)
            based = el.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
            seen += 1
        return None, 0


class _BodyReader:
    def __init__(self, builder: DocumentBuilder, numbering: NumberingResolver, styles: _Styles):
        self.b = builder
        self.numbering = numbering
        self.styles = styles
        self.text_since_break = False  # a rendered page break right after an explicit one is the same break

    def _break(self) -> None:
        if self.text_since_break:
            self.b.new_page()
            self.text_since_break = False

    @staticmethod
    def _runs_text(p) -> str:
        """Paragraph text, with \x0c for an explicit page break and \x0b for a rendered one."""
        parts: list[str] = []
        for el in p.iter():
            tag = el.tag
            if tag == f"{W}t":
                parts.append(el.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if el.get(f"{W}type") == "page":
                    parts.append("\x0c")
                elif el.get(f"{W}type") != "column":
                    parts.append("\n")
            elif tag == f"{W}lastRenderedPageBreak":
                parts.append("\x0b")
        return "".join(parts)

    def paragraph(self, p) -> None:
        ppr = p.find(f"{W}pPr")
        style_id = None
        num_id, ilvl = None, 0
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            style_id = ps.get(f"{W}val") if ps is not None else None
            if ppr.find(f"{W}pageBreakBefore") is not None and ppr.find(f"{W}pageBreakBefore").get(f"{W}val", "1") not in ("0", "false"):
                self._break()
            num_pr = ppr.find(f"{W}numPr")
            if num_pr is not None:
                n = num_pr.find(f"{W}numId")
                lv = num_pr.find(f"{W}ilvl")
                num_id = n.get(f"{W}val") if n is not None else None
                ilvl = int(lv.get(f"{W}val")) if lv is not None else 0
        if num_id is None:
            num_id, ilvl = self.styles.num_pr(style_id)
        raw = self._runs_text(p)
        style_name = self.styles.name(style_id)
        segments = re.split(r"([\x0b\x0c])", raw)
        text_parts: list[str] = []
        for seg in segments:
            if seg == "\x0c":
                self._emit(text_parts, style_name, num_id, ilvl)
                text_parts = []
                self.text_since_break = True  # an explicit break always counts
                self._break()
            elif seg == "\x0b":
                if "".join(text_parts).strip():
                    self._emit(text_parts, style_name, num_id, ilvl)
                    text_parts = []
                    self.text_since_break = True
                self._break()
            else:
                text_parts.append(seg)
        self._emit(text_parts, style_name, num_id, ilvl)
        sect = ppr.find(f"{W}sectPr") if ppr is not None else None
        if sect is not None:
            stype = sect.find(f"{W}type")
            if stype is None or stype.get(f"{W}val") in ("nextPage", "oddPage", "evenPage"):
                self._break()

    def _emit(self, parts: list[str], style_name: str, num_id: str | None, ilvl: int) -> None:
        text = "".join(parts).replace("\t", " ")
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        if not text:
            return
        marker = self.numbering.marker(num_id, ilvl) if num_id else None
        m = HEADING_STYLE.match(style_name.strip())
        if m:
            kind = "heading"
        elif marker is not None:
            kind = "list_item"
        else:
            kind = "paragraph"
        if marker:
            text = f"{marker} {text}"
        self.b.add_block(kind, text, location=f"halaman {self.b.page}", style=style_name or None)
        self.text_since_break = True

    def table(self, tbl) -> None:
        rows: list[list[str]] = []
        for tr in tbl.findall(f"{W}tr"):
            cells: list[str] = []
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span, continued = 1, False
                if tcpr is not None:
                    gs = tcpr.find(f"{W}gridSpan")
                    span = int(gs.get(f"{W}val", "1")) if gs is not None else 1
                    vm = tcpr.find(f"{W}vMerge")
                    continued = vm is not None and vm.get(f"{W}val", "continue") == "continue"
                text = "" if continued else " ".join(
                    "".join(t.text or "" for t in para.iter(f"{W}t")) for para in tc.iter(f"{W}p")).strip()
                # a merged cell keeps its text in the first grid column only
                cells.extend([" ".join(text.split())] + [""] * (span - 1))
            if any(cells):
                rows.append(cells)
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        self.b.end_table()
        self.b.add_table(rows, locations=[f"halaman {self.b.page}"] * len(rows))
        self.b.end_table()
        self.text_since_break = True
