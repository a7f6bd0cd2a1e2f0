"""Split a Document into Clauses following Indonesian document structure.

BAB > Pasal / section headings > ayat "(1)" > numbered and lettered items > sentences; table rows
are clauses of their own. One pass over the lines, so the cost is linear in the text length.

Every clause's `text` is exactly `doc.text[start:end]`, with no surrounding whitespace.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Block, Clause, Document

# --- data: what the structure looks like ------------------------------------------------------

# Section titles PPKs use; a line holding only one of these is a heading even when not uppercase,
# and an item that opens with one ("1. Latar Belakang Transportasi ...") opens that section.
KNOWN_SECTION_TITLES = [
    "latar belakang", "dasar hukum", "maksud dan tujuan", "maksud", "tujuan", "sasaran",
    "lokasi kegiatan", "lokasi pekerjaan", "lokasi", "sumber dana", "sumber pendanaan",
    "sumber dana dan perkiraan biaya", "perkiraan biaya", "ruang lingkup", "ruang lingkup pekerjaan",
    "lingkup pekerjaan", "nama kegiatan", "nama pekerjaan", "nama organisasi pengadaan",
    "jangka waktu pelaksanaan", "jangka waktu", "waktu pelaksanaan", "jadwal pelaksanaan",
    "keluaran", "hasil yang diharapkan", "spesifikasi teknis", "spesifikasi", "tenaga ahli",
    "kebutuhan tenaga ahli", "persyaratan tenaga ahli", "pelaporan", "laporan", "penutup",
    "pendahuluan", "umum", "ketentuan umum", "metodologi", "data penunjang", "alih pengetahuan",
    "produksi dalam negeri", "persyaratan kerjasama", "jenis kontrak", "cara pembayaran",
    "biaya", "pembiayaan", "kualifikasi penyedia", "persyaratan penyedia",
]
# A KAK written as questions ("3. Siapa sasarannya?") heads its sections with them: each question
# names the section it opens, so the element checks find "Sasaran" where the PPK asked "siapa".
QUESTION_TOPICS = [
    (r"\b(?:mengapa|kenapa)\b|\blatar belakang", "Latar belakang"),
    (r"\bmaksud\b|\btujuan", "Maksud dan tujuan"),
    (r"\bsasaran|\bsiapa\b.*\b(?:penerima|pengguna|dilayani)\b", "Sasaran"),
    (r"\bdi ?mana\b|\bke ?mana\b|\blokasi", "Lokasi"),
    (r"\bberapa\b.*\b(?:biaya|anggaran|dana|nilai)|\bdari mana\b|\bsumber dana", "Sumber dana dan perkiraan biaya"),
    (r"\bkapan\b|\bberapa lama\b|\bjangka waktu", "Jangka waktu pelaksanaan"),
    (r"\b(?:barang|alat|bahan|peralatan)\s+apa\b|\bspesifikasi", "Spesifikasi teknis"),
    (r"\bapa (?:saja )?yang (?:harus )?(?:dikerjakan|dilakukan|disediakan|dilaksanakan)\b|\blingkup", "Ruang lingkup"),
    (r"\bhasil\b|\bkeluaran\b|\bdiserahkan penyedia\b", "Keluaran"),
    (r"\blapor", "Pelaporan"),
    (r"\bproduk(?:si)? dalam negeri\b|\bTKDN\b", "Produksi dalam negeri"),
    (r"\bsiapa\b.*\bpenyedia\b|\bpersyaratan penyedia|\bkualifikasi", "Persyaratan penyedia"),
    (r"\bsiapa\b.*\b(?:melaksanakan|mengerjakan|ditugaskan)\b|\btenaga\b|\bpersonel", "Tenaga pelaksana"),
]
QUESTION_MAX_CHARS = 90
# Abbreviations after which a '.' does not end a sentence.
ABBREVIATIONS = [
    "Rp", "No", "Nomor", "Kab", "Kec", "Kel", "Ds", "Jl", "Jln", "dll", "dsb", "dst", "s.d", "s/d",
    "tgl", "Ps", "PT", "CV", "UD", "Tbk", "Prov", "Ir", "Dr", "Drs", "Dra", "H", "Hj", "St", "S.T",
    "M.T", "a.n", "u.p", "Bpk", "Sdr", "hlm", "Hal", "Telp", "Tlp", "Fax", "Perpres", "Permen",
    "Kep", "Per", "jo", "c.q", "cq", "NIP", "NPWP", "T.A", "TA", "Ket", "Vol", "Sat", "Jml", "Ttd",
    "an", "ybs", "Lt", "RT", "RW", "kg", "cm", "mm", "Pers", "Persero", "Ltd", "Co", "Inc",
]
SPLIT_MIN_CHARS = 350  # paragraphs longer than this are split into sentences
HEADER_MAX_CHARS = 100

# --- patterns -----------------------------------------------------------------------------------

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
BAB_RE = re.compile(rf"^BAB\s+({ROMAN}|\d+)\b\.?\s*", re.IGNORECASE)
# "Pasal 2, Penyedia dikenakan ..." or "Pasal 2 ayat (1) ..." at the start of a wrapped line is
# running text that cites an article, not an article's heading
PASAL_RE = re.compile(r"^Pasal\s+(\d+[A-Z]?)\b(?!\s*,|\s+[a-z])\.?\s*")
MARKER_RES = [
    ("ayat", re.compile(r"^\((\d{1,3})\)\s*")),
    ("(lower)", re.compile(r"^\(([a-z]{1,4})\)\s*")),
    ("dec", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?(?=\s|$)\s*")),
    ("dec", re.compile(r"^(\d{1,2})\.(?=\s|$)\s*")),
    ("num)", re.compile(r"^(\d{1,2})\)\s*")),
    ("upper.", re.compile(r"^([A-Z])\.(?=\s|$)\s*")),
    ("roman.", re.compile(rf"^({ROMAN})\.(?=\s|$)\s*")),
    ("lower.", re.compile(r"^([a-z]{1,4})\.(?=\s|$)\s*")),
    ("lower)", re.compile(r"^([a-z]{1,4})\)\s*")),
    ("bullet", re.compile(r"^([-•▪●◦▫■□➢➤✓*·–])\s+")),
]
LOWER_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"}
NOISE_RES = [
    re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$"),  # page number
    re.compile(r"^(?:halaman|hal\.?|page)\s*\d+\s*(?:(?:dari|of|/)\s*\d+)?$", re.IGNORECASE),
    re.compile(r"^[\s.…_:;,\-–—()\[\]/'\"’]*$"),  # dots-only blanks, punctuation
]
PAGE_OF_RE = re.compile(r"halaman\s*\d+\s*dari\s*\d+|page\s*\d+\s*of\s*\d+", re.IGNORECASE)
SENTENCE_BREAK_RE = re.compile(r"[.!?]\s+[A-Z(\"“]")
_QUESTION_TOPIC_RES = [(re.compile(rx, re.IGNORECASE), topic) for rx, topic in QUESTION_TOPICS]
_TITLE_START_RE = re.compile(
    r"^(" + "|".join(sorted((re.escape(t) for t in KNOWN_SECTION_TITLES), key=len, reverse=True))
    + r")\b\s*[:.]?", re.IGNORECASE)


# --- sentence splitter --------------------------------------------------------------------------
#
# The boundaries are spaCy's: the blank Indonesian tokenizer (with our abbreviations as special
# cases) followed by the sentencizer rule "a sentence starts at the first token after a sentence-final
# punctuation token that is not punctuation itself". Running the whole pipeline over every long
# paragraph costs about a millisecond per paragraph, so the rule is applied here directly: only the
# whitespace-delimited chunks that hold a sentence-final character (".", "!", "?" ...) and the chunk
# right after one are tokenized, by the same spaCy tokenizer, once per distinct chunk. spaCy tokenizes
# each chunk independently of its neighbours, so the result is the same as the full pipeline's
# (tests/test_segment.py compares the two).

_NLP = None
_ABBREV_END_RE = re.compile(
    r"(?:^|[\s(])(?:" + "|".join(re.escape(a) for a in ABBREVIATIONS) + r"|[A-Za-z]|"
    + ROMAN + r")\.$", re.IGNORECASE)
# Any character a punctuation token can hold (every Unicode P* character is outside \w, except "_").
_PUNCTISH_RE = re.compile(r"[^\w\s]|_")
_NON_SPACE_RE = re.compile(r"\S*")
_SPACE_RE = re.compile(r"\s*")
_SENT_END_RE = None
_PUNCT_CHARS: frozenset[str] = frozenset()
_CHUNK_TOKENS: dict[str, tuple[tuple[int, bool, bool], ...]] = {}
_CHUNK_CACHE_MAX = 50_000
# Tokenizer special cases that span several chunks ("Dr. rer. nat."): a text holding one goes
# through the whole pipeline.
_MULTI_WORD_SPECIALS: list[str] = []


def _nlp():
    """spaCy blank Indonesian pipeline with a sentencizer, built once per process."""
    global _NLP, _SENT_END_RE, _PUNCT_CHARS
    if _NLP is None:
        import spacy
        from spacy.symbols import ORTH

        nlp = spacy.blank("id")
        nlp.add_pipe("sentencizer")
        for abbr in ABBREVIATIONS:
            for form in {abbr, abbr.lower(), abbr.upper(), abbr.capitalize()}:
                nlp.tokenizer.add_special_case(form + ".", [{ORTH: form + "."}])
        _PUNCT_CHARS = frozenset(nlp.get_pipe("sentencizer").punct_chars)
        _MULTI_WORD_SPECIALS[:] = [k for k in nlp.tokenizer.rules if " " in k.strip()]
        _SENT_END_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_PUNCT_CHARS)) + "]")
        _NLP = nlp
    return _NLP


def _chunk_tokens(chunk: str) -> tuple[tuple[int, bool, bool], ...]:
    """(offset, is punctuation, is sentence-final punctuation) of each spaCy token of one chunk."""
    toks = _CHUNK_TOKENS.get(chunk)
    if toks is None:
        toks = tuple((t.idx, t.is_punct, t.text in _PUNCT_CHARS) for t in _nlp().tokenizer(chunk))
        if len(_CHUNK_TOKENS) >= _CHUNK_CACHE_MAX:
            _CHUNK_TOKENS.clear()
        _CHUNK_TOKENS[chunk] = toks
    return toks


def _sentence_starts(t: str) -> list[int]:
    """Character offsets where the sentencizer starts a sentence in `t` (no line breaks)."""
    _nlp()
    if any(k in t for k in _MULTI_WORD_SPECIALS):
        return _spacy_sentence_starts(t)
    starts = [0]
    n = len(t)
    seen_end = False  # a sentence-final token was seen and no ordinary token since
    pos = 0  # everything before pos is done

    def next_ordinary(pos: int, limit: int) -> tuple[int | None, int]:
        """The first ordinary token at or after pos, looking no further than limit."""
        while True:
            j = _SPACE_RE.match(t, pos).end()
            if j > pos:
                # spaCy keeps one plain space after a token as its trailing space; any other run
                # of whitespace is a token of its own, and an ordinary one
                ws = pos + 1 if t[pos] == " " else pos
                if ws < j:
                    return ws, j
            if j >= limit or j >= n:
                return None, j
            end = _NON_SPACE_RE.match(t, j).end()
            chunk = t[j:end]
            if not _PUNCTISH_RE.search(chunk):
                return j, end
            for off, is_punct, _ in _chunk_tokens(chunk):
                if not is_punct:
                    return j + off, end
            pos = end

    for m in _SENT_END_RE.finditer(t):
        p = m.start()
        if p < pos:
            continue  # inside a chunk already read
        cs = p
        while cs > pos and not t[cs - 1].isspace():
            cs -= 1
        if seen_end:
            start, _ = next_ordinary(pos, cs)
            if start is not None:
                starts.append(start)
                seen_end = False
        ce = _NON_SPACE_RE.match(t, p).end()
        for off, is_punct, is_end in _chunk_tokens(t[cs:ce]):
            if seen_end and not is_punct and not is_end:
                starts.append(cs + off)
                seen_end = False
            elif is_end:
                seen_end = True
        pos = ce
    if seen_end:
        start, _ = next_ordinary(pos, n)
        if start is not None:
            starts.append(start)
    return starts


def _spacy_sentence_starts(t: str) -> list[int]:
    """The same through the whole spaCy pipeline (the reference the fast path is tested against)."""
    return [s.start_char for s in _nlp()(t).sents]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans [start, end) inside `text`, not split after abbreviations ("Rp.", "Kab.",
    "s.d.", "PT."), numbering ("(1)", "a.") or inside numbers ("1.250.000,00")."""
    if not text:
        return []
    starts = _sentence_starts(text.replace("\n", " "))
    spans = list(zip(starts, starts[1:] + [len(text)]))
    merged: list[list[int]] = []
    for start, end in spans:
        piece = text[start:end].strip()
        if not piece:
            continue
        if merged:
            prev = text[merged[-1][0]:merged[-1][1]].rstrip()
            first = piece[0]
            if (_ABBREV_END_RE.search(prev) or first.islower() or first.isdigit()
                    or len(piece) < 4 or not re.search(r"[.!?:;\"”)]$", prev)):
                merged[-1][1] = end
                continue
        merged.append([start, end])
    out = []
    for start, end in merged:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append((start, end))
    return out


