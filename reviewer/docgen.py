"""Realistic procurement documents (PDF, DOCX, XLSX, TXT, scanned PDF, PNG) from a small spec.

Used by the tests, the evaluation set and the example gallery, so the files must look like what a
PPK really produces: headings, wrapped paragraphs, real numbered lists in DOCX, grid tables in PDF,
formulas with cached results in XLSX, image-only scans for OCR.

    spec = {"name": "kak-laptop", "format": "docx", "blocks": [
        {"h": "KERANGKA ACUAN KERJA", "level": 0},
        {"p": "Paragraf ..."},
        {"li": "Teks butir", "marker": "a."},
        {"table": [["No", "Uraian"], ["1", "Laptop"]], "header": True},
        {"pagebreak": True}]}
    write_document(spec, Path("out"))
"""

from __future__ import annotations

import copy
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

import yaml

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FORMATS = ("pdf", "docx", "xlsx", "txt", "scan_pdf", "png")


def write_document(spec: dict, out_dir: Path) -> Path:
    """Write the document described by `spec` into `out_dir`; return the file written."""
    fmt = spec.get("format", "pdf")
    if fmt not in FORMATS:
        raise ValueError(f"format tidak dikenal: {fmt!r} (pilih {', '.join(FORMATS)})")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = spec.get("name") or "dokumen"
    ext = {"scan_pdf": "pdf"}.get(fmt, fmt)
    path = out_dir / f"{name}.{ext}"
    writer: Callable[[dict, Path], None] = {
        "pdf": _write_pdf, "docx": _write_docx, "xlsx": _write_xlsx, "txt": _write_txt,
        "scan_pdf": _write_scan_pdf, "png": _write_png,
    }[fmt]
    writer(spec, path)
    return path


def write_spec_file(spec_path: Path, out_dir: Path) -> list[Path]:
    """Write every document of a YAML file (one spec, or a list of specs)."""
    data = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    specs = data if isinstance(data, list) else [data]
    return [write_document(s, out_dir) for s in specs]


def write_all(spec_dir: Path, out_dir: Path) -> list[Path]:
    """Write the documents of every *.yaml / *.yml spec under `spec_dir`."""
    written: list[Path] = []
    for p in sorted(Path(spec_dir).rglob("*.y*ml")):
        written.extend(write_spec_file(p, out_dir))
    return written


# --------------------------------------------------------------------------- list markers

_MARKER_PATTERNS = [
    (re.compile(r"^(\d+(?:\.\d+)+)(\.?)$"), "multi"),
    (re.compile(r"^(\d+)([.)])$"), "decimal"),
    (re.compile(r"^([a-z])([.)])$"), "lowerLetter"),
    (re.compile(r"^([A-Z])([.)])$"), "upperLetter"),
    (re.compile(r"^\((\d+)\)$"), "decimal_paren"),
    (re.compile(r"^\(([a-z])\)$"), "lowerLetter_paren"),
]
BULLETS = ("-", "•", "*", "–")


def parse_marker(marker: str) -> tuple[str, tuple[int, ...], str] | None:
    """'1.2' -> ('multi', (1, 2), ''), 'b.' -> ('lowerLetter', (2,), '.'), '•' -> ('bullet', (), '')."""
    marker = marker.strip()
    if marker in BULLETS:
        return ("bullet", (), marker)
    for rx, family in _MARKER_PATTERNS:
        m = rx.match(marker)
        if not m:
            continue
        raw = m.group(1)
        suffix = m.group(2) if rx.groups > 1 else ""
        if family == "multi":
            return (family, tuple(int(x) for x in raw.split(".")), suffix)
        if "Letter" in family:
            return (family, (ord(raw.lower()) - 96,), suffix)
        return (family, (int(raw),), suffix)
    return None


# --------------------------------------------------------------------------- TXT

def _table_lines(rows: list[list[Any]]) -> list[str]:
    return [" | ".join(_cell_text(c) for c in row) for row in rows]


def _cell_text(c: Any) -> str:
    return "" if c is None else str(c)


