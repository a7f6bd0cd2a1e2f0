"""Ruled tables straight from pdfium: ruling lines from the page's path objects, the grid they
form, and each cell's text from the text layer. About a hundred times cheaper than parsing the
page again with pdfminer, which matters on long KAK and HPS files full of tables."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

MIN_RULE = 6.0  # points; shorter strokes are glyph decorations, not table rules
TOL = 2.0


@dataclass
class Rule:
    horizontal: bool
    pos: float  # y for horizontal, x for vertical (PDF coordinates, origin bottom-left)
    start: float
    end: float


@dataclass
class GridTable:
    left: float
    bottom: float
    right: float
    top: float
    rows: list[list[str]]


def page_rules(page) -> list[Rule]:
    """Axis-aligned line segments drawn by the page's path objects (strokes and thin fills)."""
    import pypdfium2.raw as raw

    rules: list[Rule] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(max_depth=2, filter=[raw.FPDF_PAGEOBJ_PATH]):
        m = obj.get_matrix()
        n = raw.FPDFPath_CountSegments(obj.raw)
        points: list[tuple[float, float, int, bool]] = []
        for i in range(min(n, 2000)):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            px = m.a * x.value + m.c * y.value + m.e
            py = m.b * x.value + m.d * y.value + m.f
            points.append((px, py, raw.FPDFPathSegment_GetType(seg), bool(raw.FPDFPathSegment_GetClose(seg))))
        start = None
        prev = None
        for px, py, kind, close in points:
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = prev = (px, py)
                continue
            if prev is not None and kind == raw.FPDF_SEGMENT_LINETO:
                _add_segment(rules, prev, (px, py))
            prev = (px, py)
            if close and start is not None:
                _add_segment(rules, prev, start)
                prev = start
    return rules


def _add_segment(rules: list[Rule], a: tuple[float, float], b: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) <= 0.5 and abs(x1 - x0) >= MIN_RULE:
        rules.append(Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) <= 0.5 and abs(y1 - y0) >= MIN_RULE:
        rules.append(Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def find_grid_tables(page, textpage) -> list[GridTable]:
    rules = page_rules(page)
    if len(rules) < 4:
        return []
    tables = []
    for group in _connected(rules):
        hs = [r for r in group if r.horizontal]
        vs = [r for r in group if not r.horizontal]
        ys = _cluster(sorted((r.pos for r in hs), reverse=True))
        xs = _cluster(sorted(r.pos for r in vs))
        if len(ys) < 3 or len(xs) < 3:
            continue  # a framed box or an underline, not a table with rows and columns
        rows = []
        for top, bottom in zip(ys, ys[1:]):
            mid = (top + bottom) / 2
            # column boundaries that really cross this row; a missing one means merged cells
            bounds = [xs[0]] + [x for x in xs[1:-1] if _has_rule(vs, x, mid)] + [xs[-1]]
            cells = []
            for left, right in zip(bounds, bounds[1:]):
                text = textpage.get_text_bounded(left, bottom, right, top)
                cells.append(" ".join(text.split()))
                span = sum(1 for x in xs if left < x - TOL and x + TOL < right)
                cells.extend([""] * span)  # the value sits in the first column of a merged cell
            if any(cells):
                rows.append(cells)
        if len(rows) >= 2:
            tables.append(GridTable(xs[0], ys[-1], xs[-1], ys[0], rows))
    return tables


def _has_rule(vs: list[Rule], x: float, y: float) -> bool:
    return any(abs(r.pos - x) <= TOL and r.start - TOL <= y <= r.end + TOL for r in vs)


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or abs(v - out[-1]) > TOL:
            out.append(v)
    return out


def _connected(rules: list[Rule]) -> list[list[Rule]]:
    """Groups of rules that touch each other (one group per table)."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, r in enumerate(rules) if r.horizontal]
    vs = [i for i, r in enumerate(rules) if not r.horizontal]
    for i in hs:
        h = rules[i]
        for j in vs:
            v = rules[j]
            if h.start - TOL <= v.pos <= h.end + TOL and v.start - TOL <= h.pos <= v.end + TOL:
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())
