"""Language of an article: the page's declared language is a hint, the text decides when they disagree."""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 3000  # enough for a confident guess; keeps detection cost flat on long articles
MIN_CONFIDENCE = 0.80
MIN_CHARS = 40


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise_hint(hint: str | None) -> str | None:
    """'fr-FR', 'FR', 'fr_CA' → 'fr'; junk → None."""
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) in (2, 3) and code.isalpha() else None


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code. Short or unclear texts keep the hint; a confident detection overrides it."""
    hint = normalise_hint(hint)
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if not sample:
        return hint or "und"
    if len(sample) < MIN_CHARS and hint:
        return hint
    lang, prob = _identifier().classify(sample)
    if hint and lang != hint and prob < MIN_CONFIDENCE:
        return hint
    return lang
