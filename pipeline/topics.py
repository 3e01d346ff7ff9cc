"""Topic relevance: a bilingual keyword taxonomy (config/topics.yaml) matched on word stems.

Why stems and not substrings: "puces", "semi-conducteurs", "souveraineté numérique" and "semiconductors" must match
their terms whatever the inflection, while "ai" inside "j'ai" or "cloud" inside "Cloudy" must not. Text and terms go
through the same path (tokenise → lower-case → Snowball stem → strip accents), so "souverainete" written without
accents still matches. Upper-case and camel-case tokens of a term ("IA", "AI", "GPU", "SaaS") are compared exactly
(plural "s" allowed: "GPUs"), because lower-cased and stemmed they are ordinary words ("ai", "sa"). `<num>` in a term stands for any token
starting with a digit ("raises <num> million").

Speed matters (called on every article): term stems are computed once; a text's tokens are stemmed through an LRU
cache, then only positions whose stem starts some term are examined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.configfiles import describe_validation_error, read_yaml
from pipeline.errors import ConfigError
from pipeline.settings import Settings

LANGS = ("fr", "en")
NUM = "<num>"
TOKEN_RE = re.compile(r"\w+")  # unicode letters/digits ("_" too: rare in prose, and [^\W_] is 20 % slower)
_TOPIC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# ---------------------------------------------------------------- configuration


class TermSpec(BaseModel):
    """A term with an explicit case rule: `case_sensitive: true` compares every token exactly ("Azure" ≠ "azur")."""

    model_config = ConfigDict(extra="forbid")
    term: str
    case_sensitive: bool | None = None  # None: upper-case tokens exact, the others stemmed


Term = str | TermSpec


def _check_term(term: Term) -> Term:
    text = term.term if isinstance(term, TermSpec) else term
    if not isinstance(text, str) or not TOKEN_RE.search(text.replace(NUM, "0")):
        raise ValueError(f"term {text!r} has no word in it")
    return term


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    description: str | None = None
    terms: dict[Literal["fr", "en", "any"], list[Term]]
    relevant_alone: bool = True  # false: labels articles, but alone does not make a filter-feed item relevant
    # phrases that contain a term but mean something else ("marché aux puces", "Côte d'Azur"): a term occurrence
    # inside one of them does not count
    exclude: dict[Literal["fr", "en", "any"], list[Term]] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id_slug(cls, value: str) -> str:
        if not _TOPIC_ID_RE.match(value):
            raise ValueError("must be a lower-case slug (letters, digits, '-'), e.g. 'digital-sovereignty'")
        return value

    @field_validator("terms", "exclude")
    @classmethod
    def _terms_have_words(cls, value: dict[str, list[Term]]) -> dict[str, list[Term]]:
        for terms in value.values():
            for term in terms:
                _check_term(term)
        return value

    @field_validator("terms")
    @classmethod
    def _some_terms(cls, value: dict[str, list[Term]]) -> dict[str, list[Term]]:
        if not any(value.values()):
            raise ValueError("a topic needs at least one term (under fr, en or any)")
        return value


class TopicsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topics: list[Topic]

    @model_validator(mode="after")
    def _unique_ids(self) -> TopicsFile:
        seen: set[str] = set()
        for topic in self.topics:
            if topic.id in seen:
                raise ValueError(f"topic id {topic.id!r} is used twice")
            seen.add(topic.id)
        return self


def load_topics_file(path: Path) -> TopicsFile:
    """Validate config/topics.yaml; errors name the file, the topic (by id) and the field."""
    data = read_yaml(path) or {}
    try:
        return TopicsFile.model_validate(data)
    except ValidationError as exc:
        # describe_validation_error names list entries by their "name": give it the topic ids
        names = None
        if isinstance(data, dict) and isinstance(data.get("topics"), list):
            names = {"topics": [{"name": t.get("id")} if isinstance(t, dict) else {} for t in data["topics"]]}
        raise ConfigError(describe_validation_error(Path(path), exc, names, "topics", model=TopicsFile)) from None


# ---------------------------------------------------------------- stemming

@lru_cache(maxsize=None)
def _stemmer(lang: str):
    """Built on first use: importing nltk pulls in scipy (~1 s), which commands that never match topics skip."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer({"fr": "french", "en": "english"}[lang])


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def _stem_fr(token: str) -> str:
    return _strip_accents(_stemmer("fr").stem(token.lower()))


