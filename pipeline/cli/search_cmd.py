"""`newsroom search`: the query syntax (docs/storage.md, "Search syntax"), filters, results with ids and tone."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer
from typer.core import TyperCommand

from pipeline.cli import app
from pipeline.errors import NewsroomError
from pipeline.settings import load_settings
from pipeline.sinks import for_json, for_terminal, shown_title, terminal_console
from pipeline.urls import display_source, display_url

console = terminal_console(soft_wrap=True)
# A stored title or URL can be 100,000 characters long, a matched passage one 5,000-character "word" (a hostile feed):
# the terminal shows their start, the CSV and --json the whole.
SHOWN_CHARS = 300
# `tone_score`: the article's tone in [-1, 1] (`sentiment.score` in the JSON, where `relevance` is the match score)
# `corrected`, `corrected_by`, `model_label`: the article tone's correction, as in `mentions --csv`; a corrected company
# tone says so in the `companies` cell
CSV_COLUMNS = ["id", "published_at", "source", "lang", "title", "url", "companies", "tone", "tone_score", "corrected",
               "corrected_by", "model_label", "passage"]


def _print_evidence(company: dict) -> None:
    """Why a company got its tone: confidence, or who corrected it and what the model said, and the deciding
    sentence (the model's, captioned so, once an analyst overruled it)."""
    if not company.get("evidence") and not company.get("corrected_by"):
        return
    how = []
    if company.get("confidence") is not None:
        how.append(f"confidence {company['confidence']:.2f}")
    caption = ""
    if company.get("corrected_by"):
        how.append(f"corrected by {company['corrected_by']}")
        if company.get("model_label"):
            confidence = company.get("model_confidence")
            how.append(f"model said {company['model_label']}"
                       + (f", {confidence:.2f}" if confidence is not None else ""))
        caption = f"the model's evidence for {company.get('model_label') or 'its label'}: "
    evidence = company.get("model_evidence") if company.get("corrected_by") else company.get("evidence")
    first = evidence[0] if evidence else ""
    console.print(f"    {for_terminal(company['company'])} {for_terminal(company['tone'])}"
                  f"{' (' + for_terminal('; '.join(how)) + ')' if how else ''}"
                  f"{': ' + caption + '“' + for_terminal(first, 240) + '”' if first else ''}", highlight=False)


def _company_cell(companies: list[dict]) -> str:
    """"Nvidia positive; Mistral AI negative (corrected by alice, model said positive)": an exported sheet must not
    pass an analyst's label off as the model's."""
    def cell(company: dict) -> str:
        if not company.get("corrected_by"):
            return f"{company['company']} {company['tone'] or '?'}"
        model = f", model said {company['model_label']}" if company.get("model_label") else ""
        return f"{company['company']} {company['tone'] or '?'} (corrected by {company['corrected_by']}{model})"

    return "; ".join(cell(c) for c in companies)


def _shown(hit: dict) -> dict:
    """A result as every sink shows it (in place): once an analyst corrected a tone, the stored confidence and
    evidence are the model's, for its own label; passages plain and with <mark> (`passages_html`)."""
    from pipeline.corrections import shown_tone
    from pipeline.search import passage_html, passage_plain

    if hit.get("sentiment"):
        hit["sentiment"] = shown_tone(hit["sentiment"])
    if hit.get("company_sentiment"):
        hit["company_sentiment"] = [shown_tone(e) for e in hit["company_sentiment"]]
    hit["passages_html"] = [passage_html(p) for p in hit["passages"]]
    hit["passages"] = [passage_plain(p) for p in hit["passages"]]
    return hit


def _csv_row(hit: dict) -> dict:
    """A shown result as a row of CSV_COLUMNS."""
    sentiment = hit.get("sentiment") or {}
    return {**hit, "id": hit.get("id"), "companies": _company_cell(hit["companies"]), "tone": sentiment.get("label"),
            "tone_score": sentiment.get("score"), "corrected": bool(sentiment.get("corrected")),
            "corrected_by": sentiment.get("corrected_by") or "", "model_label": sentiment.get("model_label") or "",
            "passage": " … ".join(hit["passages"]) or hit.get("description")}


class _SearchCommand(TyperCommand):
    """`newsroom search -Nvidia` (articles without Nvidia) takes `-Nvidia` as the query, not as an unknown option -N;
    when that cannot be what was meant, one sentence says to write the query after `--`."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        given = list(args)  # click consumes the list it parses
        try:
            return super().parse_args(ctx, args)
        except Exception as exc:  # click's NoSuchOption (typer vendors its own click: no public class to name)
            name = getattr(exc, "option_name", None) or ""  # "-N" for -Nvidia; a mistyped --option stays an error
            end = given.index("--") if "--" in given else len(given)
            at = next((i for i, arg in enumerate(given[:end]) if arg.startswith(name)), None)
            if not name or name.startswith("--") or at is None:
                raise
            word = given[at]
        try:
            return super().parse_args(ctx, [*given[:at], *given[at + 1:], "--", word])
        except Exception:  # e.g. a second query argument: the user must say which words are the query
            error = NewsroomError(
                f"{word!r} is not an option of `newsroom search`; put a query that starts with '-' after `--`, the "
                f"whole query in quotes: newsroom search [OPTIONS] -- {shlex.quote(word + ' …')}")
            error.exit_code = 2  # a usage error, as click's own
            raise error from None


@app.command("search", cls=_SearchCommand)
def search_cmd(
    query: str = typer.Argument("", help='Words, "quoted phrases", AND/OR/NOT (ET/OU/SAUF, + | -), (groups), prefix*, '
                                         "and source:/company:/lang:/topic: filters; a hyphenated word (open-source) "
                                         "is a phrase. A query starting with '-' may follow `--`. May be left out "
                                         "when options filter (`--company aws --since …`: newest first)."),
    entity: list[str] = typer.Option(None, "--entity", "--company", help="Only articles mentioning this company (alias, any case; repeatable)."),
    since: str | None = typer.Option(None, "--since", help="Published on or after (YYYY-MM-DD or ISO date-time, "
                                     "in NEWSROOM_TIMEZONE)."),
    until: str | None = typer.Option(None, "--until", help="Published up to this day, included (YYYY-MM-DD), or "
                                     "before this ISO date-time."),
    source: list[str] = typer.Option(None, "--source", help="Feed name or domain, any case (repeatable)."),
    lang: list[str] = typer.Option(None, "--lang", help="Language code: fr, en (repeatable)."),
    topic: list[str] = typer.Option(None, "--topic", help="Topic tag (repeatable)."),
    tone: str | None = typer.Option(None, "--tone", help="Article tone: negative, neutral or positive (or négatif, "
                                                         "neutre, positif)."),
    company_tone: list[str] = typer.Option(None, "--company-tone", help="COMPANY=TONE, e.g. Mistral=negative (repeatable)."),
    sort: str = typer.Option("relevance", "--sort", help="relevance (default) or date (newest first)."),
    size: int = typer.Option(20, "--size", "--limit", help="How many results (at most 10,000)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON (passages with <mark> in `passages_html`)."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Also write the results as CSV here."),
    every: bool = typer.Option(False, "--all", help="Write every matching article into --csv, past 10,000, in the "
                                                    "search's order (a page at a time; the terminal gets the count "
                                                    "and the notes only)."),
) -> None:
    """Articles matching a query, most relevant first, with the total hit count, ids, tone and matched passages."""
    from pipeline.corrections import tone_notes
    from pipeline.coverage import local_time, zone
    from pipeline.search import check_size, parse_company_tones, passage_terminal, search_articles
    from pipeline.store.client import QUERY_OPTIONS, make_client, store_replies

    if every and (not csv_file or as_json):  # 50,000 articles are a file, not a screen or one JSON document
        raise NewsroomError("--all writes every matching article into the --csv file: give --csv FILE (and no "
                            "--json, which lists at most 10,000 with --size).")
    check_size(size, "--all --csv FILE writes every matching article, past it")
    settings = load_settings()
    if csv_file:
        from pipeline.safewrite import prepare_output

        prepare_output(csv_file, "--csv")  # checked before the store is queried
    client = make_client(settings, **QUERY_OPTIONS)
    options = dict(companies=entity or None, since=since, until=until, sources=source or None, langs=lang or None,
                   topics=topic or None, tone=tone, company_tones=parse_company_tones(company_tone), sort=sort)
    if every:
        from pipeline.export import write_csv
        from pipeline.search import every_article

        with store_replies(client):
            results = every_article(client, settings, query, **options)
            written = write_csv(csv_file, CSV_COLUMNS, (_csv_row(_shown(hit)) for hit in results.hits))
        console.print(f"{written} article(s) match" + (f", published {results.period}" if results.period else "")
                      + f": all written to {for_terminal(csv_file)}, by {results.sort}", highlight=False)
        for note in results.notes:
            console.print(f"[yellow]note:[/] {for_terminal(note)}", highlight=False)
        return
    with store_replies(client):
        results = search_articles(client, settings, query, **options, size=size)
    marked = {hit["short_id"]: hit["passages"] for hit in results.hits}  # matched words between marks
    for hit in results.hits:
        _shown(hit)
    if csv_file:
        from pipeline.export import write_csv

        write_csv(csv_file, CSV_COLUMNS, [_csv_row(hit) for hit in results.hits])
    if as_json:
        typer.echo(for_json(results.as_dict()))
        return
    shown = len(results.hits)
    tz = zone(settings)
    period = results.period
    console.print(f"{results.total} article(s) match" + (f", published {period}" if period else "")
                  + (f"; the first {shown} by {results.sort}:" if shown else "."), highlight=False)
    for note in results.notes:
        console.print(f"[yellow]note:[/] {for_terminal(note)}", highlight=False)
    for hit in results.hits:
        tone_of = hit.get("sentiment") or {}
        corrected = f" ({for_terminal('; '.join(tone_notes(tone_of)))})" if tone_of.get("corrected") else ""
        console.print(f"[bold]{for_terminal(shown_title(hit['title'], hit['url']) or '(untitled)', SHOWN_CHARS)}[/]",
                      highlight=False)
        unread = hit.get("sentiment") is None and hit.get("enrichment_level") == "partial"
        companies = ", ".join(for_terminal(c["company"]) + ("" if unread and not c["tone"] else
                                                            f" {for_terminal(c['tone'] or '?')}")
                              for c in hit["companies"])
        shown = (f"tone not read ({for_terminal(hit.get('lang') or '?')}: no tone model for this language)" if unread
                 else f"tone {for_terminal(tone_of.get('label') or '?')}{corrected}")
        console.print(f"  {hit['short_id']}  {for_terminal(local_time(hit['published_at'], tz) or 'no date')}  "
                      f"{for_terminal(display_source(hit.get('source')))}  "
                      f"{shown}"
                      f"{'  · ' + companies if companies else ''}", highlight=False)
        console.print(f"  {for_terminal(display_url(hit['url']), SHOWN_CHARS)}", style="dim", highlight=False)
        for fragment in marked[hit["short_id"]]:
            passage = passage_terminal(fragment)
            passage.truncate(SHOWN_CHARS, overflow="ellipsis")  # one 5,000-character "word" is one fragment
            console.print("  … ", passage, " …", sep="", highlight=False)
        for c in hit["companies"]:
            _print_evidence(c)
    if csv_file:
        console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)

