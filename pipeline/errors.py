"""User-facing errors: each carries a sentence naming the file, field or URL at fault.

The CLI prints `NewsroomError` messages and exits non-zero instead of showing a traceback.
"""


class NewsroomError(Exception):
    """An error whose message is meant for the user, as is.

    `retryable` says whether trying again later can help: the Airflow tasks fail at once, without waiting out their
    retries, on an error that is not (pipeline.orchestration.run_task).
    """

    exit_code = 1
    retryable = True


class ConfigError(NewsroomError):
    """A configuration file or setting is invalid; nothing has been touched."""

    exit_code = 2
    retryable = False


class FetchError(NewsroomError):
    """A URL could not be fetched (after retries), or was refused by policy."""


class StoreError(NewsroomError):
    """Elasticsearch (or the embedded stand-in) is unreachable or rejected a request."""


class StoreRefused(StoreError):
    """The server at the store's URL is not Elasticsearch, refuses our credentials, or fails the TLS handshake:
    retrying cannot help (a setting must change), so a run stops at its start instead of spooling."""

    retryable = False


class ModelError(NewsroomError):
    """A language model (spaCy, transformers) is missing or cannot be loaded."""

    retryable = False


def one_of(value: str, choices, what: str) -> str:
    """An enumerated option's value as its canonical spelling, typed in any case (`--interval Week`, `--sort DATE`);
    anything else is one sentence listing the choices: "Unknown interval 'hour': use day, week or month."."""
    names = list(choices)
    text = value.strip().lower() if isinstance(value, str) else value
    if text in names:
        return text
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    raise NewsroomError(f"Unknown {what} {value!r}: use {listed}.")
