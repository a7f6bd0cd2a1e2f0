"""Package checks: the documents of one procurement must agree with each other.

- consistency_nilai: nilai kontrak <= HPS <= pagu, and the HPS total a KAK states = the HPS document's.
- consistency_jangka_waktu: the same duration in KAK, dokumen pemilihan and kontrak.
- consistency_volume: item quantities in the KAK/spesifikasi = the volumes in the HPS rows;
  consistency_volume_kontrak: the kontrak's quantities = the HPS's and the KAK's (items matched by
  name similarity, quantities compared only in the same kind of unit: 400 m of road is not 120 m3
  of concrete).
- consistency_jenis_kontrak: the same contract type everywhere.

A finding points at the evidence in one document and lists the other documents' evidence in
`related` ({"document", "evidence", "page"}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Fact, Finding
from ..numbers import find_amounts, find_durations, parse_number
from ..rules import Rule
from .base import DocContext, make_finding, package_check
from .hps_math import LABEL_RE, _value, hps_tables, summary_amount, table_rows
from .numbers import SEGMENT_SPLIT_RE, fmt_num, fmt_rp, sentence_at, sentences


@dataclass
class Stated:
    """A value one document states, with where it says so."""

    ctx: DocContext
    value: object
    start: int | None
    end: int | None
    evidence: str

    @property
    def page(self) -> int | None:
        return self.ctx.document.page_at(self.start) if self.start is not None else None

    def related(self) -> dict:
        return {"document": self.ctx.document.name, "evidence": self.evidence, "page": self.page}


def _finding(rule: Rule, at: Stated, message: str, others: list[Stated]) -> Finding:
    related = [o.related() for o in others if o.ctx is not at.ctx]
    # the span gives the page; the evidence may quote more than the span (rows summed together)
    return make_finding(rule, at.ctx, start=at.start, end=at.end, message=message, evidence=at.evidence,
                        related=related)


def _own_fact(ctx: DocContext, name: str) -> Fact | None:
    """A fact this document states itself (package sharing copies facts between documents; a
    copy points at another document's text)."""
    f = ctx.facts.get(name)
    if f is None or f.value is None:
        return None
    if f.start is not None and f.end is not None:
        if " ".join(ctx.document.text[f.start:f.end].split()) != " ".join(f.text.split()):
            return None
    elif f.confidence < 0.95:
        return None
    return f


def _from_fact(ctx: DocContext, f: Fact) -> Stated:
    if f.start is not None:
        sent = sentence_at(ctx, f.start)
        if sent is not None and sent.end - sent.start <= 400:
            return Stated(ctx, f.value, sent.start, sent.end, " ".join(sent.text.split()))
        return Stated(ctx, f.value, f.start, f.end, f.text)
    return Stated(ctx, f.value, None, None, f.text)


# --- amounts ------------------------------------------------------------------------------------

LABELS = {
    "nilai_kontrak": re.compile(r"nilai\s+kontrak|harga\s+kontrak|nilai\s+(spk|surat\s+perintah\s+kerja)|nilai\s+perjanjian", re.I),
    "nilai_hps": re.compile(r"nilai\s+(total\s+)?hps|total\s+hps|harga\s+perkiraan\s+sendiri|hps\s+(sebesar|senilai|adalah)", re.I),
    "pagu": re.compile(r"\bpagu(\s+anggaran|\s+dana)?\b", re.I),
}


def stated_amount(ctx: DocContext, name: str) -> Stated | None:
    """The amount a document states for `name`: its own fact, else the first amount after the label."""
    f = _own_fact(ctx, name)
    if f is not None:
        try:
            return _from_fact(ctx, Fact(f.name, float(f.value), f.text, f.start, f.end, f.page, f.confidence))
        except (TypeError, ValueError):
            pass
    label = LABELS[name]
    for sent in sentences(ctx):
        m = label.search(sent.text)
        if not m:
            continue
        others = [lb for n, lb in LABELS.items() if n != name]
        amounts = [a for a in find_amounts(sent.text[m.end():]) if a.value >= 1000]
        if not amounts:
            continue
        between = sent.text[m.end():m.end() + amounts[0].start]
        if any(o.search(between) for o in others) or len(between) > 60:
            continue  # the amount belongs to another label
        return Stated(ctx, amounts[0].value, sent.start, sent.end, " ".join(sent.text.split()))
    return None


def _hps_totals(ctx: DocContext) -> list[float]:
    """Every total an HPS document writes (before PPN, with PPN, rounded): a KAK may quote any."""
    out = []
    for rows, cols in hps_tables(ctx):
        for row in rows[cols.header_rows:]:
            label = " ".join(row.cells).lower()
            if re.search(r"jumlah|total|bulat|hps", label) and (v := summary_amount(row, cols)) is not None:
                out.append(v)
    for sent in sentences(ctx):
        if re.search(r"jumlah|total|dibulatkan|nilai\s+hps", sent.text, re.I):
            out.extend(a.value for a in find_amounts(sent.text) if a.value >= 1000)
    return out


def hps_document_total(ctx: DocContext) -> Stated | None:
    """The total an HPS document sets: its own nilai_hps fact, else the table's last figure
    (dibulatkan, else the total with PPN), else a labelled amount."""
    f = _own_fact(ctx, "nilai_hps")
    if f is not None:
        return stated_amount(ctx, "nilai_hps")
    for rows, cols in reversed(hps_tables(ctx)):
        for row in reversed(rows[cols.header_rows:]):
            label = " ".join(row.cells)
            if re.search(r"jumlah|total|bulat", label, re.I) and (v := summary_amount(row, cols)) is not None:
                return Stated(ctx, v, row.start, row.end, " ".join(row.evidence.split()))
    return stated_amount(ctx, "nilai_hps")


def _by_type(docs: list[DocContext], *types: str) -> list[DocContext]:
    return [d for d in docs if d.doc_type in types]


@package_check("consistency_nilai")
def consistency_nilai(rule: Rule, docs: list[DocContext]) -> list[Finding]:
    """params.mode: kontrak_hps (nilai kontrak <= HPS), pagu (HPS and kontrak <= pagu),
    hps_sama (the HPS total stated in a KAK = the HPS document's)."""
    mode = rule.params.get("mode", "kontrak_hps")
    out: list[Finding] = []
    hps_docs = _by_type(docs, "hps")
    hps = next((s for d in hps_docs if (s := hps_document_total(d))), None)
    if hps is None:
        hps = next((s for d in docs if d.doc_type != "kontrak" and (s := stated_amount(d, "nilai_hps"))), None)
    if mode == "kontrak_hps":
        for d in _by_type(docs, "kontrak"):
            k = stated_amount(d, "nilai_kontrak")
            if k is not None and hps is not None and float(k.value) > float(hps.value) + 1.0:
                msg = (f"Nilai kontrak {fmt_rp(float(k.value))} melebihi nilai total HPS {fmt_rp(float(hps.value))} "
                       f"({hps.ctx.document.name}); HPS adalah batas tertinggi penawaran yang sah.")
                out.append(_finding(rule, k, msg, [hps]))
    elif mode == "pagu":
        pagu = next((s for d in docs if (s := stated_amount(d, "pagu"))), None)
        if pagu is None:
            return []
        candidates = [(hps, "nilai total HPS")] + [(stated_amount(d, "nilai_kontrak"), "nilai kontrak")
                                                  for d in _by_type(docs, "kontrak")]
        for s, what in candidates:
            if s is not None and s.ctx is not pagu.ctx and float(s.value) > float(pagu.value) + 1.0:
                msg = (f"{what[0].upper() + what[1:]} {fmt_rp(float(s.value))} melebihi pagu anggaran "
                       f"{fmt_rp(float(pagu.value))} ({pagu.ctx.document.name}); kontrak tidak boleh "
                       "ditandatangani tanpa anggaran yang cukup.")
                out.append(_finding(rule, s, msg, [pagu]))
    elif mode == "hps_sama":
        for d in _by_type(docs, "kak", "spesifikasi", "dokumen_pemilihan"):
            said = stated_amount(d, "nilai_hps")
            if said is None or not hps_docs:
                continue
            totals = [float(hps.value)] if hps is not None and hps.ctx in hps_docs else []
            totals += [t for h in hps_docs for t in _hps_totals(h)]
            if not totals or any(abs(float(said.value) - t) <= 1.0 for t in totals):
                continue
            ref = hps if hps is not None and hps.ctx in hps_docs else Stated(hps_docs[0], totals[-1], None, None, "")
            msg = (f"Nilai HPS yang disebut di {d.document.name} ({fmt_rp(float(said.value))}) berbeda dengan total "
                   f"pada dokumen HPS {ref.ctx.document.name} ({fmt_rp(float(ref.value))}).")
            out.append(_finding(rule, said, msg, [ref] if ref.evidence else []))
    return out


# --- durations ------------------------------------------------------------------------------------

DURATION_CUE_RE = re.compile(r"jangka\s+waktu|waktu\s+pelaksanaan|masa\s+pelaksanaan|waktu\s+penyelesaian|dilaksanakan\s+selama|selama|"
                             r"(?:di)?selesaikan\s+(?:paling\s+lambat\s+)?dalam|dalam\s+waktu", re.I)
DURATION_SKIP_RE = re.compile(r"pemeliharaan|garansi|jaminan|sanggah|masa\s+berlaku|penawaran|kesempatan|denda", re.I)


def stated_duration(ctx: DocContext) -> Stated | None:
    f = _own_fact(ctx, "jangka_waktu_hari")
    if f is not None:
        try:
            return _from_fact(ctx, Fact(f.name, int(f.value), f.text, f.start, f.end, f.page, f.confidence))
        except (TypeError, ValueError):
            pass
    for sent in sentences(ctx):
        # "... dalam 90 hari kalender, dengan masa pemeliharaan 60 hari": judge each part apart
        for part in SEGMENT_SPLIT_RE.split(sent.text):
            m = DURATION_CUE_RE.search(part)
            if not m or DURATION_SKIP_RE.search(part):
                continue
            found = [d for d in find_durations(part[m.start():]) if d[1] != "tahun" or d[0] <= 1100]
            if found:
                return Stated(ctx, found[0][0], sent.start, sent.end, " ".join(sent.text.split()))
    return None


@package_check("consistency_jangka_waktu")
def consistency_jangka_waktu(rule: Rule, docs: list[DocContext]) -> list[Finding]:
    return _disagreement(rule, docs, {"kontrak": 0, "dokumen_pemilihan": 1, "kak": 2, "spesifikasi": 3},
                         stated_duration, key=int, show=lambda v: f"{v} hari",
                         what="Jangka waktu pelaksanaan")


def _disagreement(rule: Rule, docs: list[DocContext], order: dict[str, int], stated_of, *, key, show,
                  what: str) -> list[Finding]:
    """One finding when documents state different values: the first document in `order` (the
    contract before the KAK) is the reference, the others that differ from it are listed."""
    stated = [s for d in sorted(docs, key=lambda d: order.get(d.doc_type, 9)) if (s := stated_of(d))]
    if len(stated) < 2:
        return []
    main = stated[0]
    others = [s for s in stated[1:] if key(s.value) != key(main.value)]
    if not others:
        return []
    listed = "; ".join(f"{o.ctx.document.name}: {show(o.value)}" for o in others)
    msg = (f"{what} tidak sama antardokumen: {main.ctx.document.name} menyebut "
           f"{show(main.value)}, sedangkan {listed}.")
    return [_finding(rule, main, msg, others)]


# --- contract type --------------------------------------------------------------------------------

TYPES = (
    ("gabungan", r"gabungan(\s+lump\s*sum|\s+lumsum)?(\s+dan\s+harga\s+satuan)?"),
    ("lumsum", r"lump\s*-?\s*sum|lumsum|lumpsum"),
    ("harga_satuan", r"harga\s+satuan|unit\s+price"),
    ("putar_kunci", r"terima\s+jadi|turn\s*-?\s*key|putar\s+kunci"),
    ("kontrak_payung", r"kontrak\s+payung|payung"),
    ("waktu_penugasan", r"waktu\s+penugasan|time\s+based"),
    ("biaya_plus_imbalan", r"biaya\s+plus\s+imbalan"),
)
TYPE_ALT = "|".join(f"(?P<{k}>{p})" for k, p in TYPES)
# "Jenis kontrak: Lumsum", or a table row "JENIS KONTRAK: | Lumsum"
JENIS_CUE_RE = re.compile(r"(jenis|tipe|bentuk)\s+kontrak\s*(:|adalah|yaitu|berupa|menggunakan|=)?\s*\|?\s*(kontrak\s+)?("
                          + TYPE_ALT + r")", re.I)
TITLE_RE = re.compile(r"\bkontrak\s+(kerja\s+konstruksi\s+)?(" + TYPE_ALT + r")", re.I)
TYPE_NAMES = {"gabungan": "Gabungan Lumsum dan Harga Satuan", "lumsum": "Lumsum", "harga_satuan": "Harga Satuan",
              "putar_kunci": "Terima Jadi/Putar Kunci", "kontrak_payung": "Kontrak Payung",
              "waktu_penugasan": "Waktu Penugasan", "biaya_plus_imbalan": "Biaya Plus Imbalan"}


def normalise_jenis_kontrak(value: str) -> str | None:
    m = re.search(TYPE_ALT, str(value).replace("_", " "), re.I)
    return next((k for k, _ in TYPES if m and m.group(k)), None)


def stated_contract_type(ctx: DocContext) -> Stated | None:
    found: list[Stated] = []
    for rx, head_only in ((JENIS_CUE_RE, False), (TITLE_RE, True)):
        limit = len(ctx.document.text) * 0.3 + 400 if head_only else None
        for sent in sentences(ctx):
            if limit is not None and sent.start > limit:
                break
            if re.search(r"\badalah\s+kontrak|merupakan\s+kontrak|jika|apabila", sent.text, re.I) and rx is TITLE_RE:
                continue  # definitions and conditionals, not this contract's type
            for m in rx.finditer(sent.text):
                kind = next(k for k, _ in TYPES if m.group(k))
                found.append(Stated(ctx, kind, sent.start, sent.end, " ".join(sent.text.split())))
        if found:
            break
    if not found:
        f = _own_fact(ctx, "jenis_kontrak")
        kind = normalise_jenis_kontrak(f.value) if f is not None else None
        return _from_fact(ctx, Fact(f.name, kind, f.text, f.start, f.end)) if kind else None
    kinds = {s.value for s in found}
    return found[0] if len(kinds) == 1 else None  # a document that names two types is ambiguous


@package_check("consistency_jenis_kontrak")
def consistency_jenis_kontrak(rule: Rule, docs: list[DocContext]) -> list[Finding]:
    return _disagreement(rule, docs, {"kontrak": 0, "dokumen_pemilihan": 1, "kak": 2, "spesifikasi": 3, "hps": 4},
                         stated_contract_type, key=lambda v: v, show=TYPE_NAMES.__getitem__,
                         what="Jenis kontrak")


# --- volumes --------------------------------------------------------------------------------------

UNITS = (r"unit|buah|bh|set|setel|stel|pasang|psg|potong|ptg|lusin|kodi|paket|pkt|orang|org|eksemplar|eks|"
         r"lembar|lbr|rim|dus|box|kotak|karton|botol|kaleng|tabung|galon|pak|pack|sak|zak|roll|rol|gulung|"
         r"batang|btg|keping|kpg|pcs|titik|kali|kegiatan|lot|lisensi|license|ls|m2|m3|m'|meter|liter|kg|ton|"
         r"OB|OH|OK|bulan")
QTY = r"(?P<qty>\d+(?:[.,]\d+)?)\s*(?:\([A-Za-z\s\-]+\)\s*)?"
# a name may hold a decimal size ("bronjong 2 x 1 x 0,5 m berisi batu kali sebanyak 650 m3")
NAME_CHARS = r"(?:[A-Za-z0-9 /\-]|(?<=\d),(?=\d))"
QTY_AFTER_RE = re.compile(
    r"(?P<name>\b[A-Za-z]" + NAME_CHARS + r"{2,60}?)\s*(?::|sebanyak|berjumlah|sejumlah|=|,(?=\s))\s*" + QTY
    + r"(?P<unit>" + UNITS + r")\b", re.I)
QTY_BEFORE_RE = re.compile(QTY + r"(?P<unit>" + UNITS + r")\s+(?P<name>[A-Za-z][A-Za-z0-9 /\-]{2,40})", re.I)
# "Volume pekerjaan pasangan batu 250 m3": the name sits between "volume" and the quantity
QTY_VOLUME_LEAD_RE = re.compile(
    r"\b(?:volume|vol\.)\s+(?:pekerjaan\s+)?(?P<name>[A-Za-z][A-Za-z0-9 /\-]{2,60}?)\s+" + QTY
    + r"(?P<unit>" + UNITS + r")\b", re.I)
# "luas perkerasan paving block 1.850 m2", "panjang saluran drainase adalah 240 m": the measure
# named first, then the item, then its figure
MEASURE_LEAD_RE = re.compile(
    r"\b(?:luas(?:an)?|panjang)\s+(?P<name>[A-Za-z][A-Za-z0-9 /\-]{2,60}?)\s+"
    r"(?:(?:adalah|sebesar|yaitu|=|:|±|kurang\s+lebih)\s*)?" + QTY
    + r"(?P<unit>km|m2|m²|m3|m³|m'|m|meter(?:\s+persegi|\s+lari|\s+panjang)?)(?![\w²³])", re.I)
# where an item name ends after "450 stel PDL lengkap dengan atribut ..." and where it begins
# before "Penyedia menyerahkan Pakaian Dinas Lapangan sebanyak ..."
# "jalan rabat beton mutu fc' 20 MPa sepanjang 340 (tiga ratus empat puluh) meter", "saluran
# pasangan batu panjang total ± 1,2 km", "paving block seluas 850 m2", "pengeboran sumur dalam
# sampai kedalaman 120 m", "jembatan rangka baja bentang 42 meter": a length, an area, a span or a
# depth is the quantity of a construction item; so is "PEKERJAAN SALURAN (panjang 240 m)" heading an
# HPS section
DIMENSION_RE = re.compile(
    r"(?P<name>[A-Za-z][\w'’ /\-.,]{2,100}?)\s+\(?(?:(?:se)?(?:panjang|luas(?:an)?)|bentang|kedalaman|sedalam)\s+"
    r"(?:total\s+|keseluruhan\s+)?"
    r"(?:(?:±|\+/-|kurang\s+lebih|lebih\s+kurang|kira-kira)\s*)?" + QTY
    + r"(?P<unit>km|m2|m²|m3|m³|m'|m|meter(?:\s+persegi|\s+kubik|\s+lari|\s+panjang)?)(?![\w²³])", re.I)
# "bangunan hanggar ukuran 10 m x 12 m (120 m2)", "kios berukuran 3 x 4 m": a floor given by its
# sides is an area; the area stated beside the sides wins over their product
SIDES_RE = re.compile(
    r"(?P<name>[A-Za-z][\w'’ /\-.,]{2,100}?)\s+(?:ber)?(?:ukuran|dimensi)\s+(?P<qty>\d+(?:,\d+)?)\s*(?:m\s*)?[x×]\s*"
    r"(?P<side2>\d+(?:,\d+)?)\s*(?P<unit>m|meter)(?![\w²³x×])(?!\s*[x×])"
    r"(?:\s*\(\s*(?:luas\s+|=\s*|±\s*)?(?P<area>\d+(?:[.,]\d+)?)\s*(?:m2|m²|meter\s+persegi)\s*\))?", re.I)
NAME_END_RE = re.compile(
    r"\s+(?:yang|untuk|bagi|guna|sesuai|dengan|lengkap|beserta|berikut|pada|di|ke|dari|agar|sebagai|"
    r"selama|serta|termasuk|per|setiap|tiap|dalam|oleh|kepada|sejumlah|sebanyak|mutu|kelas|tipe|ukuran|sampai|hingga|"
    r"tebal|lebar|K-?\d{3}|fc'?|f'c)(?![\w']).*$", re.I | re.S)
NAME_START_RE = re.compile(
    r"^.*\b(?:berupa|yaitu|adalah|untuk|bagi|atas|kebutuhan|tersedianya|sebanyak|menjadi|meliputi|"
    r"(?:me|di)[a-z]{2,}kan)\s+",
    re.I | re.S)
STOP = {"dan", "untuk", "dengan", "yang", "di", "ke", "dari", "pengadaan", "berupa", "yaitu", "adalah",
        "jumlah", "sebanyak", "unit", "buah", "set", "paket", "serta", "atau", "pada", "beserta", "jenis",
        "item", "barang", "kebutuhan", "meliputi", "terdiri", "atas", "the", "a", "no", "penyediaan",
        "pembelian", "belanja", "biaya", "jasa", "lengkap", "pekerjaan", "pembangunan", "peningkatan",
        "pemasangan", "pas", "pembuatan", "total", "seluruhnya", "kemasan", "kg", "gram", "liter", "ml", "zak", "sak",
        "isi", "ukuran", "bangunan"}

# Units grouped by what they measure: quantities are compared only within one group
UNIT_GROUPS = (
    ("m", r"m|m'|m1|mtr|meter|meter\s+(?:lari|panjang)|ml"),
    ("km", r"km|kilometer"),
    ("m2", r"m2|m²|meter\s+persegi"),
    ("m3", r"m3|m³|meter\s+kubik"),
    ("kg", r"kg|kilogram"),
    ("ton", r"ton"),
    ("liter", r"l|ltr|liter"),
    ("time", r"bulan|bln|ob|oh|ok|hari|minggu|tahun"),
    ("lot", r"paket|pkt|ls|lump\s*sum|lot|kegiatan"),
    ("count", r"unit|buah|bh|pcs|set|setel|stel|pasang|psg|potong|ptg|lembar|lbr|keping|kpg|batang|btg|"
              r"botol|kaleng|tabung|galon|titik|eksemplar|eks|orang|org|lisensi|license|rim|dus|box|kotak|"
              r"karton|pak|pack|sak|zak|roll|rol|gulung|lusin|kodi"),
)
_UNIT_GROUP_RES = [(g, re.compile(rf"(?:{rx})\.?", re.I)) for g, rx in UNIT_GROUPS]


def unit_group(unit: str | None) -> str | None:
    """What a unit measures ("count", "m", "m3", "time" ...), or None when unknown."""
    if not unit:
        return None
    u = " ".join(unit.strip().split())
    return next((g for g, rx in _UNIT_GROUP_RES if rx.fullmatch(u)), None)


# a unit that is a multiple of another group's unit: 1,2 km is 1.200 m, 2 ton is 2.000 kg
SCALED_UNITS = {"km": ("m", 1000.0), "ton": ("kg", 1000.0)}


def _base_group(unit: str | None) -> str | None:
    g = unit_group(unit)
    return SCALED_UNITS[g][0] if g in SCALED_UNITS else g


def comparable_units(a: str | None, b: str | None) -> bool:
    """Two quantities can be compared unless both units are known and measure different things."""
    ga, gb = _base_group(a), _base_group(b)
    return ga is None or gb is None or ga == gb


def base_qty(item: "Item") -> float:
    """The quantity in its group's base unit (km as m, ton as kg)."""
    g = unit_group(item.unit)
    return item.qty * SCALED_UNITS[g][1] if g in SCALED_UNITS else item.qty


def same_qty(a: "Item", b: "Item") -> bool:
    return abs(base_qty(a) - base_qty(b)) <= 1e-6


def _tokens(name: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+", name.lower()) if t not in STOP and not t.isdigit()]


def _expand_acronyms(ta: list[str], tb: list[str]) -> list[str]:
    """Spell out a token of `ta` that is the initials of consecutive words of `tb`:
    "pdl" against "pakaian dinas lapangan", "atk" against "alat tulis kantor"."""
    out = []
    for t in ta:
        n = len(t)
        run = next((tb[i:i + n] for i in range(len(tb) - n + 1)
                    if 2 <= n <= 5 and t not in tb and "".join(w[0] for w in tb[i:i + n]) == t), None)
        out.extend(run or [t])
    return out


def similarity(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    ta, tb = _expand_acronyms(ta, tb), _expand_acronyms(tb, ta)
    sa, sb = set(ta), set(tb)
    shared = sa & sb
    jaccard = len(shared) / len(sa | sb)
    # an HPS row often adds detail to the KAK's name ("Komputer desktop" / "Komputer desktop Core i5"),
    # but the longer name's head noun must be shared: "Tas laptop" is no laptop, "Atribut PDL" no PDL
    contained = 0.9 * len(shared) / min(len(sa), len(sb))
    longer = ta if len(sa) > len(sb) else tb if len(sb) > len(sa) else None
    if longer is not None and longer[0] not in shared:
        contained *= 0.6
    ratio = SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    return max(jaccard, contained, ratio if ratio >= 0.85 else 0.0)


def clean_item_name(name: str, name_before_qty: bool = False, last_listed: bool = False,
                    keep_detail: bool = False) -> str:
    """The item itself out of the words around a quantity. A name that runs up to its quantity
    ("Keluaran yang diharapkan adalah jalan beton | sepanjang 400 m") is its last phrase, so the
    lead-in goes first there; otherwise the trailing detail goes first ("PDH lengkap dengan ...").
    With `last_listed` (also implied by `name_before_qty`), only the last item of a list before the
    quantity is kept ("dinding keramik dan meja lapak | sebanyak 48 unit"). With `keep_detail` the
    trailing detail stays ("jaringan pipa utama dengan pipa HDPE 63 mm")."""
    name = re.sub(r"^\W*([a-z0-9]{1,2}[.)]\s+)?", "", name.strip(), flags=re.I)
    if name_before_qty or last_listed:
        # "paving seluas 96 m2, saluran 42 m' dan pagar BRC | sepanjang 48 m'": the last item listed
        name = re.split(r",\s+|;\s*|\s+(?:dan|serta)\s+", name)[-1]
    order = (NAME_START_RE, NAME_END_RE) if name_before_qty else (NAME_END_RE, NAME_START_RE)
    for rx in order:
        if not (keep_detail and rx is NAME_END_RE):
            name = rx.sub("", name)
    return name.strip(" -/")


# a rate, a capacity, a limit or a distance, not the quantity procured ("untuk setiap 20 m3
# beton", "kapasitas 0,3 m3", "paling sedikit 2 unit", "jarak angkut sampai 1 km")
NOT_A_QUANTITY_RE = re.compile(
    r"(?:(?:setiap|tiap|per|jarak(?:\s+angkut)?|radius|maksimal|maksimum|maks\.?|minimal|minimum|"
    r"min\.?|paling\s+(?:sedikit|banyak)|sekurang-kurangnya|sampai|hingga|s\.?\s?d\.?|lebih\s+dari|"
    r"kurang\s+dari)|(?:kapasitas|daya\s+tampung|debit)(?:\s+[\w-]+){0,3})\s*$", re.I)
UNIT_ONLY_RE = re.compile(r"(?:" + UNITS + r"|km|m)\.?", re.I)
# "4 buah kran kuningan per hidran", "seragam: 2 stel per orang": a quantity for each unit of
# something else, not the quantity procured
PER_UNIT_NAME_RE = re.compile(r"^[^,;]*?\s(?:per|setiap|tiap|masing-masing)\s+[A-Za-z]", re.I)
PER_UNIT_AFTER_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:per|setiap|tiap|/)\s*[A-Za-z]", re.I)
# a name read after its figure that starts with a link word is the next item, not this one's
NOT_THE_ITEM_AFTER_RE = re.compile(r"(?:dan|serta|atau|dengan|yang|untuk|bagi|di|ke|pada|sebagai|masing-masing)\b", re.I)


@dataclass
class Item:
    name: str
    qty: float
    stated: Stated
    unit: str | None = None
    # the name with the detail after "dengan" kept ("jaringan pipa utama dengan pipa HDPE 63 mm"):
    # the material named there is often what the HPS row is called
    detail: str | None = None
    table: int | None = None  # the HPS table it was read from: repeats within one table add up
    parts: list[float] | None = None  # the quantities of the repeated rows summed into it


def item_similarity(a: Item, b: Item) -> float:
    """How well two items' names agree, the detailed form of either name counting a little less."""
    best = similarity(a.name, b.name)
    for x, y in ((a.detail, b.name), (a.name, b.detail), (a.detail, b.detail)):
        if x and y:
            best = max(best, 0.95 * similarity(x, y))
    return best


UNIT_HEAD_RE = re.compile(r"^\s*(sat(uan)?\.?|unit|uom)\s*$", re.I)
UNIT_IN_CELL_RE = re.compile(r"\d\s*(?:\([^)]*\)\s*)?(?P<unit>[A-Za-z][A-Za-z'²³0-9]*)\s*$")


def _unit_column(rows: list, first: int, last: int) -> int | None:
    """The "Satuan" column of a table whose header spans rows[first:last]."""
    for row in rows[first:last]:
        for i, cell in enumerate(row.cells):
            if UNIT_HEAD_RE.match(cell or ""):
                return i
    return None


def _row_unit(row, unit_col: int | None, qty_col: int) -> str | None:
    if unit_col is not None and unit_col < len(row.cells) and row.cells[unit_col].strip():
        return row.cells[unit_col].strip()
    m = UNIT_IN_CELL_RE.search(row.cells[qty_col]) if qty_col < len(row.cells) else None
    return m.group("unit") if m else None


def hps_items(ctx: DocContext) -> list[Item]:
    if "consistency.hps_items" not in ctx.cache:
        ctx.cache["consistency.hps_items"] = _sum_repeats(_read_hps_items(ctx))
    return ctx.cache["consistency.hps_items"]


def _sum_repeats(items: list[Item]) -> list[Item]:
    """An HPS that prices the same item once per location ("LOKASI I ... Talang 4 unit", "LOKASI
    II ... Talang 4 unit") needs the sum of its rows: one item per name and unit within a table."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        key = (item.table, " ".join(_tokens(item.name)), unit_group(item.unit) or item.unit)
        groups.setdefault(key, []).append(item)
    out = []
    for key, group in groups.items():
        if len(group) == 1:
            out.extend(group)
            continue
        first = group[0].stated
        qty = sum(i.qty for i in group)
        evidence = "; ".join(i.stated.evidence for i in group)
        out.append(Item(group[0].name, qty, Stated(first.ctx, qty, first.start, first.end, evidence),
                        group[0].unit, table=key[0], parts=[i.qty for i in group]))
    return out


def _read_hps_items(ctx: DocContext) -> list[Item]:
    out = []
    for table, (rows, cols) in enumerate(hps_tables(ctx)):
        if cols.vol is None or cols.analysis:  # coefficients of a unit-price analysis are no volumes
            continue
        lab = cols.label
        unit_col = _unit_column(rows, cols.header_start, cols.header_rows)
        for row in rows[cols.header_rows:]:
            qty = _value(row, cols.vol)
            name = row.cells[lab] if lab is not None and lab < len(row.cells) else max(row.cells, key=len)
            if qty is None:
                out.extend(_section_quantity(ctx, row, name, table))
                continue
            if not _tokens(name):
                continue
            out.append(Item(name, qty, Stated(ctx, qty, row.start, row.end, " ".join(row.evidence.split())),
                            _row_unit(row, unit_col, cols.vol), detail=counted_in_name(name, qty), table=table))
        for row in rows[:cols.header_start]:
            out.extend(_preamble_quantity(ctx, row))
    return out


# "Pembuatan sekat dan rolling door kios (42 unit)": the row's own count in its name, after the
# thing it counts
COUNTED_IN_NAME_RE = re.compile(r"([A-Za-z][A-Za-z-]+)\s*\(\s*(\d+(?:[.,]\d+)?)\s*(?:" + UNITS + r")\.?\s*\)\s*$", re.I)


def counted_in_name(name: str, qty: float) -> str | None:
    """What an HPS row counts when its name repeats the row's volume in parentheses: the word
    before them ("kios" in "Pembuatan sekat dan rolling door kios (42 unit)"), matched to a KAK
    item that names that thing rather than the work done on it."""
    m = COUNTED_IN_NAME_RE.search(name.strip())
    if not m or parse_number(m.group(2)) != qty:
        return None
    return m.group(1)


def _preamble_quantity(ctx: DocContext, row) -> list[Item]:
    """The length or area of the whole work stated above the HPS table ("Lingkup | Talud pasangan
    batu kali panjang 380 m' ..."): what a KAK calls the work's volume."""
    for cell in row.cells:
        for rx in (DIMENSION_RE, MEASURE_LEAD_RE):
            m = rx.search(cell)
            qty = parse_number(m.group("qty")) if m else None
            if qty is None or NOT_A_QUANTITY_RE.search(cell[max(0, m.start("qty") - 30):m.start("qty")]):
                continue
            name = clean_item_name(m.group("name"), name_before_qty=rx is DIMENSION_RE)
            if _tokens(name) and not UNIT_ONLY_RE.fullmatch(name):
                return [Item(name, qty, Stated(ctx, qty, row.start, row.end, " ".join(row.evidence.split())),
                             m.group("unit"))]
    return []


def _section_quantity(ctx: DocContext, row, label: str, table: int) -> list[Item]:
    """A section heading row that states the quantity of the whole section (its detail rows carry
    m3 of excavation, m' of sloof ...): "PEKERJAAN SALURAN (panjang 240 m)", "LOKASI II: DESA X -
    4 UNIT PAH". The section's own quantity, as a KAK states it."""
    m = DIMENSION_RE.search(label or "")
    name_before = True
    if m is None:
        m, name_before = QTY_BEFORE_RE.search(label or ""), False
    qty = parse_number(m.group("qty")) if m else None
    if qty is None:
        return []
    name = clean_item_name(m.group("name"), name_before_qty=name_before)
    if not _tokens(name) or UNIT_ONLY_RE.fullmatch(name):
        return []
    return [Item(name, qty, Stated(ctx, qty, row.start, row.end, " ".join(row.evidence.split())), m.group("unit"),
                 table=table)]


SPEC_QTY_HEAD_RE = re.compile(r"\b(vol|volume|kuantitas|qty|jumlah|jml|banyaknya|kebutuhan)\b", re.I)


def spec_items(ctx: DocContext) -> list[Item]:
    """Quantities a KAK/spesifikasi (or a kontrak) states: spec tables (name + quantity columns)
    and phrases such as "laptop sebanyak 15 (lima belas) unit" or "10 unit kursi kerja". Read once
    per document: both volume rules use them."""
    if "consistency.spec_items" not in ctx.cache:
        ctx.cache["consistency.spec_items"] = _read_spec_items(ctx)
    return ctx.cache["consistency.spec_items"]


def _read_spec_items(ctx: DocContext) -> list[Item]:
    out: list[Item] = []
    for rows in table_rows(ctx):
        if len(rows) < 2:
            continue
        head = rows[0].cells
        lab = next((i for i, h in enumerate(head) if LABEL_RE.search(h)), None)
        qty_col = next((i for i, h in enumerate(head) if SPEC_QTY_HEAD_RE.search(h) and not re.search(r"harga", h, re.I)), None)
        if lab is None or qty_col is None:
            continue
        unit_col = _unit_column(rows, 0, 1)
        for row in rows[1:]:
            qty = _value(row, qty_col)
            if qty is not None and lab < len(row.cells) and _tokens(row.cells[lab]):
                out.append(Item(row.cells[lab], qty, Stated(ctx, qty, row.start, row.end, " ".join(row.evidence.split())),
                                _row_unit(row, unit_col, qty_col)))
    covered = [(i.stated.start, i.stated.end) for i in out if i.stated.start is not None]
    for sent in sentences(ctx):
        if any(s <= sent.start < e for s, e in covered):
            continue
        for rx in (QTY_AFTER_RE, QTY_BEFORE_RE, QTY_VOLUME_LEAD_RE, MEASURE_LEAD_RE, DIMENSION_RE, SIDES_RE):
            for m in rx.finditer(sent.text):
                qty, unit = parse_number(m.group("qty")), m.group("unit")
                if rx is SIDES_RE:
                    if _several_units_before(sent.text[:m.start("qty")]):
                        continue  # "2 (dua) ruang kelas ukuran 7 x 8 m": the size of each, not the quantity
                    qty, unit = _floor_area(m), "m2"
                if qty is None or NOT_A_QUANTITY_RE.search(sent.text[max(0, m.start("qty") - 30):m.start("qty")]):
                    continue
                if OUTLINE_NUMBER_RE.fullmatch(sent.text[:m.end("qty")]):
                    continue  # "5.1 Kegiatan ini dibiayai ...": the clause's number, not a quantity
                if rx is QTY_BEFORE_RE and NOT_THE_ITEM_AFTER_RE.match(m.group("name")):
                    continue  # "timbunan 2.350 m3 dan pembuangan ...": the figure belongs to what precedes it
                if PER_UNIT_AFTER_RE.match(sent.text[m.end():]) or (
                        rx in (QTY_BEFORE_RE, SIDES_RE) and PER_UNIT_NAME_RE.match(" " + m.group("name"))):
                    continue
                # a name before its figure may close a list: "dinding keramik dan meja lapak sebanyak 48 unit"
                name = clean_item_name(m.group("name"), name_before_qty=rx in (DIMENSION_RE, SIDES_RE),
                                       last_listed=rx is QTY_AFTER_RE)
                if not _tokens(name) or UNIT_ONLY_RE.fullmatch(name):
                    continue
                detail = None
                if rx is DIMENSION_RE and re.search(r"\s+dengan\s+", m.group("name")):
                    detail = clean_item_name(m.group("name"), name_before_qty=True, keep_detail=True)
                out.append(Item(name, qty, Stated(ctx, qty, sent.start, sent.end, " ".join(sent.text.split())),
                                unit, detail if detail and detail != name else None))
    return out


# a clause number at the start of a sentence: dots between groups of one or two digits, which a
# quantity never has (its decimals take a comma, its thousands three digits)
OUTLINE_NUMBER_RE = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})+\.?\s*")
COUNT_BEFORE_RE = re.compile(r"\b(\d+)\s*(?:\([A-Za-z\s\-]+\)\s*)?(?:unit|buah|bh|lokal)?\s+[A-Za-z]", re.I)


def _several_units_before(before: str) -> bool:
    """Whether the words before a size, within its item of a list, count more than one of the
    thing sized ("48 (empat puluh delapan) unit lapak ukuran 3 x 3 m")."""
    item = re.split(r"[,;:]\s|\s(?:dan|serta)\s", before)[-1]
    counts = [parse_number(c.group(1)) for c in COUNT_BEFORE_RE.finditer(item)]
    return bool(counts) and counts[-1] != 1


def _floor_area(m: re.Match) -> float | None:
    """The area of a SIDES_RE match: the one stated beside the sides, else their product."""
    if m.group("area"):
        return parse_number(m.group("area"))
    a, b = parse_number(m.group("qty")), parse_number(m.group("side2"))
    return round(a * b, 6) if a is not None and b is not None else None


def _best_match(item: Item, against: list[Item], threshold: float) -> Item | None:
    """The one item of `against` that `item` names, in a comparable unit; None when no candidate
    is close enough or two fit equally well (do not guess)."""
    scored = sorted(((item_similarity(item, a), k) for k, a in enumerate(against)
                     if comparable_units(item.unit, a.unit)), reverse=True)
    if not scored or scored[0][0] < threshold:
        return None
    best = against[scored[0][1]]
    close = [against[k] for sc, k in scored[1:] if sc >= scored[0][0] - 0.05]
    if any(not same_qty(c, best) for c in close):
        return None  # two candidates fit equally well and disagree: do not guess
    return best


def _split_over_rows(item: Item, against: list[Item], threshold: float) -> bool:
    """Whether `item` is spread over several rows of `against` that together hold its quantity
    ("Baja tulangan struktur bawah dan atas 16.270 kg" = the HPS's "... struktur bawah 6.550 kg" +
    "... struktur atas 9.720 kg")."""
    parts = [a for a in against if comparable_units(item.unit, a.unit) and item_similarity(item, a) >= threshold]
    return len(parts) >= 2 and abs(sum(base_qty(a) for a in parts) - base_qty(item)) <= 1e-6


def _volume_conflicts(items: list[Item], against: list[Item], threshold: float, seen: set) -> list[tuple[Item, Item]]:
    """(item, the item of `against` it names) pairs whose quantities differ, each item used once."""
    out = []
    for item in items:
        target = _best_match(item, against, threshold)
        if target is None or same_qty(target, item) or id(target) in seen or id(item) in seen:
            continue
        if _split_over_rows(item, against, threshold) or _split_over_rows(target, items, threshold):
            continue
        seen.update((id(target), id(item)))
        out.append((item, target))
    return out


def _qty_text(item: Item) -> str:
    """"13" or, for rows summed together, "13 = 4 + 4 + 5"."""
    if item.parts:
        return f"{fmt_num(item.qty)} = {' + '.join(fmt_num(p) for p in item.parts)}"
    return fmt_num(item.qty)


@package_check("consistency_volume")
def consistency_volume(rule: Rule, docs: list[DocContext]) -> list[Finding]:
    threshold = float(rule.params.get("min_similarity", 0.6))
    hps_list = [i for d in _by_type(docs, "hps") for i in hps_items(d)]
    spec_list = [i for d in _by_type(docs, "kak", "spesifikasi", "dokumen_pemilihan") for i in spec_items(d)]
    out: list[Finding] = []
    seen: set[int] = set()
    conflicts = _volume_conflicts(spec_list, hps_list, threshold, seen)
    # the KAK and the HPS may name one item differently ("luas perkerasan" / "Pemasangan paving
    # block"); a contract item that names both, and agrees with the KAK, links them
    for c in (i for d in _by_type(docs, "kontrak") for i in spec_items(d)):
        k, h = _best_match(c, spec_list, threshold), _best_match(c, hps_list, threshold)
        if k is None or h is None or not same_qty(k, c) or same_qty(h, c) or id(k) in seen or id(h) in seen:
            continue
        if _split_over_rows(c, hps_list, threshold):
            continue
        seen.update((id(k), id(h)))
        conflicts.append((k, h))
    for item, h in conflicts:
        msg = (f"Volume \"{h.name.strip()}\" di HPS ({_qty_text(h)}) berbeda dengan kebutuhan di "
               f"{item.stated.ctx.document.name} ({fmt_num(item.qty)}, \"{item.name.strip()}\").")
        out.append(_finding(rule, h.stated, msg, [item.stated]))
    return out


@package_check("consistency_volume_kontrak")
def consistency_volume_kontrak(rule: Rule, docs: list[DocContext]) -> list[Finding]:
    """The contract's quantities against the KAK's; against the HPS only for items the KAK does
    not name (where KAK and contract agree and the HPS differs, CONS-VOLUME-01 reports the HPS)."""
    threshold = float(rule.params.get("min_similarity", 0.6))
    hps_list = [i for d in _by_type(docs, "hps") for i in hps_items(d)]
    spec_list = [i for d in _by_type(docs, "kak", "spesifikasi", "dokumen_pemilihan") for i in spec_items(d)]
    out: list[Finding] = []
    seen: set[int] = set()
    for item in (i for d in _by_type(docs, "kontrak") for i in spec_items(d)):
        other, where = _best_match(item, spec_list, threshold), "KAK/spesifikasi"
        if other is None:
            other, where = _best_match(item, hps_list, threshold), "HPS"
        if other is None or same_qty(other, item) or id(item) in seen or id(other) in seen:
            continue
        if where != "HPS" and (h := _best_match(item, hps_list, threshold)) and same_qty(h, item):
            continue  # HPS and contract agree: the KAK is the odd one out, reported by CONS-VOLUME-01
        seen.update((id(item), id(other)))
        msg = (f"Volume \"{item.name.strip()}\" di {item.stated.ctx.document.name} ({fmt_num(item.qty)}) "
               f"berbeda dengan {where} {other.stated.ctx.document.name} "
               f"({_qty_text(other)}, \"{other.name.strip()}\").")
        out.append(_finding(rule, item.stated, msg, [other.stated]))
    return out
