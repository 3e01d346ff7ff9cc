"""Topic matcher throughput: articles/s on ~600-word texts (target > 2,000/s on one core with the language known).

Texts are the corpus pages' main text (trafilatura), cut or repeated to 600 words. The first pass warms the stem
cache (as a long-running enrichment process would be); the figure is the median of the timed passes.

    .venv/bin/python -m benchmarks.bench_topics --corpus ../shared/corpus [--passes 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import trafilatura

from pipeline.settings import load_settings
from pipeline.topics import load_topic_matcher


def load_texts(corpus: Path, words: int) -> list[tuple[str, str]]:
    texts = []
    for lang in ("fr", "en"):
        for page in sorted((corpus / f"pages-{lang}").glob("*.htm*")):
            text = trafilatura.extract(page.read_bytes())
            if text:
                tokens = text.split()
                texts.append((" ".join((tokens * (words // len(tokens) + 1))[:words]), lang))
    return texts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args(argv)
    matcher = load_topic_matcher(load_settings())
    texts = load_texts(args.corpus, args.words)
    if not texts:
        raise SystemExit(f"no pages under {args.corpus}/pages-fr or pages-en")
    print(f"{len(texts)} texts of {args.words} words, {len(matcher.topic_ids)} topics")
    for label, lang_of in (("language given", lambda lang: lang), ("language unknown (both tried)", lambda lang: None)):
        for text, lang in texts:  # warm the stem caches
            matcher.match(text, lang_of(lang))
        rates = []
        for _ in range(args.passes):
            start = time.process_time()
            for text, lang in texts:
                matcher.match(text, lang_of(lang))
            rates.append(len(texts) / (time.process_time() - start))
        print(f"{label:32s} {statistics.median(rates):8.0f} articles/s (CPU time, median of {args.passes})")
    with_topics = sum(bool(matcher.match(t, lang)) for t, lang in texts)
    print(f"texts with at least one topic: {with_topics}/{len(texts)} (corpus is not about AI: expected low)")


if __name__ == "__main__":
    main()
