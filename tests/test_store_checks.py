"""The store at NEWSROOM_ES_URL is checked once, when the client is made: a server that is not Elasticsearch, a
secured cluster refusing us, a redirect, a failed TLS handshake are one sentence naming the URL and the setting to
change, in every command, before any work (no fetch, no spool). CA files are checked with the other settings.

Real servers on 127.0.0.1 (tests/_reply_server.py), nothing mocked.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import load_settings
from pipeline.store.client import CompatTransport
from _alerts_helpers import SmtpServer, free_port, self_signed_cert
from _reply_server import ReplyServer


def _run(capsys, *args: str) -> tuple[int, str]:
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    return exc.value.code, " ".join((captured.out + captured.err).split())


def _commands(tmp_path, feeds) -> list[list[str]]:
    return [["setup"], ["ingest", "--feeds", str(feeds)], ["mentions", "--entity", "Mistral AI"],
            ["report", "-o", str(tmp_path / "r.html")], ["tone", "list"], ["search", "Mistral"], ["store", "status"],
            ["alerts", "run", "--dry-run"], ["alerts", "test", "AI Act", "--article-id", "abc"],
            ["reenrich", "--force"], ["replay"], ["tone", "export", "-o", str(tmp_path / "t.jsonl")]]


@pytest.mark.parametrize("mode", ["html", "json-empty"])
def test_a_server_that_is_not_elasticsearch_stops_every_command_in_one_sentence(mode, tmp_path, monkeypatch,
                                                                                 capsys, fixture_site,
                                                                                 isolated_settings):
    feeds = fixture_site.feeds_file(tmp_path)
    with ReplyServer(mode) as stranger:
        monkeypatch.setenv("NEWSROOM_ES_URL", stranger.url)
        for args in _commands(tmp_path, feeds):
            code, out = _run(capsys, *args)
            assert code == 1, (args, out)
            assert f"The server at {stranger.url} is not Elasticsearch" in out and "NEWSROOM_ES_URL" in out, (args, out)
            assert "Traceback" not in out and "<" not in out and "alerts.yaml" not in out, (args, out)
            assert "store up" not in out, (args, out)
        assert not any(r.startswith(("PUT", "POST", "DELETE")) for r in stranger.requests)  # nothing was written
    assert fixture_site.requests == []  # ingest stopped before fetching anything
    assert not (isolated_settings / "spool").exists() and not (tmp_path / "r.html").exists()


def test_a_secured_cluster_refusing_us_names_the_url_and_the_settings_before_any_work(tmp_path, monkeypatch, capsys,
                                                                                       fixture_site,
                                                                                       isolated_settings):
    feeds = fixture_site.feeds_file(tmp_path)
    with ReplyServer("auth401") as secured:
        monkeypatch.setenv("NEWSROOM_ES_URL", secured.url)
        for args in (["search", "Mistral"], ["coverage", "--entity", "Mistral AI"], ["store", "status"],
                     ["ingest", "--feeds", str(feeds)]):
            code, out = _run(capsys, *args)
            assert code == 1 and "Traceback" not in out and "None" not in out, (args, out)
            assert f"Elasticsearch at {secured.url} requires authentication (401" in out, (args, out)
            assert "NEWSROOM_ES_API_KEY" in out and "NEWSROOM_ES_USER" in out, (args, out)
        monkeypatch.setenv("NEWSROOM_ES_API_KEY", "bm8tc3VjaC1rZXk=")
        code, out = _run(capsys, "search", "Mistral")
        assert code == 1 and f"Elasticsearch at {secured.url} rejected the credentials (401" in out, out
        assert secured.authorization[-1] == "ApiKey bm8tc3VjaC1rZXk="  # the version probe carries the credentials

    with ReplyServer("forbidden403") as forbidden:
        monkeypatch.delenv("NEWSROOM_ES_API_KEY")
        monkeypatch.setenv("NEWSROOM_ES_URL", forbidden.url)
        for args in (["setup"], ["ingest", "--feeds", str(feeds)], ["search", "Mistral"], ["tone", "list"]):
            code, out = _run(capsys, *args)
            assert code == 1 and "Traceback" not in out and "None" not in out, (args, out)
            assert f"Elasticsearch at {forbidden.url} refused the request: the user or API key lacks a privilege " \
                   "(403" in out and "docs/production.md" in out, (args, out)
        assert "action [indices:admin/create] is unauthorized" in _run(capsys, "setup")[1]

    with ReplyServer("redirect") as kibana:
        monkeypatch.setenv("NEWSROOM_ES_URL", kibana.url)
        code, out = _run(capsys, "search", "Mistral")
        assert code == 1 and f"The server at {kibana.url} answered with a redirect (302 to /app/home)" in out, out
        assert "Kibana URL" in out
    assert fixture_site.requests == []  # ingest stopped at its start: nothing fetched, enriched...
    assert not (isolated_settings / "spool").exists()  # ... nor promised to a spool


def test_tls_failures_say_what_to_change_and_never_advise_store_up(tmp_path, monkeypatch, capsys):
    cert = self_signed_cert(tmp_path)
    with ReplyServer("fake-es") as plain, ReplyServer("fake-es", cert=cert) as tls:
        monkeypatch.setenv("NEWSROOM_ES_URL", plain.url.replace("http://", "https://"))  # https to a plain port
        code, out = _run(capsys, "search", "Mistral")
        assert code == 1 and "does not speak TLS" in out and "use an http:// URL in NEWSROOM_ES_URL" in out, out

        monkeypatch.setenv("NEWSROOM_ES_URL", tls.url)  # a private CA this machine does not trust
        code, out = _run(capsys, "search", "Mistral")
        assert code == 1 and f"The certificate of {tls.url} is not trusted" in out, out
        assert "self-signed certificate" in out and "set NEWSROOM_ES_CA_CERTS" in out, out

        monkeypatch.setenv("NEWSROOM_ES_URL", tls.url.replace("https://", "http://"))  # http to a TLS port
        monkeypatch.setattr(CompatTransport, "answered", False)  # one process per command in real life
        code, out = _run(capsys, "search", "Mistral")
        assert code == 1 and "is unreachable" in out and "use an https:// URL" in out, out

        for _, out in [_run(capsys, "search", "Mistral"), _run(capsys, "store", "status")]:
            assert "store up" not in out and "Traceback" not in out, out

        monkeypatch.setenv("NEWSROOM_ES_URL", tls.url)
        monkeypatch.setenv("NEWSROOM_ES_CA_CERTS", str(cert[0]))  # the handshake now succeeds
        code, out = _run(capsys, "store", "status")
        assert "certificate" not in out and "Elasticsearch 8.15.0" in out, out


@pytest.mark.parametrize("variable", ["NEWSROOM_ES_CA_CERTS", "NEWSROOM_SMTP_CA_FILE"])
def test_ca_files_are_checked_with_the_settings_naming_variable_and_file(variable, tmp_path, monkeypatch):
    not_pem = tmp_path / "index.html"
    not_pem.write_text("<html></html>")
    for value, problem in [(tmp_path / "missing.pem", "does not exist"), (tmp_path, "is a directory"),
                           (not_pem, "holds no PEM certificate")]:
        monkeypatch.setenv(variable, str(value))
        with pytest.raises(ConfigError) as exc:
            load_settings()
        assert f"{variable}: {value} {problem}" in str(exc.value)  # no pydantic "Value error," prefix
    monkeypatch.setenv(variable, str(self_signed_cert(tmp_path)[0]))
    load_settings()


def test_the_smtp_ca_file_is_not_read_for_a_relay_without_tls(tmp_path, monkeypatch):
    from pipeline.alerts.deliver import send_email
    from pipeline.alerts.rules import EmailChannel, Rule

    monkeypatch.setenv("NEWSROOM_SMTP_CA_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError, match="NEWSROOM_SMTP_CA_FILE"):
        load_settings()  # starttls (the default) would read it: refused at start
    monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", "none")
    with SmtpServer() as smtp:
        monkeypatch.setenv("NEWSROOM_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NEWSROOM_SMTP_PORT", str(smtp.port))
        channel = EmailChannel(type="email", to=["desk@example.org"])
        send_email(load_settings(), channel, Rule(name="r", keywords=["x"], channels=[channel]), [])
    assert len(smtp.sink.messages) == 1


def test_store_status_of_a_configured_cluster_shows_that_cluster_and_fails_when_unreadable(es_url, monkeypatch,
                                                                                        capsys):
    from pipeline.cli import main

    main(["store", "status"])  # the stand-in, reached through NEWSROOM_ES_URL like any cluster
    out = " ".join(capsys.readouterr().out.split())
    assert f"pipeline_uses: {es_url}" in out and "Elasticsearch " in out and "health" in out, out
    assert "running:" not in out and "data_dir:" not in out, out  # the unused embedded store's fields

    down = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("NEWSROOM_ES_URL", down)
    for args in (["store", "status"], ["store", "status", "--json"]):
        code, out = _run(capsys, *args)
        assert code == 1 and f"Elasticsearch at {down} is unreachable" in out, out
        assert "last run: none recorded" not in out and "store up" not in out and "data_dir" not in out, out


def test_implicit_tls_to_a_plain_smtp_relay_says_to_use_starttls_or_none(monkeypatch):
    from pipeline.alerts.deliver import DeliveryError, send_email
    from pipeline.alerts.rules import EmailChannel, Rule

    with SmtpServer() as smtp:
        monkeypatch.setenv("NEWSROOM_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NEWSROOM_SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", "ssl")
        channel = EmailChannel(type="email", to=["desk@example.org"])
        with pytest.raises(DeliveryError) as exc:
            send_email(load_settings(), channel, Rule(name="r", keywords=["x"], channels=[channel]), [])
    assert f"127.0.0.1:{smtp.port} failed" in str(exc.value)
    assert "use NEWSROOM_SMTP_SECURITY=starttls, or none" in str(exc.value)


def test_indexing_refused_for_a_missing_privilege_names_the_url_and_the_reason(monkeypatch):
    from pipeline.errors import StoreError
    from pipeline.store.client import make_client
    from pipeline.store.indexing import index_enriched
    from _store_helpers import make_record, story

    with ReplyServer("forbidden403") as forbidden:  # the key may read the version, not write
        monkeypatch.setenv("NEWSROOM_ES_URL", forbidden.url)
        settings = load_settings()
        with pytest.raises(StoreError) as exc:
            index_enriched(make_client(settings), settings, [make_record("https://example.org/a", story(1))])
    message = str(exc.value)
    assert f"failed while indexing 1 article(s): Elasticsearch at {forbidden.url} refused the request" in message
    assert "lacks a privilege (403" in message and "docs/production.md" in message and "None" not in message


def test_simultaneous_starts_share_one_store(tmp_path):
    """Of five `store up` at once, one printed a URL where nothing listened and three timed out (red-team)."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.store.embedded import EmbeddedStore

    data = tmp_path / "es"
    try:
        with ThreadPoolExecutor(4) as pool:
            urls = list(pool.map(lambda _: EmbeddedStore(data).up(), range(4)))
        assert len(set(urls)) == 1
        with urllib.request.urlopen(urls[0], timeout=5) as reply:
            assert json.loads(reply.read())["version"]["number"]
    finally:
        EmbeddedStore(data).down()


