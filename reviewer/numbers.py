"""Indonesian numbers, money, percentages, durations and terbilang (numbers written in words).

Everything returns character offsets into the text it was given, so callers can point at evidence.
All patterns are linear-time regexes (no nested unbounded repetition).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# --- number words -----------------------------------------------------------------------------

UNITS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}
UNIT_NAMES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
# words that already hold "se-" (= one) plus their scale
SE_WORDS = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 10**6,
            "semiliar": 10**9, "semilyar": 10**9}
SCALES = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12}
# words that may sit inside a terbilang without changing its value
FILLER_WORDS = {"rupiah", "terbilang", "sen", "persen", "permil", "hari", "kalender", "kerja",
                "bulan", "minggu", "tahun", "rp"}

_NUMBER_WORDS = sorted(list(UNITS) + list(SE_WORDS) + list(SCALES) + ["belas", "puluh", "ratus"],
                       key=len, reverse=True)
_WORD_ALT = "|".join(_NUMBER_WORDS)
# A run of number words, optionally with "koma" decimals; separated by spaces or hyphens.
WORDS_RE = re.compile(
    rf"\b(?:{_WORD_ALT})(?:[\s\-]+(?:{_WORD_ALT}|koma))*\b", re.IGNORECASE)

# --- digits -----------------------------------------------------------------------------------

# A number as written: digits with '.' or ',' separators, ending in a digit.
NUMBER_RE = re.compile(r"(?<![\w.,])\d(?:[\d.,]*\d)?")
MULTIPLIERS = {"ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "milyar": 1e9,
               "m": 1e9, "triliun": 1e12, "t": 1e12}
_MONEY_RE = re.compile(
    r"(?P<cur>\bRp\b\.?|\bIDR\b|Rp(?=\d))\s*(?P<num>\d(?:[\d.,]*\d)?)"
    r"(?:\s*(?P<mult>ribu|rb|juta|jt|miliar|milyar|triliun|M|T)\b)?(?P<tail>\s*[,.]-)?",
    re.IGNORECASE)
_WORD_AMOUNT_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d(?:[\d.,]*\d)?)\s*(?P<mult>ribu|juta|miliar|milyar|triliun)\b"
    r"(?P<rupiah>\s+rupiah)?", re.IGNORECASE)


def _grouped(parts: list[str]) -> bool:
    """True when parts look like thousands groups: 1-3 digits, then exactly 3 digits each."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def parse_number(s: str, money: bool = False) -> float | None:
    """Parse a number written Indonesian style ("1.250.000,00") or English style ("6,800,000.00").

    A single '.' followed by exactly three digits is a thousands separator ("12.500" = 12500);
    a single ',' is a decimal comma ("1,5") unless `money` is set and three digits follow
    ("Rp 39,000" in an English-style PDF). After a lone 0 either mark is decimal ("0,025")."""
    s = s.strip()
    s = re.sub(r"^(?:Rp\.?|IDR)\s*", "", s, flags=re.IGNORECASE)
    s = re.sub(r"\s*[,.]-$", "", s).strip()
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        return None
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thou = "." if dec == "," else ","
        int_part, _, frac = s.rpartition(dec)
        if dec in int_part or not _grouped(int_part.split(thou)):
            return None
        return float(int_part.replace(thou, "") + "." + frac)
    sep = "." if has_dot else "," if has_comma else None
    if sep is None:
        return float(s)
    parts = s.split(sep)
    if len(parts) > 2:
        return float("".join(parts)) if _grouped(parts) else None
    head, tail = parts
    # "0,025" and "0.250" are fractions (a coefficient, a tonnage): no thousands group follows a 0
    grouped = len(tail) == 3 and head != "0"
    if sep == "." and grouped:
        return float(head + tail)
    if sep == "," and grouped and money:
        return float(head + tail)
    return float(head + "." + tail)


@dataclass
class Amount:
    value: float
    start: int
    end: int
    text: str
    is_money: bool


def _cut_off(text: str, end: int) -> bool:
    """"Rp 49,775," at a line end: a number cut short by a PDF text layer, not a value."""
    return bool(re.match(r",[ \t]*(?:\n|$)", text[end:end + 4]))


