"""`newsroom enrich`: the enrichment stage on a JSON Lines file (a thin wrapper over pipeline.enrich), and
`newsroom reenrich`: recent stored articles again, after a model or watchlist change (pipeline.reenrich)."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipeline.cli import app
from pipeline.errors import ConfigError
from pipeline.safewrite import atomic_output, resolve_output
from pipeline.settings import load_settings
from pipeline.sinks import for_terminal as esc, single_line, terminal_console, without_invisible, without_surrogates

log = logging.getLogger(__name__)
err = terminal_console(stderr=True, soft_wrap=True)


def _read_inputs(path: Path, skipped: Counter) -> Iterator:
    from pipeline.enrich import EnrichInput

    with path.open(encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:  # also a number over 4,300 digits, or nesting too deep
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else (
                    "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0])
                skipped["not JSON"] += 1
                err.print(esc(f"{path}:{lineno}: skipped, not valid JSON ({why})."), highlight=False)
                continue
            if not isinstance(record, dict):
                skipped["not an object"] += 1
                err.print(esc(f"{path}:{lineno}: skipped, expected a JSON object."), highlight=False)
                continue
            missing = [k for k in ("id", "text") if not isinstance(record.get(k), (str, int)) or record.get(k) == ""]
            if missing:
                skipped["missing id/text"] += 1
                err.print(esc(f"{path}:{lineno}: skipped, field(s) {', '.join(missing)} missing or empty."), highlight=False)
                continue
            if without_surrogates(str(record["id"])) != str(record["id"]):  # UTF-8 cannot write it back out
                skipped["id not valid Unicode"] += 1
                err.print(esc(f"{path}:{lineno}: skipped, field id holds a lone surrogate (\\ud800-\\udfff), "
                              "which cannot be written as UTF-8."), highlight=False)
                continue
            title = record.get("title")
            lang = record.get("lang")
            # cleaned as an extracted article's text and title are (pipeline/models.py): the watchlist then finds a
            # company however its name is hidden (« Mis\u034ftral AI », 𝐌𝐢𝐬𝐭𝐫𝐚𝐥, « Мistral »)
            yield EnrichInput(id=str(record["id"]), text=without_invisible(str(record["text"])),
                              title=single_line(without_surrogates(title)) if isinstance(title, str) else None,
                              lang=without_surrogates(lang) if isinstance(lang, str) else None)


@app.command()
def enrich(
    input_path: Path = typer.Option(..., "--input", "-i", help="JSON Lines: id, text, optional title and lang."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON Lines with lang, orgs, entities, sentiment…"),
    batch_size: int | None = typer.Option(None, min=1, max=1024, help="Texts per spaCy batch (default: NEWSROOM_ENRICH_BATCH_SIZE, "
                                                        "16 unless set)."),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Detect language, entities, watched companies, tone and topics for each text."""
    if not input_path.exists():
        raise ConfigError(f"Input file {input_path} does not exist.")
    resolve_output(output)  # a directory is refused before the models load
    from pipeline.enrich import get_enricher

    settings = load_settings()
    started = time.perf_counter()
    enricher = get_enricher(settings)
    enricher.warm_up()
    load_seconds = time.perf_counter() - started
    skipped: Counter = Counter()
    langs: Counter = Counter()
    written = words = 0
    bar = Progress(SpinnerColumn(), TextColumn("enrich"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, disable=not progress, transient=True)
    work_start = time.perf_counter()
    # an earlier output survives a crash mid-run; symlinks are followed, devices and FIFOs written in place
    with bar, atomic_output(output, suffix=".partial") as out:
        task = bar.add_task("enrich", total=None)
        texts: dict[str, int] = {}

        def counted(items):
            for item in items:
                texts[item.id] = len(item.text.split())
                yield item

        for enrichment in enricher.enrich_many(counted(_read_inputs(input_path, skipped)), batch_size or None):
            out.write(json.dumps(enrichment.model_dump(mode="json"), ensure_ascii=False) + "\n")
            written += 1
            words += texts.pop(enrichment.id, 0)
            langs[enrichment.lang] += 1
            bar.advance(task)
    seconds = time.perf_counter() - work_start
    rate = f"{written / seconds:.1f} texts/s, {words / seconds:,.0f} words/s" if seconds > 0 and written else "-"
    skipped_txt = ", ".join(f"{n} {why}" for why, n in skipped.items()) or "none"
    err.print(
        f"enriched {written} texts ({', '.join(f'{l}: {n}' for l, n in langs.most_common()) or 'none'}) → {output}; "
        f"skipped: {skipped_txt}; models loaded in {load_seconds:.1f} s, enrichment {seconds:.1f} s ({rate}).",
        highlight=False,
    )


@app.command()
def reenrich(
    days: int = typer.Option(30, "--days", min=1, help="Re-enrich the articles first seen this many days back."),
    force: bool = typer.Option(False, "--force", help="Even when models, lexicons and watchlist are unchanged."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Re-enrich recent articles from their archived pages after a model, lexicon or watchlist change."""
    from pipeline.reenrich import reenrich_recent

    counts = reenrich_recent(load_settings(), days=days, force=force)
    if as_json:
        typer.echo(json.dumps(counts))
    elif counts.get("skipped"):
        err.print(f"nothing to do: {counts['skipped']} (use --force to re-enrich anyway)", highlight=False)
    else:
        err.print(f"re-enriched {counts['reenriched']} article(s) ({counts['from_archive']} from the archive, "
                  f"{counts['from_index']} from the indexed text), {counts['mentions']} mention(s), "
                  f"{counts['errors']} error(s)", highlight=False)
    if counts.get("errors"):
        raise typer.Exit(1)
