"""Document type and procurement facts.

`classify` scores every document type from cue phrases (title zone counts more than the body, the
file name is a weak cue) and reports the margin between the best two types as confidence.
`extract_facts` finds the procurement facts that switch rules on and off, each with its evidence.

The cue lists are data at the top of the module: extend them there, not in the code below.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .analysis_tables import is_analysis_table
from .model import Clause, Document, Fact
from .numbers import find_amounts, find_durations, find_percentages

# --- data: document type cues -------------------------------------------------------------------
# (pattern, weight). Patterns are case-insensitive; each cue counts at most MAX_HITS times.

TYPE_CUES: dict[str, list[tuple[str, float]]] = {
    "kak": [
        (r"kerangka\s+acuan\s+kerja", 6), (r"\bterms?\s+of\s+reference\b", 5), (r"\bKAK\b", 2),
        (r"\bTOR\b", 1.5), (r"latar\s+belakang", 2), (r"maksud\s+dan\s+tujuan", 2),
        (r"\bsasaran\b", 1), (r"ruang\s+lingkup", 1), (r"keluaran|output", 1),
        (r"tenaga\s+ahli", 1), (r"pelaporan|laporan\s+(pendahuluan|akhir|antara)", 1),
        (r"lokasi\s+(kegiatan|pekerjaan)", 1), (r"jangka\s+waktu\s+pelaksanaan", 1),
    ],
    "spesifikasi": [
        (r"spesifikasi\s+teknis", 3), (r"spesifikasi\s+(barang|teknik|umum)", 2),
        (r"\bmerek\b|\bmerk\b", 1), (r"\btipe\b|\btype\b", 0.5), (r"garansi", 1),
        (r"dimensi|ukuran", 0.5), (r"daftar\s+(kebutuhan|barang)", 1), (r"\bminimal\b", 0.5),
    ],
    "hps": [
        (r"harga\s+perkiraan\s+sendiri", 6), (r"\bHPS\b", 2), (r"harga\s+satuan", 2),
        (r"\bvolume\b", 1), (r"\bPPN\b|pajak\s+pertambahan\s+nilai", 1.5),
        (r"jumlah\s+(harga|biaya|total)|total\s+(harga|biaya)", 1.5), (r"dibulatkan|pembulatan", 1.5),
        (r"rincian\s+biaya|rekapitulasi", 1.5), (r"\bterbilang\b", 0.5), (r"satuan", 0.5),
        (r"rencana\s+anggaran\s+biaya|\bRAB\b", 2),
    ],
    "kontrak": [
        (r"surat\s+perjanjian", 5), (r"surat\s+perintah\s+kerja|\bSPK\b", 4),
        (r"\bSSUK\b|syarat[\s-]+syarat\s+umum\s+kontrak", 3), (r"\bSSKK\b|syarat[\s-]+syarat\s+khusus", 3),
        (r"para\s+pihak", 2.5), (r"^\s*pasal\s+\d+", 1.5), (r"pihak\s+(pertama|kedua)", 2),
        (r"pejabat\s+penandatangan\s+kontrak", 2), (r"nilai\s+kontrak|harga\s+kontrak", 2),
        (r"keadaan\s+kahar", 1), (r"pemutusan\s+kontrak", 1), (r"denda\s+keterlambatan", 1),
        (r"rancangan\s+kontrak", 4),
        # an e-purchasing order is a contract (Pasal 28): "SURAT PESANAN" heading a line, not the
        # "sejak surat pesanan" of a KAK's delivery time
        (r"^\s*surat\s+pesanan\b(?!\s+(?:ini|tersebut|diterbitkan|ditandatangani))", 4),
    ],
    "dokumen_pemilihan": [
        (r"instruksi\s+kepada\s+(peserta|penyedia)", 5), (r"lembar\s+data\s+(pemilihan|pengadaan|kualifikasi)", 5),
        (r"dokumen\s+(pemilihan|pengadaan|tender|seleksi)", 2.5), (r"persyaratan\s+kualifikasi", 2),
        (r"dokumen\s+penawaran", 1.5), (r"pakta\s+integritas", 1.5), (r"formulir\s+isian\s+k\w+", 2),
        (r"evaluasi\s+penawaran", 1.5), (r"\bpeserta\b", 0.5), (r"jaminan\s+penawaran", 1),
        (r"\bIKP\b|\bLDP\b|\bLDK\b", 2),
    ],
}
# The first lines carry the title: cues found there count this many times more.
TITLE_ZONE_CHARS = 600
TITLE_WEIGHT = 3.0
MAX_HITS = 5
# File-name cues (weak): "kak-...", "hps_...", "spk-...".
FILENAME_CUES: dict[str, str] = {
    "kak": r"kak|\btor\b|kerangka", "spesifikasi": r"spek|spesifikasi|spec",
    "hps": r"hps|\brab\b|harga", "kontrak": r"kontrak|spk|perjanjian|sppbj",
    "dokumen_pemilihan": r"dok(umen)?[-_ ]?(pemilihan|pengadaan|tender|seleksi)|\bldp\b|\bikp\b",
}
FILENAME_WEIGHT = 2.0
MIN_SCORE = 3.0  # below this the document is "lainnya"

# --- data: fact cues ----------------------------------------------------------------------------

JENIS_PENGADAAN_CUES: list[tuple[str, str, float]] = [
    (r"jenis\s+pengadaan\s*[:\-]?\s*(?:pengadaan\s+)?barang\b(?!\s*/)", "barang", 10),
    (r"jenis\s+pengadaan\s*[:\-]?\s*(?:pekerjaan|jasa)\s+konstruksi", "pekerjaan_konstruksi", 10),
    (r"jenis\s+pengadaan\s*[:\-]?\s*jasa\s+konsultansi", "jasa_konsultansi", 10),
    (r"jenis\s+pengadaan\s*[:\-]?\s*jasa\s+lain(nya)?", "jasa_lainnya", 10),
    (r"jasa\s+konsultansi", "jasa_konsultansi", 3),
    # a construction contract names its konsultan pengawas too, so the name alone says little
    (r"konsultan\s+(perencana|pengawas|supervisi)", "jasa_konsultansi", 1),
    (r"biaya\s+langsung\s+(personil|non[\s-]*personil)|billing\s+rate|laporan\s+(pendahuluan|antara)\b|"
     r"orang[\s-]+bulan|man[\s-]+month|ketua\s+tim|team\s+leader", "jasa_konsultansi", 1.5),
    (r"pekerjaan\s+konstruksi|jasa\s+konstruksi|kontrak\s+kerja\s+konstruksi", "pekerjaan_konstruksi", 3),
    # "Pengawasan Pembangunan Pasar", "DED Rehabilitasi Jembatan": a consultancy about a construction
    # object, which outweighs the object's own cue below
    (r"\b(?:pengawasan|mengawasi|diawasi|supervisi)\s+(?:\w+\s+){0,2}?pekerjaan\s+konstruksi|"
     r"pekerjaan\s+konstruksi\s+yang\s+(?:diawasi|direncanakan)", "jasa_konsultansi", 3),
    # not "musyawarah perencanaan pembangunan" (musrenbang), the forum a construction KAK's proposal
    # comes from, nor "Badan Perencanaan Pembangunan Daerah", the buying office
    (r"\b(pengawasan|(?<!musyawarah )(?<!badan )perencanaan(?:\s+teknis)?|supervisi|desain|\bDED\b|detail\s+engineering\s+design|"
     r"kajian|studi(?:\s+kelayakan)?|penyusunan)\s+(?:\w+\s+){0,2}?(pembangunan|rehabilitasi|renovasi|peningkatan|"
     r"rekonstruksi|normalisasi)\b",
     "jasa_konsultansi", 3),
    # "Sewa Alat Berat untuk Normalisasi Saluran": renting for a construction object is jasa lainnya
    (r"\bsewa\s+(?:[\w-]+\s+){0,3}?(?:untuk|guna|bagi)\s+(?:kegiatan\s+|pekerjaan\s+)?(?:\w+\s+){0,1}?"
     r"(pembangunan|rehabilitasi|renovasi|peningkatan|rekonstruksi|normalisasi|pemeliharaan|pembersihan|galian)\b",
     "jasa_lainnya", 3),
    (r"\b(pembangunan|rehabilitasi|renovasi|peningkatan|rekonstruksi|normalisasi|pemeliharaan(?:\s+berkala)?)\s+"
     r"(?:\w+\s+){0,2}?(gedung|ruang\s+kelas|ruang|sekolah|jalan|jembatan|saluran|drainase|irigasi|embung|"
     r"bendung|talud|tanggul|pagar|puskesmas|pasar|kantor|rumah|dermaga|bangunan|gorong-gorong|trotoar|"
     r"sumur|MCK|IPAL|SPAM|balai|aula|gapura|tambatan|kios|jaringan\s+(?:irigasi|air|pipa|perpipaan))\b",
     "pekerjaan_konstruksi", 2),
    (r"gambar\s+kerja|as[\s-]+built\s+drawing|mutual\s+check|\bMC[\s-]?0\b|bekisting|pembesian|pengecoran|"
     r"mutu\s+beton|beton\s+(?:mutu\s+)?(?:K[\s-]?\d{3}|fc)|galian\s+tanah|pasangan\s+batu|\bSMKK\b|"
     r"keselamatan\s+konstruksi|sertifikat\s+badan\s+usaha|\bSBU\b|direksi\s+(?:lapangan|teknis)",
     "pekerjaan_konstruksi", 1),
    (r"jasa\s+lain(nya)?\b|jasa\s+(kebersihan|keamanan|pengamanan|cleaning|katering|catering|sewa|"
     r"pengiriman|asuransi|event|penyelenggaraan|tenaga|pemeliharaan|perawatan|servis|service|boga|"
     r"angkutan|ekspedisi|percetakan|pengangkutan|pengolahan|pemusnahan|pengelolaan|penyewaan|laundry|"
     r"binatu|pencucian|penggandaan|kurir|publikasi|dokumentasi|pelatihan|diklat|penerjemahan|terjemahan)",
     "jasa_lainnya", 3),
    (r"cleaning\s+service|tenaga\s+(kebersihan|pengamanan|keamanan|satpam)|\bsatpam\b|"
     r"pemeliharaan\s+(AC|kendaraan|peralatan|lift|genset|taman)|outsourcing|\bsewa\s+(?:\w+\s+){0,2}?"
     r"(kendaraan|mobil|bus|tenda|gedung|ruang|alat|peralatan|kapal|genset)|event\s+organi[sz]er|"
     r"penyelenggara(?:an)?\s+(?:acara|kegiatan|pelatihan)", "jasa_lainnya", 1.5),
    (r"pengadaan\s+barang\b(?!\s*/|\s+dan\s+jasa)|penyedia\s+barang\b(?!\s*/)", "barang", 3),
    (r"pengadaan\s+(?:dan\s+pemasangan\s+)?(?:\d+\s+\(\w+\)\s+unit\s+)?(?:(?!jasa\b)\w+\s+){0,2}?"
     r"(perangkat|peralatan|alat|kendaraan|mobil|sepeda\s+motor|ambulans|komputer|laptop|notebook|printer|"
     r"server|meja|kursi|lemari|mebel(?:air|eler)?|meubel(?:air|eler)?|furni(?:tur|ture)|obat|bahan|pakaian|seragam|buku|ATK|alat\s+tulis|suku\s+cadang|"
     r"bus|truk|truck|sepeda|speedboat|gamelan|"
     r"genset|material|CCTV|kamera|bibit|benih|pupuk|traktor|alsintan|perahu|kapal|mesin|tenda|APAR|"
     r"sarana|instrumen|reagen|BMHP|vaksin|makanan|paket\s+makanan|PMT|pangan|sembako|ternak)\b", "barang", 2),
    # "Pengadaan Seperangkat Gamelan", "pengadaan 1 (satu) set ...": goods counted as a set
    (r"pengadaan\s+(?:se(?:perangkat|set|paket\s+alat)|\d+\s*(?:\(\w+\)\s*)?(?:set|perangkat))\b", "barang", 2),
    (r"(?:uraian|nama|jenis|daftar)\s+barang\b", "barang", 1.5),
    (r"(menyediakan|mengirim|menyerahkan|menerima)\s+barang|serah\s+terima\s+barang|"
     r"barang\s+sesuai\s+spesifikasi|purna\s+jual|kartu\s+garansi|garansi\s+(?:resmi|pabrik)", "barang", 1),
    (r"pengawasan|perencanaan\s+teknis|studi\s+kelayakan|kajian", "jasa_konsultansi", 0.5),
    (r"tenaga\s+ahli", "jasa_konsultansi", 0.5),
]
# a cue counts at most this many times: one phrase repeated down a contract is not more evidence
JENIS_MAX_HITS = 3
JENIS_HEAD_WEIGHT = 2.0
METODE_CUES: list[tuple[str, str, float]] = [
    (r"metode\s+(?:pemilihan|pengadaan)\s*[:\-]?\s*pengadaan\s+langsung", "pengadaan_langsung", 10),
    (r"metode\s+(?:pemilihan|pengadaan)\s*[:\-]?\s*penunjukan\s+langsung", "penunjukan_langsung", 10),
    (r"metode\s+(?:pemilihan|pengadaan)\s*[:\-]?\s*tender\s+cepat", "tender_cepat", 10),
    (r"metode\s+(?:pemilihan|pengadaan)\s*[:\-]?\s*(?:tender|lelang)(?!\s+cepat)", "tender", 10),
    (r"metode\s+(?:pemilihan|pengadaan)\s*[:\-]?\s*seleksi", "seleksi", 10),
    (r"metode\s+(?:pemilihan|pengadaan)\s*[:\-]?\s*(?:e-?purchasing|katalog)", "e_purchasing", 10),
    (r"pengadaan\s+langsung", "pengadaan_langsung", 3),
    (r"penunjukan\s+langsung", "penunjukan_langsung", 3),
    (r"tender\s+cepat", "tender_cepat", 3),
    (r"\btender\b(?!\s+cepat)|\blelang\b", "tender", 1),
    (r"\bseleksi\s+(umum|sederhana|terbatas)?", "seleksi", 1),
    (r"e-?purchasing|katalog\s+elektronik|e-?katalog|toko\s+daring", "e_purchasing", 2),
    (r"\bswakelola\b", "swakelola", 3),
]
JENIS_KONTRAK_CUES: list[tuple[str, str]] = [
    (r"gabungan\s+(?:antara\s+)?(?:lump\s*-?sum|lumsum)\s+dan\s+harga\s+satuan|kontrak\s+gabungan", "gabungan"),
    (r"(?:modifikasi\s+)?putar\s+kunci|terima\s+jadi|turn\s*-?key", "putar_kunci"),
    (r"(?:kontrak\s+)?payung|framework\s+contract", "kontrak_payung"),
    (r"waktu\s+penugasan|time\s+based", "waktu_penugasan"),
    (r"biaya\s+plus\s+imbalan|cost\s+plus", "biaya_plus_imbalan"),
    (r"berbasis\s+kinerja|performance\s+based", "berbasis_kinerja"),
    (r"harga\s+satuan|unit\s+price", "harga_satuan"),
    (r"lump\s*-?sum|lumsum|lumpsum", "lumsum"),
]
# Only a statement of the contract type counts, not a passing mention of "harga satuan".
# ("JENIS KONTRAK | Lumsum", "JENIS KONTRAK: | Lumsum" are a data table's row)
JENIS_KONTRAK_CONTEXT = r"(?:jenis|bentuk|tipe)\s+kontrak\s*(?:[:\-]\s*)?\|?\s*(?:adalah\s+)?(?:kontrak\s+)?|\bkontrak\s+(?:kerja\s+konstruksi\s+)?"
PAGU_CUE = r"\bpagu(?:\s+(?:anggaran|dana|paket))?\b"
# the KAK's own estimate of the package cost: "Biaya pekerjaan diperkirakan Rp ...", "Perkiraan biaya: Rp ..."
PERKIRAAN_CUE = (r"(?:perkiraan|estimasi|taksiran|prakiraan)\s+(?:biaya|nilai|harga)(?:\s+(?:pekerjaan|kegiatan|paket))?\b"
                 r"|\b(?:biaya|nilai)\s+(?:\w+\s+){0,2}?diperkirakan\b")
HPS_CUE = r"(?:total\s+|nilai\s+|jumlah\s+)?(?:\bHPS\b|harga\s+perkiraan\s+sendiri)"
# The contract's own value first ("Nilai SPK | 366.300.000"); a "harga pekerjaan" line is often the
# amount before PPN, so it only counts when the contract names no value of its own.
KONTRAK_CUE = (r"nilai\s+kontrak|harga\s+kontrak|nilai\s+(?:SPK|surat\s+perintah\s+kerja|surat\s+perjanjian)"
               # an e-purchasing order: "Total Harga Pesanan", "nilai Surat Pesanan"
               r"|(?:total\s+)?harga\s+pesanan|nilai\s+(?:surat\s+)?pesanan")
KONTRAK_WEAK_CUE = r"nilai\s+pekerjaan|harga\s+(?:borongan|pekerjaan)"
# "pengalaman ... dengan nilai kontrak paling sedikit Rp10 miliar", "nilai HPS paling banyak Rp200
# juta": a bound someone must meet, not this package's value
BOUND_RE = re.compile(r"\b(?:paling\s+(?:sedikit|banyak|rendah|tinggi|kurang)|minimal|maksimal|sekurang-kurangnya|"
                      r"setinggi-tingginya|min\.|maks\.|lebih\s+dari|kurang\s+dari|di\s+(?:atas|bawah)|"
                      r"tidak\s+(?:melebihi|lebih))", re.I)
# "5% dari nilai SPK, yaitu Rp18.315.000": the amount is a share of the value, not the value
SHARE_OF_RE = re.compile(r"(?:%|persen\)?|permil\)?|‰|seribu\)?)\s*(?:\w+\s+){0,2}?dari\s*$", re.I)
# Lines of an HPS table that state the grand total, best first.
HPS_TOTAL_CUES: list[str] = [
    r"dibulatkan|pembulatan",
    r"(?:total|jumlah)\b[^\n|]{0,40}(?:\+|termasuk|incl\.?|dengan|setelah)\s*(?:PPN|pajak)",
    r"total\s+(?:HPS|harga\s+perkiraan\s+sendiri)|grand\s+total|nilai\s+HPS|jumlah\s+HPS",
    r"biaya\s+total|total\s+biaya|jumlah\s+total|total\s+keseluruhan|total\s+harga",
    r"^\W*total\b|\|\s*total\s*(?:\||$)",  # a row labelled just "TOTAL"
]
DURATION_CUES: list[tuple[str, float]] = [
    (r"jangka\s+waktu\s+pelaksanaan|masa\s+pelaksanaan|waktu\s+pelaksanaan", 1.0),
    (r"jangka\s+waktu(?!\s+(?:berlaku|pemeliharaan|garansi))|diselesaikan\s+dalam|dilaksanakan\s+(?:selama|dalam)|"
     r"(?:harus\s+|wajib\s+)?selesai\s+(?:dalam|selama)|dikerjakan\s+(?:selama|dalam)|waktu\s+penyelesaian", 0.85),
    (r"\bselama\b", 0.5),
]
DURATION_EXCLUDE = r"pemeliharaan|garansi|masa\s+berlaku|berlakunya\s+penawaran|jaminan|retensi|sanggah|klarifikasi"
TAHUN_ANGGARAN_RE = r"(?:tahun\s+anggaran|\bT\.?\s?A\.?)\s*[:\-]?\s*(20\d\d)\b"
TAHUN_JAMAK_TRUE = r"kontrak\s+tahun\s+jamak|multi\s*-?\s*years?\s+contract|kontrak\s+multi\s*-?\s*years?|\btahun\s+jamak\b"
TAHUN_JAMAK_FALSE = r"kontrak\s+tahun\s+tunggal|\btahun\s+tunggal\b|single\s+year"
# Template notes ("[jika kontrak tahun jamak ...]") are not statements.
CONDITIONAL_BEFORE = r"(?:jika|apabila|untuk|bila|dalam\s+hal)\s+(?:\w+\s+){0,2}$"
PPN_CUE = r"\bPPN\b|pajak\s+pertambahan\s+nilai"
SUMBER_DANA_CUE = r"sumber\s+(?:dana|pendanaan|pembiayaan|anggaran)|dibiayai\s+(?:dari|oleh|dengan|melalui)|dibebankan\s+(?:pada|kepada)"
SUMBER_DANA_VALUES: list[tuple[str, str]] = [
    (r"\bAPBN-?P\b|\bAPBN\b", "APBN"), (r"\bAPBD\s*-?\s*P\b|\bAPBD\b", "APBD"), (r"\bAPBDes\b|dana\s+desa", "APBDes"),
    (r"\bPNBP\b", "PNBP"), (r"\bBLUD\b", "BLUD"), (r"\bBLU\b", "BLU"), (r"\bDAK\b|dana\s+alokasi\s+khusus", "DAK"),
    (r"\bDAU\b|dana\s+alokasi\s+umum", "DAU"), (r"\bPHLN\b|pinjaman\s+luar\s+negeri", "PHLN"),
    (r"\bhibah\b", "hibah"), (r"\bSBSN\b", "SBSN"), (r"\bBOS\b", "BOS"),
]
USAHA_KECIL_TRUE = (r"(?:kualifikasi\s+(?:usaha|penyedia)|dicadangkan|diperuntukkan|diperuntukan|"
                    r"peserta\s+(?:adalah|merupakan)|penyedia\s+(?:adalah|merupakan|berstatus|dengan\s+kualifikasi))"
                    r"[^.\n]{0,60}?(?:usaha\s+(?:mikro|kecil)|\bUMK\b|koperasi)")
USAHA_KECIL_FALSE = (r"(?:kualifikasi\s+(?:usaha|penyedia))[^.\n]{0,30}?(?:non[\s-]*kecil|menengah|besar)|usaha\s+non[\s-]*kecil"
                     # "badan usaha kualifikasi menengah dengan SBU ..."
                     r"|\bkualifikasi\s+(?:badan\s+usaha\s+)?(?:non[\s-]*kecil|menengah|besar)\b")
VALUE_WINDOW = 160  # an amount this far after its cue, in the same clause, is the cue's value


# --- classification -----------------------------------------------------------------------------

_COMPILED_TYPE_CUES = {t: [(re.compile(p, re.IGNORECASE | re.MULTILINE), w) for p, w in cues]
                       for t, cues in TYPE_CUES.items()}


def type_scores(doc: Document, clauses: list[Clause] | None = None) -> dict[str, float]:
    """Score of every document type (before the confidence margin)."""
    text = doc.text
    title = text[:TITLE_ZONE_CHARS]
    # Headings anywhere are strong structure cues (a KAK's LATAR BELAKANG may sit on page 2).
    headings = "\n".join(c.text for c in clauses or [] if c.kind == "heading")
    scores: dict[str, float] = {}
    for doc_type, cues in _COMPILED_TYPE_CUES.items():
        score = 0.0
        for rx, weight in cues:
            body_hits = min(MAX_HITS, sum(1 for _ in rx.finditer(text)))
            score += weight * math.log1p(body_hits)
            if rx.search(title):
                score += weight * (TITLE_WEIGHT - 1)
            if headings and rx.search(headings):
                score += weight * 0.5
        if re.search(FILENAME_CUES[doc_type], doc.name, re.IGNORECASE):
            score += FILENAME_WEIGHT
        scores[doc_type] = round(score, 3)
    # A table of volume x harga satuan with money amounts is the mark of an HPS.
    money_rows = sum(1 for c in clauses or [] if c.kind == "table_row"
                     and sum(1 for a in find_amounts(c.text)) >= 2)
    scores["hps"] += min(money_rows, 10) * 0.8
    return scores


def classify(doc: Document, clauses: list[Clause]) -> tuple[str, float]:
    """Document type and a confidence in 0..1 from the margin between the best two types."""
    scores = type_scores(doc, clauses)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE:
        return "lainnya", round(1.0 - top / MIN_SCORE * 0.5, 2)
    margin = (top - second) / top
    strength = 1.0 - math.exp(-top / 10.0)
    return best, round(max(0.05, min(1.0, 0.35 + 0.65 * margin) * strength), 2)


# --- facts --------------------------------------------------------------------------------------

def in_template_note(text: str, pos: int) -> bool:
    """Inside a drafting note such as "[jika kontrak tahun jamak ...]": not a statement."""
    before = text[:pos]
    return before.count("[") > before.count("]")


def _fact(doc: Document, name: str, value, start: int, end: int, confidence: float) -> Fact:
    return Fact(name=name, value=value, text=" ".join(doc.text[start:end].split()), start=start,
                end=end, page=doc.page_at(start), confidence=round(confidence, 2))


def _scored_choice(doc: Document, clauses: list[Clause], cues: list[tuple[str, str, float]],
                   name: str, max_hits: int = 10**6, head_weight: float = 1.0) -> Fact | None:
    """Value with the highest total cue weight; evidence is its strongest, earliest match. With
    `head_weight`, a cue in the title block counts that many times: the title names the subject
    ("JASA KONSULTANSI PENGAWASAN ..."), the body also names what the subject deals with."""
    totals: Counter[str] = Counter()
    best: dict[str, tuple[float, int, int]] = {}
    compiled = [(re.compile(p, re.IGNORECASE), v, w) for p, v, w in cues]
    hits: Counter[int] = Counter()
    head_end = min(int(len(doc.text) * 0.1) + 300, 1500)
    for c in clauses:
        for k, (rx, value, weight) in enumerate(compiled):
            for m in rx.finditer(c.text):
                if in_template_note(c.text, m.start()) or hits[k] >= max_hits:
                    continue
                hits[k] += 1
                w = weight * head_weight if c.start + m.start() < head_end else weight
                totals[value] += w
                s, e = c.start + m.start(), c.start + m.end()
                if value not in best or w > best[value][0]:
                    best[value] = (w, s, e)
    if not totals:
        return None
    ranked = totals.most_common()
    value, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = (0.5 + 0.5 * (top - second) / top) * (1.0 - math.exp(-top / 3.0))
    if best[value][0] >= 10:
        confidence = max(confidence, 0.95)  # stated outright ("Metode Pemilihan : ...")
    _, s, e = best[value]
    return _fact(doc, name, value, s, e, confidence)


def _amount_after(doc: Document, clauses: list[Clause], cue: str, name: str,
                  exclude: str | None = None) -> Fact | None:
    """The first money amount that follows `cue` within VALUE_WINDOW characters in one clause."""
    rx = re.compile(cue, re.IGNORECASE)
    ex = re.compile(exclude, re.IGNORECASE) if exclude else None
    for c in clauses:
        for m in rx.finditer(c.text):
            if in_template_note(c.text, m.start()) or SHARE_OF_RE.search(c.text[max(0, m.start() - 40):m.start()]):
                continue
            window = c.text[m.end():m.end() + VALUE_WINDOW]
            amounts = [a for a in find_amounts(window) if a.is_money or a.value >= 1000]
            if not amounts:
                continue
            a = amounts[0]
            between = window[:a.start]
            if (ex and ex.search(between)) or BOUND_RE.search(between):
                continue
            s = c.start + m.start()
            e = c.start + m.end() + a.end
            return _fact(doc, name, a.value, s, e, 0.9 if a.is_money else 0.7)
    return None


def _hps_total(doc: Document, clauses: list[Clause]) -> Fact | None:
    """Grand total of an HPS: the rounded total, else the total with PPN, else the largest total.
    Unit-price analysis tables are left out: their "Dibulatkan" is one item's unit price."""
    analysis = {i for i, t in enumerate(doc.tables) if is_analysis_table(t.rows, t.sheet)}
    for rank, cue in enumerate(HPS_TOTAL_CUES):
        rx = re.compile(cue, re.IGNORECASE)
        candidates = []
        for c in clauses:
            if c.table is not None and c.table in analysis:
                continue
            m = rx.search(c.text)
            if not m:
                continue
            amounts = [a for a in find_amounts(c.text[m.end():]) if a.value >= 1000]
            if amounts:
                a = max(amounts, key=lambda x: x.value)
                candidates.append((a.value, c.start + m.start(), c.start + m.end() + a.end))
        if candidates:
            value, s, e = candidates[-1] if rank < 2 else max(candidates)
            return _fact(doc, "nilai_hps", value, s, e, 0.9 - 0.1 * rank)
    return None


