"""Effective settings: environment variables with the NEWSROOM_ prefix, optionally a .env file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSROOM_", env_file=".env", extra="ignore")

    # Where things live
    data_dir: Path = Path("./data")
    state_lock_timeout: float = 30.0  # seconds to wait for another process holding fetch-state.sqlite3
    config_dir: Path = DEFAULT_CONFIG_DIR
    feeds_file: Path | None = None  # default: <config_dir>/feeds.yaml

    # Elasticsearch: unset URL means the embedded stand-in under <data_dir>/es
    es_url: str | None = None
    es_user: str | None = None
    es_password: SecretStr | None = None
    es_api_key: SecretStr | None = None
    es_ca_certs: Path | None = None
    es_verify_certs: bool = True
    es_index_prefix: str = "newsroom"
    es_shards: int = 1
    es_replicas: int = 0
    es_retention_days: int = 730
    es_rollover_max_size: str = "30gb"
    es_rollover_max_age: str = "30d"
    embedded_es_port: int = 0  # 0: pick a free port
    es_bulk_chunk: int = 200  # articles per indexing batch (bounded memory)
    es_retries: int = 4  # batch retries on 429/503/lost connection before spooling to disk
    es_backoff_base: float = 0.5
    es_backoff_max: float = 10.0
    dedup_window_days: int = 14  # near-duplicate clusters are searched among articles first seen this recently

    # Kibana (optional)
    kibana_url: str | None = None
    kibana_user: str | None = None
    kibana_password: SecretStr | None = None
    kibana_api_key: SecretStr | None = None
    kibana_space: str | None = None

    # Fetching
    user_agent: str = "newsroom/0.1 (+https://github.com/newsroom-monitoring/newsroom; press monitoring bot)"
    fetch_concurrency: int = 8
    fetch_host_delay: float = 1.0
    fetch_connect_timeout: float = 10.0
    fetch_read_timeout: float = 30.0
    fetch_total_timeout: float = 120.0  # whole request incl. body: a server dripping bytes cannot stall a worker
    fetch_max_redirects: int = 5
    fetch_retries: int = 3
    fetch_backoff_base: float = 1.0
    fetch_backoff_max: float = 60.0
    fetch_max_bytes: int = 10_000_000
    fetch_allow_hosts: str = ""  # comma-separated hosts, IPs or CIDRs (optional :port) allowed despite the SSRF guard
    respect_robots: bool = True
    max_items_per_feed: int = 200
    min_article_words: int = 80
    collect_process: bool = True  # `newsroom ingest`: fetch + extract in a second process, enrichment in the main one
    # ... which then also enriches a share of the articles, so NER runs on both cores: forked once the models are
    # loaded, it shares their memory. On by default with two cores or more (docs/storage.md has the figures).
    collect_process_enriches: bool = Field(default_factory=lambda: (os.cpu_count() or 1) >= 2)

    # Enrichment
    enrich_batch_size: int = 16
    sentiment_backend: str = "model"  # trained tone model; or "lexicon" (rules) or "transformers"
    sentiment_model: str | None = None  # Hugging Face model name or local path for the transformers backend

    # Alerts / notification channels (secrets only from env or Airflow Connections)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_from: str = "newsroom@localhost"
    smtp_ca_file: Path | None = None  # CA bundle for a mail relay with a private CA (default: system CAs)
    slack_webhook_url: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    alerts_file: Path | None = None  # default: <config_dir>/alerts.yaml
    alerts_watermark_margin_minutes: int = 30  # re-read this much before the newest indexed_at seen (indexing lag)
    alerts_initial_lookback_hours: int = 24  # a new rule looks at articles indexed this recently, not the archive
    alerts_timeout: float = 15.0  # seconds per SMTP/HTTP delivery attempt
    alerts_max_items_per_message: int = 50  # grouped/digest messages list at most this many (the rest next time)
    analyst: str | None = None  # who records tone corrections (`newsroom tone set`); default: the OS user

    # Scheduled runs (Airflow): the DAG run fails when more than this share of the feeds failed (always when all did)
    max_failed_feeds_ratio: float = 0.5

    # Coverage
    timezone: str = "Europe/Paris"
    schedule: str = "@daily"

    @field_validator("fetch_host_delay", "fetch_connect_timeout", "fetch_read_timeout", "fetch_total_timeout")
    @classmethod
    def _non_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("must be >= 0")
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


def load_settings(**overrides) -> Settings:
    """Build settings, turning validation errors into a ConfigError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"NEWSROOM_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"Invalid setting(s) in the environment or .env file: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
