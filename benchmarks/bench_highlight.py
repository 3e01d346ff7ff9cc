"""Cost of an alert rule's search (with highlights) against the length of the article text.

Why stored text is capped (pipeline.extract.MAX_TEXT_CHARS): highlighting re-analyses the text of each hit, and its
cost grows faster than the length. This indexes one article per size into a throw-away prefix, then times the real
alert query (`find_matches`, keyword rule, highlights with `max_analyzed_offset`) on each. Runs on the embedded
stand-in by default, or on NEWSROOM_ES_URL.

    .venv/bin/python -m benchmarks.bench_highlight [--sizes 10000,100000,500000] [--passes 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pipeline.alerts.evaluate import find_matches
from pipeline.alerts.rules import Rule
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.embedded import EmbeddedStore
from pipeline.store.setup import ensure_setup
from pipeline.store.templates import index_names

PREFIX = "bench-highlight"


def article_text(chars: int) -> str:
    sentence = "Part {i}. Mistral AI and Nvidia discussed sovereign computing in Europe this week. "
    parts, total, i = [], 0, 0
    while total < chars:
        part = sentence.format(i=i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:chars]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,500000")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args(argv)
    settings = load_settings()
    store = None
    if not settings.es_url:
        store = EmbeddedStore(Path(tempfile.mkdtemp(prefix="bench-highlight-")))
        settings = load_settings(es_url=store.up())
    settings = settings.model_copy(update={"es_index_prefix": PREFIX})
    client = make_client(settings, request_timeout=300, max_retries=0)
    rule = Rule.model_validate({"name": "bench", "keywords": ["Mistral AI"],
                                "channels": [{"type": "email", "to": ["a@example.org"]}]})
    try:
        ensure_setup(client, settings)
        alias = index_names(PREFIX)["articles"]
        print(f"{'characters':>12} {'median s':>9} {'min s':>7}   (alert search with highlights, {args.passes} passes)")
        for size in (int(s) for s in args.sizes.split(",")):
            doc_id = f"size-{size}"
            client.index(index=alias, id=doc_id, refresh=True, document={
                "id": doc_id, "title": f"Mistral AI, {size} characters", "text": article_text(size), "lang": "en",
                "indexed_at": datetime.now(UTC).isoformat()})
            timings = []
            for _ in range(args.passes):
                start = time.perf_counter()
                matches = find_matches(client, settings, rule, since=None, ids=[doc_id])
                timings.append(time.perf_counter() - start)
                assert matches and matches[0].snippet, "the article should match with a snippet"
            print(f"{size:>12,} {statistics.median(timings):>9.2f} {min(timings):>7.2f}")
    finally:
        for name in client.indices.get(index=f"{PREFIX}-*", expand_wildcards="all"):
            client.indices.delete(index=name)
        for name in client.indices.get_index_template(name=f"{PREFIX}-*").get("index_templates", []):
            client.indices.delete_index_template(name=name["name"])
        for name in client.cluster.get_component_template(name=f"{PREFIX}-*").get("component_templates", []):
            client.cluster.delete_component_template(name=name["name"])
        if store is not None:
            store.down()


if __name__ == "__main__":
    main()