def _duration(doc: Document, clauses: list[Clause]) -> Fact | None:
    best = None
    for rank, (cue, conf) in enumerate(DURATION_CUES):
        rx = re.compile(cue, re.IGNORECASE)
        for c in clauses:
            for m in rx.finditer(c.text):
                if in_template_note(c.text, m.start()):
                    continue
                # a weaker cue inside a sentence about maintenance, guarantees ... is that period's
                if rank > 0 and re.search(DURATION_EXCLUDE, c.text[max(0, m.start() - 80):m.start()], re.IGNORECASE):
                    continue
                after = c.text[m.end():m.end() + 220]
                if re.search(DURATION_EXCLUDE, after[:40], re.IGNORECASE):
                    continue
                found = find_durations(after)
                if not found:
                    continue
                days, unit, ds, de = found[0]
                if re.search(DURATION_EXCLUDE, after[:ds], re.IGNORECASE):
                    continue
                best = _fact(doc, "jangka_waktu_hari", days, c.start + m.start(), c.start + m.end() + de, conf)
                break
            if best:
                return best
    return None


def _jenis_kontrak(doc: Document, clauses: list[Clause]) -> Fact | None:
    ctx = re.compile(JENIS_KONTRAK_CONTEXT, re.IGNORECASE)
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int, bool]] = {}
    for c in clauses:
        for m in ctx.finditer(c.text):
            rest = c.text[m.end():m.end() + 80]
            for pattern, value in JENIS_KONTRAK_CUES:
                vm = re.match(pattern, rest, re.IGNORECASE)
                if vm:
                    stated = not m.group(0).lower().startswith("kontrak")
                    counts[value] += 3 if stated else 1
                    if value not in first or (stated and not first[value][2]):
                        first[value] = (c.start + m.start(), c.start + m.end() + vm.end(), stated)
                    break
    if not counts:
        return None
    value, top = counts.most_common(1)[0]
    s, e, stated = first[value]
    total = sum(counts.values())
    return _fact(doc, "jenis_kontrak", value, s, e, (0.95 if stated else 0.75) * top / total)


