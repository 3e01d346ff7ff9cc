"""One place that builds the Elasticsearch client from settings (real cluster or embedded stand-in)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from elastic_transport import Transport
from elasticsearch import Elasticsearch

from pipeline.errors import StoreError
from pipeline.settings import Settings
from pipeline.store.embedded import EmbeddedStore


log = logging.getLogger(__name__)
_COMPAT_RE = re.compile(r"compatible-with=\d+")


class CompatTransport(Transport):
    """Makes the 9.x client talk to Elasticsearch 8.x servers.

    The 9.x client always sends `Accept`/`Content-Type: application/vnd.elasticsearch+json; compatible-with=9`,
    which a real 8.x server rejects (400 media_type_header_exception). On the first request this transport
    asks the server its version (plain `application/json`, which every version accepts) and, for an 8.x
    server, rewrites the headers to `compatible-with=8`. 9.x servers (and newer) are left untouched.
    """

    server_major: int | None = None
    _probe_lock = threading.Lock()
    # The store answered this process once: a later connection error means it stopped (or crashed) while answering,
    # not that it was never started (the CLI's message differs).
    answered = False

    def _detect_major(self) -> None:
        with self._probe_lock:
            if self.server_major is not None:
                return
            response = super().perform_request("GET", "/", headers={"accept": "application/json"})
            CompatTransport.answered = True
            number = str((response.body or {}).get("version", {}).get("number", ""))
            self.server_major = int(number.split(".")[0]) if number[:1].isdigit() else 0
            if self.server_major and self.server_major < 9:
                log.info("Elasticsearch %s: sending compatible-with=%d headers", number, self.server_major)

    def perform_request(self, method, target, *, headers=None, **kwargs):  # type: ignore[override]
        if self.server_major is None:
            try:
                self._detect_major()
            except Exception:  # noqa: BLE001 - unreachable now: the real request below reports it
                pass
        if headers and self.server_major and self.server_major < 9:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT_RE.sub(f"compatible-with={self.server_major}", headers[name])
        return super().perform_request(method, target, headers=headers, **kwargs)


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
    options = dict(request_timeout=30, retry_on_timeout=True, max_retries=3, transport_class=CompatTransport)
    options.update(kwargs)
    return Elasticsearch(resolve_es_url(settings, start_embedded), **auth, **options)


def is_standin(client: Elasticsearch) -> bool:
    """True for the noida-db stand-in, whose known gaps (time_zone, ILM...) callers report honestly."""
    try:
        info = client.info()
    except Exception:  # noqa: BLE001
        return False
    return info.get("version", {}).get("build_hash") == "noida" or "noida" in str(info.get("tagline", "")).lower()


def client_url(client: Elasticsearch) -> str:
    try:
        return str(client.transport.node_pool.get().base_url)
    except Exception:  # noqa: BLE001 - only used to name the store in a message
        return "(unknown URL)"


@contextmanager
def store_replies(client: Elasticsearch) -> Iterator[None]:
    """Turns a reply lacking what Elasticsearch always sends (`count`, `hits`...) into one StoreError naming the URL.

    Such a reply comes from a program that is not Elasticsearch (a proxy or another server on NEWSROOM_ES_URL);
    reading it would otherwise end in a KeyError traceback.
    """
    try:
        yield
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        log.debug("unexpected reply from the store", exc_info=True)
        raise StoreError(f"The store at {client_url(client)} answered something that is not an Elasticsearch reply "
                         f"({type(exc).__name__}: {exc}): check NEWSROOM_ES_URL (run with -v for details).") from None
