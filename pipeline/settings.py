"""Effective settings: environment variables with the NEWSROOM_ prefix, optionally a .env file."""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import ConfigError
from pipeline.sinks import single_line

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"
SMTP_SECURITY = ("starttls", "ssl", "none")


def ca_file_problem(path: Path) -> str | None:
    """Why `path` cannot serve as a CA bundle (missing, a directory, unreadable, no PEM certificate), or None.

    Checked when settings load: otherwise every TLS connection failed with "[Errno 2] No such file or directory",
    naming neither the file nor the variable."""
    import ssl

    if not path.exists():
        return f"{path} does not exist"
    if path.is_dir():
        return f"{path} is a directory, not a CA file"
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(path))
    except ssl.SSLError:
        return f"{path} holds no PEM certificate"
    except (OSError, ValueError) as exc:
        return f"{path} cannot be read ({getattr(exc, 'strerror', None) or exc})"
    return None


def header_value_problem(value: str) -> str | None:
    """Why `value` cannot be sent as an HTTP header value (httpx sends them as ASCII), or None."""
    if any(ord(ch) < 32 and ch != "\t" or ord(ch) == 127 for ch in value):
        return "contains a line break or control character"
    if not value.isascii():
        bad = next(ch for ch in value if not ch.isascii())
        return f"contains the non-ASCII character {bad!r} (HTTP header values must be ASCII)"
    return None