# --- structure ----------------------------------------------------------------------------------

@dataclass
class _Line:
    start: int
    end: int
    block: Block
    hard: bool  # begins a new unit whatever its content


@dataclass
class _Heading:
    level: int
    kind: str  # bab | pasal | section
    marker: str | None
    title: str
    inline_type: str | None = None  # marker type of an item that opened this section inline

    @property
    def path_text(self) -> str:
        return " ".join(p for p in (self.marker, self.title) if p)


@dataclass
class _Item:
    type: str
    marker: str
    depth: int = 1
    count: int = 1  # for bullets: position among siblings


@dataclass
class _State:
    headings: list[_Heading] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    bullet_counts: dict[int, int] = field(default_factory=dict)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _is_noise(text: str) -> bool:
    t = text.strip()
    if any(r.match(t) for r in NOISE_RES):
        return True
    return len(t) < 50 and bool(PAGE_OF_RE.search(t))


def _uppercase_heading(text: str) -> bool:
    t = text.strip().rstrip(".:")
    letters = [c for c in t if c.isalpha()]
    if len(letters) < 3 or len(t) > HEADER_MAX_CHARS or len(t.split()) > 12:
        return False
    if ":" in t or t.endswith((",", ";")):
        return False  # "NAMA : BUDI" is a field, not a heading
    upper = sum(c.isupper() for c in letters)
    return upper / len(letters) >= 0.85


