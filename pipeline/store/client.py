"""One place that builds the Elasticsearch client from settings (real cluster or embedded stand-in)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from elastic_transport import Transport
from elasticsearch import Elasticsearch
from elasticsearch.serializer import (CompatibilityModeJsonSerializer, CompatibilityModeNdjsonSerializer,
                                      JsonSerializer, NdjsonSerializer)

from pipeline.errors import StoreError, StoreRefused
from pipeline.settings import Settings
from pipeline.sinks import single_line, without_surrogates
from pipeline.store.embedded import EmbeddedStore


log = logging.getLogger(__name__)
_COMPAT_RE = re.compile(r"compatible-with=\d+")


class CompatTransport(Transport):
    """Makes the 9.x client talk to Elasticsearch 8.x servers, and checks that the server is Elasticsearch at all.

    The 9.x client always sends `Accept`/`Content-Type: application/vnd.elasticsearch+json; compatible-with=9`,
    which a real 8.x server rejects (400 media_type_header_exception). On the first request this transport
    asks the server its version (`GET /`, plain `application/json`, which every version accepts, with the request's
    credentials) and, for an 8.x server, rewrites the headers to `compatible-with=8`. 9.x servers (and newer) are
    left untouched.

    The same probe tells a server that no retry will make usable (StoreRefused, one sentence naming the URL and
    the setting to change): one that is not Elasticsearch (an HTML page, a 404, JSON without a version number: a
    Kibana URL, a reverse proxy's landing page, another local service), one refusing our credentials (401/403), a
    redirect, a failed TLS handshake. Connection errors are the request's own error, as before.
    """

    server_major: int | None = None
    _probe_lock = threading.Lock()
    # The store answered this process once: a later connection error means it stopped (or crashed) while answering,
    # not that it was never started (the CLI's message differs).
    answered = False

    def _url(self) -> str:
        try:
            return str(self.node_pool.get().base_url)
        except Exception:  # noqa: BLE001 - only names the store in a message
            return "(unknown URL)"

    def _detect_major(self, headers=None, **options) -> None:
        from elastic_transport import SerializationError, TlsError

        with self._probe_lock:
            if self.server_major is not None:
                return
            probe_headers = {"accept": "application/json"}
            auth = headers.get("authorization") if headers else None
            if auth:
                probe_headers["authorization"] = auth
            try:
                response = super().perform_request("GET", "/", headers=probe_headers, **options)
            except TlsError as exc:
                log.debug("TLS handshake failed", exc_info=True)
                raise StoreRefused(tls_problem(self._url(), exc, _node_ca_certs(self))) from None
            except SerializationError:
                CompatTransport.answered = True
                raise StoreRefused(not_elasticsearch(self._url(), None, "a body that is not valid JSON")) from None
            CompatTransport.answered = True
            status, body = response.meta.status, response.body
            verdict = refusal(self._url(), status, body, response.meta.headers, credentials=bool(auth))
            if verdict is None and (200 <= status < 300 and not _version(body) or
                                    400 <= status < 500 and status not in (408, 429)):
                verdict = not_elasticsearch(self._url(), status, _what(body))
            if verdict:
                raise StoreRefused(verdict)
            if not 200 <= status < 300:
                return  # busy or failing (429, 5xx): the request reports it, the next one probes again
            number = _version(body)
            self.server_major = int(number.split(".")[0])
            if self.server_major < 9:
                log.info("Elasticsearch %s: sending compatible-with=%d headers", number, self.server_major)

    def perform_request(self, method, target, *, headers=None, **kwargs):  # type: ignore[override]
        if self.server_major is None:
            self._detect_major(headers, **{k: v for k, v in kwargs.items()
                                           if k in ("request_timeout", "max_retries", "retry_on_timeout")})
        if headers and self.server_major and self.server_major < 9:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT_RE.sub(f"compatible-with={self.server_major}", headers[name])
        return super().perform_request(method, target, headers=headers, **kwargs)


def _node_ca_certs(transport: Transport) -> str | None:
    try:
        return transport.node_pool.get().config.ca_certs
    except Exception:  # noqa: BLE001
        return None


def _version(body) -> str:
    """`version.number` of a `GET /` reply ("8.17.1"), '' when the reply has none (not Elasticsearch)."""
    version = body.get("version") if isinstance(body, dict) else None
    number = version.get("number") if isinstance(version, dict) else None
    return number if isinstance(number, str) and number[:1].isdigit() else ""


_HTML = re.compile(r"\s*<(!doctype|html|head|body|title|\?xml)", re.IGNORECASE)


def _what(body) -> str:
    """What a reply that is not Elasticsearch's held, in a few words (never the body itself: it is hostile)."""
    if isinstance(body, (str, bytes)):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        if not text.strip():
            return "an empty body"
        return "an HTML page" if _HTML.match(text) else "plain text"
    if body is None:
        return "an empty body"
    return "JSON without Elasticsearch's version number"


def not_elasticsearch(url: str, status: int | None, what: str) -> str:
    answered = f"HTTP {status} with {what}" if status else what
    return (f"The server at {url} is not Elasticsearch (it answered GET / with {answered}): set NEWSROOM_ES_URL to "
            "your cluster's Elasticsearch URL (port 9200 by default, not Kibana's), or unset it to use the embedded "
            "store.")


def _reason(body) -> str:
    """The reason in an Elasticsearch error body, one line ('' when there is none)."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        causes = error.get("root_cause")
        first = causes[0] if isinstance(causes, list) and causes and isinstance(causes[0], dict) else {}
        return single_line(first.get("reason") or error.get("reason") or error.get("type") or "", 200)
    return single_line(error, 200) if isinstance(error, str) else ""


def refusal(url: str, status: int, body, headers=None, *, credentials: bool) -> str | None:
    """The sentence for a reply no retry will change (401, 403, a redirect), naming the URL and the settings to
    fix; None for any other status."""
    reason = _reason(body)
    detail = f"({status}{': ' + reason if reason else ''})"
    if status == 401 and not credentials:
        return (f"Elasticsearch at {url} requires authentication {detail}: set NEWSROOM_ES_API_KEY, or "
                "NEWSROOM_ES_USER and NEWSROOM_ES_PASSWORD (see docs/storage.md).")
    if status == 401:
        return (f"Elasticsearch at {url} rejected the credentials {detail}: check NEWSROOM_ES_API_KEY, or "
                "NEWSROOM_ES_USER and NEWSROOM_ES_PASSWORD (see docs/storage.md).")
    if status == 403:
        return (f"Elasticsearch at {url} refused the request: the user or API key lacks a privilege {detail}; "
                "docs/production.md lists the privileges newsroom needs.")
    if 300 <= status < 400:
        location = single_line((headers or {}).get("location") or "", 100)
        return (f"The server at {url} answered with a redirect ({status}{' to ' + location if location else ''}), "
                "which Elasticsearch never does: is NEWSROOM_ES_URL a Kibana URL? Point it at Elasticsearch "
                "(port 9200 by default).")
    return None


_SSL_REASON = re.compile(r"\[SSL: [A-Z0-9_]+\] ([^(\n]+)")


def tls_problem(url: str, exc: BaseException, ca_certs: str | None = None) -> str:
    """One sentence for a failed TLS handshake, with what to change (the scheme, the CA file)."""
    text = str(exc)
    found = _SSL_REASON.search(text)
    short = single_line(found.group(1) if found else text, 160).rstrip(" .")
    low = text.lower()
    if any(mark in low for mark in ("wrong version number", "wrong_version_number", "record layer failure",
                                    "packet length too long", "http request", "unknown protocol")):
        return (f"The server at {url} does not speak TLS ({short}): if it is plain http, use an http:// URL in "
                "NEWSROOM_ES_URL.")
    if "mismatch" in low:
        return (f"The certificate of {url} is not valid for that host ({short}): use in NEWSROOM_ES_URL the host "
                "name the certificate was issued for.")
    if "certificate verify failed" in low or "certificate_verify_failed" in low:
        signer = f"the CA in NEWSROOM_ES_CA_CERTS ({ca_certs})" if ca_certs else "a CA this machine trusts"
        return (f"The certificate of {url} is not trusted ({short}): it is not signed by {signer}; set "
                "NEWSROOM_ES_CA_CERTS to the file of the CA that signed it (or NEWSROOM_ES_VERIFY_CERTS=false, for a "
                "test only).")
    return (f"The TLS handshake with {url} failed ({short}): check the scheme of NEWSROOM_ES_URL (http:// or "
            "https://) and NEWSROOM_ES_CA_CERTS.")


def _error_url(exc: BaseException) -> str:
    """The URL of the node an ApiError came from (its meta), for the sentence."""
    node = getattr(getattr(exc, "meta", None), "node", None)
    if node is None:
        return "(unknown URL)"
    return f"{node.scheme}://{node.host}:{node.port}{node.path_prefix or ''}"


def api_error_sentence(exc: BaseException, credentials: bool | None = None) -> str:
    """One sentence for a request Elasticsearch refused: the URL, the status, the server's reason (never a raw
    HTML page), and for 401/403/redirects the settings to fix."""
    url, status, body = _error_url(exc), exc.meta.status, getattr(exc, "body", None)  # type: ignore[attr-defined]
    if status == 401 and credentials is None:
        reason = _reason(body)
        return (f"Elasticsearch at {url} requires authentication or rejected the credentials ({status}"
                f"{': ' + reason if reason else ''}): set NEWSROOM_ES_API_KEY, or NEWSROOM_ES_USER and "
                "NEWSROOM_ES_PASSWORD (see docs/storage.md).")
    verdict = refusal(url, status, body, exc.meta.headers, credentials=bool(credentials))  # type: ignore[attr-defined]
    if verdict:
        return verdict
    reason = _reason(body) or (_what(body) if not isinstance(body, dict) else single_line(body, 200))
    return f"Elasticsearch at {url} refused the request ({status}: {reason})."


def unreachable_sentence(url: str, exc: BaseException, configured: bool, ca_certs: str | None = None) -> str:
    """One sentence for a store that cannot be reached, with the hint that fits (TLS, scheme, `store up` only for
    the embedded store)."""
    from elastic_transport import TlsError

    cause: BaseException | None = exc
    for _ in range(10):
        if cause is None or isinstance(cause, TlsError):
            break
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, TlsError):
        return tls_problem(url, cause, ca_certs)
    text = single_line(f"{type(exc).__name__}: {exc}", 300)
    if not configured:
        return f"The embedded Elasticsearch store is unreachable ({text}); start it (`newsroom store up`)."
    hint = ""
    if url.startswith("http://") and any(m in str(exc) for m in ("reset", "RemoteDisconnected", "aborted")):
        hint = " (if the server speaks TLS, use an https:// URL)"
    return f"Elasticsearch at {url} is unreachable ({text}): check NEWSROOM_ES_URL{hint} and that the cluster is up."


def embedded_store(settings: Settings) -> EmbeddedStore:
    return EmbeddedStore(settings.data_dir / "es", port=settings.embedded_es_port)


def resolve_es_url(settings: Settings, start_embedded: bool = True) -> str:
    """NEWSROOM_ES_URL when set; otherwise the embedded stand-in (started if needed)."""
    if settings.es_url:
        return settings.es_url
    store = embedded_store(settings)
    if start_embedded:
        return store.up()
    url = store.running_url()
    if url is None:  # the indexer retries this URL, then spools: never another data dir's store answering on it
        store.refuse_a_foreign_port()
    return url or store.url


# A surrogate written as a JSON escape (`\ud800`): the only way one reaches a reply, which is UTF-8
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(value):
    """A decoded reply with each lone surrogate in its texts (keys too) as U+FFFD; pairs are whole characters."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


