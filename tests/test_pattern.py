"""The pattern check on table rows: each value cell is a statement of its own, qualified by the
row's label and the columns after it, not by those before."""

from __future__ import annotations

from reviewer.checks.pattern import flagged
from reviewer.model import Clause
from reviewer.rules import default_rulebook

RULE = default_rulebook().by_id("KONTRAK-PENYESUAIAN-01")


def row(*cells: str) -> Clause:
    text = " | ".join(cells)
    return Clause(id="c1", document="kontrak.docx", text=text, start=0, end=len(text), page=1,
                  kind="table_row", cells=list(cells), table=0, row=1)


def test_a_later_column_that_overrides_an_earlier_negation_is_flagged():
    """SSKK overriding the SSUK default: "Tidak berlaku" in the SSUK column negates nothing."""
    assert flagged(RULE, row("Penyesuaian Harga", "Tidak berlaku",
                             "Berlaku; penyesuaian harga dihitung dengan indeks BPS mulai bulan ketiga"))


def test_a_negation_in_the_same_or_a_later_column_still_holds():
    assert not flagged(RULE, row("Ketentuan", "Penyesuaian harga sesuai indeks BPS", "Tidak berlaku"))
    assert not flagged(RULE, row("Penyesuaian Harga", "Berlaku", "Tidak dapat dilakukan penyesuaian harga"))
    assert not flagged(RULE, row("12", "Penyesuaian Harga", "Tidak diberlakukan"))


def test_a_plain_clause_and_a_two_cell_row_are_judged_whole():
    text = "Penyesuaian harga dihitung dengan indeks BPS, kecuali untuk kontrak tahun jamak."
    assert not flagged(RULE, Clause(id="c2", document="k.docx", text=text, start=0, end=len(text),
                                    page=1, kind="sentence"))
    assert not flagged(RULE, row("Penyesuaian harga berlaku sesuai indeks BPS", "Kontrak Tahun Jamak"))
    assert flagged(RULE, row("Penyesuaian harga", "Berlaku sesuai indeks BPS"))