def _known_title(text: str) -> bool:
    return _norm(text).rstrip(".:").lower() in KNOWN_SECTION_TITLES


def question_topic(text: str) -> str | None:
    """The section a short question heading opens ("Siapa sasarannya?" -> "Sasaran"), else None."""
    t = _norm(text)
    if not t.endswith("?") or len(t) > QUESTION_MAX_CHARS or "\n" in text.strip():
        return None
    return next((topic for rx, topic in _QUESTION_TOPIC_RES if rx.search(t)), None)


def _style_heading_level(block: Block) -> int | None:
    """Heading level from a DOCX style ("Heading 2" -> 2), else None. A reader's own guess that a
    block is a heading (kind "heading" without a style) is not trusted: "NAMA : BUDI" is a field."""
    style = (block.style or "").lower()
    if style.startswith(("heading", "title", "judul")):
        m = re.search(r"(\d)", style)
        return int(m.group(1)) if m else 1
    return None


def _match_marker(text: str, state: _State) -> tuple[str, str, int] | None:
    """(type, marker, length of marker incl. trailing space) for a list/section marker."""
    for mtype, rx in MARKER_RES:
        m = rx.match(text)
        if not m:
            continue
        raw = m.group(1)
        if mtype == "roman." and not re.fullmatch(ROMAN, raw) or (mtype == "roman." and not raw):
            continue
        if mtype in ("lower.", "lower)", "(lower)"):
            if len(raw) > 1 and raw not in LOWER_ROMAN:
                continue
            if raw in LOWER_ROMAN and not _continues_letters(raw, mtype, state):
                mtype = mtype.replace("lower", "lroman")
        if mtype == "upper." and raw in "IVX" and not _continues_letters(raw, mtype, state):
            mtype = "roman."
        if mtype == "dec" and len(text) > m.end() and text[m.end()].isdigit():
            continue
        return mtype, raw, m.end()
    return None