class _NoLoneSurrogates:
    """Request bodies and replies with each lone surrogate as U+FFFD.

    A command-line argument that is not UTF-8 (« très » typed in a Latin-1 terminal reaches Python as 'tr\\udce8s')
    went out as invalid UTF-8, and the store refused the whole request ("not valid JSON"): `newsroom search`, `tone
    set --note` failed with a sentence blaming Elasticsearch. Elasticsearch stores a lone surrogate escape written by
    another tool (`"title": "\\ud800"`) and returns it as written; read as is, it could not be written as UTF-8:
    `--json` of search, mentions and coverage and `tone export` ended in a traceback, and a webhook rule failed on the
    article at every run (queries audit, eighth round)."""

    def json_dumps(self, data) -> bytes:
        raw = super().json_dumps(data)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return without_surrogates(raw.decode("utf-8", "surrogatepass")).encode("utf-8")
        return raw

    def json_loads(self, data: bytes):
        loaded = super().json_loads(data)
        return _without_lone_surrogates(loaded) if _SURROGATE_ESCAPE.search(data) else loaded


SERIALIZERS = {base.mimetype: type(base.__name__, (_NoLoneSurrogates, base), {})()
               for base in (JsonSerializer, NdjsonSerializer, CompatibilityModeJsonSerializer,
                            CompatibilityModeNdjsonSerializer)}


