"""XLSX: every sheet as one table of its non-empty rows and columns, formula cells with their cached
results, merged ranges holding their value in the top-left cell only."""

from __future__ import annotations

import io
from typing import Any, Callable

from ..errors import IngestError
from .builder import DocumentBuilder
from .limits import Limits
from .numbers import format_cell

NO_CACHED_VALUE = ("nilai rumus tidak tersimpan di sheet '{sheet}' ({n} sel, mis. {cell}); "
                   "buka dan simpan ulang di Excel")


def read_xlsx(data: bytes, builder: DocumentBuilder, limits: Limits,
              progress: Callable[[str, float], None] | None) -> None:
    import openpyxl

    try:
        values_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        # streaming mode: only used to spot formulas whose result was never stored
        formulas_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception:  # openpyxl raises many types for broken packages
        raise IngestError(builder.name, "berkas XLSX rusak atau tidak lengkap") from None
    sheets = values_wb.worksheets
    cells = sum(ws.max_row * ws.max_column for ws in sheets)
    if cells > limits.max_cells:
        raise IngestError(builder.name, f"jumlah sel {cells:,} melebihi batas {limits.max_cells:,}".replace(",", "."))
    for number, ws in enumerate(sheets, start=1):
        builder.new_page(label=ws.title)
        if ws.sheet_state != "visible":
            builder.warn(f"sheet '{ws.title}' tersembunyi di Excel, tetapi tetap diperiksa")
        _read_sheet(ws, formulas_wb[ws.title], builder)
        if progress:
            progress("ekstraksi", number / len(sheets))
    formulas_wb.close()


def _read_sheet(ws, formulas_ws, builder: DocumentBuilder) -> None:
    grid: list[tuple[int, list[Any], list[str]]] = []
    for row in ws.iter_rows():
        values = [cell.value for cell in row]
        texts = [format_cell(cell.value, cell.number_format) for cell in row]
        if any(texts):
            grid.append((row[0].row if row else 0, values, texts))
    missing = [cell.coordinate for row in formulas_ws.iter_rows() for cell in row
               if isinstance(cell.value, str) and cell.value.startswith("=")
               and ws[cell.coordinate].value is None]
    if missing:
        builder.warn(NO_CACHED_VALUE.format(sheet=ws.title, n=len(missing), cell=missing[0]))
    if not grid:
        return
    width = max(len(t) for _, _, t in grid)
    keep = [c for c in range(width) if any(c < len(t) and t[c] for _, _, t in grid)]
    rows = [[t[c] if c < len(t) else "" for c in keep] for _, _, t in grid]
    values = [[v[c] if c < len(v) else None for c in keep] for _, v, _ in grid]
    locations = [f"sheet '{ws.title}' baris {r}" for r, _, _ in grid]
    builder.end_table()
    builder.add_table(rows, values=values, sheet=ws.title, locations=locations)
    builder.end_table()