def _tahun_anggaran(doc: Document, clauses: list[Clause]) -> Fact | None:
    rx = re.compile(TAHUN_ANGGARAN_RE, re.IGNORECASE)
    years: Counter[int] = Counter()
    first: dict[int, tuple[int, int]] = {}
    for c in clauses:
        for m in rx.finditer(c.text):
            y = int(m.group(1))
            years[y] += 1
            first.setdefault(y, (c.start + m.start(), c.start + m.end()))
    if not years:
        return None
    year, n = years.most_common(1)[0]
    s, e = first[year]
    return _fact(doc, "tahun_anggaran", year, s, e, 0.95 if n == sum(years.values()) else 0.7)


def _tahun_jamak(doc: Document, clauses: list[Clause]) -> Fact | None:
    for pattern, value in ((TAHUN_JAMAK_TRUE, True), (TAHUN_JAMAK_FALSE, False)):
        rx = re.compile(pattern, re.IGNORECASE)
        for c in clauses:
            for m in rx.finditer(c.text):
                before = c.text[max(0, m.start() - 40):m.start()]
                if re.search(CONDITIONAL_BEFORE, before, re.IGNORECASE) or in_template_note(c.text, m.start()):
                    continue
                if re.search(r"\b(?:bukan|tidak|non)\s*-?\s*$", before, re.IGNORECASE):
                    return _fact(doc, "tahun_jamak", not value, c.start + m.start(), c.start + m.end(), 0.8)
                return _fact(doc, "tahun_jamak", value, c.start + m.start(), c.start + m.end(), 0.85)
    return None


