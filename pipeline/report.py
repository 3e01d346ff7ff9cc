"""A coverage report for people without Kibana: one self-contained HTML file (charts embedded as PNG).

Same views as the Kibana Coverage dashboard (pipeline/kibana), plus the latest negative articles per company.
Numbers come from `pipeline.coverage.coverage` and a few aggregations over the same indices; every text taken
from documents is HTML-escaped, and the file loads nothing from the network (it can be mailed as is).
"""

from __future__ import annotations

import base64
import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from pipeline.companies import merged_counts, named_today, names_of, renamed, stored_names
from pipeline.coverage import (coverage, local_time, published_range, query_window, render_png,
                               voice_percentages)
from pipeline.errors import NewsroomError
from pipeline.safewrite import atomic_output
from pipeline.settings import Settings
from pipeline.sinks import TITLE_SHOWN_CHARS, for_chart, for_html, link_target, linkable, shown_title
from pipeline.store.shapes import stored_article
from pipeline.store.templates import index_names
from pipeline.urls import display_source

log = logging.getLogger(__name__)

TOP = 10
LATEST = 20
NEGATIVE_PER_COMPANY = 5
MAX_COMPANIES = 8  # companies charted when none is given: the most mentioned ones
ARTICLE_FIELDS = ["title", "url", "source", "published_at", "sentiment", "company_sentiment", "orgs", "lang"]


@dataclass
class ReportData:
    entities: list[str]
    coverage: dict
    negative_counts: dict[str, int]
    negative_articles: dict[str, list[dict]]
    top_persons: list[tuple[str, int]]
    top_places: list[tuple[str, int]]
    topics: list[tuple[str, int]]
    latest: list[dict]
    top_authors: list[tuple[str, int]] = field(default_factory=list)
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


@dataclass
class ReportSummary:
    output: Path
    bytes: int
    charts: list[str]
    png_files: list[Path]
    entities: list[str]
    articles: int
    seconds: float

    def as_dict(self) -> dict:
        return {"output": str(self.output), "bytes": self.bytes, "charts": self.charts,
                "png_files": [str(p) for p in self.png_files], "entities": self.entities,
                "latest_articles": self.articles, "seconds": round(self.seconds, 2)}


NO_COMPANY = "No watched company is mentioned in this period."


def _any_company(names: list[str], field_name: str) -> dict:
    return {"bool": {"should": [{"term": {field_name: {"value": e, "case_insensitive": True}}} for e in names],
                     "minimum_should_match": 1}}


def _most_mentioned(client: Elasticsearch, settings: Settings, since, until, interval: str,
                    renames: dict[str, str]) -> list[str]:
    """The most mentioned companies, under their names today (a renamed one's mentions under both names count)."""
    start, end = query_window(settings, since, until, interval)  # the period the coverage will cover
    response = client.search(
        index=index_names(settings.es_index_prefix)["mentions"], size=0,
        query=published_range(start, end),
        aggs={"companies": {"terms": {"field": "company", "size": MAX_COMPANIES + len(renames)}}})
    return [name for name, _ in merged_counts(response["aggregations"]["companies"]["buckets"], renames)][:MAX_COMPANIES]


def _terms(aggs: dict, name: str) -> list[tuple[str, int]]:
    return [(b["key"], b["doc_count"]) for b in aggs[name]["buckets"]]


