"""Indonesian numbers: money in both separator styles, terbilang both ways, rates and durations."""

from __future__ import annotations

import random

import pytest

from reviewer.numbers import (find_amounts, find_durations, find_percentages, find_permil,
                              find_terbilang, parse_fraction_words, parse_number, parse_terbilang,
                              terbilang)


@pytest.mark.parametrize("text,value", [
    ("1.250.000,00", 1250000.0),
    ("6,800,000.00", 6800000.0),  # English style, seen in real PDF text layers
    ("1,5", 1.5),
    ("12.5", 12.5),
    ("12.500", 12500.0),  # a single '.' and three digits: thousands
    ("49.775.000,-", 49775000.0),
    ("Rp 350.000", 350000.0),
    ("7", 7.0),
    ("0,25", 0.25),
    ("0.250", 0.25),  # no thousands group after a lone 0: a tonnage, a coefficient
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text,value", [("39,000", 39000.0), ("0,025", 0.025), ("0,543", 0.543)])
def test_parse_number_money_reads_english_thousands_but_not_after_a_zero(text, value):
    assert parse_number(text, money=True) == value


@pytest.mark.parametrize("text", ["12.05.2021", "1.25.000", "abc", "", "1..2"])
def test_parse_number_rejects_what_is_not_a_number(text):
    assert parse_number(text) is None


def test_money_comma_with_three_digits_is_thousands_only_for_money():
    assert parse_number("39,000") == 39.0
    assert parse_number("39,000", money=True) == 39000.0


def test_find_amounts_in_both_styles_and_with_scale_words():
    text = ("Pagu Rp 1.250.000.000,00; penawaran Rp1,25 miliar; uang muka Rp 250 juta; "
            "HPS Rp. 49.775.000,- dan IDR 6,800,000.00; biaya lain 250 juta rupiah; "
            "tanggal 12.05.2021, NIP 19731029, volume 20 unit.")
    found = find_amounts(text)
    values = [(a.value, a.is_money) for a in found]
    assert values == [(1250000000.0, True), (1250000000.0, True), (250000000.0, True),
                      (49775000.0, True), (6800000.0, True), (250000000.0, True)]
    for a in found:
        assert text[a.start:a.end] == a.text
    assert found[3].text == "Rp. 49.775.000,-"


def test_grouped_numbers_without_currency_are_amounts_not_money():
    found = find_amounts("Jumlah | 13,600,000.00 | 287.500.000")
    assert [(a.value, a.is_money) for a in found] == [(13600000.0, False), (287500000.0, False)]


@pytest.mark.parametrize("n,words", [
    (0, "nol"), (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (12, "dua belas"),
    (19, "sembilan belas"), (20, "dua puluh"), (99, "sembilan puluh sembilan"),
    (100, "seratus"), (111, "seratus sebelas"), (215, "dua ratus lima belas"),
    (1000, "seribu"), (1001, "seribu satu"), (2000, "dua ribu"),
    (11000, "sebelas ribu"), (100000, "seratus ribu"), (1000000, "satu juta"),
    (49775000, "empat puluh sembilan juta tujuh ratus tujuh puluh lima ribu"),
    (1875400000, "satu miliar delapan ratus tujuh puluh lima juta empat ratus ribu"),
    (2000000000000, "dua triliun"),
])
def test_terbilang(n, words):
    assert terbilang(n) == words
    assert parse_terbilang(words) == n


def test_terbilang_round_trip_over_many_numbers():
    rng = random.Random(20250101)
    numbers = [rng.randrange(0, 10 ** rng.randint(1, 15)) for _ in range(3000)]
    numbers += list(range(0, 2100))
    for n in numbers:
        assert parse_terbilang(terbilang(n)) == n, n


@pytest.mark.parametrize("text,value", [
    ("EMPAT PULUH SEMBILAN JUTA TUJUH RATUS TUJUH PULUH LIMA RIBU RUPIAH", 49775000),
    ("Sembilan Puluh", 90),
    ("seratus-dua  puluh   lima", 125),
    ("(tiga puluh persen)", 30),
    ("dua koma lima", 2.5),
    ("nol koma nol lima", 0.05),
    ("Terbilang: seribu lima ratus rupiah", 1500),
])
def test_parse_terbilang_is_tolerant(text, value):
    assert parse_terbilang(text) == value


@pytest.mark.parametrize("text", ["dua tiga", "puluh", "satu meja", "", "rupiah"])
def test_parse_terbilang_rejects_non_numbers(text):
    assert parse_terbilang(text) is None


def test_find_terbilang_in_parentheses_and_after_terbilang():
    text = ("selama 90 (Sembilan Puluh) hari kalender dengan nilai Rp 1.500.000,00 "
            "(satu juta lima ratus ribu rupiah). Terbilang: dua ratus ribu rupiah. "
            "Dua orang tenaga ahli.")
    found = find_terbilang(text)
    assert [v for v, _, _ in found] == [90, 1500000, 200000]
    assert text[found[0][1]:found[0][2]] == "Sembilan Puluh"
    assert text[found[1][1]:found[1][2]] == "satu juta lima ratus ribu rupiah"


def test_find_percentages():
    text = "denda 5% dan 5 % serta lima persen; uang muka 30% (tiga puluh persen); PPN 2,5 persen."
    found = find_percentages(text)
    assert [v for v, _, _ in found] == [5.0, 5.0, 5.0, 30.0, 2.5]
    thirty = found[3]
    assert text[thirty[1]:thirty[2]] == "30% (tiga puluh persen)"


def test_find_permil_variants():
    text = ("denda 1‰ per hari; 1/1000 dari nilai kontrak; satu permil; 1 per mil; "
            "satu per seribu; 1 ‰ (satu permil); 0,5‰")
    found = find_permil(text)
    assert [v for v, _, _ in found] == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]
    assert text[found[5][1]:found[5][2]] == "1 ‰ (satu permil)"
    assert find_permil("denda 5% dari nilai kontrak") == []


def test_find_durations():
    text = ("selama 90 (Sembilan Puluh) hari kalender, lalu 3 bulan, 12 minggu, 45 hari kerja, "
            "enam bulan, 2 (dua) tahun; bukan durasi: Tahun Anggaran 2025 dan 1 tahun 2021")
    found = find_durations(text)
    assert [(d, u) for d, u, _, _ in found] == [
        (90, "hari kalender"), (90, "bulan"), (84, "minggu"), (63, "hari kerja"), (180, "bulan"),
        (730, "tahun")]
    assert text[found[0][2]:found[0][3]] == "90 (Sembilan Puluh) hari kalender"


def test_duration_with_wrong_words_in_parentheses_is_not_taken():
    assert find_durations("tahun 2021 (revisi) bulan") == []


def test_amount_cut_off_by_the_text_layer_is_not_read():
    # a PDF text layer that lost the last digit groups: "Rp 49,775," then a line break
    assert find_amounts("BIAYA TOTAL Rp 49,775,\nDIBULATKAN") == []
    assert [a.value for a in find_amounts("sebesar Rp 5.000.000, dibayar sekaligus")] == [5000000.0]


@pytest.mark.parametrize("words,value", [
    ("satu per seribu", 1 / 1000),
    ("satu perseribu", 1 / 1000),
    ("seperseribu", 1 / 1000),
    ("Satu Per Mil", 1 / 1000),
    ("satu permil", 1 / 1000),
    ("dua per seratus", 2 / 100),
    ("seperdua belas", 1 / 12),
    ("tiga per empat", 3 / 4),
    ("sepertiga", 1 / 3),
    ("setengah", 0.5),
])
def test_parse_fraction_words(words, value):
    assert parse_fraction_words(words) == pytest.approx(value)


@pytest.mark.parametrize("words", ["seperti", "satu persen", "dua koma lima", "per seribu", "satu per"])
def test_parse_fraction_words_rejects_what_is_no_fraction(words):
    assert parse_fraction_words(words) is None


def test_find_terbilang_reads_a_fraction_as_one_value():
    text = ("angsuran 1/12 (satu per dua belas) tiap bulan, denda 1/1000 (seperseribu) per hari, "
            "biaya 0,1% (nol koma satu persen) dan Rp 1.000 (seribu rupiah), lihat (seperti lampiran).")
    found = find_terbilang(text)
    assert [round(v, 6) for v, _, _ in found] == [round(1 / 12, 6), 0.001, 0.1, 1000]
    assert text[found[0][1]:found[0][2]] == "satu per dua belas"
    assert text[found[1][1]:found[1][2]] == "seperseribu"


@pytest.mark.parametrize("text, value", [
    ("sebesar dua setengah persen dari nilai", 2.5),
    ("setengah persen", 0.5),
    ("dua koma lima persen", 2.5),
    ("lima persen", 5.0),
])
def test_percentages_in_words_with_a_half(text, value):
    assert [v for v, _, _ in find_percentages(text)] == [value]


def test_the_word_persen_alone_is_no_percentage():
    assert find_percentages("dihitung dalam persen dari nilai kontrak") == []