def _ppn(doc: Document, clauses: list[Clause]) -> Fact | None:
    rx = re.compile(PPN_CUE, re.IGNORECASE)
    for c in clauses:
        for m in rx.finditer(c.text):
            window = c.text[m.end():m.end() + 30]
            pct = find_percentages(window)
            if pct and pct[0][1] <= 12:
                value, _, pe = pct[0]
                return _fact(doc, "ppn_persen", value, c.start + m.start(), c.start + m.end() + pe, 0.9)
    return None


def _sumber_dana(doc: Document, clauses: list[Clause]) -> Fact | None:
    rx = re.compile(SUMBER_DANA_CUE, re.IGNORECASE)
    values = [(re.compile(p, re.IGNORECASE), v) for p, v in SUMBER_DANA_VALUES]
    for c in clauses:
        for m in rx.finditer(c.text):
            if in_template_note(c.text, m.start()) or re.search(r"\(\s*untuk\s*$", c.text[:m.start()]):
                continue
            window = c.text[m.end():m.end() + 80]
            hits = [(vm.start(), vm.end(), v) for r, v in values for vm in [r.search(window)] if vm]
            if hits:
                vs, ve, value = min(hits)
                return _fact(doc, "sumber_dana", value, c.start + m.start(), c.start + m.end() + ve, 0.9)
    # A bare "APBD" somewhere is weaker evidence.
    for c in clauses:
        for r, value in values[:2]:
            vm = r.search(c.text)
            if vm and not in_template_note(c.text, vm.start()):
                return _fact(doc, "sumber_dana", value, c.start + vm.start(), c.start + vm.end(), 0.5)
    return None