def _continues_letters(raw: str, mtype: str, state: _State) -> bool:
    """"i." is the letter after "h.", otherwise a roman numeral."""
    if len(raw) != 1:
        return False
    prev = chr(ord(raw) - 1)
    return any(it.type == mtype and it.marker == prev for it in state.items)


def _display_marker(mtype: str, raw: str) -> str:
    if mtype in ("ayat",):
        return f"({raw})"
    if mtype.startswith("("):
        return f"({raw})"
    if mtype.endswith(")"):
        return f"{raw})"
    if mtype == "bullet":
        return raw
    if mtype == "dec":
        return raw if "." in raw else f"{raw}."
    return f"{raw}."


def _item_label(item: _Item, first: bool, has_base: bool) -> str:
    t = item.type
    if t == "ayat":
        return f"ayat ({item.marker})"
    if t == "dec":
        if "." in item.marker or (first and not has_base):
            return f"bagian {item.marker}"
        return f"angka {item.marker}"
    if t == "num)":
        return f"angka {item.marker}"
    if t in ("lower.", "lower)", "(lower)", "upper."):
        return f"huruf {item.marker}"
    if t == "bullet":
        return f"butir {item.count}"
    return f"butir {item.marker}"  # roman


def _label(state: _State) -> str:
    pasal = next((h for h in reversed(state.headings) if h.kind == "pasal"), None)
    parts: list[str] = []
    items = state.items
    dotted_first = bool(items) and items[0].type == "dec" and "." in items[0].marker
    if pasal is not None:
        parts.append(pasal.marker or "")
    elif not dotted_first:
        section = next((h for h in reversed(state.headings) if h.kind == "section"), None)
        if section is not None:
            parts.append(section.title or section.marker or "")
        elif state.headings:
            parts.append(state.headings[-1].marker or state.headings[-1].title)
    has_base = bool(parts)
    for i, item in enumerate(items):
        parts.append(_item_label(item, i == 0, has_base))
    return " ".join(p for p in parts if p)