def known_zone(name: str) -> ZoneInfo:
    """The time zone called `name`; ValueError with a sentence when the system does not know it (an over-long name
    is an OSError from the file system, not a lookup miss)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {single_line(name, 60)!r} (e.g. Europe/Paris)") from None


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def zone_name(name: str) -> str:
    """The IANA name `name` stands for, in its own case (`utc` → `UTC`, `europe/paris` → `Europe/Paris`);
    ValueError for a name that is no IANA zone (`localtime` is a file on some systems, not a zone a reader knows)."""
    name = name.strip()
    if name.casefold() in ("localtime", "posixrules"):  # files of some systems' zone folder, not zone names
        canonical = None
    else:
        try:  # the usual case, exact: no scan of the zone folder (which costs the CLI's start-up 0.1 s)
            known_zone(name)
            canonical = name
        except ValueError:
            canonical = _zone_names().get(name.casefold())
    if canonical is None:
        raise ValueError(f"unknown time zone {single_line(name, 60)!r}: use an IANA name such as Europe/Paris or UTC")
    return canonical


class Settings(BaseSettings):
    # nan and inf are refused everywhere: "NEWSROOM_ALERTS_TIMEOUT=nan" left every delivery pending forever
    model_config = SettingsConfigDict(env_prefix="NEWSROOM_", env_file=".env", env_file_encoding="utf-8-sig",
                                      extra="ignore", allow_inf_nan=False)

    # Where things live
    data_dir: Path = Path("./data")
    state_lock_timeout: float = Field(30.0, ge=0, le=3600)  # seconds to wait for another process holding fetch-state.sqlite3
    config_dir: Path = DEFAULT_CONFIG_DIR
    feeds_file: Path | None = None  # default: <config_dir>/feeds.yaml

    # Elasticsearch: unset URL means the embedded stand-in under <data_dir>/es
    es_url: str | None = None
    es_user: str | None = None
    es_password: SecretStr | None = None
    es_api_key: SecretStr | None = None
    es_ca_certs: Path | None = None
    es_verify_certs: bool = True
    es_index_prefix: str = Field("newsroom", pattern=r"^[a-z0-9][a-z0-9_-]{0,99}$")  # an index name's rules
    es_shards: int = Field(1, ge=1, le=1024)
    es_replicas: int = Field(0, ge=0, le=32)
    es_retention_days: int = Field(730, ge=1, le=36500)
    es_rollover_max_size: str = "30gb"
    es_rollover_max_age: str = "30d"
    embedded_es_port: int = Field(0, ge=0, le=65535)  # 0: pick a free port
    es_bulk_chunk: int = Field(200, ge=1, le=10000)  # articles per indexing batch (bounded memory)
    es_retries: int = Field(4, ge=0, le=100)  # batch retries on 429/503/lost connection before spooling to disk
    es_backoff_base: float = Field(0.5, ge=0, le=600)
    es_backoff_max: float = Field(10.0, ge=0, le=3600)
    dedup_window_days: int = Field(14, ge=1, le=3650)  # near-duplicate clusters are searched among articles first seen this recently

    # Kibana (optional)
    kibana_url: str | None = None
    kibana_user: str | None = None
    kibana_password: SecretStr | None = None
    kibana_api_key: SecretStr | None = None
    kibana_space: str | None = None

    # Fetching
    user_agent: str = "newsroom/0.1 (+https://github.com/newsroom-monitoring/newsroom; press monitoring bot)"
    fetch_concurrency: int = Field(8, ge=1, le=256)
    fetch_host_delay: float = Field(1.0, le=600)  # seconds between two requests to one host
    fetch_connect_timeout: float = 10.0
    fetch_read_timeout: float = 30.0
    fetch_total_timeout: float = 120.0  # whole request incl. body: a server dripping bytes cannot stall a worker
    # seconds one feed's parsing may take (in a worker process, off the event loop; pipeline/feedworker.py): past it,
    # the parse is stopped and that feed fails. 0: no limit
    feed_parse_timeout: float = Field(30.0, ge=0, le=3600)
    fetch_max_redirects: int = Field(5, ge=0, le=50)
    fetch_retries: int = Field(3, ge=0, le=100)
    fetch_backoff_base: float = Field(1.0, ge=0, le=600)
    fetch_backoff_max: float = Field(60.0, ge=0, le=3600)
    fetch_max_bytes: int = Field(10_000_000, ge=1_000, le=1_000_000_000)
    fetch_allow_hosts: str = ""  # comma-separated hosts, IPs or CIDRs (optional :port) allowed despite the SSRF guard
    respect_robots: bool = True
    max_items_per_feed: int = Field(200, ge=1, le=100_000)
    min_article_words: int = Field(80, ge=0, le=100_000)
    collect_process: bool = True  # `newsroom ingest`: fetch + extract in a second process, enrichment in the main one
    # ... which then also enriches a share of the articles, so NER runs on both cores: forked once the models are
    # loaded, it shares their memory. On by default with two cores or more (docs/storage.md has the figures).
    collect_process_enriches: bool = Field(default_factory=lambda: (os.cpu_count() or 1) >= 2)

    # Enrichment
    enrich_batch_size: int = Field(16, ge=1, le=1024)
    sentiment_backend: str = "model"  # trained tone model; or "lexicon" (rules) or "transformers"
    sentiment_model: str | None = None  # Hugging Face model name or local path for the transformers backend

    # Alerts / notification channels (secrets only from env or Airflow Connections)
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_from: str = "newsroom@localhost"
    smtp_ca_file: Path | None = None  # CA bundle for a mail relay with a private CA (default: system CAs)
    slack_webhook_url: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    alerts_file: Path | None = None  # default: <config_dir>/alerts.yaml
    alerts_watermark_margin_minutes: int = Field(30, ge=0, le=7 * 24 * 60)  # re-read this much before the newest indexed_at seen (indexing lag)
    alerts_initial_lookback_hours: int = Field(24, ge=0, le=366 * 24)  # a new rule looks at articles indexed this recently, not the archive
    alerts_timeout: float = Field(15.0, gt=0, le=600)  # seconds per SMTP/HTTP delivery attempt
    alerts_max_items_per_message: int = Field(50, ge=1, le=1000)  # grouped/digest messages list at most this many (the rest next time)
    analyst: str | None = None  # who records tone corrections (`newsroom tone set`); default: the OS user

    # Scheduled runs (Airflow): the DAG run fails when more than this share of the feeds failed (always when all did)
    max_failed_feeds_ratio: float = Field(0.5, ge=0, le=1)

    # Coverage
    timezone: str = "Europe/Paris"
    schedule: str = "@daily"

    @field_validator("fetch_host_delay", "fetch_connect_timeout", "fetch_read_timeout", "fetch_total_timeout")
    @classmethod
    def _non_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("must be >= 0")
        return value

    @field_validator("data_dir")
    @classmethod
    def _a_directory(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} exists and is not a directory")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """Checked at load: a 300-character name failed later with the OS's "File name too long"."""
        return zone_name(value)

    @field_validator("user_agent")
    @classmethod
    def _header_value(cls, value: str) -> str:
        """Sent as an HTTP header on every request: a line break would add headers, and a non-ASCII character
        failed every feed of every run."""
        problem = header_value_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("es_url", "kibana_url")
    @classmethod
    def _service_url(cls, value: str | None) -> str | None:
        """Checked here, not at the first request: a malformed URL gave a traceback in every command."""
        if value is None or not value.strip():
            return None
        from urllib.parse import urlsplit

        value = value.strip()
        try:
            parts = urlsplit(value)
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a usable URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http:// or https:// URL with a host name")
        if port == 0 or any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise ValueError(f"{value!r} is not a usable URL")
        return value

    @field_validator("smtp_host")
    @classmethod
    def _smtp_host(cls, value: str | None) -> str | None:
        """A host name or address: `smtp://relay:25` or `relay:25` failed every delivery ("Name or service not
        known")."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        import ipaddress

        try:
            ipaddress.ip_address(value.strip("[]"))
            return value.strip("[]")
        except ValueError:
            pass
        if "://" in value or ":" in value or "/" in value or any(ch.isspace() for ch in value):
            raise ValueError(f"{value!r}: give a host name only (the port goes in NEWSROOM_SMTP_PORT, the TLS mode in "
                             "NEWSROOM_SMTP_SECURITY)")
        return value

    @field_validator("slack_webhook_url")
    @classmethod
    def _slack_url(cls, value: SecretStr | None) -> SecretStr | None:
        """An https:// URL (not shown in the error: it is a secret): one without its scheme failed every delivery."""
        if value is None or not value.get_secret_value().strip():
            return None
        from urllib.parse import urlsplit

        url = value.get_secret_value().strip()
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("is not an https:// URL (such as https://hooks.slack.com/services/…; the value is not "
                             "shown: it is a secret)")
        return SecretStr(url)

    @field_validator("smtp_security")
    @classmethod
    def _smtp_security(cls, value: str) -> str:
        if value.strip().lower() not in SMTP_SECURITY:
            raise ValueError(f"{value!r} is not one of {', '.join(SMTP_SECURITY)}")
        return value.strip().lower()

    @field_validator("es_ca_certs", "smtp_ca_file", mode="before")
    @classmethod
    def _blank_path(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("es_ca_certs")
    @classmethod
    def _es_ca_file(cls, value: Path | None) -> Path | None:
        problem = ca_file_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("smtp_ca_file")
    @classmethod
    def _smtp_ca_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        """Only read for a TLS relay: with NEWSROOM_SMTP_SECURITY=none no certificate is ever checked."""
        if value is None or info.data.get("smtp_security") == "none":
            return value
        problem = ca_file_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("smtp_from")
    @classmethod
    def _smtp_from(cls, value: str) -> str:
        """One address the mail library can send from: a second one was dropped silently, a non-ASCII local part
        failed every delivery."""
        from email.utils import getaddresses

        from pipeline.sinks import mail_address

        if len(getaddresses([value])) != 1:
            raise ValueError(f"{value!r} must be one e-mail address")
        mail_address(value)
        return value

    @field_validator("fetch_allow_hosts")
    @classmethod
    def _allow_entries(cls, value: str) -> str:
        from pipeline.fetch import split_allow_entry

        for entry in value.split(","):
            if entry.strip():
                split_allow_entry(entry)
        return value

    @property
    def feeds_path(self) -> Path:
        return self.feeds_file or self.config_dir / "feeds.yaml"

    def config_path(self, name: str) -> Path:
        return self.config_dir / name

    def masked(self) -> dict:
        """Settings as a dict with every secret replaced by '***'."""
        out = {}
        for key, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                value = "***" if value.get_secret_value() else ""
            elif isinstance(value, Path):
                value = str(value)
            out[key] = value
        from pipeline.sinks import mask_url

        for key in ("es_url", "kibana_url"):
            if out.get(key):
                out[key] = mask_url(out[key])  # user:password@ and ?token=… in a URL are secrets too
        return out


def check_env_file(path: Path) -> None:
    """A ConfigError sentence naming `path` (the .env file read beside the environment) when it is unreadable, not
    UTF-8 text, or has a line that cannot be parsed: python-dotenv raised a bare traceback on a UTF-16 or Latin-1
    file, and dropped a line with an unclosed quote without a word (the setting silently fell back to its default)."""
    if not path.is_file():
        return  # absent: nothing is read (pydantic-settings reads regular files only)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path.absolute()} (settings file) cannot be read ({exc.strerror or exc}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            why = "it is UTF-16, as some Windows editors save it"
        else:
            line = raw[:exc.start].count(b"\n") + 1
            why = f"byte 0x{raw[exc.start]:02x} on line {line}"
        raise ConfigError(f"{path.absolute()} (settings file) is not UTF-8 text ({why}): save it as UTF-8.") from None
    from dotenv.parser import parse_stream

    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ConfigError(f"{path.absolute()} (settings file), line {binding.original.line}: cannot be parsed (an "
                              "unclosed quote, or not NAME=value?).")


def load_settings(**overrides) -> Settings:
    """Build settings, turning validation errors into a ConfigError naming the variable."""
    env_file = overrides.get("_env_file", Settings.model_config.get("env_file"))
    for name in [env_file] if isinstance(env_file, (str, Path)) else env_file or []:
        check_env_file(Path(name))
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"NEWSROOM_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise ConfigError(f"Invalid setting(s) in the environment or .env file: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