def find_amounts(text: str) -> list[Amount]:
    """Money amounts ("Rp 1.250.000,00", "Rp1,25 miliar", "Rp. 49.775.000,-", "IDR 5.000") and
    other amounts written with thousands groups or scale words ("250 juta", "13,600,000.00")."""
    out: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for m in _MONEY_RE.finditer(text):
        if not m.group("tail") and _cut_off(text, m.end()):
            continue
        mult = (m.group("mult") or "").lower()
        value = parse_number(m.group("num"), money=not mult)
        if value is None:
            continue
        if mult:
            value *= MULTIPLIERS[mult]
        end = m.end()
        out.append(Amount(value, m.start(), end, text[m.start():end], True))
        taken.append((m.start(), end))
    for m in _WORD_AMOUNT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        value *= MULTIPLIERS[m.group("mult").lower()]
        out.append(Amount(value, m.start(), m.end(), m.group(0), bool(m.group("rupiah"))))
        taken.append((m.start(), m.end()))
    for m in NUMBER_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        raw = m.group(0)
        if _cut_off(text, m.end()):
            continue
        if not re.search(r"\d[.,]\d{3}(?:\D|$)", raw):
            continue  # only grouped numbers count as amounts without a currency
        value = parse_number(raw, money=True)
        if value is None:
            continue
        after = text[m.end():m.end() + 8].lower()
        out.append(Amount(value, m.start(), m.end(), raw, after.lstrip().startswith("rupiah")))
    out.sort(key=lambda a: a.start)
    return out


# --- terbilang ----------------------------------------------------------------------------------

def terbilang(n: int) -> str:
    """Write an integer in Indonesian words: 49775000 -> "empat puluh sembilan juta tujuh ratus
    tujuh puluh lima ribu"."""
    n = int(n)
    if n < 0:
        return "minus " + terbilang(-n)
    if n == 0:
        return "nol"
    return " ".join(_words(n))


