"""Enrichment: language, entities, watched companies, tone (overall and per company) and topics.

`get_enricher(settings).enrich_many(inputs)` is what ingestion, re-enrichment and `newsroom enrich` all call.
Texts go through spaCy in batches per language (NER + sentence splitting only); everything else works on the
sentences it returns, so the whole enrichment stays close to the cost of NER alone.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import islice

from pipeline.enrich.entities import (LABELS, Span, based_places, company_products, continent_places, dateline_places,
                                      dateline_sources, described_place, fix_person_span, fix_place_span,
                                      given_name_before, headline_person, headline_words, institution_places,
                                      is_exhortation, is_opening_word, is_place_name, is_titled_name, listed_games,
                                      listed_places, minister_in_span, named_products, names_a_figure, names_a_law,
                                      normalise_entities, persons_after_companies, presented_persons, seat_places,
                                      surname_in_context, table_places)
from pipeline.enrich.language import detect_language, normalise_hint
from pipeline.enrich.models import NER_LANGS, load_nlp, loaded_model_names
from pipeline.enrich.scoring import SentenceScorer
from pipeline.enrich.sentiment import Sentence, company_evidence, hollow_claims
from pipeline.enrich.tone import MODEL_PATH, ToneInputs, get_tone
from pipeline.enrich.watchlist import get_linker, watchlist_path
from pipeline.sinks import without_surrogates
from pipeline.errors import ModelError
from pipeline.models import Article, Entities, Enrichment, Sentiment
from pipeline.settings import Settings, load_settings

log = logging.getLogger(__name__)
WARM_TEXTS = 200  # per language, before batches run in spaCy memory zones
# Texts per spaCy batch (a title and a body per article): the network's activations for a batch of long pages are
# hundreds of MB, and batching more than this gains nothing on CPU (bench-enrich: 0.78x NER-only at 32, 0.80 at 8).
SPACY_BATCH = 8
MAX_CHARS = 50_000  # NER cost and memory grow with length; the rest of a very long page adds little
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«“\"'A-ZÀ-ÖØ-Þ0-9])|\n\s*\n")

__all__ = ["EnrichInput", "Enricher", "get_enricher", "enrich", "enrichment_fingerprint"]


@dataclass
class EnrichInput:
    id: str
    text: str
    title: str | None = None
    lang: str | None = None  # declared language (a hint)
    detected: str | None = None  # language already detected from this text (extraction): not detected again

    @classmethod
    def of_article(cls, article: Article) -> EnrichInput:
        """What enrichment reads of an extracted article, its detected language included."""
        return cls(id=article.id, text=article.text, title=article.title,
                   lang=article.lang_declared or article.lang, detected=article.lang_detected)


# One short text per language that goes through every step (people, places, a watched company, tone).
WARM_UP_TEXTS = (
    EnrichInput(id="warm-up-fr", lang="fr", title="Mistral AI à Paris",
                text="Arthur Mensch a présenté Mistral AI à Paris, en France. Les analystes saluent un bon contrat."),
    EnrichInput(id="warm-up-en", lang="en", title="Nvidia in London",
                text="Jensen Huang presented Nvidia in London, United Kingdom. Analysts praised a strong quarter."),
)


def get_scorer(settings: Settings) -> SentenceScorer:
    backend = settings.sentiment_backend.strip().lower()
    if backend in ("model", "lexicon"):  # the trained model reads the lexicon's sentence scores and signals
        from pipeline.enrich.lexicon import LexiconScorer

        return LexiconScorer()
    if backend == "transformers":
        if not settings.sentiment_model:
            raise ModelError("NEWSROOM_SENTIMENT_BACKEND=transformers needs NEWSROOM_SENTIMENT_MODEL "
                             "(a Hugging Face model name or a local directory).")
        from pipeline.enrich.transformer import TransformerScorer

        return TransformerScorer(settings.sentiment_model, batch_size=settings.enrich_batch_size)
    raise ModelError(f"NEWSROOM_SENTIMENT_BACKEND={settings.sentiment_backend!r} is unknown "
                     "(use 'model', 'lexicon' or 'transformers').")


class Enricher:
    """Holds the models, the watchlist linker, the topic matcher and the scorer; load once, reuse."""

    def __init__(self, settings: Settings | None = None, scorer: SentenceScorer | None = None):
        from pipeline.topics import load_topic_matcher

        self.settings = settings or load_settings()
        self.linker = get_linker(watchlist_path(self.settings.config_dir))
        self.topics = load_topic_matcher(self.settings)
        self.countries = {c.name: c.country for c in self.linker.watchlist.companies if c.country}
        self.scorer = scorer or get_scorer(self.settings)
        self.batch_size = max(1, self.settings.enrich_batch_size)
        self._texts_seen: dict[str, int] = {}

    @cached_property
    def tone(self):
        """Loaded on first use: training analyses texts before any model exists."""
        return get_tone(self.settings.sentiment_backend.strip().lower())

    def warm_up(self) -> None:
        """Load everything enrichment reads now rather than on the first text: the French and English models, the
        tone model and its encoder, and what loads on first use (the gazetteers: 80 MB, 0.4 CPU-s). Ingest forks its
        collector process after this, so both processes share these pages instead of each loading its own copy."""
        for lang in sorted(NER_LANGS):
            load_nlp(lang)
        for item in WARM_UP_TEXTS:  # the tone model, its encoder, the gazetteers, the lexicons, the topics
            self.enrich(item)
        from pipeline.enrich.gazetteer import load_name_lists

        load_name_lists()  # the lists only some names reach (Kaiser Permanente, Rajnath Singh), unaccented places

    def enrich(self, item: EnrichInput) -> Enrichment:
        return next(self.enrich_many([item]))

    def enrich_many(self, items: Iterable[EnrichInput], batch_size: int | None = None) -> Iterator[Enrichment]:
        """Results in input order, streaming: at most one batch of texts is held in memory."""
        size = max(1, batch_size or self.batch_size)
        iterator = iter(items)
        while batch := list(islice(iterator, size)):
            yield from self._enrich_batch(batch)

    def tone_inputs(self, items: Iterable[EnrichInput]) -> Iterator[ToneInputs | None]:
        """What tone is decided from, per item (None without a language model): for training and evaluation."""
        iterator = iter(items)
        while batch := list(islice(iterator, self.batch_size)):
            yield from self._enrich_batch(batch, lambda item, lang, title_doc, body_doc:
                                          self._analyse(lang, title_doc, body_doc, item)[2], lambda item, lang: None)

    def _enrich_batch(self, batch: list[EnrichInput], full=None, partial=None) -> list:
        full, partial = full or self._full, partial or self._partial
        batch = [_encodable(item) for item in batch]
        langs = []
        for item in batch:
            sample = f"{item.title or ''}\n{item.text or ''}"
            langs.append(item.detected or detect_language(sample, item.lang))
        results: list = [None] * len(batch)
        for lang in set(langs):
            idx = [i for i, l in enumerate(langs) if l == lang]
            if lang in NER_LANGS:
                nlp = load_nlp(lang)
                texts = []
                for i in idx:
                    texts += [_for_spacy(t) for t in _texts(batch[i])]
                with self._memory_zone(nlp, lang, len(idx)):
                    docs = nlp.pipe(texts, batch_size=SPACY_BATCH)
                    for i in idx:
                        title_doc, body_doc = next(docs), next(docs)
                        results[i] = full(batch[i], lang, title_doc, body_doc)  # plain records: no Doc escapes
            else:
                for i in idx:
                    results[i] = partial(batch[i], lang)
        return results  # type: ignore[return-value]

    def _memory_zone(self, nlp, lang: str, n_texts: int):
        """Every new word spaCy meets stays in its vocabulary for good: over thousands of real pages (names, URLs,
        numbers) that is hundreds of MB per process. Inside a memory zone they are evicted at the end of the batch.
        The first texts of each language run outside one: a zone does not fill the tokenizer's cache, so it is
        warmed on them first (spaCy's advice)."""
        seen = self._texts_seen.get(lang, 0)
        self._texts_seen[lang] = seen + n_texts
        if seen < WARM_TEXTS or not hasattr(nlp, "memory_zone"):
            return nullcontext()
        return nlp.memory_zone()

    def _full(self, item: EnrichInput, lang: str, title_doc, body_doc) -> Enrichment:
        spans, title_spans, tone_in = self._analyse(lang, title_doc, body_doc, item)
        doc, per_company = self.tone.decide(tone_in)
        entities = self._with_companies(title_spans, spans, tone_in.title_mentions, tone_in.mentions)
        return Enrichment(
            id=item.id, lang=lang, lang_hint=normalise_hint(item.lang), level="full",
            orgs=list(per_company), entities=Entities(**entities), sentiment=doc, entity_sentiment=per_company,
            topics=self.topics.match(f"{tone_in.title or ''}\n{tone_in.text}", lang),
        )

    def _score(self, texts: list[str], lang: str) -> list[tuple[float, dict[str, float]]]:
        """Sentence scores, with the lexicon's rule signals when the scorer gives them."""
        if not texts:
            return []
        if hasattr(self.scorer, "score_with_signals"):
            return self.scorer.score_with_signals(texts, lang)
        return [(score, {}) for score in self.scorer.score(texts, lang)]

    def _analyse(self, lang: str, title_doc, body_doc, item: EnrichInput) -> tuple[list[Span], list[Span], ToneInputs]:
        """Entities, watched companies and the sentence-level signals that tone is decided from."""
        # The strings spaCy was given: its docs hold them exactly, but rebuild them from every token on each
        # `.text` access (a tenth of enrichment's own work on long pages).
        title_text, text = _texts(item)
        sentences = _sentences(body_doc, text)
        spans = _spans(body_doc, text, title_text)
        title = title_text.strip() or None
        title_spans = _spans(title_doc, title_text, text)
        mentions = self.linker.link(text, [(s.start, s.end) for s in sentences],
                                    [(s.start, s.end, s.label) for s in spans])
        title_mentions = self.linker.link(title, None, [(s.start, s.end, s.label) for s in title_spans]) if title else []
        if title:  # an ambiguous alias in the title counts when the body names the company or its lead vouches for it
            body_companies = {m.company for m in mentions}
            lead = text[:sentences[min(2, len(sentences) - 1)].end] if sentences else text[:600]
            title_mentions = title_mentions + [
                m for m in self.linker.candidates(title)
                if m.kind == "ambiguous" and m not in title_mentions
                and (m.company in body_companies or self.linker.vouched(m, title, lead))
            ]
        # "Kyutai's Moshi", « Moshi de Kyutai »: a watched company's product, no person or place
        spans = company_products(text, spans, [(m.start, m.end) for m in mentions])
        title_spans = company_products(title_text, title_spans, [(m.start, m.end) for m in title_mentions])
        # « ancien de Google DeepMind Arthur Mensch », one span: the person after the company
        spans = persons_after_companies(text, spans, [(m.start, m.end) for m in mentions])
        title_spans = persons_after_companies(title_text, title_spans, [(m.start, m.end) for m in title_mentions])
        scored = self._score([title] if title else [], lang) + self._score([s.text for s in sentences], lang)
        title_score, title_signals = scored.pop(0) if title else (None, {})
        scores = hollow_claims(sentences, [score for score, _ in scored], lang)
        evidence = company_evidence(sentences, scores, mentions, lang, self.scorer, title, title_mentions,
                                    title_score, self.countries)
        tone_in = ToneInputs(lang=lang, title=title, text=text, sentences=sentences, scores=scores,
                             title_score=title_score, evidence=evidence, mentions=mentions,
                             title_mentions=title_mentions, signals=[signals for _, signals in scored],
                             title_signals=title_signals)
        return spans, title_spans, tone_in

    def _with_companies(self, title_spans, spans, title_mentions, mentions) -> dict[str, list[str]]:
        """Spans covering a watched company become that company, under ORG, whatever spaCy labelled them."""
        def outside(span_list, mention_list):
            # a place inside a reference ("groupe de Mountain View") is still a place named in the text
            return [s for s in span_list if not any(
                s.start < m.end and m.start < s.end and not (m.kind == "reference" and is_place_name(s.text))
                for m in mention_list)]

        cleaned = normalise_entities(outside(title_spans, title_mentions) + outside(spans, mentions))
        companies = list(dict.fromkeys(m.company for m in [*title_mentions, *mentions]))
        known = {c.casefold() for c in companies}
        cleaned["ORG"] = companies + [o for o in cleaned["ORG"] if o.casefold() not in known]
        # a company's name that spaCy read as a person where the evidence was elsewhere ("Atos said it remained…",
        # while "working for Atos" made it the company: twelfth round R12-5) is the company, not a person too
        named = known | {m.text.casefold() for m in [*title_mentions, *mentions]}
        # nor is one word of a company's longer name ("Telekom says…" after "Deutsche Telekom"), nor a place whose
        # every form the text names is a company it links elsewhere ("in Oracle's new cloud": Oracle, Arizona)
        words = {w for n in named if " " in n for w in n.split()}
        cleaned["PER"] = [p for p in cleaned["PER"] if p.casefold() not in named
                          and not (" " not in p and p.casefold() in words)]
        forms = cleaned["place_forms"]
        cleaned["LOC"] = [p for p in cleaned["LOC"]
                          if not forms.get(p) or any(f.casefold() not in named for f in forms[p])]
        cleaned["place_forms"] = {p: f for p, f in forms.items() if p in cleaned["LOC"]}
        return cleaned

    def _partial(self, item: EnrichInput, lang: str) -> Enrichment:
        """Languages without a model: language, watched companies and topics only (level "partial")."""
        text = (item.text or "")[:MAX_CHARS]
        bounds, start = [], 0
        for m in _SENTENCE_END.finditer(text):
            bounds.append((start, m.start()))
            start = m.end()
        bounds.append((start, len(text)))
        companies = list(dict.fromkeys(
            m.company for m in [*self.linker.link(item.title or "", None, None), *self.linker.link(text, bounds, None)]
        ))
        return Enrichment(
            id=item.id, lang=lang, lang_hint=normalise_hint(item.lang), level="partial", orgs=companies,
            entities=Entities(ORG=companies), sentiment=Sentiment(label="neutral", score=0.0),
            entity_sentiment={}, topics=self.topics.match(f"{item.title or ''}\n{text}", None),
        )




def _encodable(item: EnrichInput) -> EnrichInput:
    """Lone surrogates ("\\ud800", which JSON input can carry) crash spaCy's and the encoder's tokenizers: each
    becomes U+FFFD, one character for one, so offsets into the text stay right."""
    def fix(text: str | None) -> str | None:
        return text if text is None else without_surrogates(text)

    text, title = fix(item.text), fix(item.title)
    return item if (text, title) == (item.text, item.title) else replace(item, text=text, title=title)


def _texts(item: EnrichInput) -> list[str]:
    """What spaCy reads of an item: its title and its text up to MAX_CHARS, each run of LONG_RUN or more characters
    without a space blanked (`_blank_long_runs`)."""
    return [_blank_long_runs(item.title or ""), _blank_long_runs((item.text or "")[:MAX_CHARS])]


def _for_spacy(text: str) -> str:
    """The typographic apostrophe as the straight one spaCy's models learnt from, one character for one (offsets into
    the text stay right): "Morgan Stanley’s Adam Jonas" was one organisation and "Google’s Sundar Pichai" no entity,
    where "Morgan Stanley's Adam Jonas" gives the person (real-news sets 22 to 24: six persons and places more, one
    lost, "Wa")."""
    return text.replace("\u2019", "'")


# No word, name or place runs this long without a space; a hostile page's run of apostrophes does, and spaCy's tokenizer
# reads one long token in quadratic time (20,000 apostrophes: 37 CPU-s to enrich; hostile-input audit, fifth round).
LONG_RUN = 100
_LONG_RUN = re.compile(r"\S{%d,}" % LONG_RUN)


def _blank_long_runs(text: str) -> str:
    """Spaces in place of a long run without a space, one for one, so spaCy's offsets still point into the text."""
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text) if len(text) >= LONG_RUN else text