@lru_cache(maxsize=100_000)
def _stem_en(token: str) -> str:
    return _strip_accents(_stemmer("en").stem(token.lower()))


STEM = {"fr": _stem_fr, "en": _stem_en}


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(unicodedata.normalize("NFC", text))


# ---------------------------------------------------------------- compiled matcher

# A compiled term token: ("s", stem) compared with the text token's stem, ("x", forms) compared exactly with the
# text token, ("n", "") any token starting with a digit.
TermToken = tuple[str, object]


@dataclass(frozen=True)
class _Phrase:
    topic: str
    term: str  # as written in the file (for explanations)
    rest: tuple[TermToken, ...]  # tokens after the first
    exclude: bool = False


def _compile_term(term: Term, stem) -> tuple[TermToken, ...]:
    text, case_sensitive = (term.term, term.case_sensitive) if isinstance(term, TermSpec) else (term, None)
    out: list[TermToken] = []
    for raw in text.split():
        if raw == NUM:
            out.append(("n", ""))
            continue
        for token in tokenize(raw):
            exact = case_sensitive if case_sensitive is not None else _looks_like_a_name(token)
            if exact:
                out.append(("x", frozenset({token, token + "s"})))
            else:
                out.append(("s", stem(token)))
    return tuple(out)


def _looks_like_a_name(token: str) -> bool:
    """Acronyms and camel-case names ("IA", "GPU", "SaaS", "OpenAI") lower-cased are other words ("ia", "sa")."""
    return token.isupper() or any(c.isupper() for c in token[1:])


def _variants(term: Term) -> list[Term]:
    """A hyphenated term also matches written as one word: "semi-conducteurs" → "semiconducteurs"."""
    text = term.term if isinstance(term, TermSpec) else term
    if "-" not in text:
        return [term]
    joined = re.sub(r"(?<=\w)-(?=\w)", "", text)
    extra = TermSpec(term=joined, case_sensitive=term.case_sensitive) if isinstance(term, TermSpec) else joined
    return [term, extra]


class _LangIndex:
    """Every phrase of one language, keyed by what its first token must be."""

    def __init__(self) -> None:
        self.by_stem: dict[str, list[_Phrase]] = {}
        self.by_exact: dict[str, list[_Phrase]] = {}
        self.by_number: list[_Phrase] = []

    def add(self, topic: str, term: Term, stem, exclude: bool = False) -> None:
        for variant in _variants(term):
            tokens = _compile_term(variant, stem)
            if not tokens:
                continue
            label = variant.term if isinstance(variant, TermSpec) else variant
            first, rest = tokens[0], tokens[1:]
            phrase = _Phrase(topic, label, rest, exclude)
            if first[0] == "s":
                self.by_stem.setdefault(first[1], []).append(phrase)
            elif first[0] == "x":
                for form in first[1]:
                    self.by_exact.setdefault(form, []).append(phrase)
            else:
                self.by_number.append(phrase)


def _rest_matches(rest: tuple[TermToken, ...], tokens: list[str], stems: list[str], start: int) -> bool:
    if start + len(rest) > len(tokens):
        return False
    for offset, (kind, value) in enumerate(rest, start):
        if kind == "s":
            if stems[offset] != value:
                return False
        elif kind == "x":
            if tokens[offset] not in value:
                return False
        elif not tokens[offset][0].isdigit():
            return False
    return True


