"""Search and coverage latency at 2,500 and 10,000 stored articles on the embedded store (or NEWSROOM_ES_URL).

Articles are generated from the words of the fixture site's French and English pages (about 600 words each, half
French, half English, watched companies and dates spread over 30 days), indexed through the pipeline's own
indexer into a throw-away index prefix. For each size it prints the latency of a set of real searches
(`pipeline.search.search_articles`: words, a quoted phrase, boolean + filter, company filter, date order, a hyphenated
word, a purely negative query) and of `pipeline.coverage.coverage` for two companies, next to the query used before
the per-language search field (one multi_match over seven analysed fields) at the smallest size.

    .venv/bin/python -m benchmarks.bench_search [--sizes 2500 10000] [--words 600]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipeline.coverage import coverage
from pipeline.models import Article, EnrichedArticle, Enrichment, Entities, Sentiment
from pipeline.search import search_articles
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.embedded import EmbeddedStore
from pipeline.store.indexing import index_enriched
from pipeline.store.templates import index_names
from pipeline.urls import article_id

SITE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "site" / "articles"
COMPANIES = ["Mistral AI", "Nvidia", "OVHcloud", "SAP", "OpenAI", "Amazon Web Services"]
QUERIES = [("words", "souveraineté numérique", {}), ("phrase", '"cloud souverain"', {}),
           ("boolean+filter", "(cloud | puces) -Nvidia lang:fr", {}),
           ("company filter", "données", {"companies": ["mistral"]}),
           ("date order", "intelligence artificielle", {"sort": "date"}),
           ("hyphenated word", "start-up", {}), ("negative only", "NOT cloud", {})]
OLD_FIELDS = ["title^3", "title.fr^3", "title.en^3", "description^2", "text", "text.fr", "text.en"]


def vocabularies() -> dict[str, list[str]]:
    """Words of the fixture pages, per language (the page's <html lang>)."""
    words: dict[str, list[str]] = {"fr": [], "en": []}
    for page in sorted(SITE.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        lang = "en" if 'lang="en' in html else "fr"
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
        words[lang] += re.findall(r"[^\W\d_][\w'’-]*", text)
    return words


def records(count: int, words: int, seed: int = 0) -> list[EnrichedArticle]:
    vocab = vocabularies()
    now = datetime.now(UTC)
    out = []
    for n in range(count):
        rng = random.Random(seed * 1_000_003 + n)
        lang = "fr" if n % 2 else "en"
        text = " ".join(rng.choice(vocab[lang]) for _ in range(words)) + f" article{n}"
        orgs = rng.sample(COMPANIES, rng.randint(0, 2))
        url = f"https://bench.example/{seed}/{n}"
        published = now - timedelta(days=rng.random() * 30)
        art = Article(id=article_id(url), url=url, domain="bench.example", source=f"Source {n % 12}",
                      feed_tags=["tech"], title=" ".join(rng.choice(vocab[lang]) for _ in range(8)), text=text,
                      lang=lang, published_at=published, fetched_at=published, extraction="trafilatura",
                      word_count=words, content_hash=hashlib.sha256(text.encode()).hexdigest())
        score = rng.uniform(-1, 1)
        label = "negative" if score < -0.05 else "positive" if score > 0.05 else "neutral"
        enr = Enrichment(id=art.id, lang=lang, orgs=orgs, entities=Entities(ORG=orgs),
                         sentiment=Sentiment(label=label, score=score),
                         entity_sentiment={o: Sentiment(label=label, score=score) for o in orgs}, topics=["ai"])
        out.append(EnrichedArticle(article=art, enrichment=enr))
    return out


def timed(fn, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best.append(time.perf_counter() - start)
    return statistics.median(best)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 10000])
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per query (median)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the old seven-field query")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        store = None
        overrides = {"es_index_prefix": f"bench{int(time.time())}"}
        settings = load_settings(**overrides)
        if not settings.es_url:
            store = EmbeddedStore(Path(tmp) / "es")
            overrides["es_url"] = store.up()
        settings = load_settings(**overrides)
        client = make_client(settings, request_timeout=600)
        print(f"store: {'embedded stand-in' if store else settings.masked()['es_url']}; "
              f"articles of {args.words} words, half French, half English")
        stored = 0
        try:
            for size in sorted(args.sizes):
                start = time.perf_counter()
                index_enriched(client, settings, records(size - stored, args.words, seed=size))
                client.indices.refresh(index=f"{settings.es_index_prefix}-*")
                stored = client.count(index=index_names(settings.es_index_prefix)["articles"])["count"]
                print(f"\n{stored} stored articles (indexed in {time.perf_counter() - start:.0f} s)")
                latencies = []
                for name, query, options in QUERIES:
                    hits = [0]

                    def run(query=query, options=options):
                        hits[0] = search_articles(client, settings, query, **options).total

                    seconds = timed(run, args.repeat)
                    latencies.append(seconds)
                    print(f"  search {name:16s} {seconds * 1000:8.0f} ms  ({hits[0]} hits)")
                print(f"  search median        {statistics.median(latencies) * 1000:8.0f} ms")
                cov = timed(lambda: coverage(client, settings, ["Mistral AI", "Nvidia"]), max(args.repeat, 3))
                print(f"  coverage (2 companies, 30 days) {cov * 1000:6.0f} ms")
                if not args.no_baseline and size == min(args.sizes):
                    old = timed(lambda: client.search(
                        index=index_names(settings.es_index_prefix)["articles"], size=20,
                        query={"multi_match": {"query": "souveraineté numérique", "fields": OLD_FIELDS,
                                               "type": "most_fields"}}), 1)
                    print(f"  before (multi_match over 7 fields, 'souveraineté numérique') {old * 1000:6.0f} ms")
        finally:
            names = list(client.indices.get(index=f"{settings.es_index_prefix}-*").keys())
            if names:
                client.indices.delete(index=",".join(names))
            if store:
                store.down()


if __name__ == "__main__":
    main()