def _write_txt(spec: dict, path: Path) -> None:
    parts: list[str] = []
    for b in spec.get("blocks", []):
        if "pagebreak" in b:
            parts.append("\f")
        elif "h" in b:
            parts.append(b["h"])
        elif "p" in b:
            parts.append(b["p"])
        elif "li" in b:
            parts.append(f"{b.get('marker', '-')} {b['li']}")
        elif "table" in b:
            parts.append("\n".join(_table_lines(b["table"])))
    text = ""
    for part in parts:
        if part == "\f":
            text = text.rstrip("\n") + "\n\f\n"
        else:
            text += part + "\n\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- PDF (reportlab)

def _pdf_font() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return "DejaVuSans", "DejaVuSans-Bold"


def _write_pdf(spec: dict, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, bold = _pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14, spaceAfter=6, alignment=4)
    heads = {
        0: ParagraphStyle("h0", fontName=bold, fontSize=14, leading=18, alignment=1, spaceAfter=10),
        1: ParagraphStyle("h1", fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=6),
        2: ParagraphStyle("h2", fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=4),
    }
    item = ParagraphStyle("li", parent=body, leftIndent=22, firstLineIndent=-16, spaceAfter=3)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=11)
    cell_head = ParagraphStyle("cellh", parent=cell, fontName=bold)
    encryption = None
    if spec.get("password"):
        from reportlab.lib.pdfencrypt import StandardEncryption

        encryption = StandardEncryption(spec["password"], canPrint=1)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm,
                            topMargin=2.5 * cm, bottomMargin=2.2 * cm, title=spec.get("title", spec.get("name", "")),
                            encrypt=encryption)
    header_text = spec.get("header_text")

    def decorate(canvas, document):  # page furniture: running header and "Halaman N" footer
        canvas.saveState()
        canvas.setFont(font, 8.5)
        if header_text:
            canvas.drawString(2.5 * cm, A4[1] - 1.4 * cm, header_text)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Halaman {document.page}")
        canvas.restoreState()

    story: list[Any] = []
    for b in spec.get("blocks", []):
        if "pagebreak" in b:
            story.append(PageBreak())
        elif "h" in b:
            story.append(Paragraph(escape(b["h"]), heads.get(int(b.get("level", 1)), heads[2])))
        elif "p" in b:
            story.append(Paragraph(escape(b["p"]), body))
        elif "li" in b:
            story.append(Paragraph(f"{escape(b.get('marker', '•'))}&nbsp;&nbsp;{escape(b['li'])}", item))
        elif "table" in b:
            rows = b["table"]
            header = bool(b.get("header", True))
            data = [[Paragraph(escape(_cell_text(c)), cell_head if header and i == 0 else cell) for c in row]
                    for i, row in enumerate(rows)]
            widths = _column_widths(rows, doc.width)
            table = Table(data, colWidths=widths, repeatRows=1 if header and b.get("repeat_header", True) else 0)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            if header:
                style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")))
            table.setStyle(TableStyle(style))
            story.extend([table, Spacer(1, 8)])
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def _column_widths(rows: list[list[Any]], total: float, char_width: float = 5.4, padding: float = 14) -> list[float]:
    """Every column wide enough for its longest word (so "Volume" is not split), the rest of the
    width shared in proportion to the longest cell."""
    ncols = max(len(r) for r in rows)
    cells = [[_cell_text(r[i]) if i < len(r) else "" for r in rows] for i in range(ncols)]
    floors = [max((len(w) for c in col for w in c.split()), default=1) * char_width + padding for col in cells]
    weights = [min(max(max(len(c) for c in col), 3), 40) for col in cells]
    spare = max(total - sum(floors), 0)
    widths = [f + spare * w / sum(weights) for f, w in zip(floors, weights)]
    scale = min(1.0, total / sum(widths))
    return [w * scale for w in widths]


# --------------------------------------------------------------------------- DOCX (python-docx)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


