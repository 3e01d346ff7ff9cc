"""`newsroom tone set | list | export`: analysts correct a tone; the correction is kept, applied and exportable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from pipeline.cli import app
from pipeline.errors import NewsroomError, StoreError
from pipeline.settings import Settings, load_settings
from pipeline.sinks import for_json, for_terminal, terminal_console

tone_app = typer.Typer(help="Analysts' tone corrections: set, list, export for training.", no_args_is_help=True)
app.add_typer(tone_app, name="tone")
console = terminal_console()


@contextmanager
def _store_errors(settings: Settings, command: str) -> Iterator[None]:
    """An unreachable or refusing Elasticsearch is one sentence naming it, not a traceback."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    try:
        yield
    except (ApiError, TransportError) as exc:
        where = settings.es_url or "the embedded store"
        if isinstance(exc, ApiError):
            from pipeline.store.client import api_error_sentence

            exc_text = api_error_sentence(exc, bool(settings.es_api_key or settings.es_user))
        else:
            exc_text = str(exc)
        raise StoreError(f"Elasticsearch ({where}) failed during `newsroom tone {command}`: {exc_text}") from exc


@tone_app.command("set")
def set_cmd(
    article_id: str = typer.Argument(..., help="Article id (as in the articles index)."),
    label: str = typer.Argument(..., help="negative, neutral or positive (or négatif, neutre, positif; any case)."),
    company: str | None = typer.Option(None, "--company", help="Correct the tone toward this watched company."),
    document: bool = typer.Option(False, "--document", help="Correct the article's own tone."),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the correction)."),
    as_json: bool = typer.Option(False, "--json", help="Print the correction as JSON."),
) -> None:
    """Correct the tone of an article (--document) or toward one company (--company NAME); applied at once."""
    from pipeline.corrections import set_tone
    from pipeline.store.client import make_client

    if bool(company) == document:
        raise NewsroomError("Give exactly one of --company NAME or --document.")
    settings = load_settings()
    with _store_errors(settings, "set"):
        fix = set_tone(make_client(settings), settings, article_id, label, company=company, note=note)
    if as_json:
        typer.echo(fix.model_dump_json(indent=2))
        return
    # `not read`: a language without a tone model (its article tone was a neutral placeholder, and a "?" later)
    console.print(f"{for_terminal(fix.key)}: {fix.old_label or 'not read'} → [bold]{fix.label}[/] on article "
                  f"{fix.article_id} by {for_terminal(fix.analyst)} (model: {fix.model_label or 'not read'})",
                  highlight=False, soft_wrap=True)


@tone_app.command("list")
def list_cmd(
    limit: int = typer.Option(50, "--limit", "--size", min=1, max=10_000,
                              help="How many, newest first (at most 10,000)."),
    article_id: str | None = typer.Option(None, "--article-id",
                                          help="Only this article's corrections (any unique prefix of its id)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Recent tone corrections: who, when, what, why."""
    from pipeline.corrections import recent_corrections_and_total
    from pipeline.store.client import make_client

    settings = load_settings()
    with _store_errors(settings, "list"):
        client = make_client(settings)
        if article_id is not None:
            article_id = _stored_or_full_id(client, settings, article_id)
        fixes, total = recent_corrections_and_total(client, settings, size=limit, article_id=article_id)
    if as_json:
        # a list, as before; each row carries `total`, how many corrections there are (as `mentions --json` does)
        typer.echo(for_json([{**f.model_dump(mode="json"), "total": total} for f in fixes]))
        return
    from pipeline.coverage import local_time, zone

    tz = zone(settings)  # printed times are local, with their zone
    if len(fixes) < total:  # as `mentions` says it: the count in all, then how many are listed
        console.print(f"{total:,} tone correction(s); the latest {len(fixes):,}, newest first (`newsroom tone export` "
                      "writes them all):", highlight=False)
    else:
        console.print(f"{len(fixes)} tone correction(s), newest first", highlight=False)
    for fix in fixes:
        note = f" — {for_terminal(fix.note)}" if fix.note else ""
        console.print(f"{local_time(fix.corrected_at, tz)}  {for_terminal(fix.analyst)}  {for_terminal(fix.key)}: "
                      f"{fix.old_label or 'not read'} → {fix.label} (model: {fix.model_label or 'not read'})  "
                      f"{fix.article_id}  {for_terminal(fix.title or '', 80)}{note}", highlight=False, soft_wrap=True)


def _stored_or_full_id(client, settings: Settings, typed: str) -> str:
    """The full id of the stored article `typed` starts with (as `tone set` takes it; NewsroomError naming the id
    when no article or several have it); a full 64-character id is kept even when its article is gone (retention
    deletes articles, never their corrections)."""
    from pipeline.corrections import recent_corrections
    from pipeline.store.ids import resolve_article_id

    try:
        return resolve_article_id(client, settings, typed)
    except NewsroomError:
        full = typed.strip().lower()
        if len(full) == 64 and recent_corrections(client, settings, size=1, article_id=full):
            return full
        raise


@tone_app.command("export")
def export_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file in the gold format (corrections.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Write the corrected articles in the gold format, for `make train-tone EXTRA=corrections.jsonl`."""
    from pipeline.corrections import export_gold
    from pipeline.safewrite import resolve_output
    from pipeline.store.client import make_client

    resolve_output(output, "Output file (--output)")  # a directory is refused before the store is read
    settings = load_settings()
    with _store_errors(settings, "export"):
        summary = export_gold(make_client(settings), settings, output)
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    console.print(f"{summary['articles']} corrected article(s) ({summary['corrections']} correction(s)) written to "
                  f"{for_terminal(summary['output'])}", highlight=False)
    if summary["missing_articles"]:
        console.print(f"[yellow]note:[/] {summary['missing_articles']} corrected article(s) are no longer stored "
                      "(retention) and were left out")
    if summary["unread_articles"]:
        console.print(f"[yellow]note:[/] {summary['unread_articles']} corrected article(s) in a language without a tone "
                      "model were left out: their document tone was never read; give it with `newsroom tone set ID "
                      "--document LABEL` to export them")