def _usaha_kecil(doc: Document, clauses: list[Clause]) -> Fact | None:
    for pattern, value in ((USAHA_KECIL_FALSE, False), (USAHA_KECIL_TRUE, True)):
        rx = re.compile(pattern, re.IGNORECASE)
        for c in clauses:
            m = rx.search(c.text)
            if m:
                return _fact(doc, "usaha_kecil", value, c.start + m.start(), c.start + m.end(), 0.85)
    return None


def extract_facts(doc: Document, clauses: list[Clause], doc_type: str) -> dict[str, Fact]:
    """Procurement facts stated in the document, each with its evidence span."""
    found: list[Fact | None] = [
        _scored_choice(doc, clauses, JENIS_PENGADAAN_CUES, "jenis_pengadaan", JENIS_MAX_HITS, JENIS_HEAD_WEIGHT),
        _scored_choice(doc, clauses, METODE_CUES, "metode"),
        _amount_after(doc, clauses, PAGU_CUE, "pagu"),
        _amount_after(doc, clauses, PERKIRAAN_CUE, "perkiraan_biaya", exclude=r"\bpagu\b"),
        _amount_after(doc, clauses, KONTRAK_CUE, "nilai_kontrak")
        or _amount_after(doc, clauses, KONTRAK_WEAK_CUE, "nilai_kontrak"),
        _duration(doc, clauses),
        _jenis_kontrak(doc, clauses),
        _tahun_anggaran(doc, clauses),
        _tahun_jamak(doc, clauses),
        _ppn(doc, clauses),
        _sumber_dana(doc, clauses),
        _usaha_kecil(doc, clauses),
    ]
    hps = _hps_total(doc, clauses) if doc_type == "hps" else None
    found.append(hps or _amount_after(doc, clauses, HPS_CUE, "nilai_hps", exclude=r"\bpagu\b"))
    return {f.name: f for f in found if f is not None}
