"""User-facing errors: each carries a sentence naming the file, field or URL at fault.

The CLI prints `NewsroomError` messages and exits non-zero instead of showing a traceback.
"""


class NewsroomError(Exception):
    """An error whose message is meant for the user, as is."""

    exit_code = 1


class ConfigError(NewsroomError):
    """A configuration file or setting is invalid; nothing has been touched."""

    exit_code = 2


class FetchError(NewsroomError):
    """A URL could not be fetched (after retries), or was refused by policy."""


class StoreError(NewsroomError):
    """Elasticsearch (or the embedded stand-in) is unreachable or rejected a request."""


class ModelError(NewsroomError):
    """A language model (spaCy, transformers) is missing or cannot be loaded."""
