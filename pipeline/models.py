"""Typed records passed between stages: feeds → items → articles → enriched articles → documents.

Stages exchange these records only; I/O lives at the edges (fetch, store, CLI).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, field_validator

from pipeline.settings import header_value_problem
from pipeline.sinks import single_line, without_invisible

ExtractionMethod = Literal["trafilatura", "feed-summary"]
SentimentLabel = Literal["negative", "neutral", "positive"]


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an RFC 9110 token
TITLE_CHARS = 1000  # a title, source or site name longer than this is cut (with "…"): they are one-line labels
NAME_CHARS = 200  # one author name


def too_long_for_a_name(value: str) -> bool:
    """Whether a site's or publication's name runs past TITLE_CHARS, its white space runs read as one space: no name
    is that long, and names are made into patterns each title and author is matched against (a 700 KB site name
    cost seconds of CPU a page or an item)."""
    return len(value) > TITLE_CHARS and len(" ".join(value.split())) > TITLE_CHARS


def _one_line(value: str) -> str:
    """Single-line fields (title, source, site name, feed name, author) come from the web: whitespace runs become
    one space and control/bidi characters go, so no CR/LF reaches a mail header or a log line."""
    return single_line(value, TITLE_CHARS)


def _names(values: list[str]) -> list[str]:
    return [name for name in (single_line(v, NAME_CHARS) for v in values) if name]


OneLine = Annotated[str, AfterValidator(_one_line)]
Names = Annotated[list[str], AfterValidator(_names)]
PlainText = Annotated[str, AfterValidator(without_invisible)]  # page text: invisible characters would hide names


class Feed(BaseModel):
    """One entry of config/feeds.yaml (unknown keys are refused: a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    url: HttpUrl
    lang: str = Field(pattern=r"^[a-z]{2}$")
    tags: list[str] = Field(default_factory=list)
    relevance: Literal["all", "filter"] = "all"
    headers: dict[str, str] = Field(default_factory=dict)
    enabled: bool = True

    @field_validator("tags")
    @classmethod
    def _tags_lower(cls, tags: list[str]) -> list[str]:
        return [t.lower() for t in (single_line(t, NAME_CHARS) for t in tags) if t]

    @field_validator("name")
    @classmethod
    def _name_one_line(cls, value: str) -> str:
        value = single_line(value, NAME_CHARS)
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("headers")
    @classmethod
    def _header_values(cls, headers: dict[str, str]) -> dict[str, str]:
        """CR/LF (or any control character) in a header would let one header smuggle in others."""
        for name, value in headers.items():
            if not _HEADER_NAME.match(name):
                raise ValueError(f"header name {name!r} is not a valid HTTP header name")
            problem = header_value_problem(value)
            if problem:
                raise ValueError(f"header {name!r} {problem}")
        return headers


class FeedItem(BaseModel):
    """An item read from a feed, before its page is fetched."""

    article_id: str  # sha256 of the normalised URL
    url: str  # normalised: the item's identity
    link: str | None = None  # the feed's link as given (tracking parameters included): what is fetched
    feed_name: OneLine
    feed_url: str
    feed_lang: str
    feed_tags: list[str] = Field(default_factory=list)
    title: OneLine | None = None
    summary: str | None = None  # plain text
    published: datetime | None = None  # timezone-aware, UTC
    authors: Names = Field(default_factory=list)
    site_name: OneLine | None = None  # the publisher an aggregator's item names (RSS <source>: Google News)
    site_url: OneLine | None = None  # that publisher's site (RSS <source url>): tells its copy of a story apart
    version: str | None = None  # feeds.item_version: changes when the feed updates the item (date or title)
    guid: str | None = None  # the entry's RSS <guid> / Atom <id> as given (collect.guid_key: identity across renames)


class Article(BaseModel):
    """An extracted article (output of `newsroom fetch`, input of enrichment)."""

    id: str  # sha256 of the normalised URL
    url: str
    canonical_url: str | None = None
    link_ids: list[str] = Field(default_factory=list)  # ids of other links to the same story (AMP, ?from=rss)
    domain: str
    source: OneLine  # feed name
    feed_tags: list[str] = Field(default_factory=list)
    title: OneLine | None = None
    text: PlainText
    description: PlainText | None = None
    authors: Names = Field(default_factory=list)
    site_name: OneLine | None = None
    # the feed item's publisher site (RSS <source url>: Google News); not stored, but staged between the Airflow
    # tasks, whose indexing task tells a Google News copy of a story by it as `newsroom ingest` does
    site_url: OneLine | None = None
    lang: str | None = None  # detected from the text; the declared language only when detection is unsure
    lang_declared: str | None = None  # declared by the page, else the feed's language (a hint)
    lang_detected: str | None = None  # decided once from the text at extraction (the declared one as a hint)
    published_at: datetime | None = None
    fetched_at: datetime
    extraction: ExtractionMethod
    fallback_reason: str | None = None  # with extraction feed-summary: why the page was not used (consent-wall…)
    paywalled: bool = False  # the page says the story is behind a paywall (pagetype.is_paywalled); not stored
    feed_version: str | None = None  # the feed item's version when fetched (FeedItem.version)
    word_count: int
    content_hash: str  # sha256 of the normalised text
    warc_file: str | None = None  # archive holding the raw HTML (relative to data_dir)
    warc_offset: int | None = None


class Sentiment(BaseModel):
    label: SentimentLabel
    score: float = Field(ge=-1.0, le=1.0)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)  # probability of `label` (trained model)
    evidence: list[str] = Field(default_factory=list)  # the 1-3 sentences that decided the label


class Entities(BaseModel):
    PER: list[str] = Field(default_factory=list)
    ORG: list[str] = Field(default_factory=list)
    LOC: list[str] = Field(default_factory=list)
    MISC: list[str] = Field(default_factory=list)
    # canonical place (an entry of LOC) → the forms the text used: "United States" → ["US", "États-Unis"]
    place_forms: dict[str, list[str]] = Field(default_factory=dict)


class Enrichment(BaseModel):
    """The record of `newsroom enrich` (one per input text)."""

    id: str
    lang: str
    lang_hint: str | None = None
    level: Literal["full", "partial"] = "full"  # partial: language without NER/sentiment models
    orgs: list[str] = Field(default_factory=list)  # canonical watchlist companies
    entities: Entities = Field(default_factory=Entities)
    sentiment: Sentiment
    entity_sentiment: dict[str, Sentiment] = Field(default_factory=dict)
    topics: list[str] = Field(default_factory=list)


class EnrichedArticle(BaseModel):
    """What gets indexed: the article, its enrichment, and bookkeeping."""

    article: Article
    enrichment: Enrichment
    cluster_id: str | None = None  # near-duplicate cluster (first article id seen in the cluster)
    minhash: str | None = None  # the text's MinHash signature (pipeline.dedup.signature), computed once when clustering
