"""Airflow DAGs: integrity (DagBag) and an end-to-end `dag.test()` of newsroom_ingest on the fixture site.

Airflow runs in subprocesses (tests/_dags_helpers.py) with a temporary AIRFLOW_HOME and SQLite, so its settings
are in place before it is imported and nothing leaks into the rest of the suite. The task bodies
(pipeline.orchestration) are also tested directly, without Airflow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from _dags_helpers import DAGS, airflow_env
from _hostile_site import serve_page_advertising_a_hostile_feed
from _store_helpers import drop_prefix

from pipeline import orchestration
from pipeline.runs import run_record_spool
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.templates import index_names

HELPER = Path(__file__).resolve().parent / "_dags_helpers.py"
DAG_IDS = {"newsroom_ingest", "newsroom_alerts", "newsroom_maintenance"}
ARTICLES = 11  # tests/fixtures/site/README.md: 14 items, 1 duplicate, 2 irrelevant → 11 articles


def _scenario(args: list[str], env: dict, cwd: Path, timeout: int = 150) -> dict:
    proc = subprocess.run([sys.executable, str(HELPER), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT=")]
    assert proc.returncode == 0 and lines, f"scenario {args} failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    return json.loads(lines[-1].removeprefix("RESULT="))


@pytest.fixture(scope="module")
def integrity(tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("airflow-home")
    return _scenario(["integrity"], airflow_env(home), home)


def test_every_dag_imports_without_errors(integrity):
    assert integrity["import_errors"] == {}
    assert set(integrity["dags"]) == DAG_IDS
    assert {Path(d["fileloc"]).name for d in integrity["dags"].values()} == {f"{i}.py" for i in DAG_IDS}


def test_dags_have_tags_owners_retries_and_no_cycles(integrity):
    for dag_id, dag in integrity["dags"].items():
        assert "newsroom" in dag["tags"], dag_id
        assert dag["owners"] == ["newsroom"], dag_id
        assert all(r >= 2 for r in dag["retries"].values()), (dag_id, dag["retries"])
        assert all(b > 1 for b in dag["backoff"].values()), (dag_id, dag["backoff"])  # exponential backoff
        assert not dag["has_cycle"], dag_id
        assert dag["max_active_runs"] == 1 and dag["catchup"] is False, dag_id


def test_every_task_has_an_execution_timeout_so_a_hung_task_cannot_hold_the_dag_for_good(integrity):
    """Each DAG allows one run at a time (max_active_runs=1): a task hung on a dead socket or a stuck mount, with no
    execution_timeout, held its run, and so every later run of the DAG, for ever. Seven of the eleven tasks had none."""
    for dag_id, dag in integrity["dags"].items():
        missing = sorted(task for task, seconds in dag["timeouts"].items() if not seconds)
        assert missing == [], (dag_id, missing)
        assert all(seconds <= 6 * 3600 for seconds in dag["timeouts"].values()), (dag_id, dag["timeouts"])
    ingest = integrity["dags"]["newsroom_ingest"]["timeouts"]
    # the bookkeeping tasks are short: a hang there is caught within the hour, not after the feeds' or indexing's
    assert max(ingest[t] for t in ("list_feeds", "run_key", "finalize", "announce", "check")) <= 3600, ingest


def test_ingest_dag_maps_feeds_and_updates_the_asset(integrity):
    ingest = integrity["dags"]["newsroom_ingest"]
    assert ingest["mapped"] == ["collect_feed"]  # per feed: fetch, extract, archive (no models)
    # the Asset event goes out from a task of its own, which succeeds even when the leaf `check` fails the run
    assert ingest["outlets"]["announce"] in (["newsroom://articles"], ["newsroom://articles/"])
    assert ingest["outlets"]["finalize"] == [] and ingest["outlets"]["check"] == []
    assert ingest["triggers"]["finalize"].endswith("ALL_DONE")  # a failed feed does not block the run record
    assert ingest["triggers"]["check"].endswith("ALL_DONE")  # nor the verdict on the run
    assert ingest["triggers"]["enrich_index"].endswith("ALL_DONE")  # nor the other feeds' indexing
    assert "enrich_index" not in ingest["mapped"]  # one task per run: the models load once
    assert ingest["mapped_limits"]["collect_feed"] >= 1  # bounded parallelism
    # the feed state's single writer, even when a backfill runs beside the scheduled runs
    assert ingest["one_at_a_time"] == ["enrich_index"]
    assert ingest["cron"] in ("@daily", "0 0 * * *")


def test_alerts_run_on_the_asset_and_on_their_own_cron(integrity):
    alerts = integrity["dags"]["newsroom_alerts"]
    assert alerts["timetable"] == "AssetOrTimeSchedule"
    assert alerts["assets"] in (["newsroom://articles"], ["newsroom://articles/"])
    assert alerts["cron"] == "15 */6 * * *"  # the safety net when an ingest run emitted nothing


def test_maintenance_is_weekly_with_its_three_jobs(integrity):
    maintenance = integrity["dags"]["newsroom_maintenance"]
    # Sundays 03:00 UTC, not midnight with the daily ingest: two model loads and two writers of the same articles
    assert maintenance["cron"] == "0 3 * * 0"
    assert maintenance["tasks"] == ["reenrich", "replay", "storage"]
    assert maintenance["one_at_a_time"] == ["reenrich"]


def test_bad_parse_time_variables_are_import_errors_naming_the_variable(tmp_path):
    env = airflow_env(tmp_path)
    env.update({"NEWSROOM_TASK_RETRIES": "three", "NEWSROOM_ALERTS_CRON": "*/5 * *",
                "NEWSROOM_MAINTENANCE_SCHEDULE": "every week"})
    errors = _scenario(["integrity"], env, tmp_path)["import_errors"]
    by_file = {Path(k).name: v for k, v in errors.items()}
    assert "NEWSROOM_TASK_RETRIES='three' is not a whole number" in by_file["newsroom_ingest.py"]
    # Airflow does not check the cron inside an AssetOrTimeSchedule: unchecked, the alerts DAG would load with its
    # cron safety net silently gone
    assert "NEWSROOM_ALERTS_CRON='*/5 * *' is not a cron expression" in by_file["newsroom_alerts.py"]
    assert "NEWSROOM_MAINTENANCE_SCHEDULE='every week'" in by_file["newsroom_maintenance.py"]
    assert all("dag-processor" in v for v in by_file.values())


def test_parse_time_settings_helper(monkeypatch):
    sys.path.insert(0, str(DAGS))
    try:
        import newsroom_settings as ns
    finally:
        sys.path.remove(str(DAGS))
    monkeypatch.setenv("NEWSROOM_SCHEDULE", "0 6 * * 1-5")
    assert ns.env_cron("NEWSROOM_SCHEDULE", "@daily") == "0 6 * * 1-5"
    monkeypatch.setenv("NEWSROOM_SCHEDULE", "every day")
    with pytest.raises(ns.SettingError, match="NEWSROOM_SCHEDULE='every day' is not a cron expression"):
        ns.env_cron("NEWSROOM_SCHEDULE", "@daily")
    monkeypatch.setenv("NEWSROOM_SCHEDULE", "")
    assert ns.env_cron("NEWSROOM_SCHEDULE", "@daily") == "@daily"
    monkeypatch.setenv("NEWSROOM_FEED_PARALLELISM", "0")
    with pytest.raises(ns.SettingError, match="NEWSROOM_FEED_PARALLELISM='0'.*>= 1"):
        ns.env_int("NEWSROOM_FEED_PARALLELISM", 4, minimum=1)
    monkeypatch.setenv("NEWSROOM_RETRY_DELAY_SECONDS", "2m")
    with pytest.raises(ns.SettingError, match="NEWSROOM_RETRY_DELAY_SECONDS='2m'"):
        ns.env_seconds("NEWSROOM_RETRY_DELAY_SECONDS", 120)
    monkeypatch.setenv("NEWSROOM_CATCHUP", "maybe")
    with pytest.raises(ns.SettingError, match="NEWSROOM_CATCHUP='maybe' is not true or false"):
        ns.env_bool("NEWSROOM_CATCHUP", False)


def test_dag_files_hold_no_secret_and_import_pipeline_only_inside_tasks():
    for path in DAGS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "airflow" in text and "dag" in text  # else the dag processor skips the file silently
        top_level = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
        assert not any("pipeline" in line for line in top_level), path.name
        for word in ("password=", "api_key=", "hooks.slack.com", "Bearer "):
            assert word not in text, (path.name, word)


# --------------------------------------------------------------------------------------------- task bodies


def _conn(**kw):
    base = {"host": None, "port": None, "schema": None, "login": None, "password": None, "extra": "{}"}
    base.update(kw)
    return SimpleNamespace(**base)


def test_settings_come_from_airflow_connections_when_present(tmp_path):
    from _alerts_helpers import self_signed_cert

    ca = self_signed_cert(tmp_path)[0]  # a CA file is checked when settings load: it must exist and hold a PEM
    conns = {
        "newsroom_es": _conn(host="es.internal", port=9243, schema="https", login="elastic", password="pw",
                             extra=json.dumps({"ca_certs": str(ca), "verify_certs": "true"})),
        "newsroom_smtp": _conn(host="smtp.example.org", port=465, login="bot", password="s3",
                               extra=json.dumps({"security": "ssl", "from": "alerts@example.org"})),
        "newsroom_slack": _conn(password="https://hooks.example.invalid/T000/B000/XXX"),
    }
    settings = orchestration.airflow_settings(conns.get)
    assert settings.es_url == "https://es.internal:9243"
    assert (settings.es_user, settings.es_password.get_secret_value()) == ("elastic", "pw")
    assert settings.es_ca_certs == ca and settings.es_verify_certs is True
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_security) == ("smtp.example.org", 465, "ssl")
    assert settings.smtp_from == "alerts@example.org"
    assert settings.slack_webhook_url.get_secret_value().endswith("/XXX")
    api = orchestration.airflow_settings({"newsroom_es": _conn(host="https://abc.es.cloud.example:443",
                                                               extra=json.dumps({"api_key": "k=="}))}.get)
    assert api.es_url == "https://abc.es.cloud.example:443" and api.es_api_key.get_secret_value() == "k=="


def test_connection_given_as_an_http_uri_keeps_http():
    """`airflow connections add newsroom_es --conn-uri http://host:9200` puts the scheme in conn_type, not schema."""
    from airflow.sdk import Connection

    conn = Connection.from_uri("http://127.0.0.1:19252/?index_prefix=nrconn", conn_id="newsroom_es")
    settings = orchestration.airflow_settings({"newsroom_es": conn}.get)
    assert settings.es_url == "http://127.0.0.1:19252" and settings.es_index_prefix == "nrconn"
    tls = Connection.from_uri("https://es.example:9243", conn_id="newsroom_es")
    assert orchestration.airflow_settings({"newsroom_es": tls}.get).es_url == "https://es.example:9243"
    ui = _conn(host="es.internal", port=9200, conn_type="elasticsearch")  # no scheme anywhere: https
    assert orchestration.airflow_settings({"newsroom_es": ui}.get).es_url == "https://es.internal:9200"


def test_settings_fall_back_to_environment(monkeypatch):
    monkeypatch.setenv("NEWSROOM_ES_URL", "http://127.0.0.1:9")
    settings = orchestration.airflow_settings(lambda conn_id: None)
    assert settings.es_url == "http://127.0.0.1:9" and settings.smtp_host is None


CONN_AT_FAULT = "The Airflow connection {} (UI → Admin → Connections, or AIRFLOW_CONN_{})"


@pytest.mark.parametrize("conn_id, conn, named", [
    ("newsroom_es", _conn(host="127.0.0.1", port="abc", conn_type="http"),
     "NEWSROOM_ES_URL (from the Airflow connection newsroom_es): 'http://127.0.0.1:abc' is not a usable URL"),
    ("newsroom_es", _conn(host="http://[::1", login="elastic", password="pw"),
     "NEWSROOM_ES_URL (from the Airflow connection newsroom_es): 'http://[::1' is not a usable URL"),
    ("newsroom_es", _conn(host="127.0.0.1", extra="[1, 2]"),
     CONN_AT_FAULT.format("newsroom_es", "NEWSROOM_ES") + " cannot be read"),
    ("newsroom_es", _conn(conn_type=""),
     CONN_AT_FAULT.format("newsroom_es", "NEWSROOM_ES") + " is defined but gives no setting"),
    ("newsroom_smtp", _conn(host="mail.example.org", port="x"),
     CONN_AT_FAULT.format("newsroom_smtp", "NEWSROOM_SMTP") + " cannot be read"),
])
def test_a_connection_that_cannot_be_used_is_one_sentence_naming_it(monkeypatch, conn_id, conn, named):
    """A malformed host or port in the newsroom_es connection was refused as "NEWSROOM_ES_URL … in the environment or
    .env file", a variable the operator never set; a list as extra or a word as SMTP port failed every retry with a
    bare AttributeError / ValueError; an empty connection was logged as used while the environment took over. Each
    is now one ConfigError (not retried) naming the connection."""
    monkeypatch.setenv("NEWSROOM_ES_URL", "http://127.0.0.1:9")
    with pytest.raises(orchestration.ConfigError) as caught:
        orchestration.airflow_settings({conn_id: conn}.get)
    assert named in str(caught.value) and "\n" not in str(caught.value)
    assert "in the environment or .env file" not in str(caught.value) and "pw" not in str(caught.value)


@pytest.mark.parametrize("value, why", [
    ("http://elastic:s3cret@es.internal:port", "ValueError: Port could not be cast to integer value as 'port'"),
    ('{"conn_type": "http", "host": "es.internal", ', "JSONDecodeError"),
])
def test_an_unreadable_airflow_conn_variable_is_named_not_silently_replaced_by_the_environment(monkeypatch, value,
                                                                                                why):
    """Airflow answers "conn_id `newsroom_es` isn't defined" for an AIRFLOW_CONN_NEWSROOM_ES it cannot parse (the
    reason only at DEBUG), and the tasks went on with NEWSROOM_ES_URL, another store. Now the task fails naming the
    variable and why, without its password."""
    monkeypatch.setenv("NEWSROOM_ES_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AIRFLOW_CONN_NEWSROOM_ES", value)
    with pytest.raises(orchestration.ConfigError) as caught:
        orchestration.airflow_settings()
    text = str(caught.value)
    assert text.startswith("The environment variable AIRFLOW_CONN_NEWSROOM_ES (the Airflow connection newsroom_es) "
                           "cannot be read (") and why in text and "s3cret" not in text, text


def test_credentials_refused_name_the_connection_that_gave_them(monkeypatch):
    """A 401 said "check NEWSROOM_ES_API_KEY, or NEWSROOM_ES_USER and NEWSROOM_ES_PASSWORD" in a task whose
    credentials came from the newsroom_es connection; it now says the connection gave them. Still not retried."""
    from _reply_server import ReplyServer
    from airflow.sdk.exceptions import AirflowFailException

    with ReplyServer("auth401") as secured:
        monkeypatch.setenv("AIRFLOW_CONN_NEWSROOM_ES", secured.url.replace("://", "://elastic:wrong@"))
        with pytest.raises(AirflowFailException) as caught:
            orchestration.run_task(orchestration.check_storage)
    text = str(caught.value)
    assert text.startswith("StoreRefused (not retried): Elasticsearch at ") and "rejected the credentials (401" in text
    assert "the Airflow connection newsroom_es gives the store's URL and credentials" in text and "wrong" not in text


def _task_log_of_a_page_advertising_hostile_feeds(httpserver, tmp_path) -> dict:
    """The DAG's own `collect_feed` run on a feed URL that answers with a web page advertising a feed URL holding an
    OSC 8 hyperlink, a screen clear, a bidi override and a line break forging a log line, under the logging an
    Airflow task process sets up (tests/_dags_helpers.py task-log): its log lines and its error."""
    feeds = serve_page_advertising_a_hostile_feed(httpserver, tmp_path)
    (tmp_path / "airflow-home").mkdir()
    env = {**airflow_env(tmp_path / "airflow-home"), "NEWSROOM_FEEDS_FILE": str(feeds)}
    return _scenario(["task-log", "Page", "airflow-newsroom_ingest-20261204T000000Z"], env, tmp_path)


def _printable_line(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def test_a_feed_tasks_log_lines_quoting_web_strings_are_one_line_of_printable_text(httpserver, es_url, tmp_path):
    """The CLI's log lines are one line of printable text since the tenth hostile-input round, the Airflow tasks'
    were not: a feed URL answering with a web page is reported with the feeds it advertises, and an OSC 8 hyperlink,
    a screen clear, a bidi override and a line break forging a log line of its own reached the task's log (the log
    file and the UI) raw."""
    result = _task_log_of_a_page_advertising_hostile_feeds(httpserver, tmp_path)
    ours = [line["event"] for line in result["lines"] if str(line["logger"]).startswith("pipeline")]
    advertised = [event for event in ours if "it advertises http://evil.example/feed" in event]
    assert len(advertised) == 1 and "forged" in advertised[0], result
    assert all(_printable_line(event) for event in ours), ours


def test_a_feed_tasks_failure_quoting_web_strings_is_one_line_of_printable_text(httpserver, es_url, tmp_path):
    """A feed's error quotes web strings (the feeds a web page advertises): it failed the Airflow task, shown in
    its log and UI, and went into the run record and the feed's state with an OSC 8 hyperlink, a screen clear and a
    bidi override raw (the CLI escapes what it prints; the other sinks got the string as it came)."""
    result = _task_log_of_a_page_advertising_hostile_feeds(httpserver, tmp_path)
    assert result["error"].startswith("AirflowFailException: FeedFailed (not retried): feed 'Page' failed: "), result
    assert "it advertises http://evil.example/feed" in result["error"] and _printable_line(result["error"]), result
    [staged] = (tmp_path / "data" / "staged").glob("*/*.error.json")  # what the run record takes
    errors = [entry["error"] for entry in json.loads(staged.read_text(encoding="utf-8"))]
    assert len(errors) == 1 and "it advertises" in errors[0] and _printable_line(errors[0]), errors


def test_run_key_is_deterministic_per_logical_date():
    day = datetime(2026, 11, 20, tzinfo=UTC)
    assert orchestration.run_key("newsroom_ingest", day, "scheduled__x") == "airflow-newsroom_ingest-20261120T000000Z"
    assert orchestration.run_key("newsroom_ingest", day.isoformat(), "backfill__y") == \
        orchestration.run_key("newsroom_ingest", day, "manual__z")
    assert orchestration.run_key("newsroom_ingest", None, "manual__2026") == "airflow-newsroom_ingest-manual__2026"


def test_since_param_is_checked_once_with_a_sentence(fixture_site, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(fixture_site.feeds_file(tmp_path)))
    monkeypatch.setenv("NEWSROOM_ES_URL", "http://127.0.0.1:9")  # the store being down does not stop the listing
    settings = load_settings()
    with pytest.raises(orchestration.ConfigError, match="param since='yesterday' is not an ISO date"):
        orchestration.plan_run(since="yesterday", settings=settings)
    # a date without a zone is read in NEWSROOM_TIMEZONE, as `newsroom ingest --since` reads it (it was UTC here)
    assert orchestration.parse_since("2026-11-20", settings) == datetime(2026, 11, 19, 23, tzinfo=UTC)
    assert orchestration.parse_since("2026-11-20T06:00+01:00", settings) == datetime(2026, 11, 20, 5, tzinfo=UTC)
    assert orchestration.plan_run(only=["World Wire"], since="2026-11-20T06:00+01:00",
                                  settings=settings) == ["World Wire"]


def test_feed_names_and_unknown_feed(fixture_site, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(fixture_site.feeds_file(tmp_path)))
    names = orchestration.feed_names(load_settings())
    assert names == ["Le Quotidien du Numérique — Tech", "The Compute Ledger", "World Wire"]
    assert orchestration.feed_names(load_settings(), only=["World Wire"]) == ["World Wire"]
    with pytest.raises(orchestration.ConfigError, match="no feed named 'Nope'") as unknown:
        orchestration.feed_names(load_settings(), only=["Nope"])
    # the DAG param at fault is named (live, the task log said only "…/feeds.yaml: no feed named 'Nope'")
    assert str(unknown.value).startswith("param feeds: ") and str(load_settings().feeds_path) in str(unknown.value)


@pytest.mark.parametrize("only, message", [
    ([{"name": "World Wire"}], "param feeds=[{'name': 'World Wire'}] is not a list of feed names (strings)"),
    ([1, "World Wire"], "param feeds=[1, 'World Wire'] is not a list of feed names (strings)"),
    ("World Wire", "param feeds='World Wire' is not a list of feed names (strings)"),
    ([f"Feed {i} " + "x" * 200 for i in range(3_000)], "no feed named 'Feed 0 xxx"),
])
def test_a_feeds_param_that_is_not_a_list_of_names_is_one_sentence(fixture_site, tmp_path, monkeypatch, only,
                                                                   message):
    """The ingest DAG's `feeds` param is any JSON array: a non-string name failed the list task with a bare
    TypeError at every retry, and 3,000 unknown names were quoted whole (a 650 KB error)."""
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(fixture_site.feeds_file(tmp_path)))
    with pytest.raises(orchestration.ConfigError) as error:
        orchestration.feed_names(load_settings(), only=only)
    assert message in str(error.value) and len(str(error.value)) < 1_000


def test_finalize_names_failed_feeds_and_keeps_every_attempt_of_a_date(es_url):
    settings = load_settings()
    client = make_client(settings)
    try:
        part = {"run_id": "r", "status": "ok", "started_at": "2026-11-20T00:00:00+00:00",
                "finished_at": "2026-11-20T00:00:05+00:00", "counts": {"feeds": 1, "feeds_ok": 1, "articles": 4},
                "feeds": ["A"]}
        indexed = {"run_id": "r", "status": "ok", "counts": {"indexed": 4}, "feeds": []}
        out = orchestration.finalize_run([part, None], "airflow-x-1", ["A", "B"], settings=settings, indexed=indexed)
        assert out["status"] == "partial" and out["feeds"] == 2 and out["feeds_failed"] == 1 and out["indexed"] == 4
        assert out["failed_feeds"] == ["B"] and out["failed_ratio"] == 0.5
        rerun = {**indexed, "counts": {"indexed": 0}}
        orchestration.finalize_run([part], "airflow-x-1", ["A", "B"], settings=settings, indexed=rerun)
        runs = index_names(settings.es_index_prefix)["runs"]
        client.indices.refresh(index=runs)
        hits = client.search(index=runs, query={"match_all": {}})["hits"]["hits"]
        assert [h["_id"] for h in hits] == ["airflow-x-1"]  # one record per logical date...
        record = hits[0]["_source"]
        assert record["feed_errors"][0]["feed"] == "B" and any("B" in n for n in record["notes"])
        assert record["attempt"] == 2 and record["counts"]["indexed"] == 0  # ...the latest attempt on top...
        assert [a["counts"]["indexed"] for a in record["attempts"]] == [4]  # ...the first one's figures kept
        assert orchestration.finalize_run([], "airflow-x-2", ["A"], settings=settings)["status"] == "failed"
        # articles collected but the enrich-and-index task failed: the run failed, whatever the feeds did
        assert orchestration.finalize_run([part], "airflow-x-3", ["A"], settings=settings)["status"] == "failed"
        # the list task failed (broken feeds file, unknown feed in the param): a failed run, never an "ok" one
        unlisted = orchestration.finalize_run([], "airflow-x-4", None, settings=settings, indexed=rerun)
        assert unlisted["status"] == "failed" and unlisted["listed"] is False
        assert "list_feeds failed" in orchestration.list_failure(unlisted)
        assert not orchestration.should_announce(unlisted)
        assert orchestration.list_failure(orchestration.finalize_run([], "airflow-x-5", [], settings=settings))
        client.indices.refresh(index=runs)
        assert client.get(index=runs, id="airflow-x-4")["_source"]["status"] == "failed"
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_the_asset_event_goes_out_only_when_the_run_wrote_articles(es_url):
    """Every listed run announced newsroom://articles, and Airflow starts the DAGs scheduled on an asset at each event
    ("the asset was updated"): a daily run that found nothing new started newsroom_alerts for nothing. The event now
    goes out when the run wrote articles (new, updated, or replayed from the spool), a failed run's included."""
    settings = load_settings()
    part = {"run_id": "r", "status": "ok", "counts": {"feeds": 1, "feeds_ok": 1, "articles": 4, "known": 4},
            "feeds": ["A"]}

    def record(run: str, collected: list, **counts) -> dict:
        indexed = {"run_id": "r", "status": "ok", "counts": counts, "feeds": []}
        return orchestration.finalize_run(collected, run, ["A"], settings=settings, indexed=indexed)

    try:
        nothing_new = record("airflow-a-1", [part], indexed=0, updated=0, unchanged=4)
        assert nothing_new["status"] == "ok" and not orchestration.should_announce(nothing_new)
        assert orchestration.should_announce(record("airflow-a-2", [part], indexed=2))
        assert orchestration.should_announce(record("airflow-a-3", [part], updated=1))
        replayed = record("airflow-a-4", [part], indexed=0, replayed_created=3)
        assert replayed["replayed"] == 3 and orchestration.should_announce(replayed)
        dead = record("airflow-a-5", [], indexed=0)  # the only feed failed: nothing new, no event
        assert dead["status"] == "failed" and not orchestration.should_announce(dead)
        failed_with_news = record("airflow-a-6", [part, None], indexed=2)  # red run, its articles still announced
        failed_with_news["status"] = "failed"
        assert orchestration.should_announce(failed_with_news)
    finally:
        drop_prefix(make_client(settings), settings.es_index_prefix)