_LINE = re.compile(r"[^\n]+")


def _sentences(doc, text: str) -> list[Sentence]:
    """spaCy's sentences, also cut at line breaks: headings, kickers and list items are not one sentence."""
    out = []
    for sent in doc.sents:
        for line in _LINE.finditer(text, sent.start_char, sent.end_char):
            if line.group().strip():
                out.append(Sentence(line.start(), line.end(), line.group()))
    return out


def _spans(doc, text: str, elsewhere: str = "") -> list[Span]:
    """The entity spans of one text, checked (`elsewhere`: the item's other text, its body for the title and its title
    for the body)."""
    sources = dateline_sources(text)  # "(Reuters)" in a dateline names the copy's source, not a party to the story
    places = dateline_places(text)  # "WALLDORF, Germany (Reuters) –": spaCy's reading of the capitals gives way
    taken = sources + [(p.start, p.end) for p in places]
    spans = []
    for e in doc.ents:
        # a name never crosses a table's cell bar: spaCy ran "Wintr | Fintech | Lille" into one organisation and «
        # Kalee | Santé » into a person (mini sites, eighth round); the cells' places are read by `table_places`
        if e.label_ not in LABELS or "|" in text[e.start_char:e.end_char]:
            continue
        end = e.end_char
        if any(e.start_char < stop and start < end for start, stop in taken):
            # a byline spaCy ran into the dateline ("By Joyce Lee and Hyunjoo Jin\nSEOUL (Reuters) –": one person
            # for spaCy, thirty-first round): the line before it, else nothing
            end = text.find("\n", e.start_char, end)
            if end < 0 or not text[e.start_char:end].strip() or any(e.start_char < stop and start < end
                                                                    for start, stop in taken):
                continue
        spans.append(Span(e.start_char, end, text[e.start_char:end], LABELS[e.label_]))
    # « Soyons clairs », « Celles pour le grand public… » and « la loi de Moore » name no village
    # (nor « la Silicon Valley française » the Californian valley, nor "seen by The Continental", a publication, the town)
    spans = [minister_in_span(s, text) for s in spans
             if not (is_exhortation(s, text) or is_opening_word(s, text) or names_a_law(s, text)
                     or is_titled_name(s, text) or names_a_figure(s, text))]
    spans = [headline_person(s, text) for s in spans]  # "CEO Alex Karp Blames…" in a title-case headline
    # "Minister of Trade and Industry Ryosei Akazawa" (R11-7)
    spans = [surname_in_context(fix_person_span(s, text) if s.label == "PER" else fix_place_span(s, text), text)
             for s in spans]
    spans = [given_name_before(s, text) for s in spans]  # "Ana Costa" of which spaCy tagged "Costa", a place
    spans = [described_place(s, text) for s in spans]  # « la Maison Blanche » is no town of Algeria
    spans = [headline_words(s, text, elsewhere) for s in spans]  # "Intel's Swan Song:…", a headline's words, no person
    spans = places + spans
    spans += listed_places(text, spans)  # « la France et de l'Europe », where spaCy gave France alone
    spans += presented_persons(text, spans)  # "Daniel Obi, Pigment's chief revenue officer", which spaCy missed
    spans += seat_places(text, spans)  # « le groupe de Santa Clara », which spaCy leaves out
    # "Hyderabad-based" and « tribunal administratif de Versailles », which spaCy often leaves out
    spans += based_places(text, spans) + institution_places(text, spans)
    spans += continent_places(text, spans)  # « le continent africain », a lower-case phrase for spaCy
    spans += table_places(text, spans)  # a table's « Ville » column, whose cells spaCy leaves untagged
    spans = listed_games(text, spans)  # "franchises like Assassin's Creed, Far Cry and Rainbow Six": no persons
    return named_products(text, spans)  # "its Grok chatbot", « Moshi, l'assistant vocal de Kyutai »: no person or place


