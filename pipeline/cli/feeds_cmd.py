"""`newsroom feeds list|add|remove|validate|import-opml|export-opml|topics`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from pipeline.cli import app
from pipeline.errors import ConfigError
from pipeline.feeds import add_feed, export_opml, import_opml, load_enabled_feeds, load_feeds, remove_feed
from pipeline.settings import get_settings
from pipeline.sinks import for_json, for_terminal as esc, terminal_console
from pipeline.sinks import mask_secrets, mask_url
from pipeline.state import StateStore, state_key

feeds_app = typer.Typer(help="The feeds to monitor (config/feeds.yaml): list, add, remove, OPML import/export.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")

FeedsOption = typer.Option(None, "--feeds", help="Feeds file (default: NEWSROOM_FEEDS_FILE or config/feeds.yaml).")


def _path(feeds: Path | None) -> Path:
    return feeds or get_settings().feeds_path


# Rows of the `feeds list` table unless --all: rich lays out every row before printing, so a 100,000-feed file took
# most of 4 minutes to print a table nobody reads whole (--json gives every feed).
TABLE_ROWS = 200


@feeds_app.command("list")
def list_feeds(feeds: Path | None = FeedsOption, as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
               show_all: bool = typer.Option(False, "--all", help=f"Show every feed in the table (default: the "
                                                                   f"first {TABLE_ROWS}).")) -> None:
    """List the configured feeds with their fetch health (last success, consecutive failures)."""
    settings = get_settings()
    entries = load_feeds(_path(feeds), settings)
    states = {}
    if (settings.data_dir / "fetch-state.sqlite3").exists():
        states = {s.url: s for s in StateStore(settings.data_dir, settings.state_lock_timeout).all_feed_states()}
    rows = []
    for feed in entries:
        state = states.get(state_key(str(feed.url)))
        rows.append(
            {
                "name": feed.name,
                "url": mask_url(feed.url),
                "lang": feed.lang,
                "tags": feed.tags,
                "relevance": feed.relevance,
                "enabled": feed.enabled,
                "last_success": state.last_success.isoformat() if state and state.last_success else None,
                "consecutive_failures": state.consecutive_failures if state else 0,
                "last_error": mask_secrets(state.last_error) if state and state.last_error else None,
            }
        )
    if as_json:
        typer.echo(for_json(rows))
        return
    from pipeline.coverage import local_time, zone

    tz = zone(settings)  # printed times are local with their zone, as in the other commands (JSON keeps the instant)
    table = Table("name", "lang", "relevance", "tags", "url", "last success", "failures", title=f"{len(rows)} feeds")
    for r in rows if show_all else rows[:TABLE_ROWS]:
        table.add_row(
            esc(r["name"]) + ("" if r["enabled"] else " (disabled)"),
            r["lang"],
            r["relevance"],
            esc(", ".join(r["tags"])),
            esc(r["url"]),
            local_time(r["last_success"], tz) or "-",
            str(r["consecutive_failures"]) if r["consecutive_failures"] else "",
        )
    terminal_console().print(table)
    if not show_all and len(rows) > TABLE_ROWS:
        terminal_console().print(f"… and {len(rows) - TABLE_ROWS:,} more feeds not shown: `newsroom feeds list --all` "
                                 "shows every one, `--json` lists them all as JSON.", highlight=False, markup=False)


@feeds_app.command("validate")
def validate(feeds: Path | None = FeedsOption) -> None:
    """Check the feeds file; exit non-zero with the file, entry and field at fault, or when no feed is enabled."""
    entries = load_enabled_feeds(_path(feeds), get_settings())
    disabled = sum(not feed.enabled for feed in entries)
    typer.echo(f"{_path(feeds)}: {len(entries)} feeds" + (f" ({disabled} disabled)" if disabled else "") + ", valid.")


@feeds_app.command("add")
def add(
    name: str = typer.Argument(..., help="Display name (unique)."),
    url: str = typer.Argument(..., help="RSS/Atom feed URL."),
    lang: str = typer.Option(..., "--lang", help="Two-letter language of the feed (fr, en…)."),
    tag: list[str] = typer.Option([], "--tag", help="Tag (repeatable)."),
    relevance: str = typer.Option("all", "--relevance", help="all: keep every item; filter: keep items matching config/topics.yaml."),
    feeds: Path | None = FeedsOption,
) -> None:
    """Add a feed (the whole file is validated before it is written)."""
    feed = add_feed(_path(feeds), name, url, lang, tag, relevance)
    typer.echo(f"Added {feed.name!r} ({mask_url(feed.url)}) to {_path(feeds)}.")


@feeds_app.command("remove")
def remove(name_or_url: str = typer.Argument(..., help="Feed name or URL."), feeds: Path | None = FeedsOption) -> None:
    """Remove a feed by name or URL."""
    feed = remove_feed(_path(feeds), name_or_url)
    typer.echo(f"Removed {feed.name!r} ({mask_url(feed.url)}) from {_path(feeds)}.")
    if not any(f.enabled for f in load_feeds(_path(feeds), get_settings())):
        typer.echo(f"warning: {_path(feeds)} now lists no enabled feed: `newsroom ingest` and the Airflow run will "
                   "refuse to run until one is added.", err=True)


@feeds_app.command("import-opml")
def import_opml_cmd(
    file: Path = typer.Argument(..., help="OPML file (e.g. exported from a feed reader)."),
    lang: str | None = typer.Option(None, "--lang", help="Language for outlines without a language attribute."),
    feeds: Path | None = FeedsOption,
) -> None:
    """Merge an OPML file into the feeds file: new URLs added, known URLs skipped; categories/folders become tags."""
    from pipeline.search import refuse_empty

    refuse_empty("lang", [lang] if lang is not None else None)  # `--lang ""` was told to "pass --lang"
    if not file.is_file():
        why = ("is a directory, not a file" if file.is_dir() else "is not a regular file" if file.exists()
               else "is a symbolic link to a missing file" if file.is_symlink() else "does not exist")
        raise ConfigError(f"OPML file {file} {why}.")
    added, skipped = import_opml(_path(feeds), file.read_bytes(), lang, origin=str(file))
    typer.echo(f"Imported {len(added)} feed(s) into {_path(feeds)}; {len(skipped)} already present.")
    for feed in added:
        typer.echo(f"  + {feed.name} ({mask_url(feed.url)})")


@feeds_app.command("export-opml")
def export_opml_cmd(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    feeds: Path | None = FeedsOption,
) -> None:
    """Export the feeds as OPML 2.0 (per-feed headers are left out: they may hold credentials).

    Feed URLs are written as configured, credentials included (it is the user's own file): a note on stderr says so.
    """
    if output:
        from pipeline.safewrite import resolve_output

        resolve_output(output, "Output file (--output)")
    entries = load_feeds(_path(feeds), get_settings())
    text = export_opml(entries)
    secret = [feed.name for feed in entries if mask_url(feed.url) != str(feed.url)]
    if secret:
        typer.echo(f"note: {len(secret)} feed URL(s) hold credentials ({', '.join(secret[:5])}"
                   f"{', …' if len(secret) > 5 else ''}) and are exported as configured: keep the OPML file private.",
                   err=True)
    if output:
        from pipeline.safewrite import atomic_output

        with atomic_output(output, what="Output file (--output)") as fh:  # an error mid-write keeps the old file
            fh.write(text)
        typer.echo(f"Wrote {output}.", err=True)
    else:
        typer.echo(text, nl=False)


@feeds_app.command("topics")
def topics_cmd(
    text: str | None = typer.Argument(None, help="A headline or text to test against the taxonomy."),
    lang: str | None = typer.Option(None, "--lang", help="fr or en (default: both languages' terms are tried)."),
) -> None:
    """Check config/topics.yaml (the relevance filter of `relevance: filter` feeds); show what a text matches."""
    from pipeline.search import refuse_empty
    from pipeline.topics import load_topic_matcher, topics_path

    refuse_empty("lang", [lang] if lang is not None else None)  # `--lang ""` tried both languages without a word

    settings = get_settings()
    matcher = load_topic_matcher(settings)
    if text is None:
        typer.echo(f"{topics_path(settings)}: {len(matcher.topic_ids)} topics, valid: {', '.join(matcher.topic_ids)}.")
        return
    found = matcher.explain(text, lang)
    if not found:
        typer.echo("no topic: an item like this from a `relevance: filter` feed is dropped.")
        return
    for topic in sorted(found):
        typer.echo(f"{topic} ({matcher.labels[topic]}): {', '.join(found[topic])}")
    verdict = "kept" if matcher.is_relevant(text, lang) else "dropped (no topic that counts on its own)"
    typer.echo(f"relevance filter: {verdict}")