REQUEST_TIMEOUT = 30  # seconds each request may take; one that takes longer is tried again, MAX_RETRIES times
MAX_RETRIES = 3
# For the query commands (search, coverage, mentions, report): a query that outlasted the timeout is not sent again.
# Tried again it took as long each time (4 tries, 4 min for `search '*' --size 10000` on 5,000 stored articles), and
# the stand-in ran every abandoned try to its end, answering nothing else meanwhile (a health check took 45 s).
QUERY_OPTIONS = {"retry_on_timeout": False}


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
    options = dict(request_timeout=REQUEST_TIMEOUT, retry_on_timeout=True, max_retries=MAX_RETRIES,
                   transport_class=CompatTransport, serializers=SERIALIZERS)
    options.update(kwargs)
    client = Elasticsearch(resolve_es_url(settings, start_embedded), **auth, **options)
    # The store is checked here, before any work: a server that is not Elasticsearch, refuses the credentials or
    # fails the TLS handshake raises StoreRefused now (CompatTransport's probe), in every command. An unreachable
    # one is left to the first real request (ingest spools; the commands say "unreachable").
    client.ping()
    return client


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


PAGE = 1_000  # hits per request when every hit is read (`--all`): memory bounded by a page whatever the count
POINT_IN_TIME_KEEP_ALIVE = "2m"  # between two pages; each page renews it


