"""Extraction benchmark: the project's `extract_article` vs plain `trafilatura.extract`, same pages, same run.

Prints pages/s of both (interleaved page by page, so load from other processes hits both alike) and their ratio
(target >= 0.85), and on corpus/pages-en the article-body score of the Zyte article-extraction-benchmark
(\\w+ tokens, 4-token shingles, per-page normalised TP/FP/FN, F1 of mean precision and mean recall), plus plain
unigram token F1 for reference. Target: the project's F1 not lower than plain trafilatura's.

    .venv/bin/python -m benchmarks.bench_extract --corpus ../shared/corpus [--repeat 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

from pipeline.extract import extract_article
from pipeline.settings import Settings

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, n: int) -> Counter:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def tp_fp_fn(true: str, pred: str, n: int) -> tuple[float, float, float]:
    t, p = shingles(true, n), shingles(pred, n)
    tp = sum(min(t[k], p[k]) for k in t.keys() | p.keys())
    fp = sum(max(0, p[k] - t[k]) for k in p)
    fn = sum(max(0, t[k] - p[k]) for k in t)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def f1_score(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    """Aggregation of the Zyte benchmark: mean per-page precision and recall, F1 of the means."""

    def prec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(prec(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(rec(*r) for r in rows if r[0] + r[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def load_pages(corpus: Path) -> list[dict]:
    pages = []
    truth: dict = {}
    gt = corpus / "pages-en" / "ground-truth.json"
    if gt.exists():
        truth = json.loads(gt.read_text(encoding="utf-8"))
    urls: dict[str, str] = {}
    for manifest in corpus.glob("pages-*/MANIFEST.tsv"):
        with manifest.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                urls[f"{manifest.parent.name}/{row['file']}"] = row.get("original_url") or ""
    for path in sorted(corpus.glob("pages-*/*.html")):
        key = path.stem
        ref = truth.get(key) if path.parent.name == "pages-en" else None
        url = (ref or {}).get("url") or urls.get(f"{path.parent.name}/{path.name}") or f"https://example.org/{path.name}"
        pages.append({"set": path.parent.name, "id": key, "url": url, "html": path.read_bytes(), "truth": (ref or {}).get("articleBody")})
    return pages


MIN_WORDS = Settings().min_article_words  # the call ingest makes: thin pages get the second (rescue) pass too


def project_extract(page: dict) -> str:
    article = extract_article(page["html"], page["url"], min_words=MIN_WORDS)
    return article.text if article else ""


def plain_extract(page: dict) -> str:
    return trafilatura.extract(page["html"], url=page["url"]) or ""


def run(corpus: Path, repeat: int) -> dict:
    pages = load_pages(corpus)
    if not pages:
        raise SystemExit(f"no pages under {corpus}/pages-*/")
    for page in pages[:5]:  # warm-up: imports, TLD lists, regex caches
        project_extract(page)
        plain_extract(page)
    timings = {"project": 0.0, "plain": 0.0}
    outputs: dict[str, dict[str, str]] = {"project": {}, "plain": {}}
    runners = {"project": project_extract, "plain": plain_extract}
    gc.collect()
    for round_ in range(repeat):
        for i, page in enumerate(pages):
            order = ("project", "plain") if (i + round_) % 2 == 0 else ("plain", "project")
            for name in order:
                start = time.perf_counter()
                text = runners[name](page)
                timings[name] += time.perf_counter() - start
                outputs[name][f"{page['set']}/{page['id']}"] = text
    n = len(pages) * repeat
    result: dict = {
        "pages": len(pages),
        "repeat": repeat,
        "project_pages_per_s": n / timings["project"],
        "plain_pages_per_s": n / timings["plain"],
    }
    result["speed_ratio"] = result["project_pages_per_s"] / result["plain_pages_per_s"]
    scored = [p for p in pages if p["truth"] is not None]
    for name in ("project", "plain"):
        rows = [tp_fp_fn(p["truth"], outputs[name][f"{p['set']}/{p['id']}"], 4) for p in scored]
        uni = [tp_fp_fn(p["truth"], outputs[name][f"{p['set']}/{p['id']}"], 1) for p in scored]
        result[f"{name}_shingle"] = f1_score(rows) if rows else None
        result[f"{name}_token"] = f1_score(uni) if uni else None
    result["scored_pages"] = len(scored)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus {args.corpus} not found", file=sys.stderr)
        return 2
    r = run(args.corpus, args.repeat)
    print(f"pages: {r['pages']} (x{r['repeat']}) from {args.corpus}/pages-*")
    print(f"speed  project extract_article : {r['project_pages_per_s']:6.1f} pages/s")
    print(f"speed  plain trafilatura.extract: {r['plain_pages_per_s']:6.1f} pages/s")
    print(f"speed ratio project/plain       : {r['speed_ratio']:.3f}  (target >= 0.85)")
    if r["scored_pages"]:
        print(f"quality on {r['scored_pages']} pages-en pages vs ground-truth articleBody:")
        for label, key in (("F1 (Zyte benchmark: 4-token shingles)", "shingle"), ("F1 (unigram tokens)", "token")):
            pj, pl = r[f"project_{key}"], r[f"plain_{key}"]
            print(
                f"  {label:<40} project {pj['f1']:.3f} (P {pj['precision']:.3f} R {pj['recall']:.3f})"
                f" | plain {pl['f1']:.3f} (P {pl['precision']:.3f} R {pl['recall']:.3f})"
            )
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
