"""Extraction throughput of reviewer.ingest on generated documents.

    .venv/bin/python benchmarks/bench_extract.py [--ocr-pages 3] [--runs 3]

Prints pages/s (median of the runs) for a 100-page PDF KAK with tables, a 2,000-row HPS workbook
and a 100-page DOCX, and OCR seconds per page on a scanned PDF.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviewer.docgen import write_document  # noqa: E402
from reviewer.ingest import load  # noqa: E402

PARAGRAPH = ("Penyedia wajib melaksanakan pekerjaan sesuai dengan spesifikasi teknis, gambar kerja dan "
             "jadwal pelaksanaan yang telah disetujui oleh PPK, serta menyampaikan laporan kemajuan "
             "pekerjaan setiap minggu kepada pengawas pekerjaan dan PPK melalui surat resmi.")


def kak_blocks(pages: int) -> list[dict]:
    """About one page per section: heading, paragraphs, a lettered list, and every third page a table."""
    blocks: list[dict] = [{"h": "KERANGKA ACUAN KERJA", "level": 0}]
    for n in range(1, pages + 1):
        blocks.append({"h": f"{n}. BAGIAN PEKERJAAN NOMOR {n}", "level": 1})
        blocks += [{"p": f"{PARAGRAPH} Ketentuan ini berlaku untuk lokasi {n}."} for _ in range(4)]
        blocks += [{"li": f"butir ketentuan {k} untuk bagian {n};", "marker": f"{'abcd'[k]}."} for k in range(4)]
        if n % 3 == 0:
            blocks.append({"table": [["No", "Uraian", "Volume", "Satuan"]]
                           + [[str(r), f"Pekerjaan {n}.{r}", str(r * 3), "m2"] for r in range(1, 9)]})
        blocks.append({"pagebreak": True})
    return blocks[:-1]


def hps_sheet(rows: int) -> list[dict]:
    data: list[list] = [["No", "Uraian", "Volume", "Satuan", "Harga Satuan", "Jumlah"]]
    for r in range(2, rows + 2):
        data.append([r - 1, f"Barang nomor {r - 1}", (r % 7) + 1, "unit", 125000 + r * 50, f"=C{r}*E{r}"])
    data.append([None, "Jumlah", None, None, None, f"=SUM(F2:F{rows + 1})"])
    return [{"name": "HPS", "rows": data}]


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--ocr-pages", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        blocks = kak_blocks(args.pages)
        pdf = write_document({"name": "kak-besar", "format": "pdf", "blocks": blocks,
                              "header_text": "KAK Pekerjaan Contoh T.A. 2025"}, out)
        docx = write_document({"name": "kak-besar", "format": "docx", "blocks": blocks}, out)
        xlsx = write_document({"name": "hps-besar", "format": "xlsx", "sheets": hps_sheet(args.rows)}, out)
        scan = write_document({"name": "kak-scan", "format": "scan_pdf",
                               "blocks": kak_blocks(args.ocr_pages)}, out)

        print(f"{'dokumen':<34}{'median s':>10}{'halaman':>9}{'hal/s':>9}{'blok':>8}{'tabel':>7}")
        for label, path in (("PDF KAK (teks + tabel)", pdf), ("DOCX KAK", docx)):
            seconds, doc = median_time(lambda p=path: load(p), args.runs)
            print(f"{label:<34}{seconds:>10.3f}{doc.pages:>9}{doc.pages / seconds:>9.1f}"
                  f"{len(doc.blocks):>8}{len(doc.tables):>7}")
        seconds, doc = median_time(lambda: load(xlsx), args.runs)
        rows = sum(len(t.rows) for t in doc.tables)
        print(f"{'XLSX HPS (' + str(rows) + ' baris)':<34}{seconds:>10.3f}{doc.pages:>9}"
              f"{rows / seconds:>9.0f}{len(doc.blocks):>8}{len(doc.tables):>7}  (baris/s)")
        start = time.perf_counter()
        doc = load(scan)
        seconds = time.perf_counter() - start
        print(f"{'PDF hasil pindai (OCR)':<34}{seconds:>10.3f}{doc.pages:>9}{doc.pages / seconds:>9.2f}"
              f"{len(doc.blocks):>8}{len(doc.tables):>7}")
        print(f"OCR: {seconds / max(len(doc.ocr_pages), 1):.2f} s per halaman ({len(doc.ocr_pages)} halaman, 1 kali)")


if __name__ == "__main__":
    main()
