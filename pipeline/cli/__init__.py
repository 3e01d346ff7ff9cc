"""The `newsroom` command. Each stage registers its own sub-commands from its own module.

Errors meant for users (NewsroomError) are printed as one clear sentence, never as a traceback.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import typer
from rich.console import Console

from pipeline.errors import NewsroomError

app = typer.Typer(
    name="newsroom",
    help="Monitor press coverage of AI and digital sovereignty (FR/EN): feeds → articles → entities → Elasticsearch.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True, soft_wrap=True)  # one line per message: greppable logs

# Modules that add commands to `app` when imported (each owns its commands).
COMMAND_MODULES = [
    "pipeline.cli.config_cmd",
    "pipeline.cli.feeds_cmd",
    "pipeline.cli.fetch_cmd",
    "pipeline.cli.enrich_cmd",
    "pipeline.cli.store_cmd",
    "pipeline.cli.coverage_cmd",
    "pipeline.cli.search_cmd",
    "pipeline.cli.alerts_cmd",
    "pipeline.cli.report_cmd",
    "pipeline.cli.kibana_cmd",
]


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else os.environ.get("NEWSROOM_LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


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
        err_console.print(f"[bold red]Error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("Interrupted; state already committed is kept.")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and friends
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