class _DocxLists:
    """Real Word numbering: one abstractNum per marker family, a w:num per list run, with start
    overrides so the rendered marker equals the marker asked for."""

    def __init__(self, document):
        self.numbering = document.part.numbering_part.element
        self.abstract_ids: dict[tuple, int] = {}
        self.state: dict[tuple, tuple] = {}  # family key -> (numId, counters, start values)

    def _next_id(self, tag: str, attr: str) -> int:
        ids = [int(e.get(_w(attr))) for e in self.numbering.findall(_w(tag))]
        return max(ids, default=0) + 1

    def _abstract(self, family: str, suffix: str, bullet: str) -> int:
        key = (family, suffix, bullet)
        if key in self.abstract_ids:
            return self.abstract_ids[key]
        from lxml import etree

        aid = self._next_id("abstractNum", "abstractNumId")
        absn = etree.SubElement(self.numbering, _w("abstractNum"))
        absn.set(_w("abstractNumId"), str(aid))
        etree.SubElement(absn, _w("multiLevelType")).set(_w("val"), "multilevel" if family == "multi" else "singleLevel")
        for lvl_i in range(3 if family == "multi" else 1):
            lvl = etree.SubElement(absn, _w("lvl"))
            lvl.set(_w("ilvl"), str(lvl_i))
            etree.SubElement(lvl, _w("start")).set(_w("val"), "1")
            if family == "bullet":
                fmt, text = "bullet", bullet
            elif family == "multi":
                fmt = "decimal"
                text = ".".join(f"%{k + 1}" for k in range(lvl_i + 1)) + (suffix if lvl_i else ".")
            else:
                fmt = family.replace("_paren", "")
                text = f"(%1)" if family.endswith("_paren") else f"%1{suffix}"
            etree.SubElement(lvl, _w("numFmt")).set(_w("val"), fmt)
            etree.SubElement(lvl, _w("lvlText")).set(_w("val"), text)
            etree.SubElement(lvl, _w("lvlJc")).set(_w("val"), "left")
            ppr = etree.SubElement(lvl, _w("pPr"))
            ind = etree.SubElement(ppr, _w("ind"))
            indent = 360 * (lvl_i + 1) + (360 if "Letter" in family or "paren" in family else 0)
            ind.set(_w("left"), str(indent + 360))
            ind.set(_w("hanging"), "360")
        # schema order: every abstractNum before the first num
        first_num = self.numbering.find(_w("num"))
        if first_num is not None:
            first_num.addprevious(absn)
        self.abstract_ids[key] = aid
        return aid

    def _new_num(self, aid: int, starts: tuple[int, ...]) -> int:
        from lxml import etree

        nid = self._next_id("num", "numId")
        num = etree.SubElement(self.numbering, _w("num"))
        num.set(_w("numId"), str(nid))
        etree.SubElement(num, _w("abstractNumId")).set(_w("val"), str(aid))
        for lvl_i, start in enumerate(starts):
            ov = etree.SubElement(num, _w("lvlOverride"))
            ov.set(_w("ilvl"), str(lvl_i))
            etree.SubElement(ov, _w("startOverride")).set(_w("val"), str(start))
        return nid

    def number(self, marker: str) -> tuple[int, int] | None:
        """(numId, ilvl) for a paragraph showing `marker`, or None when it cannot be a Word list."""
        parsed = parse_marker(marker)
        if parsed is None:
            return None
        family, values, suffix = parsed
        bullet = suffix if family == "bullet" else ""
        key = (family, suffix, bullet)
        aid = self._abstract(family, suffix if family != "bullet" else "", bullet)
        if family == "bullet":
            if key not in self.state:
                self.state[key] = (self._new_num(aid, ()), [], [])
            return self.state[key][0], 0
        level = len(values) - 1
        if level > 2:
            return None
        # Word's counters: a level never used in this w:num shows (and next takes) its start value
        nid, counters, starts = self.state.get(key, (None, [None] * 3, [1] * 3))
        shown = [c if c is not None else st for c, st in zip(counters, starts)]
        next_value = counters[level] + 1 if counters[level] is not None else starts[level]
        if nid is None or shown[:level] != list(values[:level]) or next_value != values[level]:
            nid = self._new_num(aid, values)
            counters = [None] * 3
            starts = list(values) + [1] * (3 - len(values))
        counters = list(counters)
        counters[level] = values[level]
        for deeper in range(level + 1, 3):
            counters[deeper] = None
        self.state[key] = (nid, counters, starts)
        return nid, level


