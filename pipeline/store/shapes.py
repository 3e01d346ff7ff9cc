"""Stored documents read in the shapes this version writes (no dependencies: light commands import it)."""

from __future__ import annotations


# A stored document is read as this version writes it. Elasticsearch keeps whatever shape a field was given (an
# array for any field, one object for a nested list, a number as a string): an article written by an older version
# or another tool with `title: [..]` or one `company_sentiment: {..}` failed every search listing it ("not an
# Elasticsearch reply"), the HTML report, and every run of an alert rule matching it.
_STORED_TEXTS = ("id", "article_id", "company", "url", "canonical_url", "title", "source", "domain", "description",
                 "text", "lang", "site_name", "published_at", "indexed_at", "first_seen_at")
_STORED_LISTS = ("authors", "orgs", "persons", "places", "misc", "topics", "feed_tags", "entity_orgs")


def _one_text(value: object) -> str | None:
    """A text field's value: the first non-empty text of an array; a number as written; anything else none."""
    for candidate in value if isinstance(value, list) else [value]:
        if isinstance(candidate, str) and candidate.strip():
            return candidate
        if isinstance(candidate, (int, float)) and not isinstance(candidate, bool):
            return str(candidate)
    return None


def _number(value: object) -> float | None:
    value = value[0] if isinstance(value, list) and value else value
    try:
        number = float(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except ValueError:
        return None
    return number if number is not None and abs(number) != float("inf") and number == number else None


def _tone(value: object) -> dict | None:
    if not isinstance(value, dict):
        return None
    tone = dict(value)
    if "score" in tone:
        tone["score"] = _number(tone["score"])
    return tone


def stored_article(source: dict) -> dict:
    """`source` (an article or mention as stored) with each field in the shape this version writes: one text for
    the text fields, a list of texts for the list fields, numeric tone scores, `company_sentiment` a list of
    objects with a company. A field the document lacks stays absent."""
    doc = dict(source)
    for name in _STORED_TEXTS:
        if name in doc and doc[name] is not None and not isinstance(doc[name], str):
            doc[name] = _one_text(doc[name])
    for name in _STORED_LISTS:
        if name in doc and not isinstance(doc[name], list):
            doc[name] = [] if doc[name] is None else [doc[name]]
        if name in doc:
            doc[name] = [text for text in map(_one_text, doc[name]) if text is not None]
    for name in ("sentiment", "article_sentiment"):
        if name in doc:
            doc[name] = _tone(doc[name])
    if "company_sentiment" in doc:
        entries = doc["company_sentiment"]
        entries = entries if isinstance(entries, list) else [entries]
        doc["company_sentiment"] = [tone for tone in map(_tone, entries)
                                    if tone is not None and isinstance(tone.get("company"), str)]
    if "word_count" in doc and not isinstance(doc["word_count"], int):
        number = _number(doc["word_count"])
        doc["word_count"] = int(number) if number is not None else None
    return doc
