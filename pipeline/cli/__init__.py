"""The `newsroom` command. Each stage registers its own sub-commands from its own module.

Errors meant for users (NewsroomError) are printed as one clear sentence, never as a traceback.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import typer

from pipeline.errors import ConfigError, NewsroomError
from pipeline.sinks import clean_log_lines, for_terminal, mask_secrets, terminal_console

app = typer.Typer(
    name="newsroom",
    help="Monitor press coverage of AI and digital sovereignty (FR/EN): feeds → articles → entities → Elasticsearch.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = terminal_console(stderr=True, soft_wrap=True)  # one line per message: greppable logs


def _flags_show_no_value() -> None:
    """typer 0.29's help table shows every flag as taking a value (`--json <bool>`, `--dry-run <bool>`), though it
    takes none: a flag's type column is left empty, as click's own help does."""
    from typer.core import TyperOption

    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "_newsroom", False):
        return

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) and self.metavar is None else shown(self, ctx)

    display_type_rich._newsroom = True
    TyperOption.display_type_rich = display_type_rich


_flags_show_no_value()

# Modules that add commands to `app` when imported (each owns its commands).
COMMAND_MODULES = [
    "pipeline.cli.config_cmd",
    "pipeline.cli.feeds_cmd",
    "pipeline.cli.fetch_cmd",
    "pipeline.cli.enrich_cmd",
    "pipeline.cli.store_cmd",
    "pipeline.cli.ingest_cmd",
    "pipeline.cli.coverage_cmd",
    "pipeline.cli.search_cmd",
    "pipeline.cli.alerts_cmd",
    "pipeline.cli.report_cmd",
    "pipeline.cli.tone_cmd",
    "pipeline.cli.kibana_cmd",
]


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(value: str) -> int:
    """NEWSROOM_LOG_LEVEL as a level: a name (any case) or a number from 0 to 50."""
    text = value.strip()
    if text.upper() in LOG_LEVELS:
        return getattr(logging, text.upper())
    if text.isascii() and text.isdigit() and int(text) <= logging.CRITICAL:
        return int(text)
    raise ConfigError(f"NEWSROOM_LOG_LEVEL: unknown level {value!r} (use {', '.join(LOG_LEVELS)}, or a number "
                      "from 0 to 50).")


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else _log_level(os.environ.get("NEWSROOM_LOG_LEVEL", "WARNING")),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    clean_log_lines(verbose)
    if not verbose:  # shown with -v only
        from pipeline.sinks import quiet_library_logs

        quiet_library_logs()


# Fast start-up: a command listed here imports only its own module (and what that module imports at the top);
# anything else (`--help`, a command not listed) imports every module above.
COMMAND_MODULE = {
    "config": "pipeline.cli.config_cmd",
    "feeds": "pipeline.cli.feeds_cmd",
    "store": "pipeline.cli.store_cmd",
    "setup": "pipeline.cli.store_cmd",
    "coverage": "pipeline.cli.coverage_cmd",
    "mentions": "pipeline.cli.coverage_cmd",
    "search": "pipeline.cli.search_cmd",
    "alerts": "pipeline.cli.alerts_cmd",
    "report": "pipeline.cli.report_cmd",
    "kibana": "pipeline.cli.kibana_cmd",
    "ingest": "pipeline.cli.ingest_cmd",
    "replay": "pipeline.cli.ingest_cmd",
    "tone": "pipeline.cli.tone_cmd",
}


def _command_name(argv: list[str]) -> str | None:
    """The sub-command asked for: the first argument that is not a root option."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
        if arg in ("--help", "-h"):
            return None
    return None


def _register(argv: list[str] | None = None) -> None:
    module = COMMAND_MODULE.get(_command_name(sys.argv[1:] if argv is None else argv) or "")
    for name in [module] if module else COMMAND_MODULES:
        importlib.import_module(name)


