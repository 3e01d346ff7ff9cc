"""One place that builds the Elasticsearch client from settings (real cluster or embedded stand-in)."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from pipeline.settings import Settings
from pipeline.store.embedded import EmbeddedStore


def embedded_store(settings: Settings) -> EmbeddedStore:
    return EmbeddedStore(settings.data_dir / "es", port=settings.embedded_es_port)


def resolve_es_url(settings: Settings, start_embedded: bool = True) -> str:
    """NEWSROOM_ES_URL when set; otherwise the embedded stand-in (started if needed)."""
    if settings.es_url:
        return settings.es_url
    store = embedded_store(settings)
    if start_embedded:
        return store.up()
    return store.running_url() or store.url


def make_client(settings: Settings, start_embedded: bool = True, **kwargs) -> Elasticsearch:
    auth: dict = {}
    if settings.es_api_key:
        auth["api_key"] = settings.es_api_key.get_secret_value()
    elif settings.es_user:
        password = settings.es_password.get_secret_value() if settings.es_password else ""
        auth["basic_auth"] = (settings.es_user, password)
    if settings.es_ca_certs:
        auth["ca_certs"] = str(settings.es_ca_certs)
    if not settings.es_verify_certs:
        auth["verify_certs"] = False
    options = dict(request_timeout=30, retry_on_timeout=True, max_retries=3)
    options.update(kwargs)
    return Elasticsearch(resolve_es_url(settings, start_embedded), **auth, **options)