def _push_item(state: _State, mtype: str, raw: str) -> _Item:
    depth = raw.count(".") + 1 if mtype == "dec" else 1
    items = state.items
    cut = None
    for i, it in enumerate(items):
        if mtype == "dec" and it.type == "dec" and it.depth >= depth:
            cut = i
            break
        if mtype != "dec" and it.type == mtype:
            cut = i
            break
    count = 1
    if cut is not None:
        if mtype == "bullet":
            count = items[cut].count + 1
        del items[cut:]
    item = _Item(mtype, raw, depth, count)
    items.append(item)
    return item


def _push_heading(state: _State, heading: _Heading) -> None:
    while state.headings and state.headings[-1].level >= heading.level:
        state.headings.pop()
    state.headings.append(heading)
    state.items.clear()


# --- lines and units ----------------------------------------------------------------------------

def _lines(doc: Document) -> list[_Line | Block]:
    """Physical lines of the non-table blocks (tight offsets), with table-row blocks in place."""
    blocks = sorted(doc.blocks, key=lambda b: (b.start, b.end)) if doc.blocks else [
        Block("line", 0, len(doc.text), 1)]
    text = doc.text
    out: list[_Line | Block] = []
    prev_end = 0
    for block in blocks:
        if block.kind == "table_row":
            out.append(block)
            prev_end = block.end
            continue
        pos = block.start
        first = True
        for raw in text[block.start:block.end].split("\n"):
            s, e = pos, pos + len(raw)
            pos = e + 1
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s == e:
                continue
            gap = text[prev_end:s]
            hard = (first and block.kind != "line") or gap.count("\n") >= 2
            out.append(_Line(s, e, block, hard))
            prev_end = e
            first = False
    return out