def main(argv: list[str] | None = None) -> None:
    _register(argv)
    try:
        # standalone_mode=False makes click *return* the code of typer.Exit instead of exiting.
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except NewsroomError as exc:
        err_console.print(f"[bold red]Error:[/] {for_terminal(mask_secrets(exc), lines=True)}", highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("Interrupted; state already committed is kept.")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and friends
        import click

        sentence = _environment_failure(exc)
        if sentence:
            logging.getLogger("newsroom").debug("details", exc_info=True)  # shown with -v
            err_console.print(f"[bold red]Error:[/] {for_terminal(mask_secrets(sentence))}", highlight=False)
            sys.exit(1)

        # Recent typer vendors its own click (`typer._click`), whose exceptions derive from `typer.TyperException`,
        # not from click's: both kinds are usage errors to print, not tracebacks.
        usage_errors = (click.exceptions.ClickException,
                        getattr(typer, "TyperException", click.exceptions.ClickException))
        if isinstance(exc, usage_errors) and hasattr(exc, "show"):
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        if isinstance(exc, (click.exceptions.Exit, typer.Exit)):
            sys.exit(exc.exit_code)
        if isinstance(exc, (click.exceptions.Abort, typer.Abort)):
            sys.exit(1)
        raise


def _store_answered() -> bool:
    from pipeline.store.client import CompatTransport

    return CompatTransport.answered


def _store_settings():
    try:
        from pipeline.settings import load_settings

        return load_settings()
    except Exception:  # noqa: BLE001 - a settings problem has its own message elsewhere
        return None


def _store_log() -> str:
    """Where the store's own log is: the embedded stand-in's file, or the cluster's logs."""
    settings = _store_settings()
    if settings is None:
        return "the store's log"
    if settings.es_url:
        return "the Elasticsearch cluster's logs"
    return f"its log ({settings.data_dir / 'es' / 'noida.log'})"


def _restart_how() -> str:
    settings = _store_settings()
    return "" if settings is not None and settings.es_url else " (`newsroom store up`)"


def _environment_failure(exc: BaseException) -> str | None:
    """One sentence for failures of the world around us (store down, disk full, database locked), which no command
    should show as a traceback; None for anything else (a bug keeps its traceback)."""
    import errno
    import sqlite3

    from elastic_transport import ConnectionError, ConnectionTimeout, TransportError
    from elasticsearch import ApiError

    if isinstance(exc, ApiError):
        from pipeline.store.client import api_error_sentence

        settings = _store_settings()
        credentials = bool(settings.es_api_key or settings.es_user) if settings else None
        return f"{api_error_sentence(exc, credentials)} Run with -v for details."
    if isinstance(exc, ConnectionError) and _store_answered():
        return (f"Elasticsearch stopped while answering ({type(exc).__name__}: {exc}): it was reachable a moment "
                f"ago, so this request may have crashed it; see {_store_log()}, then restart it{_restart_how()}. "
                "Run with -v for details.")
    if isinstance(exc, TransportError):
        from pipeline.sinks import mask_url
        from pipeline.store.client import REQUEST_TIMEOUT, unreachable_sentence

        settings = _store_settings()
        configured = bool(settings and settings.es_url)
        url = mask_url(settings.es_url) if configured else "the embedded store"
        if isinstance(exc, ConnectionTimeout) and _store_answered():
            # a search too heavy for the store (10,000 results of a large store on the stand-in, a busy cluster) was
            # told "unreachable: check NEWSROOM_ES_URL and that the cluster is up", though it had just answered
            where = f"Elasticsearch at {url}" if configured else "The embedded Elasticsearch store"
            return (f"{where} answered, then took more than {REQUEST_TIMEOUT} s over this request: it is too heavy "
                    "for the store or the store is overloaded. Narrow it (--since/--until, filters, a smaller --size) "
                    "or try again later. Run with -v for details.")
        ca_certs = str(settings.es_ca_certs) if settings and settings.es_ca_certs else None
        return f"{unreachable_sentence(url, exc, configured, ca_certs)} Run with -v for details."
    if isinstance(exc, sqlite3.Error):
        return f"A local database could not be used ({exc}). Run with -v for details."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            if not where:  # a write() to an open file carries no name: say where files were being written
                import tempfile

                settings = _store_settings()
                places = [str(settings.data_dir.resolve())] if settings else []
                where = f" under {' or '.join([*places, tempfile.gettempdir()])}"
            return (f"No space left to write{where} ({exc.strerror}): free some disk space (or raise the quota) and "
                    "run again; state already committed is kept.")
        return f"{exc.strerror or exc}{where}{_data_dir_setting(exc.filename)}. Run with -v for details."
    return None


def _data_dir_setting(filename: object) -> str:
    """", under NEWSROOM_DATA_DIR" when `filename` lies in the data directory: the setting to fix, named."""
    if not filename:
        return ""
    try:
        from pathlib import Path

        from pipeline.settings import load_settings

        data_dir = Path(os.path.abspath(load_settings().data_dir))
        Path(os.path.abspath(str(filename))).relative_to(data_dir)
    except Exception:  # noqa: BLE001 - not under it, or no settings: nothing to add
        return ""
    return f", in the data directory NEWSROOM_DATA_DIR={data_dir}"