def every_hit(client: Elasticsearch, index: str, body: dict, tiebreak: list[dict], page: int = PAGE) -> Iterator[dict]:
    """Every hit of a search, in its sort, a page at a time past Elasticsearch's 10,000-hit result window
    (`search --all`, `mentions --all`): `search_after` on the body's sort, made unique by `tiebreak` (real
    Elasticsearch refuses to sort on `_id`), inside a point in time where the cluster opens one, so an article
    indexed or rolled over meanwhile is neither missed nor listed twice. A cluster that opens none (a proxy, a
    key without the privilege, an older server) is paged on the sort alone, as before; the point in time is
    closed however the reading ends.

    A store that answers a page with hits of the page before has not moved past it: the embedded stand-in compares
    a relevance score summed from several words at another precision than it returns it, so `search 'Nvidia chips'
    --all` wrote its first 1,000 articles again and again, without end. The reading then goes on in a scroll (the
    same sort, so the same order), past the hits already given."""
    from elasticsearch import ApiError

    try:
        pit = client.open_point_in_time(index=index, keep_alive=POINT_IN_TIME_KEEP_ALIVE)["id"]
    except ApiError as exc:  # 400/403/404/405: the search itself says what is wrong, if anything is
        log.debug("no point in time on %s (%s): paging on the sort alone", index, exc)
        pit = None
    body = {**body, "size": page, "sort": [*body.get("sort", []), *tiebreak]}
    after, given, previous = None, 0, set()
    try:
        while True:
            where = {"pit": {"id": pit, "keep_alive": POINT_IN_TIME_KEEP_ALIVE}} if pit else {"index": index}
            reply = client.search(**where, **body, **({"search_after": after} if after else {}))
            pit = reply.get("pit_id") or pit  # a cluster may hand back a new id with each page
            hits = reply["hits"]["hits"]
            seen = {(hit.get("_index"), hit["_id"]) for hit in hits}
            if seen & previous:  # not moved past the last page: read on in a scroll
                log.debug("%s did not page past %s: reading on in a scroll", client_url(client), after)
                yield from _scrolled(client, index, body, skip=given)
                return
            yield from hits
            given += len(hits)
            if len(hits) < page:
                return
            after, previous = hits[-1]["sort"], seen
            body.pop("track_total_hits", None)  # counted once, on the first page
    finally:
        if pit:
            try:
                client.close_point_in_time(id=pit)
            except ApiError:  # expired already: nothing left to free
                log.debug("point in time on %s already closed", index)


def _scrolled(client: Elasticsearch, index: str, body: dict, skip: int) -> Iterator[dict]:
    """The hits of a sorted search read in a scroll, the first `skip` left out; the scroll cleared at the end."""
    from elasticsearch import ApiError

    reply = client.search(index=index, scroll=POINT_IN_TIME_KEEP_ALIVE, **body)
    scroll_id = reply.get("_scroll_id")
    try:
        while hits := reply["hits"]["hits"]:
            yield from hits[skip:]
            skip = max(0, skip - len(hits))
            reply = client.scroll(scroll_id=scroll_id, scroll=POINT_IN_TIME_KEEP_ALIVE)
            scroll_id = reply.get("_scroll_id") or scroll_id
    finally:
        if scroll_id:
            try:
                client.clear_scroll(scroll_id=scroll_id)
            except ApiError:
                log.debug("scroll on %s already cleared", index)