class TopicMatcher:
    """`match(text, lang)` → sorted ids of the topics whose terms occur in the text."""

    def __init__(self, config: TopicsFile):
        self.labels = {t.id: t.label for t in config.topics}
        self._relevant_alone = {t.id for t in config.topics if t.relevant_alone}
        self._index = {lang: _LangIndex() for lang in LANGS}
        self._with_exclusions = {t.id for t in config.topics if any(t.exclude.values())}
        for topic in config.topics:
            for lang in LANGS:
                stem = STEM[lang]
                for term in [*topic.terms.get(lang, []), *topic.terms.get("any", [])]:
                    self._index[lang].add(topic.id, term, stem)
                for term in [*topic.exclude.get(lang, []), *topic.exclude.get("any", [])]:
                    self._index[lang].add(topic.id, term, stem, exclude=True)

    @property
    def topic_ids(self) -> list[str]:
        return sorted(self.labels)

    def match(self, text: str, lang: str | None = None) -> list[str]:
        return sorted(self.explain(text, lang, first_only=True))

    def is_relevant(self, text: str, lang: str | None = None) -> bool:
        """The relevance test of `relevance: filter` feeds: some topic that counts on its own is found."""
        return any(topic in self._relevant_alone for topic in self.match(text, lang))

    def explain(self, text: str, lang: str | None = None, first_only: bool = False) -> dict[str, list[str]]:
        """Topic id → the terms found (all of them, or just the first per topic with first_only)."""
        if not text:
            return {}
        tokens = tokenize(text)
        langs = _langs_for(lang)
        found: dict[str, list[str]] = {}
        for one in langs:
            self._match_lang(one, tokens, found, first_only)
        return found

    def _match_lang(self, lang: str, tokens: list[str], found: dict[str, list[str]], first_only: bool) -> None:
        index = self._index[lang]
        stems = list(map(STEM[lang], tokens))
        hit_stems = index.by_stem.keys() & stems
        hit_exact = index.by_exact.keys() & tokens
        if not hit_stems and not hit_exact and not index.by_number:
            return
        # only the positions where some term can start are examined
        starts: list[tuple[int, list[_Phrase]]] = []
        if hit_stems:
            by_stem = index.by_stem
            starts.extend((i, by_stem[s]) for i, s in enumerate(stems) if s in hit_stems)
        if hit_exact:
            by_exact = index.by_exact
            starts.extend((i, by_exact[t]) for i, t in enumerate(tokens) if t in hit_exact)
        if index.by_number:
            starts.extend((i, index.by_number) for i, t in enumerate(tokens) if t[0].isdigit())
        # (start, end, phrase) of every occurrence; exclusions are applied afterwards
        occurrences: list[tuple[int, int, _Phrase]] = []
        done = set(found) if first_only else set()  # topics already settled: no need to look further
        for i, candidates in starts:
            for phrase in candidates:
                if phrase.topic in done:
                    continue
                if not phrase.rest or _rest_matches(phrase.rest, tokens, stems, i + 1):
                    occurrences.append((i, i + 1 + len(phrase.rest), phrase))
                    if first_only and not phrase.exclude and phrase.topic not in self._with_exclusions:
                        done.add(phrase.topic)
        excluded = [(s, e, p.topic) for s, e, p in occurrences if p.exclude]
        for start, end, phrase in occurrences:
            if phrase.exclude:
                continue
            if any(topic == phrase.topic and s <= start and end <= e for s, e, topic in excluded):
                continue
            terms = found.setdefault(phrase.topic, [])
            if not (first_only and terms) and phrase.term not in terms:
                terms.append(phrase.term)


def _langs_for(lang: str | None) -> tuple[str, ...]:
    short = (lang or "").lower()[:2]
    return (short,) if short in LANGS else LANGS


_CACHE: dict[tuple[str, int], TopicMatcher] = {}


def topics_path(settings: Settings) -> Path:
    return settings.config_path("topics.yaml")


def load_topic_matcher(settings: Settings, path: Path | None = None) -> TopicMatcher:
    """The matcher for <config_dir>/topics.yaml, rebuilt only when the file changes (path + mtime)."""
    path = Path(path or topics_path(settings))
    if not path.exists():
        raise ConfigError(f"Topic taxonomy {path} does not exist (needed for relevance filtering and topics).")
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    matcher = _CACHE.get(key)
    if matcher is None:
        matcher = TopicMatcher(load_topics_file(path))
        _CACHE.clear()  # one taxonomy in use at a time; old versions are dropped
        _CACHE[key] = matcher
    return matcher