_ENRICHERS: dict[tuple, Enricher] = {}


def get_enricher(settings: Settings | None = None) -> Enricher:
    """One enricher per configuration and process (models are heavy; tasks and commands share it)."""
    settings = settings or load_settings()
    key = (str(settings.config_dir), settings.sentiment_backend, settings.sentiment_model, settings.enrich_batch_size)
    if key not in _ENRICHERS:
        _ENRICHERS[key] = Enricher(settings)
    return _ENRICHERS[key]


def enrich(item: EnrichInput, settings: Settings | None = None) -> Enrichment:
    return get_enricher(settings).enrich(item)


GENERAL_LEXICONS = ("vaderSentiment", "vaderSentiment-fr", "textblob-fr")


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


# Bumped when the code's rules change what enrichment outputs (entity rules, tone decisions such as the author's
# stated verdict, a contract moving between companies): part of the fingerprint, so the weekly maintenance
# re-enriches recent articles with them
RULES_VERSION = "2026-12-05.8"


def enrichment_fingerprint(settings: Settings) -> str:
    """Changes when the watchlist, the topics, the lexicons (or the packages of the general ones), the gazetteers,
    the tone model (or its sentence encoder), the NER models or the enrichment rules (`RULES_VERSION`) change."""
    from pipeline.enrich.gazetteer import DIR as GAZETTEER_DIR
    from pipeline.enrich.lexicon import LEXICON_DIR

    digest = hashlib.sha256()
    paths = [watchlist_path(settings.config_dir), settings.config_path("topics.yaml"), *sorted(LEXICON_DIR.glob("*.tsv")),
             *sorted(GAZETTEER_DIR.glob("*.txt"))]
    if settings.sentiment_backend.strip().lower() == "model":
        from pipeline.enrich.embeddings import encoder_version

        paths.append(MODEL_PATH)  # a retrained tone model re-enriches the recent articles
        digest.update(encoder_version().encode())  # so do other encoder weights
    for path in paths:
        digest.update(path.read_bytes() if path.exists() else b"-")
    digest.update(repr(sorted(loaded_model_names().items())).encode())
    digest.update(repr([_version(p) for p in GENERAL_LEXICONS]).encode())  # the general lexicons' packages
    digest.update(f"{settings.sentiment_backend}:{settings.sentiment_model}:{RULES_VERSION}".encode())
    return digest.hexdigest()[:16]