def collect(
    client: Elasticsearch,
    settings: Settings,
    entities: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    interval: str = "day",
) -> ReportData:
    """Query everything the report shows (the same time window for every view)."""
    names = index_names(settings.es_index_prefix)
    if not client.indices.exists_alias(name=names["mentions"]):
        raise NewsroomError(f"No mentions index ({names['mentions']}) yet: run `newsroom setup` and `newsroom ingest` first.")
    chosen = []
    if entities:  # aliases in any case ("Mistral", "ovh"); an unknown name stops here, naming the closest ones
        from pipeline.enrich.watchlist import load_watchlist, resolve_companies, watchlist_path

        chosen = resolve_companies(entities, load_watchlist(watchlist_path(settings.config_dir)))
    # none mentioned in the period (a quiet week, a scheduled report): still a report, saying so, not an error
    renames = renamed(settings)
    companies = chosen or _most_mentioned(client, settings, since, until, interval, renames)
    cov = coverage(client, settings, companies, interval=interval, since=since, until=until)
    window = {"range": {"published_at": {"gte": cov["since"], **({"lt": cov["until"]} if cov["until"] else {})}}}

    article_filter = [window] + ([_any_company(stored_names(chosen, settings), "orgs")] if chosen else [])
    articles = client.search(
        index=names["articles"], size=LATEST, query={"bool": {"filter": article_filter}},
        sort=[{"published_at": {"order": "desc"}}], source=ARTICLE_FIELDS,
        aggs={key: {"terms": {"field": key, "size": TOP}} for key in ("persons", "places", "topics", "authors")})
    aggs = articles["aggregations"]

    negative = {} if not companies else client.search(
        index=names["mentions"], size=0,
        query={"bool": {"filter": [window, {"term": {"sentiment.label": "negative"}}]}},
        aggs={"per_company": {
            "filters": {"filters": {e: _any_company(names_of(e, renames), "company") for e in companies}},
            "aggs": {"latest": {"top_hits": {
                "size": NEGATIVE_PER_COMPANY, "sort": [{"published_at": {"order": "desc"}}],
                "_source": ["title", "url", "source", "published_at", "sentiment", "article_sentiment", "lang"]}}}}})
    buckets = negative["aggregations"]["per_company"]["buckets"] if companies else {}
    return ReportData(
        entities=companies,
        coverage=cov,
        negative_counts={e: buckets[e]["doc_count"] for e in companies},
        negative_articles={e: [named_today(stored_article(h["_source"]), renames)
                               for h in buckets[e]["latest"]["hits"]["hits"]] for e in companies},
        top_persons=_terms(aggs, "persons"),
        top_places=_terms(aggs, "places"),
        topics=_terms(aggs, "topics"),
        latest=[named_today(stored_article(h["_source"]), renames) for h in articles["hits"]["hits"]],
        top_authors=_terms(aggs, "authors"),
    )


# --- charts (matplotlib, Agg) -----------------------------------------------------------------------------


