"""Builders of EnrichedArticle records for the storage tests (real records, no enrichment models needed)."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime

from pipeline.models import Article, EnrichedArticle, Enrichment, Entities, Sentiment
from pipeline.urls import article_id, normalize_url


def _label(score: float) -> str:
    return "negative" if score < -0.05 else "positive" if score > 0.05 else "neutral"


def make_record(
    url: str,
    text: str,
    *,
    title: str = "Un titre",
    published: datetime | None = datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    orgs: dict[str, float] | None = None,
    score: float = 0.0,
    source: str = "Le Quotidien du Numérique — Tech",
    lang: str = "fr",
    fetched: datetime | None = None,
) -> EnrichedArticle:
    """`orgs` maps each watched company to the sentiment toward it."""
    url = normalize_url(url)
    orgs = orgs or {}
    article = Article(
        id=article_id(url),
        url=url,
        domain="example.org",
        source=source,
        feed_tags=["tech"],
        title=title,
        text=text,
        lang=lang,
        published_at=published,
        fetched_at=fetched or datetime.now(UTC),
        extraction="trafilatura",
        word_count=len(text.split()),
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    enrichment = Enrichment(
        id=article.id,
        lang=lang,
        orgs=list(orgs),
        entities=Entities(ORG=list(orgs), PER=["Arthur Mensch"], LOC=["France"]),
        sentiment=Sentiment(label=_label(score), score=score),
        entity_sentiment={name: Sentiment(label=_label(s), score=s) for name, s in orgs.items()},
        topics=["ai"],
    )
    return EnrichedArticle(article=article, enrichment=enrichment)


LOREM_FR = (
    "La souveraineté numérique européenne est au cœur des débats sur l'intelligence artificielle. "
    "Les fournisseurs de cloud français multiplient les annonces de centres de données, tandis que "
    "les régulateurs examinent les alliances entre jeunes pousses et géants américains des puces. "
)


def story(n: int, words: int = 120) -> str:
    """A distinct article text #n (different enough from every other n to be its own cluster)."""
    import random

    rng = random.Random(n)
    vocab = (LOREM_FR + " calcul serveurs données modèles licences contrats budgets élections marchés "
             "réseaux chercheurs universités startups investisseurs ministres").split()
    return " ".join(rng.choice(vocab) for _ in range(words)) + f" article{n}"


def drop_prefix(client, prefix: str) -> None:
    """Delete this test's indices by name (wildcard deletes are refused, as on real Elasticsearch 8+)."""
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True).keys())
    for start in range(0, len(names), 20):
        client.indices.delete(index=",".join(names[start : start + 20]), ignore_unavailable=True)


def version1_article_mapping() -> dict:
    """The articles mapping as version 1 had it: no exact sub-fields, no `search` field, no analysis settings."""
    from pipeline.store import templates

    props = copy.deepcopy(templates.ARTICLE_PROPERTIES)
    props.pop("search")
    for name in ("title", "text", "description"):
        props[name]["fields"].pop("exact", None)
    return {"dynamic": "strict", "properties": props}


class ReadingEnricher:
    """A re-enrichment model that records the text it is given: its companies are the `names` the text holds, each
    read neutral, as is the text."""

    def __init__(self, names: tuple[str, ...] = ("Mistral AI", "Nvidia", "OVHcloud"), topics: tuple[str, ...] = ()):
        self.names, self.topics = names, list(topics)
        self.read: dict[str, str] = {}

    def warm_up(self):
        pass

    def enrich_many(self, inputs):
        for item in inputs:
            self.read[item.id] = item.text
            orgs = [name for name in self.names if name in item.text]
            yield Enrichment(id=item.id, lang="fr", orgs=orgs, entities=Entities(ORG=orgs),
                             sentiment=Sentiment(label="neutral", score=0.0),
                             entity_sentiment={name: Sentiment(label="neutral", score=0.0) for name in orgs},
                             topics=list(self.topics))
