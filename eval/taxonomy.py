"""Finding categories the labels may use: the taxonomy of the design notes (minimum coverage).

Kept here as data so the label files can be validated without reading anything outside the repo."""

from __future__ import annotations

MISSING = (
    "kak.latar_belakang", "kak.maksud_tujuan", "kak.sasaran", "kak.lokasi", "kak.sumber_dana",
    "kak.perkiraan_biaya", "kak.ruang_lingkup", "kak.jangka_waktu", "kak.spesifikasi", "kak.keluaran",
    "kak.tenaga_ahli", "kak.pelaporan", "kak.tkdn",
    "hps.rincian", "hps.ppn", "hps.total", "hps.sumber_harga", "hps.tanggal", "hps.penetapan",
    "kontrak.para_pihak", "kontrak.ruang_lingkup", "kontrak.nilai", "kontrak.jenis_kontrak",
    "kontrak.jangka_waktu", "kontrak.pembayaran", "kontrak.denda", "kontrak.jaminan_pelaksanaan",
    "kontrak.keadaan_kahar", "kontrak.pemutusan", "kontrak.penyelesaian_perselisihan",
    "kontrak.serah_terima", "kontrak.perubahan", "kontrak.hak_kewajiban", "kontrak.sumber_dana",
)
RISK = (
    "risk.merek", "risk.diskriminatif", "risk.referensi_usang", "risk.sepihak", "risk.lingkup_kabur",
    "risk.pemecahan_paket", "risk.pdn", "risk.umk", "risk.pembayaran_dimuka",
)
NUMBER = (
    "number.terbilang", "number.aritmetika", "number.ppn", "number.denda", "number.jaminan_pelaksanaan",
    "number.uang_muka", "number.adendum", "number.retensi", "number.ambang_metode",
    "number.bentuk_kontrak", "number.jaminan_penawaran", "number.tahun_anggaran",
)
CONSISTENCY = ("consistency.nilai", "consistency.jangka_waktu", "consistency.volume", "consistency.jenis_kontrak")

# Categories the rulebook adds beyond the design notes' minimum, where the regulations call for
# them (the spec parts of Kepdep LKPP 10/2019, SNI under Pasal 19, conflicts of interest under
# Pasal 7, HPS and contract-management risks). Labels may use them too.
EXTENDED = (
    "kak.sni", "kak.spesifikasi_fungsi", "kak.spesifikasi_jumlah", "kak.spesifikasi_mutu",
    "kak.spesifikasi_pelayanan", "kak.spesifikasi_waktu",
    "risk.hps_kerugian_negara", "risk.hps_margin", "risk.hps_rahasia", "risk.konflik_kepentingan",
    "risk.mulai_sebelum_kontrak", "risk.pemberian_kesempatan", "risk.penyesuaian_harga",
    "risk.perubahan_kontrak",
)

CATEGORIES = frozenset(MISSING + RISK + NUMBER + CONSISTENCY + EXTENDED)
KINDS = ("missing", "risk", "number", "consistency")


def kind_of(category: str) -> str:
    """The kind a category belongs to: kak./hps./kontrak. are missing elements."""
    prefix = category.split(".", 1)[0]
    if prefix in ("risk", "number", "consistency"):
        return prefix
    return "missing"
