"""Enrichment throughput next to plain spaCy NER on the same texts, and peak memory (`make bench-enrich`).

Texts come from ../shared/corpus/pages-{fr,en} through the project's extraction (not timed). Both sides run
on one core, in the same process, alternating rounds; the figure that matters is the ratio
whole enrichment / NER-only (target ≥ 0.75). Peak memory is measured in a fresh worker process that loads
both languages and enriches every text (target ≤ 1.5 GB).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, as the target says

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def corpus_texts(corpus: Path) -> list[dict]:
    from pipeline.extract import extract_file

    texts = []
    for lang in ("fr", "en"):
        for path in sorted((corpus / f"pages-{lang}").glob("*.htm*")):
            try:
                page = extract_file(path)
            except Exception as exc:  # noqa: BLE001 - a page the extractor rejects is simply not in the sample
                print(f"skipped {path.name}: {exc}", file=sys.stderr)
                continue
            if page.get("text"):
                texts.append({"id": path.name, "text": page["text"], "title": page.get("title"), "lang": lang})
    return texts


def same_language_only(texts: list[dict]) -> tuple[list[dict], int]:
    """Keep pages whose text is in the folder's language: pages-en holds a few pages in other languages, which
    the enrichment rightly skips NER on; timing them would flatter the enrichment against NER-only."""
    from pipeline.enrich.language import detect_language

    kept = [t for t in texts if detect_language(f"{t['title'] or ''}\n{t['text']}", t["lang"]) == t["lang"]]
    return kept, len(texts) - len(kept)


_NER_ONLY: dict = {}


def ner_only_model(lang: str):
    """Loaded once, like the enricher's models (a fresh vocabulary would make the baseline look slow)."""
    import spacy

    from pipeline.enrich.models import MODEL_NAMES

    if lang not in _NER_ONLY:
        for name in MODEL_NAMES[lang]:
            try:
                _NER_ONLY[lang] = spacy.load(name, exclude=["tok2vec", "tagger", "morphologizer", "parser",
                                                            "attribute_ruler", "lemmatizer", "senter"])
                break
            except OSError:
                continue
    return _NER_ONLY[lang]


def ner_only(texts: list[dict], batch_size: int) -> float:
    from pipeline.enrich import MAX_CHARS

    seconds = 0.0
    for lang in ("fr", "en"):
        nlp = ner_only_model(lang)
        # the same characters the enrichment reads (it caps very long pages at MAX_CHARS)
        group = [t["text"][:MAX_CHARS] for t in texts if t["lang"] == lang]
        start = time.process_time()
        for _ in nlp.pipe(group, batch_size=batch_size):
            pass
        seconds += time.process_time() - start
    return seconds


def whole(texts: list[dict], batch_size: int) -> float:
    from pipeline.enrich import EnrichInput, get_enricher

    enricher = get_enricher()
    inputs = [EnrichInput(id=t["id"], text=t["text"], title=t["title"], lang=t["lang"]) for t in texts]
    start = time.process_time()
    for _ in enricher.enrich_many(iter(inputs), batch_size=batch_size):
        pass
    return time.process_time() - start


def memory_probe(corpus: Path, batch_size: int) -> None:
    texts, _ = same_language_only(corpus_texts(corpus))
    whole(texts, batch_size)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_rss_mb": peak_kb / 1024}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=0, help="default: NEWSROOM_ENRICH_BATCH_SIZE")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (args.corpus / "pages-fr").is_dir():
        print(f"Corpus {args.corpus} not found (it lives in ../shared/corpus).", file=sys.stderr)
        return 2
    from pipeline.settings import load_settings

    batch_size = args.batch_size or load_settings().enrich_batch_size
    if args.memory_probe:
        memory_probe(args.corpus, batch_size)
        return 0
    texts, other_languages = same_language_only(corpus_texts(args.corpus))
    from pipeline.enrich import MAX_CHARS

    words = sum(len(t["text"][:MAX_CHARS].split()) for t in texts)
    whole(texts, batch_size)  # load models and fill vocabularies/caches outside the timing, on both sides
    ner_only(texts, batch_size)
    ner_times, whole_times = [], []
    for _ in range(args.rounds):
        ner_times.append(ner_only(texts, batch_size))
        whole_times.append(whole(texts, batch_size))
    ner_s, whole_s = min(ner_times), min(whole_times)
    probe = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_enrich", "--corpus", str(args.corpus), "--memory-probe",
         "--batch-size", str(batch_size)], capture_output=True, text=True, check=False,
    )
    try:
        peak = json.loads(probe.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    except (IndexError, ValueError, KeyError):
        peak = float("nan")
        print(probe.stderr[-2000:], file=sys.stderr)
    n = len(texts)
    print(f"texts: {n} ({sum(t['lang'] == 'fr' for t in texts)} fr, {sum(t['lang'] == 'en' for t in texts)} en), "
          f"{words:,} words ({other_languages} pages in other languages left out), batch size {batch_size}, best of {args.rounds} rounds, one thread, "
          "CPU time of this process (the box is shared: wall time is noisy)")
    print(f"{'':28}{'articles/s':>12}{'words/s':>12}")
    print(f"{'spaCy nlp.pipe, NER only':28}{n / ner_s:12.1f}{words / ner_s:12,.0f}")
    print(f"{'newsroom enrichment':28}{n / whole_s:12.1f}{words / whole_s:12,.0f}")
    ratio = ner_s / whole_s
    print(f"ratio enrichment / NER-only: {ratio:.2f} (target ≥ 0.75) {'OK' if ratio >= 0.75 else 'MISSED'}")
    print(f"peak RSS of a worker with both languages loaded: {peak:,.0f} MB (target ≤ 1,536 MB) "
          f"{'OK' if peak <= 1536 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
