"""Numbers written the Indonesian way: 1.250.000 and 1.250.000,50."""

from __future__ import annotations

import datetime as dt
from typing import Any


def format_id_number(value: float | int, decimals: int | None = None) -> str:
    """1250000 -> '1.250.000'; 1250000.5 -> '1.250.000,50'; 0.125 -> '0,125'."""
    if isinstance(value, bool):
        return "BENAR" if value else "SALAH"
    if decimals is None:
        if float(value).is_integer():
            decimals = 0
        else:
            # keep what the number really has, at least two places (money), at most six
            decimals = max(2, min(6, len(f"{abs(value):.6f}".rstrip("0").split(".")[1])))
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if value < 0 and float(text.replace(".", "").replace(",", ".")) != 0 else "") + text


def format_cell(value: Any, number_format: str = "General") -> str:
    """Cell text as a PPK reads it in Excel (numbers Indonesian style, percentages, dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "BENAR" if value else "SALAH"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return format_id_number(round(value * 100, 6)) + "%"
        return format_id_number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return " ".join(str(value).split())