def _bar_chart(path: Path, title: str, pairs: list[tuple[str, float]], xlabel: str, color: str = "#4c72b0") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    labels = [for_chart(label, 40) for label, _ in pairs][::-1]
    values = [value for _, value in pairs][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(pairs) + 1.4))
    # one place per bar: on a categorical axis, two names cut to the same 40 characters shared one bar, the second
    # drawn over the first ("AAA… person one" ×5 showed ×2)
    ax.barh(range(len(labels)), values, color=color)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _share_chart(path: Path, share: dict[str, float]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = [(k, v) for k, v in share.items() if v > 0]
    voices = iter(voice_percentages(dict(items)).values())  # the wedges' labels add up to 100 %, as in the table
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.pie([v for _, v in items], labels=[for_chart(k) for k, _ in items], autopct=lambda _: next(voices),
           startangle=90, wedgeprops={"width": 0.45})
    ax.set_title("Share of voice")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


CHART_TITLES = {
    "coverage": "Mentions per company over time, and average sentiment toward each",
    "share_of_voice": "Share of voice",
    "negative": "Negative coverage per company",
    "sources": "Top sources",
    "persons": "Top persons",
    "places": "Top places",
    "topics": "Topics",
    "authors": "Top authors",
}


def render_charts(data: ReportData, directory: Path) -> dict[str, Path]:
    """One PNG per view that has data (name → file)."""
    directory.mkdir(parents=True, exist_ok=True)
    cov = data.coverage
    charts = {"coverage": render_png(cov, directory / "coverage.png")} if cov["series"] else {}
    if any(cov["share_of_voice"].values()):
        charts["share_of_voice"] = _share_chart(directory / "share_of_voice.png", cov["share_of_voice"])
    if any(data.negative_counts.values()):
        pairs = sorted(data.negative_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        charts["negative"] = _bar_chart(directory / "negative.png", CHART_TITLES["negative"], pairs,
                                        "negative mentions", color="#c44e52")
    views = {"sources": [(display_source(s["source"]), s["count"]) for s in cov["top_sources"]],
             "persons": data.top_persons,
             "places": data.top_places, "topics": data.topics, "authors": data.top_authors}
    for name, pairs in views.items():
        if pairs:
            charts[name] = _bar_chart(directory / f"{name}.png", CHART_TITLES[name], pairs, "articles")
    return charts


# --- HTML -------------------------------------------------------------------------------------------------

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{margin-bottom:.2em} .meta{color:#666;margin-top:0} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
img{max-width:100%;height:auto;display:block;margin:.5em 0} table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border-bottom:1px solid #eee;padding:.35em .5em;text-align:left;vertical-align:top} th{background:#f6f6f6}
.neg{color:#b00020} .pos{color:#1b7f3b} .empty{color:#888;font-style:italic} .notes{color:#8a6d00;font-size:.9em}
.tone-note{color:#666;font-size:.85em} .evidence{margin:.2em 0 .2em 1em;padding:0;color:#555;font-size:.85em}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1em}
"""


def _e(value) -> str:
    return for_html(value)


def _link(url: str | None, text: str | None) -> str:
    label = _e(shown_title(text, url, TITLE_SHOWN_CHARS) or "(untitled)")
    if linkable(url):
        return f'<a href="{_e(link_target(url))}">{label}</a>'
    return label


def _score(sentiment: dict | None) -> str:
    if not sentiment or sentiment.get("score") is None:
        return ""
    score = float(sentiment["score"])
    css = "neg" if score < -0.05 else "pos" if score > 0.05 else ""
    return f'<span class="{css}">{score:+.2f} {_e(sentiment.get("label", ""))}</span>'


def _tone_cell(tone: dict | None) -> str:
    """Score and label, then what lets an analyst check it: confidence, who corrected it, the deciding sentences."""
    from pipeline.corrections import evidence_caption, evidence_of, tone_notes

    if not tone or tone.get("score") is None:
        return ""
    notes = tone_notes(tone)
    cell = _score(tone) + (f' <span class="tone-note">{for_html("; ".join(notes))}</span>' if notes else "")
    evidence = evidence_of(tone)
    if evidence:
        caption = evidence_caption(tone)  # a corrected label: the sentences are the model's reasons, not the analyst's
        cell += (f'<div class="tone-note">{for_html(caption)}</div>' if caption else "")
        cell += '<ul class="evidence">' + "".join(f"<li>{for_html(s)}</li>" for s in evidence) + "</ul>"
    return cell


def _companies_cell(doc: dict) -> str:
    """Each company with the tone toward it; where none was measured (a language without a tone model), the
    article's, said so, as search, `mentions`, coverage and alerts read it (the cell was blank)."""
    tones = {e.get("company"): e for e in doc.get("company_sentiment") or []}
    rows = []
    for company in doc.get("orgs") or []:
        tone = tones.get(company)
        cell = _tone_cell(tone) if tone else (
            _score(doc.get("sentiment")) + ' <span class="tone-note">article tone (none measured toward it)</span>'
            if _score(doc.get("sentiment")) else "")
        rows.append(f"<div>{for_html(company)} {cell}</div>")
    return "".join(rows)


def _img(name: str, png: bytes) -> str:
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img id="chart-{_e(name)}" alt="{_e(CHART_TITLES[name])}" src="data:image/png;base64,{encoded}">'


def _section(title: str, body: str) -> str:
    return f"<section><h2>{_e(title)}</h2>\n{body}\n</section>"


def _chart_or_empty(name: str, charts: dict[str, bytes]) -> str:
    return _img(name, charts[name]) if name in charts else '<p class="empty">No data in this period.</p>'


def _articles_table(rows: list[dict], tz: ZoneInfo, company_column: bool = True,
                    empty: str = "No article in this period.") -> str:
    if not rows:
        return f'<p class="empty">{_e(empty)}</p>'
    head = "<tr><th>Date</th><th>Title</th><th>Source</th><th>Sentiment</th>" + (
        "<th>Companies</th>" if company_column else "") + "</tr>"
    body = []
    for doc in rows:
        cells = [_e(local_time(doc.get("published_at"), tz)), _link(doc.get("url"), doc.get("title")),
                 _e(display_source(doc.get("source"))), _tone_cell(doc.get("sentiment"))]
        if company_column:
            cells.append(_companies_cell(doc))
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table>{head}{''.join(body)}</table>"


def render_html(data: ReportData, charts: dict[str, bytes], title: str = "Press coverage report") -> str:
    cov = data.coverage
    tz = ZoneInfo(cov["requested_time_zone"])
    period = cov["period"]
    voices = voice_percentages(cov["share_of_voice"])  # adding up to 100 %
    totals = "".join(
        f"<tr><td>{_e(e)}</td><td>{t['count']}</td><td>{voices.get(e, '—')}</td>"
        f"<td>{_score({'score': t['sentiment']})}</td><td>{data.negative_counts.get(e, 0)}</td></tr>"
        for e, t in cov["totals"].items())
    parts = [
        f'<h1>{_e(title)}</h1><p class="meta">{_e(period)} · companies: {_e(", ".join(data.entities) or "none")} · '
        f"generated {_e(local_time(data.generated_at, tz))}</p>",
        "<table><tr><th>Company</th><th>Mentions</th><th>Share of voice</th><th>Avg sentiment</th>"
        f"<th>Negative</th></tr>{totals}</table>" if data.entities else f'<p class="empty">{_e(NO_COMPANY)}</p>',
    ]
    if cov.get("notes"):
        parts.append("".join(f'<p class="notes">Note: {_e(n)}</p>' for n in cov["notes"]))
    parts.append(_section(CHART_TITLES["coverage"], _chart_or_empty("coverage", charts)))
    parts.append('<div class="grid">' + _section("Share of voice", _chart_or_empty("share_of_voice", charts))
                 + _section("Negative coverage per company", _chart_or_empty("negative", charts)) + "</div>")
    parts.append('<div class="grid">' + "".join(
        _section(CHART_TITLES[n], _chart_or_empty(n, charts)) for n in ("sources", "topics", "persons", "places", "authors"))
        + "</div>")
    negatives = []
    for company in data.entities:
        rows = data.negative_articles.get(company) or []
        negatives.append(f"<h3>{_e(company)} ({data.negative_counts.get(company, 0)} negative)</h3>"
                         + _articles_table(rows, tz, company_column=False,
                                           empty="No negative article in this period."))
    parts.append(_section("Latest negative articles per company",
                          "\n".join(negatives) or f'<p class="empty">{_e(NO_COMPANY)}</p>'))
    parts.append(_section("Latest articles", _articles_table(data.latest, tz)))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{_e(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def build_report(
    client: Elasticsearch,
    settings: Settings,
    output: str | Path,
    *,
    entities: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    interval: str = "day",
    png_dir: str | Path | None = None,
) -> ReportSummary:
    """Query, draw and write the HTML file (and the PNGs into `png_dir` when given)."""
    started = time.perf_counter()
    data = collect(client, settings, entities, since=since, until=until, interval=interval)
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="newsroom-report-") as scratch:
        paths = render_charts(data, Path(png_dir) if png_dir else Path(scratch))
        charts = {name: path.read_bytes() for name, path in paths.items()}
    document = render_html(data, charts)
    with atomic_output(output, what="Report file (--output)") as fh:  # an error mid-write keeps the earlier report whole
        fh.write(document)
    return ReportSummary(output=output, bytes=len(document.encode()), charts=list(charts),
                         png_files=list(paths.values()) if png_dir else [], entities=data.entities,
                         articles=len(data.latest), seconds=time.perf_counter() - started)