def _words(n: int) -> list[str]:
    if n == 0:
        return []
    if n < 10:
        return [UNIT_NAMES[n]]
    if n == 10:
        return ["sepuluh"]
    if n == 11:
        return ["sebelas"]
    if n < 20:
        return [UNIT_NAMES[n - 10], "belas"]
    if n < 100:
        return [UNIT_NAMES[n // 10], "puluh"] + _words(n % 10)
    if n < 200:
        return ["seratus"] + _words(n - 100)
    if n < 1000:
        return [UNIT_NAMES[n // 100], "ratus"] + _words(n % 100)
    if n < 2000:
        return ["seribu"] + _words(n - 1000)
    for scale, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= scale:
            return _words(n // scale) + [name] + _words(n % scale)
    raise AssertionError("unreachable")


def parse_terbilang(text: str) -> int | float | None:
    """Read Indonesian number words back into a number. Tolerates case, "rupiah", hyphens, extra
    spaces and "koma" decimals ("dua koma lima" -> 2.5). Returns None when the text holds a word
    that is not part of a number, or no number word at all."""
    words = re.sub(r"[()\[\]:;,.\-/]", " ", text.lower()).split()
    total = group = pending = 0
    seen = False
    decimals: list[int] | None = None
    for w in words:
        if decimals is not None:
            if w in UNITS:
                decimals.append(UNITS[w])
                continue
            if w in FILLER_WORDS:
                continue
            return None
        if w in UNITS:
            if pending:
                return None  # "dua tiga" is not a number
            pending = UNITS[w] if UNITS[w] else 0
            seen = True
        elif w in ("sepuluh", "sebelas"):
            if pending:
                return None
            pending = SE_WORDS[w]
            seen = True
        elif w == "belas":
            if not 1 <= pending <= 9:
                return None
            pending += 10
        elif w == "puluh":
            if not 1 <= pending <= 9:
                return None
            group += pending * 10
            pending = 0
        elif w == "ratus":
            if not 1 <= pending <= 9:
                return None
            group += pending * 100
            pending = 0
        elif w == "seratus":
            group += 100
            seen = True
        elif w in SCALES or w in ("seribu", "sejuta", "semiliar", "semilyar"):
            scale = SCALES.get(w) or SE_WORDS[w]
            mult = 1 if w in SE_WORDS else (group + pending)
            if not mult:
                return None
            total += mult * scale
            group = pending = 0
            seen = True
        elif w == "koma":
            decimals = []
        elif w in FILLER_WORDS:
            continue
        else:
            return None
    if not seen:
        return None
    value = total + group + pending
    if decimals:
        return float(f"{value}." + "".join(str(d) for d in decimals))
    return value


# Fractions in words: "satu per seribu", "satu perseribu", "seperseribu", "satu per dua belas",
# "sepertiga", "satu permil"; "per" may be glued to the denominator. "persen" is not one ("sen"
# is not a number word), so percentages keep their own readers.
_RUN = rf"(?:{_WORD_ALT})(?:[\s\-]+(?:{_WORD_ALT}|koma))*"
FRACTION_WORDS_RE = re.compile(
    rf"(?:\b(?P<num>{_RUN})[\s\-]*|\bse[\s\-]?)per[\s\-]*"
    rf"(?:(?P<mil>mil)\b|(?P<den>(?:{_WORD_ALT})(?:[\s\-]+(?:{_WORD_ALT}))*)\b)"
    r"|\b(?P<half>setengah)\b", re.IGNORECASE)


def parse_fraction_words(text: str) -> float | None:
    """"satu per seribu" -> 0.001, "seperdua belas" -> 1/12, "satu permil" -> 0.001,
    "setengah" -> 0.5. None when the text is not exactly one fraction in words."""
    m = FRACTION_WORDS_RE.fullmatch(text.strip())
    return _fraction_value(m) if m else None


def _fraction_value(m: re.Match) -> float | None:
    if m.group("half"):
        return 0.5
    num = parse_terbilang(m.group("num")) if m.group("num") else 1
    den = 1000 if m.group("mil") else parse_terbilang(m.group("den"))
    if num is None or not den:
        return None
    return num / den


_TERBILANG_CONTEXT_RE = re.compile(r"(?:\(\s*|terbilang\s*[:=]?\s*)$", re.IGNORECASE)


def find_terbilang(text: str) -> list[tuple[int | float, int, int]]:
    """Number words written out to confirm a figure: inside parentheses ("90 (sembilan puluh)
    hari") or after "terbilang:". Returns (value, start, end) of the words themselves.
    A fraction in words ("(satu per seribu)") is one value, 0.001, not "satu" and "seribu"."""
    out: list[tuple[int | float, int, int]] = []
    for m in FRACTION_WORDS_RE.finditer(text):
        if not _TERBILANG_CONTEXT_RE.search(text[max(0, m.start() - 16):m.start()]):
            continue
        value = _fraction_value(m)
        if value is not None:
            out.append((value, m.start(), m.end()))
    fractions = [(s, e) for _, s, e in out]
    for m in WORDS_RE.finditer(text):
        if any(s <= m.start() < e for s, e in fractions):
            continue
        before = text[max(0, m.start() - 16):m.start()]
        if not _TERBILANG_CONTEXT_RE.search(before):
            continue
        value = parse_terbilang(m.group(0))
        if value is None:
            continue
        end = m.end()
        tail = re.match(r"\s+rupiah\b", text[end:end + 12], re.IGNORECASE)
        if tail:
            end += tail.end()
        out.append((value, m.start(), end))
    out.sort(key=lambda t: t[1])
    return out


# --- percentages and permil -------------------------------------------------------------------

_PERCENT_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d+(?:[.,]\d+)?)\s*(?:%|persen\b|per\s*seratus\b)", re.IGNORECASE)
# "dua setengah persen" is 2,5%; "setengah persen" alone is 0,5%
_WORD_PERCENT_RE = re.compile(rf"(?:(?P<words>{WORDS_RE.pattern})\s+)?(?P<half>setengah\s+)?(?:persen|per\s*seratus)\b",
                              re.IGNORECASE)
_PERMIL_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d+(?:[.,]\d+)?)\s*(?:‰|/\s*1[.,]?000\b|per\s*mil\b|permil\b|"
    r"per\s*seribu\b)", re.IGNORECASE)
_WORD_PERMIL_RE = re.compile(
    rf"(?P<words>{WORDS_RE.pattern})\s*(?:per\s*mil|permil|per\s*seribu|perseribu)\b", re.IGNORECASE)


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _find_rates(text: str, digit_re: re.Pattern, word_re: re.Pattern) -> list[tuple[float, int, int]]:
    out: list[tuple[float, int, int]] = []
    for m in digit_re.finditer(text):
        end = m.end()
        # "30% (tiga puluh persen)": the words confirm the figure; one result spans both
        paren = re.match(r"\s*\(([^()]{1,60})\)", text[end:])
        if paren and word_re.fullmatch(paren.group(1).strip()):
            end += paren.end()
        out.append((_num(m.group("num")), m.start(), end))
    for m in word_re.finditer(text):
        if any(s <= m.start() < e for _, s, e in out):
            continue
        # "satu per seribu" also matches inside "... (satu per seribu)" handled above
        words, half = m.group("words"), m.groupdict().get("half")
        if not words and not half:
            continue  # "persen" with no number before it
        value = parse_terbilang(words) if words else 0
        if value is not None:
            out.append((float(value) + (0.5 if half else 0.0), m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out


def find_percentages(text: str) -> list[tuple[float, int, int]]:
    """"5%", "5 %", "2,5 persen", "lima persen", "30% (tiga puluh persen)" -> (value, start, end)."""
    return _find_rates(text, _PERCENT_RE, _WORD_PERCENT_RE)


def find_permil(text: str) -> list[tuple[float, int, int]]:
    """"1‰", "1/1000", "1 per mil", "satu permil", "satu per seribu" -> (permil value, start, end)."""
    return _find_rates(text, _PERMIL_RE, _WORD_PERMIL_RE)


# --- durations ------------------------------------------------------------------------------------

DAYS_PER_UNIT = {"hari kalender": 1, "hari": 1, "hari kerja": 7 / 5, "minggu": 7, "pekan": 7,
                 "bulan": 30, "tahun": 365}
_UNIT_RE = r"(?P<unit>hari\s+kalender|hari\s+kerja|hari|minggu|pekan|bulan|tahun)\b"
_DURATION_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,4})\s*(?:\(\s*(?P<words>[A-Za-z][A-Za-z\s\-]{0,60}?)\s*\)\s*)?"
    + _UNIT_RE, re.IGNORECASE)
_WORD_DURATION_RE = re.compile(rf"(?P<words>{WORDS_RE.pattern})\s+" + _UNIT_RE, re.IGNORECASE)


def find_durations(text: str) -> list[tuple[int, str, int, int]]:
    """"90 (sembilan puluh) hari kalender", "3 bulan", "12 minggu", "45 hari kerja", "enam bulan"
    -> (calendar days, unit, start, end). Working days count as 7/5 calendar days, rounded up."""
    out: list[tuple[int, str, int, int]] = []
    for m in _DURATION_RE.finditer(text):
        words = m.group("words")
        if words and parse_terbilang(words) is None:
            continue  # "5 (lima) tahun" fine; "2021 (revisi) tahun" is not a duration
        unit = " ".join(m.group("unit").lower().split())
        if unit == "tahun" and re.match(r"\s*\d{4}", text[m.end():m.end() + 8]):
            continue  # "... 1 tahun 2021" reads as a date, not a duration
        days = math.ceil(int(m.group("num")) * DAYS_PER_UNIT[unit] - 1e-9)
        out.append((days, unit, m.start(), m.end()))
    for m in _WORD_DURATION_RE.finditer(text):
        if any(s <= m.start() < e for _, _, s, e in out):
            continue
        value = parse_terbilang(m.group("words"))
        if not isinstance(value, int) or value <= 0:
            continue
        unit = " ".join(m.group("unit").lower().split())
        days = math.ceil(value * DAYS_PER_UNIT[unit] - 1e-9)
        out.append((days, unit, m.start(), m.end()))
    out.sort(key=lambda t: t[2])
    return out


def format_rupiah(value: float) -> str:
    """1250000 -> "Rp1.250.000"; keeps sen when present ("Rp1.250,50"). The one formatter of money
    used in messages, reports and the rule reference."""
    whole = int(round(value * 100)) // 100
    sen = int(round(value * 100)) % 100
    text = f"{whole:,}".replace(",", ".")
    return f"Rp{text},{sen:02d}" if sen else f"Rp{text}"