def test_store_down_in_finalize_is_one_sentence_and_the_record_is_written_later(es_url, monkeypatch):
    up = load_settings()
    part = {"run_id": "r", "status": "ok", "started_at": "2026-11-20T00:00:00+00:00",
            "finished_at": "2026-11-20T00:00:05+00:00", "counts": {"feeds": 1, "feeds_ok": 1}, "feeds": ["A"]}
    indexed = {"run_id": "r", "status": "ok", "counts": {"indexed": 2}, "feeds": []}
    down = load_settings(es_url="http://127.0.0.1:9")
    with pytest.raises(orchestration.StoreError) as caught:
        orchestration.run_task(orchestration.finalize_run, [part], "airflow-down-1", ["A"], settings=down,
                               indexed=indexed)
    message = str(caught.value)
    assert message.startswith("Elasticsearch is unreachable") and "NEWSROOM_ES_URL" in message
    assert "Traceback" not in message and "kept in" in message
    assert list(run_record_spool(up).glob("*.json"))
    client = make_client(up)
    try:
        # the next run (store back) writes the spooled record first, then its own
        orchestration.finalize_run([part], "airflow-up-2", ["A"], settings=up, indexed=indexed)
        runs = index_names(up.es_index_prefix)["runs"]
        client.indices.refresh(index=runs)
        assert client.get(index=runs, id="airflow-down-1")["_source"]["counts"]["indexed"] == 2
        assert not list(run_record_spool(up).glob("*.json"))
    finally:
        drop_prefix(client, up.es_index_prefix)


