"""`make bench-ingest`: does one ingest use both cores, and how far is it from the floor?

    .venv/bin/python -m benchmarks.bench_ingest [--corpus ../shared/corpus] [--articles 2500] [--feeds 10]
        [--sample 300] [--json]

Makes N distinct article pages and RSS feeds — from the real pages of `--corpus` (what `make bench-ingest` uses
when ../shared is there), or generated (FR/EN, ~450 words naming ten watched companies each: the worst case for
the per-company tone) — serves them on 127.0.0.1 (host delay 0), then measures in one run:
  1. the floor, on a sample of the pages: plain `trafilatura.extract` + spaCy NER-only (the same models), CPU-s per
     article; the two-core floor of the whole run is N x that / 2;
  2. each stage alone on the sample: fetch, extract, enrich, index (rates; their sum is the no-overlap rate);
  3. the whole pipeline (`pipeline.ingest.ingest`, collector in its own process) over the N articles (run first,
     so that its peak memory is its own).
Prints cores used (CPU time / wall time, both processes), the end-to-end rate vs the stage sum, wall time vs the
two-core floor, CPU per article vs the floor, and peak memory (main and collector processes).
Targets (issue 14): cores >= 1.6, wall <= 1.25x the two-core floor, CPU/article <= 1.15x the floor, peak <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

COMPANIES = ["Mistral AI", "Nvidia", "OVHcloud", "Scaleway", "Microsoft", "OpenAI", "Google", "Thales", "SAP",
             "Capgemini", "Amazon Web Services"]
FR_SENTENCES = [
    "{c} a annoncé un nouveau centre de données en Essonne, salué par le ministre du Numérique.",
    "Selon Arthur Mensch, la souveraineté numérique européenne passe par des modèles ouverts et des puces maîtrisées.",
    "Les analystes jugent que l'alliance entre {c} et {d} fragilise l'autonomie technologique de la France.",
    "Le chiffre d'affaires de {c} progresse de douze pour cent sur un an, porté par le cloud de confiance.",
    "À Bruxelles, la Commission européenne examine les contrats passés par {c} avec les administrations.",
    "Les syndicats critiquent le plan de réorganisation présenté par {c} aux salariés de Lyon et de Toulouse.",
    "Plusieurs collectivités ont choisi {c} pour héberger des données de santé qualifiées SecNumCloud.",
    "La start-up parisienne lève des fonds auprès d'investisseurs américains, ce qui inquiète les parlementaires.",
    "Le supercalculateur installé par {c} servira à entraîner des modèles de langue en français.",
    "Les régulateurs rappellent que l'AI Act impose de nouvelles obligations de transparence à {c}.",
]
EN_SENTENCES = [
    "{c} unveiled a new sovereign cloud region in Frankfurt, drawing praise from European customers.",
    "Analysts said the partnership between {c} and {d} could reshape the market for AI accelerators.",
    "Regulators in Brussels are reviewing whether {c} complied with the new data residency rules.",
    "Shares of {c} fell sharply after the company warned about export restrictions on advanced chips.",
    "The startup raised fresh capital from investors in London and Paris to train open-weight models.",
    "Critics argue that dependence on {c} leaves European governments exposed to foreign jurisdiction.",
    "{c} reported quarterly revenue above expectations, driven by demand for GPU capacity.",
    "Lawmakers asked {c} to explain how customer data is protected from the Cloud Act.",
    "Engineers at {c} said the new supercomputer would be available to researchers next spring.",
    "The European Commission opened a consultation on the obligations of general-purpose AI providers.",
]
BASE = "{{BASE}}"  # filled in by the server (pipeline.demo.SiteHandler)
PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{url}"><meta name="description" content="{desc}">
<meta name="author" content="{author}"><meta property="og:site_name" content="Bench {lang} news">
<meta property="article:published_time" content="{published}"></head><body>
<nav><a href="/">Accueil</a> <a href="/tech">Tech</a> <a href="/eco">Économie</a></nav>
<div class="cookie">Nous utilisons des cookies. <button>Accepter</button></div>
<article><h1>{title}</h1><p class="byline">{author}</p>{paragraphs}</article>
<aside><h3>À lire aussi</h3><ul><li><a href="/x">Autre article</a></li></ul></aside>
<footer>© Bench news — mentions légales</footer></body></html>"""


