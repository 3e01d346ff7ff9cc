"""Typed records passed between stages: feeds → items → articles → enriched articles → documents.

Stages exchange these records only; I/O lives at the edges (fetch, store, CLI).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl, field_validator

ExtractionMethod = Literal["trafilatura", "feed-summary"]
SentimentLabel = Literal["negative", "neutral", "positive"]


class Feed(BaseModel):
    """One entry of config/feeds.yaml."""

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
        return [t.strip().lower() for t in tags if t.strip()]


class FeedItem(BaseModel):
    """An item read from a feed, before its page is fetched."""

    article_id: str  # sha256 of the normalised URL
    url: str  # normalised
    feed_name: str
    feed_url: str
    feed_lang: str
    feed_tags: list[str] = Field(default_factory=list)
    title: str | None = None
    summary: str | None = None  # plain text
    published: datetime | None = None  # timezone-aware, UTC
    authors: list[str] = Field(default_factory=list)


class Article(BaseModel):
    """An extracted article (output of `newsroom fetch`, input of enrichment)."""

    id: str  # sha256 of the normalised URL
    url: str
    canonical_url: str | None = None
    domain: str
    source: str  # feed name
    feed_tags: list[str] = Field(default_factory=list)
    title: str | None = None
    text: str
    description: str | None = None
    authors: list[str] = Field(default_factory=list)
    site_name: str | None = None
    lang: str | None = None  # declared by the page, else the feed's language
    published_at: datetime | None = None
    fetched_at: datetime
    extraction: ExtractionMethod
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