def _write_docx(spec: dict, path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    lists = _DocxLists(document)
    pending_break = False
    for b in spec.get("blocks", []):
        if "pagebreak" in b:
            pending_break = True
            continue
        if "h" in b:
            para = document.add_heading(b["h"], level=min(int(b.get("level", 1)), 9))
        elif "p" in b:
            para = document.add_paragraph(b["p"])
        elif "li" in b:
            marker = b.get("marker", "•")
            numbered = lists.number(marker)
            if numbered is None:  # not expressible as a Word list: keep the marker as text
                para = document.add_paragraph(f"{marker} {b['li']}")
            else:
                para = document.add_paragraph(b["li"], style="List Paragraph")
                num_pr = OxmlElement("w:numPr")
                ilvl = OxmlElement("w:ilvl")
                ilvl.set(qn("w:val"), str(numbered[1]))
                num_id = OxmlElement("w:numId")
                num_id.set(qn("w:val"), str(numbered[0]))
                num_pr.append(ilvl)
                num_pr.append(num_id)
                para._p.get_or_add_pPr().append(num_pr)
        elif "table" in b:
            rows = b["table"]
            ncols = max(len(r) for r in rows)
            if pending_break:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                pending_break = False
            table = document.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j in range(ncols):
                    text = _cell_text(row[j]) if j < len(row) else ""
                    cell = table.cell(i, j)
                    cell.text = text
                    if i == 0 and b.get("header", True):
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            for merge in b.get("merge", []):  # [[r0, c0, r1, c1]] merged cells
                r0, c0, r1, c1 = merge
                top = table.cell(r0, c0)
                keep = top.text
                top.merge(table.cell(r1, c1)).text = keep
            continue
        else:
            continue
        if pending_break:
            para.paragraph_format.page_break_before = False
            run = para.runs[0] if para.runs else para.add_run()
            br = OxmlElement("w:br")
            br.set(qn("w:type"), "page")
            run._r.insert(0, br)
            pending_break = False
    if pending_break:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.core_properties.title = spec.get("title", spec.get("name", ""))
    document.save(str(path))


# --------------------------------------------------------------------------- XLSX (xlsxwriter)

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def col_index(letters: str) -> int:
    """'A' -> 0, 'AB' -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def parse_ref(ref: str) -> tuple[int, int]:
    """'C12' -> (row 11, col 2), zero-based."""
    m = _REF.match(ref.upper())
    if not m:
        raise ValueError(f"referensi sel tidak valid: {ref}")
    return int(m.group(2)) - 1, col_index(m.group(1))


class FormulaEvaluator:
    """Evaluates the simple formulas of an HPS (+ - * / ^, SUM/MIN/MAX/ABS/ROUND/ROUNDUP/ROUNDDOWN,
    ranges, other-sheet references) so xlsxwriter can store a realistic cached result."""

    _TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<ref>(?:'[^']+'|[A-Za-z_][\w]*)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?|\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)|(?P<name>[A-Z][A-Z0-9]*)\s*\(|(?P<op>[-+*/^(),%]))")

    def __init__(self, sheets: dict[str, list[list[Any]]]):
        self.sheets = sheets
        self.cache: dict[tuple[str, int, int], Any] = {}

    def value(self, sheet: str, row: int, col: int) -> Any:
        key = (sheet, row, col)
        if key in self.cache:
            return self.cache[key]
        rows = self.sheets.get(sheet, [])
        raw = rows[row][col] if row < len(rows) and col < len(rows[row]) else None
        self.cache[key] = 0  # guards against circular references
        if isinstance(raw, dict):
            result = raw["v"] if "v" in raw else self.evaluate(sheet, raw["f"])
        elif isinstance(raw, str) and raw.startswith("="):
            result = self.evaluate(sheet, raw)
        else:
            result = raw
        self.cache[key] = result
        return result

    def evaluate(self, sheet: str, formula: str) -> Any:
        tokens = self._tokens(formula.lstrip("="))
        pos, result = self._expr(sheet, tokens, 0)
        if pos != len(tokens):
            raise ValueError(f"rumus tidak didukung: {formula}")
        if isinstance(result, list):
            raise ValueError(f"rumus menghasilkan rentang: {formula}")
        return result

    def _tokens(self, text: str) -> list[tuple[str, str]]:
        out, pos = [], 0
        text = text.rstrip()
        while pos < len(text):
            m = self._TOKEN.match(text, pos)
            if not m:
                raise ValueError(f"rumus tidak didukung: ={text}")
            kind = m.lastgroup
            out.append((kind, m.group(kind)))
            if kind == "name":
                out.append(("op", "("))
            pos = m.end()
        return out

    def _expr(self, sheet, toks, i):
        i, left = self._term(sheet, toks, i)
        while i < len(toks) and toks[i] in (("op", "+"), ("op", "-")):
            op = toks[i][1]
            i, right = self._term(sheet, toks, i + 1)
            left = _num(left) + _num(right) if op == "+" else _num(left) - _num(right)
        return i, left

    def _term(self, sheet, toks, i):
        i, left = self._unary(sheet, toks, i)
        while i < len(toks) and toks[i] in (("op", "*"), ("op", "/")):
            op = toks[i][1]
            i, right = self._unary(sheet, toks, i + 1)
            left = _num(left) * _num(right) if op == "*" else _num(left) / _num(right)
        return i, left

    def _unary(self, sheet, toks, i):
        # Excel binds negation tighter than ^ (=-2^2 is 4) and % to the operand before it
        sign = 1
        while i < len(toks) and toks[i] in (("op", "-"), ("op", "+")):
            sign *= -1 if toks[i][1] == "-" else 1
            i += 1
        i, base = self._atom(sheet, toks, i)
        if sign == -1:
            base = -_num(base)
        if i < len(toks) and toks[i] == ("op", "%"):
            base, i = _num(base) / 100, i + 1
        if i < len(toks) and toks[i] == ("op", "^"):
            i, exp = self._unary(sheet, toks, i + 1)
            return i, _num(base) ** _num(exp)
        return i, base

    def _atom(self, sheet, toks, i):
        kind, text = toks[i]
        if kind == "num":
            return i + 1, float(text) if "." in text or "e" in text.lower() else int(text)
        if kind == "ref":
            return i + 1, self._ref(sheet, text)
        if kind == "op" and text == "(":
            i, v = self._expr(sheet, toks, i + 1)
            return self._expect(toks, i, ")"), v
        if kind == "name":
            return self._call(sheet, text, toks, i + 2)
        raise ValueError(f"token tak terduga: {text}")

    def _call(self, sheet, name, toks, i):
        args: list[Any] = []
        if toks[i] != ("op", ")"):
            while True:
                i, v = self._expr(sheet, toks, i)
                args.append(v)
                if toks[i] == ("op", ","):
                    i += 1
                    continue
                break
        i = self._expect(toks, i, ")")
        flat = [x for a in args for x in (a if isinstance(a, list) else [a])]
        nums = [x for x in flat if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if name == "SUM":
            return i, sum(nums)
        if name == "MIN":
            return i, min(nums, default=0)
        if name == "MAX":
            return i, max(nums, default=0)
        if name == "ABS":
            return i, abs(_num(args[0]))
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
            digits = int(_num(args[1])) if len(args) > 1 else 0
            mode = {"ROUND": ROUND_HALF_UP, "ROUNDUP": ROUND_UP, "ROUNDDOWN": ROUND_DOWN}[name]
            q = Decimal(1).scaleb(-digits)
            rounded = Decimal(str(_num(args[0]))).quantize(q, rounding=mode)
            return i, int(rounded) if digits <= 0 else float(rounded)
        raise ValueError(f"fungsi tidak didukung: {name}")

    @staticmethod
    def _expect(toks, i, op):
        if i >= len(toks) or toks[i] != ("op", op):
            raise ValueError(f"'{op}' diharapkan")
        return i + 1

    def _ref(self, sheet, text):
        if "!" in text:
            sheet, text = text.rsplit("!", 1)
            sheet = sheet.strip("'")
        if ":" in text:
            a, b = text.split(":")
            (r0, c0), (r1, c1) = parse_ref(a), parse_ref(b)
            return [self.value(sheet, r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        r, c = parse_ref(text)
        return self.value(sheet, r, c)


def _num(v: Any) -> float:
    if isinstance(v, list):
        raise ValueError("rentang dipakai sebagai angka")
    if v is None or v == "":
        return 0
    if isinstance(v, (int, float)):
        return v
    try:
        return float(str(v).replace(",", "."))
    except ValueError:
        return 0


def _write_xlsx(spec: dict, path: Path) -> None:
    sheets = spec.get("sheets", [])
    if spec.get("cache_formulas", True) is False:
        _write_xlsx_uncached(spec, path)
        return
    import xlsxwriter

    evaluator = FormulaEvaluator({s["name"]: s.get("rows", []) for s in sheets})
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
    text_fmt = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    money = wb.add_format({"border": 1, "num_format": "#,##0", "valign": "top"})
    custom: dict[str, Any] = {}
    for s in sheets:
        ws = wb.add_worksheet(s["name"])
        if s.get("hidden"):
            ws.hide()
        header_rows = int(s.get("header_rows", 1))
        col_formats = s.get("col_formats", {})
        merged_cells: dict[tuple[int, int], str] = {}
        for rng in s.get("merge", []):
            a, _, b = rng.partition(":")
            (r0, c0), (r1, c1) = parse_ref(a), parse_ref(b or a)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    merged_cells[(r, c)] = rng if (r, c) == (r0, c0) else ""
        for r, row in enumerate(s.get("rows", [])):
            for c, raw in enumerate(row):
                if merged_cells.get((r, c)) == "":
                    continue  # covered by a merge: the value lives in the top-left cell only
                letter = _col_letters(c)
                if letter in col_formats:
                    fmt = custom.setdefault(col_formats[letter], wb.add_format({"border": 1, "num_format": col_formats[letter]}))
                elif r < header_rows:
                    fmt = bold
                elif isinstance(raw, str) and not raw.startswith("="):
                    fmt = text_fmt
                else:
                    fmt = money
                rng = merged_cells.get((r, c))
                if rng:
                    ws.merge_range(rng, "" if _is_formula(raw) or raw is None else raw, fmt)
                    if _is_formula(raw):
                        _write_formula(ws, r, c, raw, evaluator.value(s["name"], r, c), fmt)
                    continue
                if raw is None:
                    continue
                if _is_formula(raw):
                    _write_formula(ws, r, c, raw, evaluator.value(s["name"], r, c), fmt)
                elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    ws.write_number(r, c, raw, fmt)
                else:
                    ws.write_string(r, c, str(raw), fmt)
        widths = s.get("widths") or _auto_widths(s.get("rows", []))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
    wb.close()


def _is_formula(raw: Any) -> bool:
    return isinstance(raw, dict) or (isinstance(raw, str) and raw.startswith("="))


def _write_formula(ws, r: int, c: int, raw: Any, value: Any, fmt) -> None:
    formula = raw["f"] if isinstance(raw, dict) else raw
    if value is None:
        value = ""  # no cached result, as in a file written by a program and never opened in Excel
    ws.write_formula(r, c, formula, fmt, value)


def _write_xlsx_uncached(spec: dict, path: Path) -> None:
    """openpyxl stores formulas without cached results (like files produced by scripts)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in spec.get("sheets", []):
        ws = wb.create_sheet(s["name"])
        for r, row in enumerate(s.get("rows", []), start=1):
            for c, raw in enumerate(row, start=1):
                if raw is not None:
                    ws.cell(r, c, raw["f"] if isinstance(raw, dict) else raw)
        for rng in s.get("merge", []):
            ws.merge_cells(rng)
        if s.get("hidden"):
            ws.sheet_state = "hidden"
    wb.save(str(path))


def _col_letters(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def _auto_widths(rows: list[list[Any]]) -> list[float]:
    ncols = max((len(r) for r in rows), default=0)
    out = []
    for c in range(ncols):
        longest = max((len(_cell_text(r[c])) for r in rows if c < len(r) and not _is_formula(r[c])), default=8)
        out.append(min(max(longest + 2, 8), 60))
    return out


# --------------------------------------------------------------------------- scans (Pillow)

DPI = 200


class _ScanRenderer:
    def __init__(self, dpi: int = DPI):
        from PIL import ImageFont

        self.dpi = dpi
        self.size = (int(8.27 * dpi), int(11.69 * dpi))
        self.margin = int(0.9 * dpi)
        px = lambda pt: int(round(pt * dpi / 72))  # noqa: E731
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        self.body = ImageFont.truetype(str(regular), px(11))
        self.small = ImageFont.truetype(str(regular), px(9.5))
        self.heads = {0: ImageFont.truetype(str(bold), px(14)), 1: ImageFont.truetype(str(bold), px(12)),
                      2: ImageFont.truetype(str(bold), px(11))}
        self.pages: list[Any] = []
        self._new_page()

    def _new_page(self):
        from PIL import Image, ImageDraw

        self.image = Image.new("L", self.size, 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.margin
        self.pages.append(self.image)

    def _line_height(self, font) -> int:
        return int(font.size * 1.35)

    def _wrap(self, text: str, font, width: int) -> list[str]:
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and font.getlength(trial) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + ([current] if current else [])

    def _ensure(self, height: int):
        if self.y + height > self.size[1] - self.margin:
            self._new_page()

    def text(self, text: str, font, indent: int = 0, center: bool = False, gap: float = 0.5):
        width = self.size[0] - 2 * self.margin - indent
        for line in self._wrap(text, font, width):
            h = self._line_height(font)
            self._ensure(h)
            x = self.margin + indent
            if center:
                x = int((self.size[0] - font.getlength(line)) / 2)
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += h
        self.y += int(self._line_height(font) * gap)

    def table(self, rows: list[list[Any]]):
        width = self.size[0] - 2 * self.margin
        widths = [int(w) for w in _column_widths(rows, width, char_width=self.small.size * 0.62, padding=24)]
        pad = 10
        for row in rows:
            cells = [self._wrap(_cell_text(row[i]) if i < len(row) else "", self.small, widths[i] - 2 * pad) or [""]
                     for i in range(len(widths))]
            h = max(len(c) for c in cells) * self._line_height(self.small) + 2 * pad
            self._ensure(h)
            x = self.margin
            for w, lines in zip(widths, cells):
                self.draw.rectangle([x, self.y, x + w, self.y + h], outline=0, width=2)
                for k, line in enumerate(lines):
                    self.draw.text((x + pad, self.y + pad + k * self._line_height(self.small)), line,
                                   font=self.small, fill=0)
                x += w
            self.y += h
        self.y += self._line_height(self.body) // 2

    def render(self, blocks: list[dict]) -> list[Any]:
        for b in blocks:
            if "pagebreak" in b:
                self._new_page()
            elif "h" in b:
                level = int(b.get("level", 1))
                self.text(b["h"], self.heads.get(level, self.heads[2]), center=level == 0)
            elif "p" in b:
                self.text(b["p"], self.body)
            elif "li" in b:
                self.text(f"{b.get('marker', '•')} {b['li']}", self.body, indent=int(0.3 * self.dpi), gap=0.2)
            elif "table" in b:
                self.table(b["table"])
        return self.pages


def _scan_pages(spec: dict) -> list[Any]:
    pages = _ScanRenderer(int(spec.get("dpi", DPI))).render(spec.get("blocks", []))
    skew = float(spec.get("skew", 0))
    if skew:  # a slightly crooked page, as from a flatbed scanner
        pages = [p.rotate(skew, expand=False, fillcolor=255) for p in pages]
    return pages


def _write_scan_pdf(spec: dict, path: Path) -> None:
    pages = [p.convert("RGB") for p in _scan_pages(spec)]
    pages[0].save(str(path), "PDF", resolution=float(spec.get("dpi", DPI)), save_all=True, append_images=pages[1:])


def _write_png(spec: dict, path: Path) -> None:
    from PIL import Image

    pages = _scan_pages(spec)
    if len(pages) == 1:
        pages[0].save(str(path), dpi=(DPI, DPI))
        return
    # several pages: one tall image, like a phone screenshot of a long document
    tall = Image.new("L", (pages[0].width, sum(p.height for p in pages)), 255)
    y = 0
    for p in pages:
        tall.paste(p, (0, y))
        y += p.height
    tall.save(str(path), dpi=(DPI, DPI))


def clone_spec(spec: dict, **changes: Any) -> dict:
    """A deep copy of `spec` with top-level keys replaced (e.g. another format)."""
    out = copy.deepcopy(spec)
    out.update(changes)
    return out


__all__ = ["write_document", "write_spec_file", "write_all", "parse_marker", "FormulaEvaluator",
           "clone_spec", "col_index", "parse_ref"]