def make_site(n_articles: int, n_feeds: int, seed: int = 7, duplicates: float = 0.05) -> tuple[dict[str, bytes], list[dict]]:
    """Paths → bodies for pages and feeds (with {{BASE}} placeholders, as in the sample site), and the feed
    definitions."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    files: dict[str, bytes] = {}
    items_per_feed: list[list[str]] = [[] for _ in range(n_feeds)]
    texts: list[str] = []
    for i in range(n_articles):
        lang = "fr" if i % 2 == 0 else "en"
        sentences = FR_SENTENCES if lang == "fr" else EN_SENTENCES
        if texts and rng.random() < duplicates:  # a wire copy of an earlier story under a new URL/title
            body_paragraphs = texts[rng.randrange(len(texts))]
        else:
            paragraphs = []
            for _ in range(6):
                sent = [rng.choice(sentences).format(c=rng.choice(COMPANIES), d=rng.choice(COMPANIES)) for _ in range(5)]
                sent.append(f"({'article' if lang == 'en' else 'papier'} {i}, {rng.randrange(10**6)})")
                paragraphs.append("<p>" + escape(" ".join(sent)) + "</p>")
            body_paragraphs = "\n".join(paragraphs)
            texts.append(body_paragraphs)
        company = rng.choice(COMPANIES)
        title = f"{company} : actualité n°{i}" if lang == "fr" else f"{company} news #{i}"
        published = now - timedelta(hours=i)
        path = f"/articles/{i:05d}.html"
        files[path] = PAGE.format(
            lang=lang, title=escape(title), url=BASE + path, desc=escape(title), author="Camille Martin",
            published=published.isoformat(), paragraphs=body_paragraphs,
        ).encode()
        items_per_feed[i % n_feeds].append(
            f"<item><title>{escape(title)}</title><link>{BASE}{path}</link><guid>{BASE}{path}</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate><description>{escape(title)}</description></item>"
        )
    feeds = []
    for f, items in enumerate(items_per_feed):
        path = f"/feeds/feed-{f}.xml"
        files[path] = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench feed '
            f"{f}</title><link>{BASE}/</link><description>bench</description>{''.join(items)}</channel></rss>"
        ).encode()
        feeds.append({"name": f"Bench feed {f}", "path": path, "lang": "fr" if f % 2 == 0 else "en"})
    files["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return files, feeds


_TITLE = re.compile(rb"<title[^>]*>.*?</title>", re.I | re.S)
_CANONICAL = re.compile(rb"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+property=[\"']og:url[^>]*>", re.I)
_FIRST_P = re.compile(rb"<p(?:\s[^>]*)?>", re.I)


def make_corpus_site(corpus: Path, n_articles: int, n_feeds: int, site_dir: Path) -> tuple[dict[str, bytes], list[dict]]:
    """Pages made from the real corpus pages (menus, scripts, comments, up to 1.5 MB), as the issue's floor was
    measured on: page i is corpus page i mod n under its own URL, with its own title, canonical link and first
    paragraph, so every copy is a distinct article that goes through every stage. Pages whose text is not in
    their folder's language are left out (the pipeline rightly skips NER on them, which would flatter it). The
    pages (~0.5 GB) are written to `site_dir` as they are made, not held: the benchmark measures ingest's memory."""
    from benchmarks.bench_enrich import corpus_texts, same_language_only

    kept, _ = same_language_only(corpus_texts(corpus))
    pages = [(t["lang"], (corpus / f"pages-{t['lang']}" / t["id"]).read_bytes()) for t in kept]
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    files: dict[str, bytes] = {}
    items_per_feed: list[list[str]] = [[[] for _ in range(2)] for _ in range(n_feeds // 2 or 1)]
    for i in range(n_articles):
        lang, html = pages[i % len(pages)]
        path = f"/articles/{i:05d}.html"
        title = f"{'Article' if lang == 'en' else 'Papier'} {i}"
        html = _CANONICAL.sub(b"", html)
        html = _TITLE.sub(f'<title>{title}</title><link rel="canonical" href="{BASE}{path}">'.encode(), html, count=1)
        html = _FIRST_P.sub(lambda m: m.group() + f"({title}) ".encode(), html, count=1)
        write_site({path: html}, site_dir)
        published = now - timedelta(hours=i)
        feed = items_per_feed[i % len(items_per_feed)][0 if lang == "fr" else 1]
        feed.append(f"<item><title>{title}</title><link>{BASE}{path}</link><guid>{BASE}{path}</guid>"
                    f"<pubDate>{format_datetime(published)}</pubDate><description>{title}</description></item>")
    feeds = []
    for f, by_lang in enumerate(items_per_feed):
        for lang, items in zip(("fr", "en"), by_lang):
            path = f"/feeds/feed-{f}-{lang}.xml"
            files[path] = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench feed '
                f"{f} {lang}</title><link>{BASE}/</link><description>bench</description>{''.join(items)}"
                "</channel></rss>"
            ).encode()
            feeds.append({"name": f"Bench feed {f} {lang}", "path": path, "lang": lang})
    files["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return files, feeds


def write_site(files: dict[str, bytes], site_dir: Path) -> Path:
    for path, body in files.items():
        target = site_dir / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return site_dir


def _serve_until_stopped(site_dir: Path, bases) -> None:
    from pipeline.demo import serve_site

    bases.put(serve_site(site_dir)[1])
    threading.Event().wait()  # until terminated


def serve_in_process(site_dir: Path):
    """The site in its own process: served from a thread of this one, every page would wait for the GIL of the
    ingest under test (and its CPU would count as ingest's), which is not how remote sites behave."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    bases = ctx.Queue()
    process = ctx.Process(target=_serve_until_stopped, args=(site_dir, bases), daemon=True, name="bench-site")
    process.start()
    return process, bases.get(timeout=60)


def _is_stand_in(pid: int) -> bool:
    """A process of the Elasticsearch stand-in (noida-db); raises OSError when the process is gone."""
    return b"noida-db" in Path(f"/proc/{pid}/cmdline").read_bytes()


class ProportionalMemory:
    """Peak of the summed proportional memory (PSS) of this process and its children — the collector, the
    multiprocessing helper — sampled every 0.5 s; the bench's own site and the stand-in are left out. Reading
    /proc/*/smaps_rollup of a 1 GB process costs the kernel real time: the sampler's own CPU (`cpu_seconds`) is
    kept apart, so that the ingest's CPU figures do not include the bench's instrument.

    Summing each process's peak RSS counts twice every page two processes share (the libraries both map, such as
    spaCy's and torch's, and the models a fork shares): PSS splits a shared page between its users, so the sum is
    what the run actually holds in memory."""

    def __init__(self, exclude: set[int]):
        self.exclude = exclude
        self.peak_mib = 0.0
        self.cpu_seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="pss-sampler")

    def __enter__(self) -> ProportionalMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _pids(self) -> list[int]:
        pids, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            if pid in self.exclude:
                continue
            try:
                if _is_stand_in(pid):
                    continue
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            pids.append(pid)
        return pids

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        start = time.thread_time()
        while not self._stop.wait(0.5):
            self.peak_mib = max(self.peak_mib, sum(self._pss_kib(pid) for pid in self._pids()) / 1024)
            self.cpu_seconds = time.thread_time() - start


def _rss_mib() -> float:
    from pipeline.collect import peak_rss_mib

    return peak_rss_mib()


def _others_cpu(site_pid: int) -> float:
    """CPU seconds so far of the processes that share the machine with the run: the bench's site and the stand-in
    (they compete for the same two cores, so the run cannot use both in full)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if int(proc.name) != site_pid and not _is_stand_in(int(proc.name)):
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return total


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children (the collector process)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def floor_cpu_per_article(pages: list[tuple[str, bytes, str]]) -> dict:
    """Plain trafilatura.extract + spaCy NER-only (the pipeline's models) on the same pages: CPU-s per article."""
    import trafilatura

    from pipeline.enrich.models import load_nlp

    nlps = {lang: load_nlp(lang) for lang in ("fr", "en")}
    t = time.process_time()
    texts = [(trafilatura.extract(body, url=url) or "", lang) for url, body, lang in pages]
    extract_s = time.process_time() - t
    t = time.process_time()
    for lang in ("fr", "en"):
        for _ in nlps[lang].pipe([text for text, text_lang in texts if text_lang == lang], batch_size=16):
            pass
    ner_s = time.process_time() - t
    n = len(pages)
    return {"extract_cpu_s": round(extract_s / n, 4), "ner_cpu_s": round(ner_s / n, 4),
            "cpu_s_per_article": round((extract_s + ner_s) / n, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2500)
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--sample", type=int, default=300, help="Articles for the floor and stage-only figures.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON only.")
    parser.add_argument("--corpus", type=Path, help="Make the pages from these real pages (../shared/corpus) "
                        "instead of generated ~450-word ones.")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    os.environ.update({
        "NEWSROOM_DATA_DIR": str(work / "data"),
        "NEWSROOM_FETCH_ALLOW_HOSTS": "127.0.0.1,localhost",
        "NEWSROOM_FETCH_HOST_DELAY": "0",
        "NEWSROOM_MAX_ITEMS_PER_FEED": str(args.articles),
        "NEWSROOM_ES_INDEX_PREFIX": "bench-stage",
    })
    os.environ.pop("NEWSROOM_ES_URL", None)
    from pipeline.collect import peak_rss_mib
    from pipeline.enrich import EnrichInput, get_enricher
    from pipeline.extract import extract_article
    from pipeline.feeds import parse_feed
    from pipeline.fetch import Fetcher
    from pipeline.ingest import ingest
    from pipeline.models import EnrichedArticle, Feed
    from pipeline.settings import load_settings
    from pipeline.store.client import make_client
    from pipeline.store.indexing import index_enriched

    if args.corpus:
        files, feed_defs = make_corpus_site(args.corpus, args.articles, args.feeds, work / "site")
    else:
        files, feed_defs = make_site(args.articles, args.feeds, duplicates=0.0)
    site, base = serve_in_process(write_site(files, work / "site"))
    feed_bodies = {f["path"]: files[f["path"]] for f in feed_defs}
    del files
    settings = load_settings()
    feeds = [Feed(name=f["name"], url=base + f["path"], lang=f["lang"], tags=["bench"]) for f in feed_defs]
    log = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    try:
        client = make_client(settings)
        log(f"site {base}: {args.articles} articles in {args.feeds} feeds; stand-in {client.transport.node_pool.get().base_url}")
        t = time.perf_counter()
        enricher = get_enricher(settings)
        enricher.warm_up()
        log(f"enricher loaded in {time.perf_counter() - t:.1f} s")

        # ---- end to end first, so that its memory is not the sample's: a fresh prefix and data directory
        os.environ["NEWSROOM_ES_URL"] = client.transport.node_pool.get().base_url  # same stand-in
        e2e_settings = load_settings(es_index_prefix="bench-e2e", data_dir=work / "data-e2e")
        rss_before = _rss_mib()
        cpu0, others0, t = _cpu(), _others_cpu(site.pid), time.perf_counter()
        with ProportionalMemory(exclude={site.pid}) as memory:
            summary = ingest(e2e_settings, feeds=feeds, enricher=enricher, write_run_record=True)
        t_e2e, cpu_e2e = time.perf_counter() - t, _cpu() - cpu0 - memory.cpu_seconds
        cpu_others = _others_cpu(site.pid) - others0
        n = summary.counts["indexed"]
        peak_main = peak_rss_mib()  # before the sample below
        log(f"end to end: {n} articles in {t_e2e:.1f} s wall, {cpu_e2e:.1f} CPU-s (not counted: "
            f"{memory.cpu_seconds:.1f} CPU-s of the bench's memory sampler, {cpu_others:.1f} of the site and the "
            "stand-in on the same cores)")

        # ---- then each stage alone, on a sample: fetch, extract, enrich, index; and the floor on the same pages
        items = []
        for feed, fdef in zip(feeds, feed_defs):
            body = feed_bodies[fdef["path"]].replace(BASE.encode(), base.encode())
            items.extend(parse_feed(body, feed, max_items=args.articles, base_url=str(feed.url)).items)
        items = items[: args.sample]

        async def fetch_all():
            async with Fetcher(settings) as fetcher:
                return await asyncio.gather(*(fetcher.fetch(item.url, kind="page") for item in items))

        t = time.perf_counter()
        results = asyncio.run(fetch_all())
        t_fetch = time.perf_counter() - t
        floor = floor_cpu_per_article([(r.final_url, r.body, item.feed_lang) for r, item in zip(results, items)])
        log(f"floor: {floor}")
        t = time.perf_counter()
        articles = [extract_article(r.body, r.final_url, item, r.fetched_at, charset=r.charset,
                                    min_words=settings.min_article_words) for r, item in zip(results, items)]
        t_extract = time.perf_counter() - t
        articles = [a for a in articles if a is not None]
        t = time.perf_counter()
        enrichments = list(enricher.enrich_many(EnrichInput(id=a.id, text=a.text, title=a.title, lang=a.lang,
                                                            detected=a.lang_detected) for a in articles))
        t_enrich = time.perf_counter() - t
        records = [EnrichedArticle(article=a, enrichment=e) for a, e in zip(articles, enrichments)]
        t = time.perf_counter()
        index_enriched(client, settings, records)
        t_index = time.perf_counter() - t
        n_sample = len(articles)
        stage_s = {"fetch": t_fetch, "extract": t_extract, "enrich": t_enrich, "index": t_index}
        log("stage only (sample of %d): %s" % (n_sample, {k: f"{v:.1f} s" for k, v in stage_s.items()}))
        del results, records, enrichments

        stage_sum_rate = n_sample / sum(stage_s.values())
        two_core_floor = n * floor["cpu_s_per_article"] / 2
        figures = {
            "articles": n,
            "cpus": os.cpu_count(),
            "sample": n_sample,
            "floor": floor,
            "stage_only_rates": {k: round(n_sample / v, 1) for k, v in stage_s.items()},
            "stage_sum_rate": round(stage_sum_rate, 1),
            "end_to_end_seconds": round(t_e2e, 1),
            "end_to_end_cpu_seconds": round(cpu_e2e, 1),
            "memory_sampler_cpu_seconds": round(memory.cpu_seconds, 1),
            "site_and_store_cpu_seconds": round(cpu_others, 1),  # the same cores, not the run's
            "end_to_end_rate": round(n / t_e2e, 1),
            "end_to_end_stage_seconds": summary.stage_seconds,
            "cores_used": round(cpu_e2e / t_e2e, 2),
            "ratio_vs_stage_sum": round((n / t_e2e) / stage_sum_rate, 2),
            "two_core_floor_seconds": round(two_core_floor, 1),
            "wall_vs_two_core_floor": round(t_e2e / two_core_floor, 2),
            "cpu_per_article": round(cpu_e2e / n, 4),
            "cpu_per_article_vs_floor": round(cpu_e2e / n / floor["cpu_s_per_article"], 2),
            "peak_rss_mib_main": round(peak_main, 0),
            "peak_rss_mib_collector": round(summary.collector_peak_rss_mib, 0),
            "rss_before_e2e_mib": round(rss_before, 0),
            "peak_pss_mib_total": round(memory.peak_mib, 0),
        }
        print(json.dumps(figures, indent=2))
        if not args.json:
            print(f"\ncores used {figures['cores_used']} (target >= 1.6); end-to-end {figures['ratio_vs_stage_sum']}x "
                  f"the stage-sum rate; wall {figures['wall_vs_two_core_floor']}x the two-core floor (target <= 1.25); "
                  f"CPU/article {figures['cpu_per_article_vs_floor']}x the floor (target <= 1.15); peak "
                  f"{figures['peak_pss_mib_total']:.0f} MiB in all (PSS: shared pages counted once; target <= 1536), "
                  f"peak RSS {figures['peak_rss_mib_main']:.0f} + {figures['peak_rss_mib_collector']:.0f} MiB")
        return 0
    finally:
        site.terminate()
        site.join(timeout=10)
        os.environ.pop("NEWSROOM_ES_URL", None)
        from pipeline.store.client import embedded_store

        embedded_store(load_settings()).down()  # the stand-in this benchmark started


if __name__ == "__main__":
    raise SystemExit(main())
