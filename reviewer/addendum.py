"""A change-only addendum: an amendment of a signed contract that states what changes and keeps
every other provision of the original contract in force. Its missing contract elements are not
gaps: they sit in the original contract, which is not in the file. A consolidated addendum
("naskah gabungan") restates the whole contract and is reviewed as one."""

from __future__ import annotations

import re

from .model import Clause

TITLE_ZONE_CHARS = 600
ADDENDUM_TITLE_RE = re.compile(
    r"\b(?:adendum|addendum|amandemen|amendemen)\b"
    r"|\bperubahan\s+(?:ke-?\s*\w+\s+|\w+\s+)?(?:atas\s+)?(?:surat\s+perjanjian|kontrak|spk|surat\s+perintah\s+kerja)\b",
    re.IGNORECASE)
CONSOLIDATED_RE = re.compile(r"\bnaskah\s+(?:gabungan|konsolidasi|lengkap)\b|\bkonsolidasi\b", re.IGNORECASE)
# "Ketentuan lain dalam Surat Perjanjian ... yang tidak diubah dalam Adendum ini tetap berlaku"
IN_FORCE_RE = re.compile(
    r"\b(?:tidak\s+(?:di)?ubah|tidak\s+mengalami\s+perubahan|ketentuan(?:-ketentuan)?\s+lain(?:nya)?)\b"
    r"[^.]{0,250}?\btetap\s+berlaku\b"
    r"|\btetap\s+berlaku\b[^.]{0,80}?\b(?:sepanjang|selama)\s+tidak\s+(?:di)?ubah\b",
    re.IGNORECASE)


# a clause heading ("Pasal 12 Perubahan Kontrak", "9. Adendum") is no title
CLAUSE_HEADING_RE = re.compile(r"^\s*(?:pasal\s+\d+|\d+(?:\.\d+)*[.)]|[a-z][.)])", re.IGNORECASE)


def _title_lines(text: str) -> list[str]:
    """The lines of the title zone that read as titles: short, not a clause heading, and not a
    sentence ("Perubahan kontrak dituangkan dalam adendum." is one)."""
    return [ln for ln in text[:TITLE_ZONE_CHARS].splitlines()
            if len(ln.strip()) <= 100 and not CLAUSE_HEADING_RE.match(ln)
            and not ln.rstrip().endswith((".", ";", ",", ":"))]


def change_only_addendum(text: str, clauses: list[Clause]) -> bool:
    """The document's title calls it an addendum, it is not a consolidated text, and it keeps
    the unchanged provisions of the original contract in force."""
    titles = _title_lines(text)
    if not any(ADDENDUM_TITLE_RE.search(t) for t in titles) or any(CONSOLIDATED_RE.search(t) for t in titles):
        return False
    return any(IN_FORCE_RE.search(c.text) for c in clauses)