def test_raw_client_errors_become_one_sentence_with_a_tls_hint():
    from elasticsearch import Elasticsearch

    def ping(url):
        Elasticsearch(url, max_retries=0, request_timeout=3).info()

    with pytest.raises(orchestration.StoreError, match="unreachable while ping.*NEWSROOM_ES_URL") as down:
        orchestration.run_task(ping, "http://127.0.0.1:9")
    assert "plain http" not in str(down.value)
    import socketserver
    import threading

    class Plain(socketserver.BaseRequestHandler):  # a plain-http server answering a TLS client
        def handle(self):
            self.request.recv(1024)
            self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    server = socketserver.TCPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(orchestration.StoreError, match="is the server plain http"):
            orchestration.run_task(ping, f"https://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def test_alerts_task_fails_when_deliveries_failed():
    """Measured live (2026-12-05, SMTP, Slack and webhook targets down): the task failed with "6 alert delivery(ies)
    failed and 4 error(s)", the four errors being those failed deliveries, not four more problems."""
    failures = [f"rule 'AI Act' → {channel}: request failed: [Errno 111] Connection refused"
                for channel in ("email to desk@example.org", "Slack", "webhook")]
    report = {"sent": 0, "failed": 6, "pending": 6, "errors": 4, "per_rule": {"AI Act": {"failed": 3},
              "Mistral": {"failed": 3}}, "failures": [*failures, "rule 'Mistral' → webhook: refused"]}
    reason = orchestration.alerts_failure(report)
    assert reason.startswith("6 alert(s) not delivered, 0 rule(s) not evaluated, 0 sent;"), reason
    assert "stay pending" in reason and reason.count("Connection refused") == 3
    broken = {"sent": 2, "failed": 0, "errors": 1, "per_rule": {"AI Act": {"error": "rule 'AI Act': bad query"}},
              "failures": ["rule 'AI Act': bad query"]}
    assert orchestration.alerts_failure(broken).startswith("0 alert(s) not delivered, 1 rule(s) not evaluated, 2 sent")
    many = {**report, "failures": [f"rule {n} → webhook: refused" for n in range(8)]}
    assert orchestration.alerts_failure(many).endswith("; and 3 more")
    assert orchestration.alerts_failure({"sent": 3, "failed": 0, "errors": 0}) is None


def test_failed_feeds_above_the_ratio_fail_the_run_below_it_only_name_them(caplog):
    record = {"run_id": "r", "status": "partial", "feeds": 4, "feeds_failed": 1, "failed_feeds": ["Gone"],
              "failed_ratio": 0.25}
    with caplog.at_level("WARNING", logger="pipeline.orchestration"):
        assert orchestration.check_failed_feeds(record, 0.5) is None
    assert 'NEWSROOM_FAILED_FEEDS run=r count=1 ratio=0.250 feeds=["Gone"]' in caplog.text  # greppable
    assert "Gone" in orchestration.check_failed_feeds(record, 0.2)
    two = {**record, "feeds_failed": 2, "failed_feeds": ["Gone", "Moved"], "failed_ratio": 0.5}
    assert orchestration.check_failed_feeds(two, 0.5) is None  # "more than" the ratio
    every = {**record, "feeds": 2, "feeds_failed": 2, "failed_feeds": ["Gone", "Moved"], "failed_ratio": 1.0}
    assert "all 2 feeds failed" in orchestration.check_failed_feeds(every, 1.0)  # always, whatever the ratio
    assert orchestration.check_failed_feeds({**record, "status": "failed", "failed_feeds": [], "feeds_failed": 0,
                                             "failed_ratio": 0.0}, 0.5)


def test_the_check_task_names_a_bad_setting_in_one_sentence_as_the_other_tasks_do(tmp_path):
    """`check` read its settings outside `run_task`: a bad NEWSROOM_MAX_FAILED_FEEDS_RATIO failed it with a bare
    ConfigError traceback, retried three times, where every other task fails at once with one sentence."""
    record = {"run_id": "r", "status": "partial", "feeds": 4, "feeds_failed": 1, "failed_feeds": ["Gone"],
              "failed_ratio": 0.25, "notes": []}
    env = {**airflow_env(tmp_path / "airflow-home"), "NEWSROOM_MAX_FAILED_FEEDS_RATIO": "a lot"}

    def check(record, env) -> dict:
        kwargs = json.dumps({"record_id": "r", "xcom": {"finalize": record}})
        return _scenario(["call-task", "newsroom_ingest", "check", kwargs], env, tmp_path)

    bad = check(record, env)
    assert bad["raised"] == "AirflowFailException", bad
    assert bad["message"].startswith("ConfigError (not retried): ")
    assert "NEWSROOM_MAX_FAILED_FEEDS_RATIO" in bad["message"]
    assert "\n" not in bad["message"] and len(bad["message"]) < 1_000
    env["NEWSROOM_MAX_FAILED_FEEDS_RATIO"] = "0.2"
    assert "1 of 4 feeds failed" in check(record, env)["message"]
    env["NEWSROOM_MAX_FAILED_FEEDS_RATIO"] = "0.5"
    assert check(record, env) == {"returned": None}
    assert "finalize failed" in check(None, env)["message"]


def test_errors_a_retry_cannot_fix_fail_the_task_at_once():
    from airflow.sdk.exceptions import AirflowFailException

    from pipeline.errors import ConfigError, FetchError, ModelError, StoreError
    from pipeline.fetch import FetchRefused

    def boom(exc):
        raise exc

    for exc in (ConfigError("alerts.yaml: bad"), ModelError("no model"), FetchRefused("http://x", "ssrf", "refused"),
                orchestration.FeedFailed("x")):
        if exc.retryable:  # FeedFailed: retryable unless every error of the feed was a refusal
            continue
        with pytest.raises(AirflowFailException, match="not retried"):
            orchestration.run_task(boom, exc)
    for exc in (FetchError("timeout"), StoreError("down")):
        with pytest.raises(type(exc)):
            orchestration.run_task(boom, exc)
    assert orchestration.run_task(lambda x: x + 1, 1) == 2


def test_storage_check_and_replay_on_the_standin(es_url):
    settings = load_settings()
    client = make_client(settings)
    try:
        storage = orchestration.check_storage(settings)
        assert storage["ilm"] is False  # the stand-in has no ILM API: retention is applied by this task
        assert set(storage["indices"]) == {"articles", "mentions"} and storage["deleted"] == []
        old = orchestration.staging_dir(settings, "airflow-newsroom_ingest-20261101T000000Z")  # enrich_index failed
        old.mkdir(parents=True)
        (old / "feed-1.jsonl").write_text("{}\n", encoding="utf-8")
        os.utime(old, (0, 0))
        recent = orchestration.staging_dir(settings, "airflow-newsroom_ingest-20261120T000000Z")  # may be retried
        recent.mkdir(parents=True)
        replay = orchestration.replay_pending(settings)
        assert replay["replayed_files"] == 0 and replay["dead_letters_waiting"] == 0 and replay["run_records"] == 0
        assert replay["staging_dirs_removed"] == 1 and not old.exists() and recent.exists()
    finally:
        drop_prefix(client, settings.es_index_prefix)


# --------------------------------------------------------------------------------------------- end to end


def _snapshot(client, settings) -> dict:
    names = index_names(settings.es_index_prefix)
    client.indices.refresh(index=f"{names['articles']},{names['mentions']},{names['runs']}")
    articles = {h["_id"]: h["_source"]["indexed_at"] for h in client.search(
        index=names["articles"], size=100, _source=["indexed_at"])["hits"]["hits"]}
    runs = {h["_id"]: h["_source"] for h in client.search(index=names["runs"], size=100)["hits"]["hits"]}
    mentions = client.count(index=names["mentions"])["count"]
    return {"articles": articles, "runs": runs, "mentions": mentions}


@pytest.mark.slow
def test_ingest_dag_end_to_end_is_idempotent(fixture_site, es_url, tmp_path):
    feeds_file = fixture_site.feeds_file(tmp_path / "config")
    with feeds_file.open("a", encoding="utf-8") as fh:  # a dead feed must not block the three others
        fh.write(f'  - name: Gone Gazette\n    url: "{fixture_site.url("feeds/gone.xml")}"\n    lang: fr\n')
    settings = load_settings()
    env = airflow_env(tmp_path / "airflow-home")
    env["NEWSROOM_FEEDS_FILE"] = str(feeds_file)
    env["NEWSROOM_TASK_RETRIES"] = "0"  # a failure shows at once instead of after the retry delays
    # Elasticsearch through the Airflow Connection, not NEWSROOM_ES_URL: the connection path is what production uses.
    env.pop("NEWSROOM_ES_URL", None)
    env["AIRFLOW_CONN_NEWSROOM_ES"] = json.dumps({"conn_type": "elasticsearch", "host": es_url})
    (tmp_path / "airflow-home").mkdir()
    client = make_client(settings)
    day = "2026-11-20T00:00:00+00:00"
    try:
        first = _scenario(["test-ingest", day, "--migrate"], env, tmp_path)
        assert first["state"] == "success", first["tis"]
        feed_tasks = {k: v for k, v in first["tis"].items() if k.startswith("collect_feed[")}
        assert len(feed_tasks) == 4  # one mapped task per feed
        assert sorted(feed_tasks.values()) == ["failed", "success", "success", "success"], first["tis"]
        assert first["tis"]["enrich_index[-1]"] == "success"  # one task enriched every feed's articles
        assert first["tis"]["finalize[-1]"] == "success"  # 1 of 4 feeds failed: under the 0.5 ratio, green
        assert first["tis"]["announce[-1]"] == "success" and first["tis"]["check[-1]"] == "success"
        record_id = "airflow-newsroom_ingest-20261120T000000Z"
        assert first["record"]["run_id"] == record_id and first["record"]["status"] == "partial"
        # tests/fixtures/site/README.md: 11 articles; the SAP page, in two feeds, is indexed once
        assert first["record"]["indexed"] == ARTICLES and first["record"]["feeds"] == 4, json.dumps(first["feeds"])
        assert first["indexed"]["counts"]["duplicates"] == 1, json.dumps(first["indexed"])
        assert first["record"]["feeds_failed"] == 1 and first["record"]["failed_feeds"] == ["Gone Gazette"]
        assert not list((tmp_path / "data" / "staged").glob("*/*.jsonl"))  # staged files removed once indexed
        assert first["max_xcom_bytes"] < 4096  # small XComs: counts and names, never articles
        assert len(first["asset_events"]) == 1 and first["asset_events"][0]["extra"]["indexed"] == ARTICLES
        after_first = _snapshot(client, settings)
        assert len(after_first["articles"]) == ARTICLES and after_first["mentions"] > 0
        assert list(after_first["runs"]) == [record_id]
        assert after_first["runs"][record_id]["counts"]["indexed"] == ARTICLES
        assert [e["feed"] for e in after_first["runs"][record_id]["feed_errors"]] == ["Gone Gazette"]

        second = _scenario(["test-ingest", day], env, tmp_path)
        assert second["state"] == "success" and second["record"]["run_id"] == record_id
        assert second["record"]["indexed"] == 0 and second["record"]["updated"] == 0
        # nothing new: no Asset event, so newsroom_alerts is not started for nothing (it still runs on its cron)
        assert second["tis"]["announce[-1]"] == "skipped" and len(second["asset_events"]) == 1
        after_second = _snapshot(client, settings)
        assert after_second["articles"] == after_first["articles"]  # not one article re-written
        assert after_second["mentions"] == after_first["mentions"]
        assert list(after_second["runs"]) == [record_id]  # one record per date, every attempt kept in it
        assert after_second["runs"][record_id]["attempt"] == 2
        assert after_second["runs"][record_id]["attempts"][0]["counts"]["indexed"] == ARTICLES

        # newsroom_alerts on these articles, with an e-mail channel and no SMTP server: the task runs every rule,
        # then fails (as `newsroom alerts run` exits 1) instead of staying green while nothing is delivered
        rules = tmp_path / "config" / "alerts.yaml"
        rules.write_text('rules:\n  - name: AI Act\n    keywords: ["AI Act"]\n    channels:\n'
                         '      - type: email\n        to: [desk@example.org]\n', encoding="utf-8")
        alerts_env = {**env, "NEWSROOM_ALERTS_FILE": str(rules)}
        alerts_env.pop("NEWSROOM_SMTP_HOST", None)
        alerts = _scenario(["test-dag", "newsroom_alerts", "2026-11-20T06:15:00+00:00"], alerts_env, tmp_path)
        assert alerts["state"] == "failed" and alerts["tis"]["evaluate"] == "failed", alerts

        # Above NEWSROOM_MAX_FAILED_FEEDS_RATIO the DAG run is red (1 of 4 feeds > 0.2); the record is written
        strict = {**env, "NEWSROOM_MAX_FAILED_FEEDS_RATIO": "0.2"}
        gone = sorted(after_first["articles"])[0]  # one article to index again, with every page fetched again
        client.delete_by_query(index=index_names(settings.es_index_prefix)["articles"],
                               query={"ids": {"values": [gone]}}, refresh=True)
        third = _scenario(["test-ingest", "2026-11-21T00:00:00+00:00", "--conf", json.dumps({"refetch": True})],
                          strict, tmp_path)
        assert third["state"] == "failed" and third["tis"]["check[-1]"] == "failed", third["tis"]
        assert third["tis"]["enrich_index[-1]"] == "success" and third["tis"]["finalize[-1]"] == "success"
        assert third["record"]["indexed"] == 1
        # the run is red, yet its Asset event went out: alerts on what it indexed do not wait for the cron
        assert third["tis"]["announce[-1]"] == "success" and len(third["asset_events"]) == 2
        assert "airflow-newsroom_ingest-20261121T000000Z" in _snapshot(client, settings)["runs"]
    finally:
        drop_prefix(client, settings.es_index_prefix)


@pytest.mark.slow
def test_ingest_dag_run_with_a_resting_feed_is_green_and_counts_it(fixture_site, es_url, tmp_path):
    """A real Airflow run (dag.test) with one feed resting after a long Retry-After: its collect_feed task succeeds
    (it failed, and was retried into the same rest), the run record counts it as resting and not as failed."""
    from pipeline.fetch import rest_key
    from pipeline.state import StateStore

    feeds_file = fixture_site.feeds_file(tmp_path / "config")
    settings = load_settings()
    env = airflow_env(tmp_path / "airflow-home")
    env["NEWSROOM_FEEDS_FILE"] = str(feeds_file)
    env["NEWSROOM_TASK_RETRIES"] = "0"
    (tmp_path / "airflow-home").mkdir()
    resting = fixture_site.url("feeds/en-tech.xml")
    StateStore(settings.data_dir).record_rest(rest_key(resting, "127.0.0.1", 503), datetime.now(UTC)
                                              + timedelta(hours=20), 503, resting)
    client = make_client(settings)
    try:
        run = _scenario(["test-ingest", "2026-11-25T00:00:00+00:00", "--migrate"], env, tmp_path)
        assert run["state"] == "success", run["tis"]
        feed_tasks = [v for k, v in run["tis"].items() if k.startswith("collect_feed[")]
        assert feed_tasks and set(feed_tasks) == {"success"}, run["tis"]
        assert run["record"]["feeds_resting"] == 1 and run["record"]["failed_feeds"] == [], run["record"]
        assert sum((counts or {}).get("feeds_resting", 0) for counts in run["feeds"].values()) == 1
    finally:
        drop_prefix(client, settings.es_index_prefix)


@pytest.mark.slow
def test_ingest_run_whose_feeds_cannot_be_listed_fails_without_an_asset_event(fixture_site, es_url, tmp_path):
    """A typo in feeds.yaml, or an unknown feed in the `feeds` param, must not leave a green run that ingested
    nothing: list_feeds fails, the run record says failed, the DAG run is failed, no Asset event goes out."""
    broken = tmp_path / "config" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("feeds:\n  - name: A\n    url: http://127.0.0.1:9/feed.xml\n    tags: [test\n", encoding="utf-8")
    settings = load_settings()
    env = airflow_env(tmp_path / "airflow-home")
    env["NEWSROOM_FEEDS_FILE"] = str(broken)
    env["NEWSROOM_TASK_RETRIES"] = "0"
    (tmp_path / "airflow-home").mkdir()
    client = make_client(settings)
    try:
        bad_file = _scenario(["test-ingest", "2026-11-22T00:00:00+00:00", "--migrate"], env, tmp_path)
        assert bad_file["state"] == "failed", bad_file["tis"]
        assert bad_file["tis"]["list_feeds[-1]"] == "failed" and bad_file["tis"]["finalize[-1]"] == "failed"
        assert bad_file["tis"]["announce[-1]"] == "upstream_failed" and bad_file["tis"]["check[-1]"] == "failed"
        assert bad_file["asset_events"] == []
        record = _snapshot(client, settings)["runs"]["airflow-newsroom_ingest-20261122T000000Z"]
        assert record["status"] == "failed" and any("list task failed" in n for n in record["notes"])

        env["NEWSROOM_FEEDS_FILE"] = str(fixture_site.feeds_file(tmp_path / "config"))
        unknown = _scenario(["test-ingest", "2026-11-23T00:00:00+00:00", "--conf", '{"feeds": ["Nope"]}'], env,
                            tmp_path)
        assert unknown["state"] == "failed" and unknown["tis"]["list_feeds[-1]"] == "failed", unknown["tis"]
        assert unknown["asset_events"] == []
        assert _snapshot(client, settings)["runs"]["airflow-newsroom_ingest-20261123T000000Z"]["status"] == "failed"

        # a `since` that is no ISO date is refused by the param's schema before any task runs
        since = _scenario(["test-ingest", "2026-11-24T00:00:00+00:00", "--conf", '{"since": "yesterday"}'], env,
                          tmp_path)
        assert "since" in since.get("refused", "") or since["tis"]["list_feeds[-1]"] == "failed", since
    finally:
        drop_prefix(client, settings.es_index_prefix)


@pytest.mark.slow
def test_backfill_of_a_date_range_plans_one_run_per_day(tmp_path):
    """Airflow 3 backfill (dry run: no scheduler here) over 4 days → 4 runs with their own logical dates."""
    home = tmp_path / "airflow-home"
    home.mkdir()
    env = airflow_env(home)
    airflow = str(Path(sys.executable).parent / "airflow")
    for cmd in (["db", "migrate"], ["dags", "reserialize"]):
        proc = subprocess.run([airflow, *cmd], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-3000:]
    proc = subprocess.run([airflow, "backfill", "create", "--dag-id", "newsroom_ingest", "--from-date", "2026-11-01",
                           "--to-date", "2026-11-04", "--dry-run"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    planned = sorted(set(re.findall(r"2026-11-0\d 00:00:00\+00:00", proc.stdout)))
    assert planned == [f"2026-11-0{d} 00:00:00+00:00" for d in range(1, 5)]
    proc = subprocess.run([airflow, "dags", "list-import-errors", "-o", "json"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and json.loads(proc.stdout.strip().splitlines()[-1] or "[]") == [], proc.stdout


def test_retention_without_ilm_deletes_only_old_rolled_over_indices(es_url):
    settings = load_settings()
    client = make_client(settings)
    alias = index_names(settings.es_index_prefix)["articles"]
    try:
        orchestration.check_storage(settings)
        client.indices.rollover(alias=alias)
        now = datetime.now(UTC)
        assert orchestration.check_storage(settings, now=now)["deleted"] == []  # rolled over today: kept
        later = now + timedelta(days=settings.es_retention_days + 1)
        report = orchestration.check_storage(settings, now=later)
        assert report["deleted"] == [f"{alias}-000001"]
        assert list(client.indices.get_alias(name=alias)) == [f"{alias}-000002"]  # the write index stays
    finally:
        drop_prefix(client, settings.es_index_prefix)


def _company_mentions(client, settings, company: str) -> int:
    alias = index_names(settings.es_index_prefix)["mentions"]
    client.indices.refresh(index=alias)
    return client.count(index=alias, query={"term": {"company": company}})["count"]


@pytest.mark.slow
def test_reenrichment_from_the_archive_after_a_watchlist_change(fixture_site, es_url, tmp_path, monkeypatch):
    """The maintenance DAG's re-enrichment: skipped while pipeline.enrich.enrichment_fingerprint is unchanged,
    run from the WARC archive once the watchlist changes (a company dropped → its mentions go)."""
    from pipeline.configfiles import dump_yaml, read_yaml
    from pipeline.enrich import get_enricher
    from pipeline.feeds import load_feeds
    from pipeline.ingest import ingest
    from pipeline.reenrich import fingerprint_file, record_new_store_enrichment

    config = tmp_path / "config"
    shutil.copytree(load_settings().config_dir, config)
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(config))
    settings = load_settings()
    client = make_client(settings)
    try:
        feeds = load_feeds(fixture_site.feeds_file(tmp_path), settings)
        summary = ingest(settings, feeds=feeds, progress=False, enricher=get_enricher(settings))
        assert summary.counts["indexed"] == ARTICLES
        # newsroom_alerts' task body on the same data (dry run: nothing sent, no watermark moved)
        names = index_names(settings.es_index_prefix)
        client.indices.refresh(index=f"{names['articles']},{names['mentions']}")
        alerts = orchestration.evaluate_alerts(["AI Act"], dry_run=True, settings=settings)
        assert alerts["dry_run"] is True and alerts["rules"] == 1 and alerts["sent"] == 0, alerts
        assert alerts["per_rule"]["AI Act"]["matched"] >= 1, json.dumps(alerts)[:3000]
        assert json.loads(json.dumps(alerts)) == alerts  # an XCom-safe value
        # the first run into a new store recorded the enrichment it used: the first pass has nothing to redo
        assert json.loads(fingerprint_file(settings).read_text(encoding="utf-8"))["by"] == "ingest"
        assert "unchanged" in orchestration.reenrich_recent(days=1, settings=settings)["skipped"]
        assert _company_mentions(client, settings, "SAP") >= 1
        # ...but not when the store holds articles the run did not index (an older version may have enriched them)
        fingerprint_file(settings).unlink()
        assert not record_new_store_enrichment(client, settings, ARTICLES - 1)
        assert record_new_store_enrichment(client, settings, ARTICLES)

        watchlist = config / "watchlist.yaml"
        data = read_yaml(watchlist)
        data["companies"] = [c for c in data["companies"] if c["name"] != "SAP"]
        dump_yaml(watchlist, data)
        again = orchestration.reenrich_recent(days=1, settings=settings)
        assert again["reenriched"] == ARTICLES and again["errors"] == 0, again
        assert again["from_archive"] == ARTICLES - 1, again  # the 404 page has only its feed summary, not archived
        assert _company_mentions(client, settings, "SAP") == 0
        assert _company_mentions(client, settings, "Mistral AI") >= 3  # the other companies' mentions are rebuilt
        assert "unchanged" in orchestration.reenrich_recent(days=1, settings=settings)["skipped"]
        # The window starts `days` before the run's data_interval_end and reaches the present: the pass records the
        # fingerprint as done, so a late run (or a rerun of an older date) must not skip the newest articles
        week_ago = datetime.now(UTC) - timedelta(days=7)
        assert orchestration.reenrich_recent(days=1, force=True, settings=settings,
                                             until=week_ago)["reenriched"] == ARTICLES
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        assert orchestration.reenrich_recent(days=2, force=True, settings=settings,
                                             until=tomorrow)["reenriched"] == ARTICLES
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_feed_tasks_only_hand_over_feed_state_the_enrich_index_task_writes_it(fixture_site, es_url, tmp_path,
                                                                              monkeypatch, caplog):
    """Single writer of the fetch state: per-feed tasks (possibly on other machines) never write it."""
    from pipeline.state import StateStore

    feeds_file = fixture_site.feeds_file(tmp_path / "config")
    gone = fixture_site.url("feeds/gone.xml")
    with feeds_file.open("a", encoding="utf-8") as fh:
        fh.write(f'  - name: Gone Gazette\n    url: "{gone}"\n    lang: fr\n')
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(feeds_file))
    settings = load_settings()
    client = make_client(settings)
    try:
        with pytest.raises(orchestration.FeedFailed, match="Gone Gazette"):
            orchestration.collect_feed("Gone Gazette", "run-1", settings=settings)
        ledger = orchestration.collect_feed("The Compute Ledger", "run-1", settings=settings)
        store = StateStore(settings.data_dir)
        assert store.all_feed_states() == []  # not even the failure counter yet
        assert ledger["counts"]["articles"] >= 1 and Path(ledger["staged"]).exists()
        out = orchestration.enrich_and_index_run([ledger], "run-1", settings=settings)
        assert out["counts"]["indexed"] == ledger["counts"]["articles"]
        assert not any("did not report" in note for note in out.get("notes", []))  # the failed feed did report
        states = {s.url: s for s in store.all_feed_states()}
        assert states[gone].consecutive_failures == 1 and states[gone].last_error
        assert states[fixture_site.url("feeds/en-tech.xml")].body_hash  # validators saved after indexing
        # staged files gone once committed; only the marker that makes a re-run of the step a no-op is left
        assert [p.name for p in orchestration.staging_dir(settings, "run-1").iterdir()] == ["done.json"]
        # the failed feed's URL and error reach the run record (not just "task failed")
        assert out["feed_errors"] == [{"feed": "Gone Gazette", "url": gone, "error": out["feed_errors"][0]["error"]}]
        assert gone in out["feed_errors"][0]["error"] and "404" in out["feed_errors"][0]["error"]
        with caplog.at_level("INFO", logger="pipeline.orchestration"):
            assert orchestration.finalize_run([ledger], "run-1", ["The Compute Ledger", "Gone Gazette"],
                                              settings=settings, indexed=out)["failed_feeds"] == ["Gone Gazette"]
        # the operator's one-line summary in the task log, counts and stage timings
        assert f"2 feed(s), 1 failed; {ledger['counts']['articles']} article(s) collected" in caplog.text
        assert "indexed new" in caplog.text and " s" in caplog.text.split("mention(s)")[-1]
        caplog.clear()
        # a cleared enrich_index, or a retry after its worker was killed once it had indexed: no FileNotFoundError,
        # the same counts (not "indexed 0")
        with caplog.at_level("WARNING", logger="pipeline.orchestration"):
            again = orchestration.enrich_and_index_run([ledger], "run-1", settings=settings)
        assert again["counts"] == out["counts"] and again["feed_errors"] == out["feed_errors"]
        assert "already indexed and removed" in caplog.text and "nothing to do" in caplog.text
        assert out["duration_s"] > 0 and ledger["duration_s"] > 0
    finally:
        drop_prefix(client, settings.es_index_prefix)


@pytest.fixture
def settings(fixture_site, es_url, tmp_path, monkeypatch):
    """Settings whose feeds are the fixture site's, on the stand-in; the test's indices are dropped afterwards."""
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(fixture_site.feeds_file(tmp_path / "config")))
    settings = load_settings()
    yield settings
    drop_prefix(make_client(settings), settings.es_index_prefix)


def test_a_feed_task_that_staged_its_articles_but_never_reported_is_indexed_not_lost(settings):
    """A feed task killed (or timed out) after staging its articles and state, before returning: its state was
    committed with the others, its articles deleted unindexed, and the next run found the feed "not modified"."""
    ledger = orchestration.collect_feed("The Compute Ledger", "run-u", settings=settings)
    out = orchestration.enrich_and_index_run([None], "run-u", settings=settings)  # its result never arrived
    assert out["counts"]["indexed"] == ledger["counts"]["articles"] >= 1
    assert any("did not report" in note for note in out["notes"])


def test_a_resting_feed_is_a_counted_skip_and_its_task_succeeds(settings, caplog):
    """A feed that answered a 503 with a long Retry-After rests (the fetch state's `retry_after` table): its task
    failed with "not fetched" and Airflow retried it, only to meet the same rest (hostile input, thirteenth round).
    Now the task succeeds, the feed counted as resting and skipped as `retry-after`, and the run is not failed."""
    from pipeline.fetch import rest_key
    from pipeline.state import StateStore

    url = next(str(f.url) for f in load_feeds(settings=settings) if f.name == "The Compute Ledger")
    until = datetime.now(UTC) + timedelta(hours=20)
    StateStore(settings.data_dir).record_rest(rest_key(url, "127.0.0.1", 503), until, 503, url)
    with caplog.at_level("INFO"):
        ledger = orchestration.collect_feed("The Compute Ledger", "run-r", settings=settings)
    assert ledger["counts"]["feeds_resting"] == 1 and ledger["counts"].get("feeds_failed", 0) == 0
    assert ledger["skipped"] == {"retry-after": 1} and "retry-after" in caplog.text
    out = orchestration.enrich_and_index_run([ledger], "run-r", settings=settings)
    with caplog.at_level("INFO", logger="pipeline.orchestration"):
        record = orchestration.finalize_run([ledger], "run-r", ["The Compute Ledger"], settings=settings,
                                            indexed=out)
    assert record["status"] != "failed" and record["feeds_resting"] == 1 and record["failed_feeds"] == []
    assert orchestration.check_failed_feeds(record, 0.5) is None
    assert "1 resting (retry-after)" in caplog.text


def test_a_feed_answering_a_long_retry_after_fails_its_task_once_without_retries(settings, tmp_path, monkeypatch):
    """A feed answering 503 with a Retry-After of ten years failed its task as retryable: Airflow retried it two
    minutes later, only to meet the rest just recorded (hostile input, thirteenth round). It now fails at once, not
    retried, and the next run skips it as resting."""
    from _hostile_site import RawSite

    with RawSite({"/busy.xml": (503, {"Retry-After": "315360000"}, "busy")}) as site:
        feeds = site.feeds_file(tmp_path, "/busy.xml")
        monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(feeds))
        busy = load_settings()
        with pytest.raises(orchestration.FeedFailed, match="Retry-After") as failed:
            orchestration.collect_feed("Raw", "run-b1", settings=busy)
        assert failed.value.retryable is False
        again = orchestration.collect_feed("Raw", "run-b2", settings=busy)
    assert again["counts"]["feeds_resting"] == 1 and again["skipped"] == {"retry-after": 1}
    assert site.requests == ["/busy.xml"]


def test_a_staged_line_or_state_file_that_cannot_be_read_is_skipped_and_named_not_the_run(settings):
    """A staged file with a line that is not an article (tampered, a disk error) or a state file cut short (its feed
    task killed while writing it) failed the indexing task at every retry with a bare ValidationError or
    JSONDecodeError, and no feed's articles of the run were indexed. Now the line and the state file are skipped,
    named in the run's notes, and that feed's state is not committed, so its next run reads it whole again."""
    from pipeline.state import StateStore

    ledger = orchestration.collect_feed("The Compute Ledger", "run-t", settings=settings)
    staged = Path(ledger["staged"])
    first = staged.read_text(encoding="utf-8").splitlines()[0]
    with staged.open("a", encoding="utf-8") as fh:
        fh.write(first[: len(first) // 2] + "\n")  # an article cut short
    out = orchestration.enrich_and_index_run([ledger], "run-t", settings=settings)
    assert out["counts"]["indexed"] == ledger["counts"]["articles"] >= 1 and out["status"] == "partial"
    assert out["counts"]["unreadable_staged"] == 1
    assert any(note.startswith(f"{staged.name}:{ledger['counts']['articles'] + 1}: skipped, not an article (")
               for note in out["notes"])
    assert StateStore(settings.data_dir).all_feed_states() == []  # read whole again next run
    again = orchestration.collect_feed("The Compute Ledger", "run-t2", settings=settings)
    state = Path(again["staged"]).with_suffix(".state.json")
    state.write_text(state.read_text(encoding="utf-8")[:40], encoding="utf-8")
    out = orchestration.enrich_and_index_run([again], "run-t2", settings=settings)
    assert out["counts"]["unreadable_staged"] == 1 and out["status"] == "partial"
    assert any(note.startswith(f"{state.name}: skipped, cannot be read (JSONDecodeError") for note in out["notes"])
    assert StateStore(settings.data_dir).all_feed_states() == []  # read whole again next run


def test_a_staged_state_file_of_the_wrong_shape_is_skipped_and_named_like_an_unreadable_one(settings):
    """Valid JSON that is no list of feed states (`[{"feeds": 3}]`, a date that is a number) raised a bare TypeError
    in the indexing task after the articles were indexed, at every retry. Now it is skipped like a file cut short."""
    from pipeline.state import StateStore

    shapes = (([{"feeds": 3}], "not a feed state: entry #1 has keys no feed state has: 'feeds'"),
              ([{"url": "https://news.example/feed.xml", "last_success": 5}], "not a feed state: entry #1: last_"),
              ({"feeds": 3}, "not a list of objects"))
    for n, (shape, why) in enumerate(shapes):
        ledger = orchestration.collect_feed("The Compute Ledger", f"run-w{n}", settings=settings)
        state = Path(ledger["staged"]).with_suffix(".state.json")
        state.write_text(json.dumps(shape), encoding="utf-8")
        out = orchestration.enrich_and_index_run([ledger], f"run-w{n}", settings=settings)
        assert out["counts"]["unreadable_staged"] == 1 and out["status"] == "partial", shape
        assert any(note.startswith(f"{state.name}: skipped, cannot be read ({why}") for note in out["notes"]), out
        assert StateStore(settings.data_dir).all_feed_states() == []  # read whole again next run


def test_retry_after_a_kill_mid_indexing_counts_what_the_killed_attempt_indexed(settings):
    client = make_client(settings)
    ledger = orchestration.collect_feed("The Compute Ledger", "run-k", settings=settings)
    staged = Path(ledger["staged"])
    lines = staged.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) >= 3
    full = staged.read_text(encoding="utf-8")
    staged.write_text("".join(lines[:2]), encoding="utf-8")  # the killed attempt got through 2 articles
    first = orchestration.enrich_and_index_run([ledger], "run-k", settings=settings)
    assert first["counts"]["indexed"] == 2 and first["counts"]["mentions"] >= 1 and first["companies"]
    staged.write_text(full, encoding="utf-8")  # the retry reads every staged article again
    retry = orchestration.enrich_and_index_run([ledger], "run-k", settings=settings)
    assert retry["counts"]["indexed"] == len(lines) and retry["counts"]["unchanged"] == 0, retry["counts"]
    # the killed attempt's mentions count for the run: the retry did not write them again
    names = index_names(settings.es_index_prefix)
    client.indices.refresh(index=names["mentions"])
    stored = client.count(index=names["mentions"], query={"term": {"run_id": "run-k"}})["count"]
    assert retry["counts"]["mentions"] == stored > first["counts"]["mentions"], (retry["counts"], stored)
    assert sum(retry["companies"].values()) >= sum(first["companies"].values())
    merged = orchestration.finalize_run([ledger], "run-k", ["The Compute Ledger"], settings=settings, indexed=retry)
    assert merged["indexed"] == len(lines)


def test_articles_spooled_while_the_store_was_down_go_in_with_the_next_run(settings, caplog):
    client = make_client(settings)
    ledger = orchestration.collect_feed("The Compute Ledger", "run-down", settings=settings)
    down = load_settings(es_url="http://127.0.0.1:9")
    with caplog.at_level("WARNING", logger="pipeline.orchestration"):
        spooled = orchestration.enrich_and_index_run([ledger], "run-down", settings=down)
    assert spooled["counts"]["spooled"] == ledger["counts"]["articles"] and spooled["status"] == "partial"
    assert f"NEWSROOM_SPOOLED run=run-down count={ledger['counts']['articles']}" in caplog.text
    nothing_new = orchestration.enrich_and_index_run([], "run-next", settings=settings)  # the next daily run
    assert nothing_new["counts"]["replayed_created"] == ledger["counts"]["articles"]
    alias = index_names(settings.es_index_prefix)["articles"]
    client.indices.refresh(index=alias)
    assert client.count(index=alias)["count"] == ledger["counts"]["articles"]


@pytest.mark.slow
def test_reenrich_command_without_airflow(es_url, tmp_path):
    """`newsroom reenrich`: the maintenance DAG's re-enrichment for installs without Airflow."""
    env = dict(os.environ)
    first = subprocess.run([sys.executable, "-m", "pipeline", "reenrich", "--days", "3", "--json"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    assert json.loads(first.stdout) == {"reenriched": 0, "from_archive": 0, "from_index": 0, "mentions": 0,
                                        "errors": 0}  # an empty store: nothing to do, fingerprint saved
    again = subprocess.run([sys.executable, "-m", "pipeline", "reenrich"], env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0 and "nothing to do" in again.stderr and "--force" in again.stderr


def test_a_feeds_file_with_no_enabled_feed_fails_the_list_task(tmp_path, monkeypatch):
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds: []\n", encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(path))
    with pytest.raises(orchestration.ConfigError, match="lists no feed"):
        orchestration.plan_run(settings=load_settings())


def _gnews_item(title: str, link: str, published: str, summary: str, site: str) -> str:
    """A Google News search feed's item: the headline with its publisher appended, the publisher's site in
    `<source url>`."""
    return (f"<item><title>{title} - Le Monde</title><link>{link}</link><pubDate>{published}</pubDate>"
            f"<description>{summary}</description><source url=\"{site}\">Le Monde</source></item>")


def _staged_by_two_feed_tasks(httpserver, tmp_path, monkeypatch, gnews_items: str, pixels_items: str,
                              pages: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """Runs the ingest DAG's task functions (one feed task per feed, then the indexing task) over a Google News
    search feed and a publisher's feed served locally; returns the indexing task's summary and the (url, extraction)
    of each indexed article."""
    base = httpserver.url_for("").rstrip("/")
    channel = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{}</title>{}</channel></rss>'
    httpserver.expect_request("/pixels/rss.xml").respond_with_data(
        channel.format("Le Monde - Pixels", pixels_items.replace("{base}", base)), content_type="application/rss+xml")
    httpserver.expect_request("/gnews.xml").respond_with_data(
        channel.format('"Mistral AI" - Google News', gnews_items.replace("{base}", base)),
        content_type="application/rss+xml")
    for path, title in pages.items():
        story = " ".join([f"{title}, annonce faite à Paris devant des investisseurs européens, dont ASML."] * 10)
        httpserver.expect_request(path).respond_with_data(
            f'<html lang="fr"><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{story}</p>'
            "</article></body></html>", content_type="text/html")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f'feeds:\n  - name: Google News\n    url: "{base}/gnews.xml"\n    lang: fr\n'
                     f'  - name: Le Monde - Pixels\n    url: "{base}/pixels/rss.xml"\n    lang: fr\n', encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(feeds))
    settings = load_settings()
    client = make_client(settings)
    try:
        staged = [orchestration.collect_feed(name, "run-g", settings=settings)
                  for name in ("Google News", "Le Monde - Pixels")]
        out = orchestration.enrich_and_index_run(staged, "run-g", settings=settings)
        alias = index_names(settings.es_index_prefix)["articles"]
        client.indices.refresh(index=alias)
        docs = [h["_source"] for h in client.search(index=alias, size=10, source=["url", "extraction"])["hits"]["hits"]]
        return out, sorted((d["url"].replace(base, "{base}"), d["extraction"]) for d in docs)
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_google_news_s_copy_of_a_story_another_feed_task_staged_is_indexed_once(httpserver, es_url, tmp_path,
                                                                                 monkeypatch):
    """Each Airflow feed task reads one feed: a Google News search feed's copy of a story the publisher's feed task
    staged in the same run (its `AU_yqL…` link cannot be resolved) was indexed as a second, summary-only article,
    while `newsroom ingest` drops it within its run. (The copies name the publisher's site, here the test server, as
    Google News's <source url> does.)"""
    gnews = (_gnews_item("Mistral AI lève 1,7 milliard d'euros",
                         "https://news.google.com/rss/articles/CBMiswFBVV95cUxNZk5hX2xPZ0RqT2V4?oc=5",
                         "Tue, 01 Dec 2026 09:00:00 GMT", "Mistral AI lève 1,7 milliard d'euros", "{base}")
             + _gnews_item("Mistral AI ouvre un bureau à Londres", "https://news.google.com/rss/articles/CBMiAAAA?oc=5",
                           "Tue, 01 Dec 2026 10:00:00 GMT", "Mistral AI ouvre un bureau à Londres, son premier hors de "
                           "France, pour recruter des chercheurs.", "{base}"))
    pixels = ("<item><title>Mistral AI lève 1,7 milliard d’euros</title><link>{base}/pixels/mistral.html</link>"
              "<pubDate>Tue, 01 Dec 2026 07:55:00 GMT</pubDate><description>Mistral AI lève des fonds.</description>"
              "</item>")
    out, indexed = _staged_by_two_feed_tasks(httpserver, tmp_path, monkeypatch, gnews, pixels,
                                             {"/pixels/mistral.html": "Mistral AI lève 1,7 milliard d’euros"})
    assert indexed == [("https://news.google.com/rss/articles/CBMiAAAA?oc=5", "feed-summary"),  # another story: kept
                       ("{base}/pixels/mistral.html", "trafilatura")]
    assert out["counts"]["indexed"] == 2 and out["counts"]["duplicates"] == 1


def test_the_indexing_task_tells_google_news_copies_by_their_publisher_s_site_as_ingest_does(
        httpserver, es_url, tmp_path, monkeypatch):
    """The staged articles kept no Google News `<source url>`, so the indexing task judged a copy by its headline
    alone, unlike `newsroom ingest`: a headline the publisher reworded was indexed a second time, and another
    publisher's story under the same wire headline was dropped as a copy. The staged article now carries the site."""
    gnews = (_gnews_item("Nvidia suspend ses exportations de puces vers la Chine",  # the publisher's, reworded
                         "https://news.google.com/rss/articles/CBMiREWORD?oc=5", "Tue, 01 Dec 2026 09:00:00 GMT",
                         "Nvidia suspend ses exportations.", "{base}")
             + _gnews_item("Mistral AI ouvre un bureau à Londres",  # another publisher's story, one wire headline
                           "https://news.google.com/rss/articles/CBMiOTHER?oc=5", "Tue, 01 Dec 2026 10:00:00 GMT",
                           "Mistral AI ouvre un bureau à Londres, son premier hors de France, pour recruter des "
                           "chercheurs.", "https://www.lefigaro.fr"))
    pixels = ("<item><title>Nvidia : les exportations de puces vers la Chine suspendues</title>"
              "<link>{base}/pixels/nvidia.html</link><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate></item>"
              "<item><title>Mistral AI ouvre un bureau à Londres</title><link>{base}/pixels/londres.html</link>"
              "<pubDate>Tue, 01 Dec 2026 10:05:00 GMT</pubDate></item>")
    out, indexed = _staged_by_two_feed_tasks(
        httpserver, tmp_path, monkeypatch, gnews, pixels,
        {"/pixels/nvidia.html": "Nvidia : les exportations de puces vers la Chine suspendues",
         "/pixels/londres.html": "Mistral AI ouvre un bureau à Londres"})
    assert indexed == [("https://news.google.com/rss/articles/CBMiOTHER?oc=5", "feed-summary"),
                       ("{base}/pixels/londres.html", "trafilatura"), ("{base}/pixels/nvidia.html", "trafilatura")]
    assert out["counts"]["duplicates"] == 1


def test_overlapping_runs_each_count_a_failing_feed_once(settings, tmp_path, monkeypatch):
    """A backfill run beside the scheduled run (measured live, 2026-12-05): both feed tasks read the feed state
    (N failures) and each handed over N + 1, so the feed showed one failing run where two had failed. Each run's
    failure now counts once, also when its indexing task is retried after committing (killed before its marker)."""
    from _hostile_site import RawSite

    from pipeline.state import StateStore

    with RawSite({"/gone.xml": (404, {}, "gone")}) as site:
        monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(site.feeds_file(tmp_path, "/gone.xml")))
        gone = load_settings()
        for run in ("run-scheduled", "run-backfill"):  # both feed tasks fail before either run indexes
            with pytest.raises(orchestration.FeedFailed):
                orchestration.collect_feed("Raw", run, settings=gone)
    url = str(load_feeds(settings=gone)[0].url)
    stage = orchestration.staging_dir(gone, "run-backfill")
    handed = {path.name: path.read_bytes() for path in stage.iterdir()}
    for run in ("run-scheduled", "run-backfill"):
        assert orchestration.enrich_and_index_run([None], run, settings=gone)["feed_errors"][0]["feed"] == "Raw"
    state = StateStore(gone.data_dir).feed_state(url)
    assert state.consecutive_failures == 2 and "404" in state.last_error
    for name, data in handed.items():  # the backfill's indexing task again, as if killed after it committed
        (stage / name).write_bytes(data)
    orchestration.enrich_and_index_run([None], "run-backfill", settings=gone)
    assert StateStore(gone.data_dir).feed_state(url).consecutive_failures == 2


def test_a_backfill_beside_a_run_under_way_does_not_fetch_the_pages_that_run_staged(fixture_site, settings):
    """Measured live (2026-12-05): a backfill's feed tasks beside the scheduled run's fetched and extracted the same
    pages again, to find them unchanged at indexing. A page another run under way staged (or the store holds) is
    not fetched again; the param `refetch` still fetches every page; a failed run's old staged files do not count."""
    from pipeline.state import StateStore

    collected = {}

    def pages_fetched(run: str, **kwargs) -> int:
        fixture_site.requests.clear()
        collected[run] = orchestration.collect_feed("The Compute Ledger", run, settings=settings, **kwargs)
        return sum(1 for path in fixture_site.requests if path.startswith("/articles/"))

    first = pages_fetched("run-scheduled")
    assert first >= 3
    assert pages_fetched("run-backfill") == 0  # staged by the scheduled run, not indexed yet
    assert pages_fetched("run-manual", refetch=True) == first
    indexed = {run: orchestration.enrich_and_index_run([collected[run]], run, settings=settings)["counts"]["indexed"]
               for run in ("run-scheduled", "run-backfill")}
    assert indexed == {"run-scheduled": first, "run-backfill": 0}
    # the backfill left the pages to a run that could still fail: its feed is read in full next time
    url = fixture_site.url("feeds/en-tech.xml")
    assert StateStore(settings.data_dir).feed_state(url).body_hash is None
    assert orchestration.enrich_and_index_run([collected["run-manual"]], "run-manual",
                                              settings=settings)["counts"]["unchanged"] == first
    assert pages_fetched("run-next") == 0  # stored now
    stale = orchestration.staging_dir(settings, "run-failed")
    stale.mkdir(parents=True)
    failed_run = stale / "ledger.jsonl"
    failed_run.write_text(json.dumps({"id": "abc", "link_ids": ["def"]}) + "\n", encoding="utf-8")
    assert orchestration.staged_by_other_runs(settings, "run-x", ["def", "zzz"]) == {"def"}
    os.utime(failed_run, (0, 0))  # a failed run's files, kept a week for a retry: its pages are fetched
    assert orchestration.staged_by_other_runs(settings, "run-x", ["def"]) == set()


def test_a_feed_failing_run_after_run_gets_one_attempt_a_run_not_airflow_s_retries(settings, tmp_path, monkeypatch):
    """A feed whose host never answers failed every run after Airflow's four attempts (measured: 93 s each, three
    read timeouts, plus 2 + 4 + 8 min of backoff), and every run's indexing waited for them: about 20 minutes a day,
    forever. After FAILING_FEED_RUNS failing runs in a row its failure is not retried (the run goes on, the feed
    named as failed); it is still tried once a run, and counts from zero again once it answers."""
    from _hostile_site import RawSite

    from pipeline.state import StateStore

    with RawSite({"/dead.xml": (503, {}, "down")}) as site:
        monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(site.feeds_file(tmp_path, "/dead.xml")))
        dead = load_settings()
        url = str(load_feeds(settings=dead)[0].url)
        retried = []
        for run in range(orchestration.FAILING_FEED_RUNS + 2):
            for attempt in range(2):  # Airflow's retry of a retryable failure hands over the same count
                with pytest.raises(orchestration.FeedFailed) as failed:
                    orchestration.collect_feed("Raw", f"run-{run}", settings=dead)
                if not failed.value.retryable:
                    break
            retried.append(failed.value.retryable)
            orchestration.enrich_and_index_run([None], f"run-{run}", settings=dead)
        assert retried == [True] * orchestration.FAILING_FEED_RUNS + [False, False]
        assert f"failed its last {orchestration.FAILING_FEED_RUNS + 1} runs too: not retried" in str(failed.value)
        assert StateStore(dead.data_dir).feed_state(url).consecutive_failures == orchestration.FAILING_FEED_RUNS + 2
        site.replies["/dead.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                     "<rss version='2.0'><channel><title>Back</title></channel></rss>")
        orchestration.collect_feed("Raw", "run-back", settings=dead)
        orchestration.enrich_and_index_run([None], "run-back", settings=dead)
    assert StateStore(dead.data_dir).feed_state(url).consecutive_failures == 0


def test_a_feed_removed_or_disabled_during_a_run_is_a_counted_skip_not_a_failed_feed(settings, tmp_path, monkeypatch,
                                                                                     caplog):
    """A feed removed from feeds.yaml while its run was under way failed its next attempt with "no feed named …"
    (ConfigError), counted among the run's failed feeds; pruning a few dead feeds during a run could push the run over
    NEWSROOM_MAX_FAILED_FEEDS_RATIO and turn it red. A feed removed or disabled after the list task is now skipped and
    counted as removed, also when its first attempt had failed (seen live, 2026-12-05: that attempt's error still
    named it among the failed feeds); the next run does not list it."""
    import yaml

    listed = orchestration.feed_names(settings)
    staged = orchestration._staged_file(settings, "run-pruned", "World Wire")  # its first attempt failed
    staged.parent.mkdir(parents=True)
    orchestration._write_json(orchestration._error_file(staged), [{"feed": "World Wire", "url": "", "error": "timeout"}])
    path = Path(settings.feeds_path)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["feeds"] = [f for f in config["feeds"] if f["name"] != "World Wire"]
    next(f for f in config["feeds"] if f["name"] == "The Compute Ledger")["enabled"] = False
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with caplog.at_level("WARNING", logger="pipeline.orchestration"):
        results = [orchestration.collect_feed(name, "run-pruned", settings=settings) for name in listed]
    assert [r["counts"].get("feeds_removed", 0) for r in results] == [0, 1, 1]
    assert "'World Wire' removed from" in caplog.text and "'The Compute Ledger' disabled in" in caplog.text
    indexed = orchestration.enrich_and_index_run(results, "run-pruned", settings=settings)
    record = orchestration.finalize_run(results, "run-pruned", listed, settings=settings, indexed=indexed)
    assert record["failed_feeds"] == [] and record["feeds_removed"] == 2 and record["status"] == "ok", record
    assert orchestration.check_failed_feeds(record, 0.5) is None and record["indexed"] >= 1
    assert orchestration.feed_names(settings) == ["Le Quotidien du Numérique — Tech"]