def test_a_port_held_by_another_data_dirs_store_is_refused_naming_both_and_nothing_is_written_there(
        tmp_path, capsys, monkeypatch, fixture_site):
    """A second data dir given the first one's NEWSROOM_EMBEDDED_ES_PORT (hostile-input audit, third round, #10): its
    store could not start, and the run went on with the URL where the first data dir's store answered, so its
    articles and its run record went there. Now it stops before any fetch, in one sentence naming both stores and
    the port, in every command."""
    import time

    from pipeline.errors import StoreRefused
    from pipeline.settings import get_settings
    from pipeline.store.client import resolve_es_url
    from pipeline.store.embedded import EmbeddedStore

    port = free_port()
    first = EmbeddedStore(tmp_path / "first" / "es", port=port)
    url = first.up()
    try:
        monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "second"))
        monkeypatch.setenv("NEWSROOM_EMBEDDED_ES_PORT", str(port))
        monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", "wrongstore")
        get_settings.cache_clear()
        sentence = (f"Port {port} (NEWSROOM_EMBEDDED_ES_PORT) is the embedded store of another data directory, "
                    f"{(tmp_path / 'first' / 'es').resolve()} (noida-db pid ")
        started = time.monotonic()
        code, out = _run(capsys, "ingest", "--feeds", str(fixture_site.feeds_file(tmp_path)))
        assert code != 0 and sentence in out and f"the store of this one, {tmp_path / 'second' / 'es'}, cannot use" in out
        assert "Traceback" not in out and time.monotonic() - started < 15  # no wait for a start that cannot succeed
        assert fixture_site.requests == []  # stopped before fetching anything
        for command in (["store", "up"], ["search", "Mistral"]):
            code, out = _run(capsys, *command)
            assert code != 0 and sentence in out, (command, out)
        with pytest.raises(StoreRefused, match="is the embedded store of another data directory"):
            resolve_es_url(load_settings(), start_embedded=False)  # what the indexer would retry, then spool to
        with urllib.request.urlopen(f"{url}/_cat/indices?format=json", timeout=5) as reply:
            assert not [i["index"] for i in json.loads(reply.read()) if "wrongstore" in i["index"]]
        assert EmbeddedStore(tmp_path / "first" / "es", port=port).up() == url  # its own data dir still uses it
    finally:
        first.down()