def _repeated_margins(doc: Document, lines: list[_Line | Block]) -> set[str]:
    """Short lines repeated at the top or bottom of many pages (running headers and footers)."""
    if doc.pages < 3:
        return set()
    by_page: dict[int, list[str]] = {}
    for ln in lines:
        if isinstance(ln, _Line) and ln.end - ln.start < 80:
            by_page.setdefault(doc.page_at(ln.start), []).append(_norm(doc.text[ln.start:ln.end]))
    counts: Counter[str] = Counter()
    for texts in by_page.values():
        counts.update(set(texts[:2] + texts[-2:]))
    need = max(3, doc.pages // 2)
    return {t for t, c in counts.items() if c >= need}


def _bare_title_holder(text: str, unit: list[_Line]) -> bool:
    """A unit that is only "Pasal 5" or "BAB II", waiting for its title line."""
    if len(unit) != 1:
        return False
    t = text[unit[0].start:unit[0].end]
    return bool(PASAL_RE.fullmatch(t) or BAB_RE.fullmatch(t))


def _group(doc: Document, lines: list[_Line | Block], state_probe: _State) -> list[list[_Line] | Block]:
    """Join physical lines into units: a unit starts at a marker, a heading, a blank line, a
    block boundary, or a sentence end followed by a capital."""
    text = doc.text
    skip = _repeated_margins(doc, lines)
    units: list[list[_Line] | Block] = []
    current: list[_Line] | None = None
    current_is_heading = False
    for ln in lines:
        if isinstance(ln, Block):
            units.append(ln)
            current = None
            continue
        t = text[ln.start:ln.end]
        if _is_noise(t) or _norm(t) in skip:
            continue
        marker = _match_marker(t, state_probe) if not BAB_RE.match(t) else None
        structural = bool(BAB_RE.match(t) or PASAL_RE.match(t) or marker)
        heading = (_uppercase_heading(t) or _known_title(t) or
                   _style_heading_level(ln.block) is not None) and not t.rstrip().endswith(";")
        new = current is None or ln.hard or structural or current_is_heading
        if new and current and not structural and not current_is_heading and t[0].islower() \
                and not text[current[-1].end - 1] in ".;:!?":
            new = False  # a reader split a wrapped sentence: "... yang cukup" / "strategis dalam ..."
        if not new and current:
            prev = text[current[-1].start:current[-1].end]
            if heading != _bare_title_holder(text, current):
                new = True  # a heading starts a unit; a bare "Pasal 5" takes only a title line
            elif prev.endswith((".", ":", ";", "?", "!")) and (t[0].isupper() or t[0] == "("):
                new = True
        # A bare "Pasal 5" / "BAB II" line takes the next uppercase line as its title.
        if current and not structural and heading and _bare_title_holder(text, current):
            current.append(ln)
            current_is_heading = True
            continue
        if new:
            current = [ln]
            units.append(current)
            # a bare "Pasal 5" waits for its title line; other headings end at their line
            bare = PASAL_RE.fullmatch(t) or BAB_RE.fullmatch(t)
            current_is_heading = bool(heading or BAB_RE.match(t)) and not bare
        else:
            current.append(ln)
    return units


# --- main ---------------------------------------------------------------------------------------

def segment(doc: Document) -> list[Clause]:
    """Clauses of `doc` in reading order. See the module docstring."""
    state = _State()
    lines = _lines(doc)
    units = _group(doc, lines, state)
    clauses: list[Clause] = []
    text = doc.text
    multi_table = len(doc.tables) > 1

    def emit(start: int, end: int, kind: str, numbering: str | None, path: list[str], label: str,
             **extra) -> None:
        clauses.append(Clause(
            id=f"{doc.name}#{len(clauses)}", document=doc.name, text=text[start:end], start=start,
            end=end, page=doc.page_at(start), kind=kind, numbering=numbering,
            heading_path=list(path), label=label, **extra))

    for unit in units:
        if isinstance(unit, Block):
            s, e = unit.start, unit.end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            cells = unit.cells or []
            if s == e or (cells and not any(c.strip() for c in cells)):
                continue
            row = unit.row if unit.row is not None else 0
            label = (f"tabel {unit.table + 1} baris {row + 1}" if multi_table and unit.table is not None
                     else f"tabel baris {row + 1}")
            emit(s, e, "table_row", None, [h.path_text for h in state.headings], label,
                 cells=unit.cells, table=unit.table, row=unit.row)
            continue
        _emit_unit(doc, unit, state, emit)
    return clauses


def _emit_unit(doc: Document, unit: list[_Line], state: _State, emit) -> None:
    text = doc.text
    start, end = unit[0].start, unit[-1].end
    body = text[start:end]
    first_line = text[unit[0].start:unit[0].end]
    style_level = _style_heading_level(unit[0].block)

    m = BAB_RE.match(body)
    if m:
        title = _norm(body[m.end():]).rstrip(".:")
        _push_heading(state, _Heading(0, "bab", f"BAB {m.group(1).upper()}", title))
        emit(start, end, "heading", f"BAB {m.group(1).upper()}",
             [h.path_text for h in state.headings[:-1]], f"BAB {m.group(1).upper()}")
        return
    m = PASAL_RE.match(body)
    if m and (len(unit) > 1 or len(body) - m.end() < 60 or _uppercase_heading(body[m.end():])):
        rest = body[m.end():]
        title_lines = rest.split("\n", 1)
        title = _norm(title_lines[0]).rstrip(".:") if rest and _uppercase_heading(title_lines[0]) else ""
        marker = f"Pasal {m.group(1)}"
        _push_heading(state, _Heading(2, "pasal", marker, title))
        emit(start, end, "heading", marker, [h.path_text for h in state.headings[:-1]], marker)
        return

    marker = _match_marker(first_line, state)
    content = body[marker[2]:] if marker else body
    if not content.strip():
        return  # lone numbering carries nothing
    in_pasal = any(h.kind == "pasal" for h in state.headings)
    is_heading = (style_level is not None or _uppercase_heading(content.split("\n")[0])
                  and len(unit) == 1 or _known_title(content) and not in_pasal) \
        and marker_kind_can_head(marker)
    topic = question_topic(content) if marker_kind_can_head(marker) and not in_pasal else None
    if is_heading or topic:
        mtype = marker[0] if marker else None
        level = {"roman.": 1, "upper.": 2, "dec": 3}.get(mtype, 4) if not style_level or marker \
            else min(style_level, 4)
        if mtype == "dec" and "." in marker[1]:
            level = 3 + marker[1].count(".")
        disp = _display_marker(*marker[:2]) if marker else None
        title = f"{topic}: {_norm(content)}" if topic and not is_heading else _norm(content).rstrip(".:")
        _push_heading(state, _Heading(level, "section", disp, title))
        emit(start, end, "heading", disp, [h.path_text for h in state.headings[:-1]],
             title if not (mtype == "dec" and "." in marker[1]) else f"bagian {marker[1]}")
        return

    numbering = None
    if marker:
        mtype, raw, _ = marker
        numbering = _display_marker(mtype, raw)
        if state.headings and state.headings[-1].inline_type == mtype:
            state.headings.pop()  # the next sibling item closes a section its predecessor opened
        inline = _TITLE_START_RE.match(content)
        if inline and mtype in ("dec", "upper.", "roman.") and _opens_section(content, inline):
            # "1. Latar Belakang Transportasi udara ...": the item opens a section
            level = {"roman.": 1, "upper.": 2}.get(mtype, 3)
            _push_heading(state, _Heading(level, "section", numbering, _norm(inline.group(1)), mtype))
        _push_item(state, mtype, raw)
        kind = "item"
    else:
        state.items.clear()  # a plain paragraph closes the list before it
        kind = "paragraph"
    path = [h.path_text for h in state.headings]
    label = _label(state)
    if len(body) > SPLIT_MIN_CHARS or len(SENTENCE_BREAK_RE.findall(body)) >= 2:
        spans = split_sentences(body)
        if len(spans) > 1:
            for s, e in spans:
                emit(start + s, start + e, "sentence", numbering, path, label)
            return
    emit(start, end, kind, numbering, path, label)


def _opens_section(content: str, inline: re.Match) -> bool:
    """"Latar Belakang Transportasi udara ..." opens a section; "Maksud kegiatan ini ..." does not."""
    title = inline.group(1)
    rest = content[inline.end():].lstrip()
    if not title[0].isupper() or len(rest) < 20:
        return False
    return inline.group(0).rstrip().endswith(":") or title.isupper() or rest[0].isupper()


def marker_kind_can_head(marker: tuple[str, str, int] | None) -> bool:
    """Ayat, bullets and lowercase letters introduce content, never a section heading."""
    return marker is None or marker[0] in ("dec", "upper.", "roman.")
