"""Sentence embeddings for the tone model: WordLlama's static token embeddings, averaged.

Why this encoder: its weights ship inside the `wordllama` wheel (16 MB, safetensors), so nothing is downloaded at
run time, and embedding a whole article costs well under a millisecond, so enrichment keeps its speed. The vectors
carry meaning beyond the few hundred labelled items the tone model learns from (« défaite » sits near "defeat"),
which is what lets the model read words it never saw in training. A transformer encoder (multilingual-e5-small,
measured) reads slightly better but costs ~0.4 CPU-s per article, beyond the enrichment budget.
"""

from __future__ import annotations

import contextlib
import functools
import logging

from pipeline.errors import ModelError

log = logging.getLogger(__name__)

ENCODER = "wordllama l2_supercat 256"  # recorded in the tone model; a different encoder needs retraining


@contextlib.contextmanager
def _root_logging_kept():
    """wordllama calls `logging.basicConfig(level=INFO)` when imported: in a process that has not configured logging
    yet (a library user, a benchmark, a forked worker) every library's INFO lines (one per HTTP request) would then
    be formatted and printed. Its import must leave the root logger as it found it."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        yield
    finally:
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)


@functools.lru_cache(maxsize=1)
def encoder():
    """The encoder, loaded once per process (enrichment's warm-up loads it before a collector is forked)."""
    try:
        with _root_logging_kept():
            import wordllama
            from wordllama import WordLlama
    except ImportError as exc:
        raise ModelError(f"The tone model needs the `wordllama` package ({exc}): run `make install`, or set "
                         "NEWSROOM_SENTIMENT_BACKEND=lexicon.") from None
    from pathlib import Path

    package = Path(wordllama.__file__).parent
    try:
        # the weights and tokenizer ship in the wheel: look only there, never download
        model = WordLlama.load(config="l2_supercat", dim=256, cache_dir=package, disable_download=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"WordLlama's weights were not found in {package} ({exc}): reinstall it with "
                         "`make install`.") from None
    log.info("Sentence encoder %s loaded", ENCODER)
    return model


def embed(texts: list[str]):
    """One unit vector per text, as rows of a numpy array, in one batch (an empty text gets the vector of '.')."""
    return encoder().embed([t if t and t.strip() else "." for t in texts], norm=True)


def encoder_version() -> str:
    """The encoder and the version of the wheel its weights come from: part of the enrichment fingerprint."""
    from importlib import metadata

    try:
        return f"{ENCODER} {metadata.version('wordllama')}"
    except metadata.PackageNotFoundError:
        return f"{ENCODER} (not installed)"
