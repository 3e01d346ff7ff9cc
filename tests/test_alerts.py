"""Alerts over hand-built articles indexed by the real indexer: rules, matching, delivery, exactly-once bookkeeping.

Receivers are real servers on 127.0.0.1 (aiosmtpd, pytest-httpserver); Elasticsearch is the stand-in.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pipeline.alerts import run_alerts
from pipeline.alerts.deliver import SIGNATURE_HEADER, sign
from pipeline.alerts.evaluate import exact_terms, hyphenated_phrases
from pipeline.alerts.rules import load_rules
from pipeline.alerts.state import ALERT_PROPERTIES, alerts_index, parse_time, sent_records
from pipeline.errors import ConfigError
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.indexing import index_enriched
from pipeline.store.setup import ensure_setup
from _alerts_helpers import SmtpServer, alert_on_every_channel, free_port, smtp_env, write_rules
from _reply_server import ReplyServer
from _store_helpers import make_record

NEGATIVE_FR = (
    "Tribune. L'alliance de Mistral AI avec Nvidia sur Mistral Compute est une vraie défaite pour l'autonomie "
    "technologique française. Arthur Mensch promettait l'indépendance ; la France hérite d'une dépendance de plus "
    "aux puces américaines, installée dans l'Essonne. Le règlement européen, l'AI Act, n'y change rien."
)
POSITIVE_EN = (
    "SAP and Mistral AI announced a partnership to bring sovereign AI models to European enterprises. "
    "Analysts welcomed the deal as a strong signal for the AI Act era, with compliance built in from day one."
)
NVIDIA_EN = (
    "New export rules on advanced chips hit Nvidia hard: GPU shipments to several markets will need licences, "
    "and the company warned of lower revenue. The AI Act was not part of the discussion."
)


@pytest.fixture
def store(es_url):
    settings = load_settings()
    client = make_client(settings)
    ensure_setup(client, settings)
    return settings, client


def index(store, records) -> None:
    settings, client = store
    stats = index_enriched(client, settings, records)
    assert stats.stored == len(records) and not stats.dead_letters


def tribune():
    return make_record("https://presse.example.org/tribune-mistral", NEGATIVE_FR,
                       title="Mistral AI et Nvidia : une défaite pour l'autonomie",
                       orgs={"Mistral AI": -0.6, "Nvidia": -0.3}, score=-0.5, lang="fr")


def sap_mistral():
    return make_record("https://ledger.example.com/sap-mistral", POSITIVE_EN, title="SAP teams up with Mistral AI",
                       orgs={"SAP": 0.6, "Mistral AI": 0.5}, score=0.5, lang="en", source="The Compute Ledger")


def nvidia_export():
    return make_record("https://ledger.example.com/nvidia-export", NVIDIA_EN, title="Export rules hit Nvidia",
                       orgs={"Nvidia": -0.5}, score=-0.4, lang="en", source="The Compute Ledger")


def email_rule(name: str, **match) -> dict:
    return {"name": name, **match, "channels": [{"type": "email", "to": ["desk@example.org"]}]}


# ------------------------------------------------------------------------------------------------------------
# Rules file validation
# ------------------------------------------------------------------------------------------------------------


def test_shipped_rules_file_is_valid():
    config = load_rules(load_settings())
    names = [rule.name for rule in config.rules]
    assert "negative coverage of Mistral AI" in names
    assert any(rule.volume for rule in config.rules)
    assert any("AI Act" in rule.keywords for rule in config.rules)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"name": "no match", "channels": [{"type": "slack"}]}, "needs `companies`, `keywords` or `query_string`"),
        ({"name": "bad field", "keyword": ["x"], "channels": [{"type": "slack"}]}, "'keyword'"),
        ({"name": "bad channel", "keywords": ["x"], "channels": [{"type": "pigeon"}]}, "'channels.0'"),
        ({"name": "no channel", "keywords": ["x"], "channels": []}, "'channels'"),
        ({"name": "bad tone", "companies": ["Nvidia"], "max_sentiment": -3, "channels": [{"type": "slack"}]},
         "'max_sentiment'"),
        ({"name": "secret inline", "keywords": ["x"],
          "channels": [{"type": "slack", "url_env": "https://hooks.slack.com/services/T/B/X"}]}, "environment variable"),
        ({"name": "bad mail", "keywords": ["x"], "channels": [{"type": "email", "to": ["not an address"]}]},
         "e-mail address"),
        ({"name": "non-ascii mail", "keywords": ["x"], "channels": [{"type": "email", "to": ["josé@example.org"]}]},
         "'josé@example.org' is not an e-mail address (local-part contains non-ASCII"),
        ({"name": "bad lang", "keywords": ["x"], "languages": ["French"], "channels": [{"type": "slack"}]},
         "'languages'"),
        ({"name": "bad window", "volume": {"window": "a day"}, "channels": [{"type": "slack"}]}, "'volume.window'"),
        # read as search reads it, a keyword of quotes alone was an empty condition: the rule fired on every article
        ({"name": "no word", "keywords": ["AI Act", '""'], "channels": [{"type": "slack"}]},
         "'keywords'"),
        ({"name": "guillemets", "keywords": ["« »"], "channels": [{"type": "slack"}]},
         "'« »' has no word in it (only quotes or punctuation)"),
    ],
)
def test_invalid_rules_are_reported_with_file_rule_and_field(tmp_path, rule, expected):
    path = write_rules(tmp_path / "alerts.yaml", [{"name": "fine", "keywords": ["AI Act"],
                                                   "channels": [{"type": "slack"}]}, rule])
    with pytest.raises(ConfigError) as info:
        load_rules(load_settings(), path)
    message = str(info.value)
    assert str(path) in message and f"entry #2 ('{rule['name']}')" in message and expected in message


def test_a_rule_name_of_a_million_characters_is_named_by_its_start_in_one_short_sentence(tmp_path):
    """A 1 MB rule name was quoted whole in its error (a 10 MB one printed 10 MB, after minutes of masking the
    sentence for credentials): the sentence names the file, the entry by its start, and the field."""
    path = write_rules(tmp_path / "alerts.yaml", [{"name": "A" * 1_000_000, "keywords": ["x"],
                                                   "channels": [{"type": "slack"}]}])
    cpu = time.process_time()
    with pytest.raises(ConfigError) as info:
        load_rules(load_settings(), path)
    assert time.process_time() - cpu < 5
    message = str(info.value)
    assert len(message) < 400 and str(path) in message
    assert f"entry #1 ('{'A' * 78}…), field 'name': String should have at most 200 characters" in message


def test_duplicate_rule_names_rejected(tmp_path):
    rule = {"name": "twice", "keywords": ["x"], "channels": [{"type": "slack"}]}
    other = {"name": "other", "keywords": ["y"], "channels": [{"type": "slack"}]}
    with pytest.raises(ConfigError, match=r"two rules are named 'twice' \(entries #1 and #3\)"):
        load_rules(load_settings(), write_rules(tmp_path / "alerts.yaml", [rule, other, rule]))


def test_an_unknown_key_is_never_suggested_as_itself_and_a_slack_url_says_where_it_goes(tmp_path):
    slack = {"name": "r1", "keywords": ["x"], "channels": [{"type": "slack", "url": "https://hooks.slack.com/x"}]}
    with pytest.raises(ConfigError) as info:
        load_rules(load_settings(), write_rules(tmp_path / "alerts.yaml", [slack]))
    message = str(info.value)
    assert "field 'channels.0.slack.url'" in message and "did you mean 'url'" not in message
    assert "NEWSROOM_SLACK_WEBHOOK_URL" in message and "`url_env:`" in message
    # the suggestion comes from the fields at that place: `term` is a key of a term's `{term:, case_sensitive:}` form,
    # but a topic has `terms`
    from pipeline.topics import load_topics_file

    topics = tmp_path / "topics.yaml"
    topics.write_text("topics:\n  - {id: robots, label: Robots, term: {en: [robots]}}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_topics_file(topics)
    assert "field 'term': unknown key (did you mean 'terms'?)" in str(info.value)


def test_alerts_list_warns_of_channels_that_cannot_deliver_here(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "signed", "keywords": ["x"], "channels": [{"type": "webhook", "url": "https://hooks.example/x",
                                                            "sign": True}]},
        {"name": "mail", "keywords": ["x"], "channels": [{"type": "email", "to": ["a@example.org"]}]},
        {"name": "mail 2", "keywords": ["y"], "channels": [{"type": "email", "to": ["b@example.org"]}]}])
    main(["alerts", "list", "--rules", str(rules)])
    out = " ".join(capsys.readouterr().out.split())
    assert "`sign: true` needs NEWSROOM_WEBHOOK_SECRET or `secret_env:`: rule(s) 'signed' cannot deliver" in out
    assert "set NEWSROOM_SMTP_HOST" in out and "rule(s) 'mail', 'mail 2' cannot deliver" in out
    monkeypatch.setenv("NEWSROOM_WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("NEWSROOM_SMTP_HOST", "relay.example.org")
    main(["alerts", "list", "--rules", str(rules)])
    assert "warning" not in capsys.readouterr().out


def test_alerts_list_warns_of_a_topic_no_topic_file_defines(tmp_path, capsys):
    from pipeline.cli import main

    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "r1", "companies": ["Mistral AI"], "topics": ["sovereignity"], "channels": [{"type": "slack"}]},
        {"name": "r2", "companies": ["Mistral AI"], "topics": ["digital-sovereignty"], "channels": [{"type": "slack"}]}])
    main(["alerts", "list", "--rules", str(rules)])
    out = " ".join(capsys.readouterr().out.split())
    assert "rule 'r1': topic 'sovereignity' is no topic id in" in out
    assert "the rule may never fire; closest: 'digital-sovereignty'" in out and "rule 'r2'" not in out


def test_companies_checked_against_watchlist(tmp_path):
    path = write_rules(tmp_path / "alerts.yaml", [
        {"name": "unknown", "companies": ["Mistral AI", "Acme Robotics"], "channels": [{"type": "slack"}]}])
    with pytest.raises(ConfigError, match=r"entry #1 \('unknown'\), field 'companies': 'Acme Robotics' is not a "
                                          r"watched company"):
        load_rules(load_settings(), path)


def test_rule_company_aliases_resolve_to_canonical_names_and_typos_get_suggestions(tmp_path):
    path = write_rules(tmp_path / "alerts.yaml", [
        {"name": "aliases", "companies": ["mistral", "NVIDIA", "ovh", "aws"], "channels": [{"type": "slack"}]}])
    rule = load_rules(load_settings(), path).get("aliases")
    assert rule.companies == ["Mistral AI", "Nvidia", "OVHcloud", "Amazon Web Services"]
    typo = write_rules(tmp_path / "typo.yaml", [
        {"name": "typo", "companies": ["Nvidai"], "channels": [{"type": "slack"}]}])
    with pytest.raises(ConfigError, match=r"'Nvidai' is not a watched company.*Did you mean 'Nvidia'"):
        load_rules(load_settings(), typo)


def test_a_rule_naming_a_company_the_watchlist_no_longer_has_stops_alone_and_the_run_says_so(store, tmp_path):
    """A company dropped from the watchlist while a saved rule still names it: `alerts run` refused the whole rules
    file, so every other rule's alerts stopped too (a scheduled run failed until the rule was edited). The rule is
    not run, its reason is the run's error (exit 1), and the other rules run."""
    settings, client = store
    index(store, [nvidia_export()])
    hook = [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "gone", "companies": ["Acme Robotics"], "channels": hook},
        {"name": "nvidia", "companies": ["nvidia"], "channels": hook}])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    assert report["per_rule"]["nvidia"]["matched"] == 1 and report["errors"] == 1
    assert report["failures"] == [report["per_rule"]["gone"]["error"]]
    assert report["failures"][0].startswith(f"rule 'gone' not run: {rules}: entry #1 ('gone'), field 'companies': "
                                            "'Acme Robotics' is not a watched company")
    assert report["failures"][0].endswith("If the company was renamed, keep its old name under the new entry's "
                                          "`former_names:`.")
    with pytest.raises(ConfigError, match=r"'Acme Robotics' is not a watched company"):  # the check still refuses it
        load_rules(settings, rules)


# ------------------------------------------------------------------------------------------------------------
# Matching and delivery
# ------------------------------------------------------------------------------------------------------------


def test_negative_company_rule_fires_once_positive_rule_does_not(store, tmp_path, monkeypatch):
    settings, client = store
    index(store, [tribune(), sap_mistral(), nvidia_export()])
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("negative coverage of Mistral AI", companies=["Mistral AI"], max_sentiment=-0.2),
        email_rule("positive coverage of Mistral AI", companies=["Mistral AI"], min_sentiment=0.5,
                   languages=["fr"]),
    ])
    with SmtpServer(user="alerts", password="s3cret") as smtp:
        smtp_env(monkeypatch, smtp, "alerts", "s3cret")
        first = run_alerts(load_settings(), client, rules_file=rules)
        second = run_alerts(load_settings(), client, rules_file=rules)
    assert first["per_rule"]["negative coverage of Mistral AI"]["sent"] == 1
    assert first["per_rule"]["positive coverage of Mistral AI"]["matched"] == 0
    assert second["sent"] == 0 and second["per_rule"]["negative coverage of Mistral AI"]["matched"] == 1
    assert len(smtp.sink.messages) == 1 and smtp.sink.logins == ["alerts"]
    message = smtp.sink.messages[0]
    assert message["Subject"].startswith("[newsroom] negative coverage of Mistral AI: Mistral AI et Nvidia")
    plain, html = smtp.sink.bodies()[0]
    assert "https://presse.example.org/tribune-mistral" in plain
    assert "Le Quotidien du Numérique" in plain
    assert "tone toward Mistral AI -0.60 (≤ -0.20)" in plain  # why it fired
    assert "«Mistral AI»" in plain and "<mark>Mistral AI</mark>" in html  # highlighted snippet
    assert first["per_channel"]["email"] == {"sent": 1, "failed": 0, "pending": 0, "messages": 1}
    records = sent_records(client, settings, "negative coverage of Mistral AI")
    assert [r["article_id"] for r in records] == [tribune().article.id]


FRENCH_TITLES = ["Mistral AI et Nvidia : une vraie défaite pour l'autonomie technologique française",
                 "Mistral AI & : \"l'accord\" alert(1) est un échec"]


def test_a_folded_mail_subject_reads_as_the_title_without_a_double_space(store, tmp_path, monkeypatch):
    from email import message_from_bytes, policy

    from pipeline.alerts.deliver import build_email
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    # whatever the length of the rule name, so the fold falls before an accented word somewhere
    for name in ("neg mistral", *("r" * n for n in range(1, 30))):
        rule = Rule(name=name, keywords=["x"], channels=[{"type": "email", "to": ["desk@example.org"]}])
        for title in FRENCH_TITLES:
            raw = build_email(rule, [AlertItem(rule=name, subject="id", title=title, reasons=["why"])],
                              sender="newsroom@localhost", to=["desk@example.org"], prefix="[newsroom]").as_bytes()
            head = raw.split(b"\n\n", 1)[0].decode("ascii")
            assert all(len(line) <= 78 for line in head.splitlines()), head
            assert message_from_bytes(raw, policy=policy.default)["Subject"] == f"[newsroom] {name}: {title}"
    # and through a real SMTP exchange
    settings, client = store
    index(store, [make_record(f"https://presse.example.org/t{n}", NEGATIVE_FR + f" {n}", title=title,
                              orgs={"Mistral AI": -0.6}, score=-0.5) for n, title in enumerate(FRENCH_TITLES)])
    rules = write_rules(tmp_path / "alerts.yaml", [email_rule("neg mistral", companies=["Mistral AI"],
                                                              max_sentiment=-0.2)])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        assert run_alerts(load_settings(), client, rules_file=rules)["sent"] == 2
    assert sorted(m["Subject"] for m in smtp.sink.messages) == sorted(
        f"[newsroom] neg mistral: {title}" for title in FRENCH_TITLES)


def test_english_keyword_rule_filtered_by_language(store, tmp_path, httpserver):
    settings, client = store
    index(store, [tribune(), sap_mistral(), nvidia_export()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "AI Act (English)", "keywords": ["AI Act"], "languages": ["en"], "delivery": "grouped",
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]},
    ])
    report = run_alerts(settings, client, rules_file=rules)
    assert report["matched"] == 2 and report["sent"] == 2
    (request, _), = httpserver.log
    payload = json.loads(request.data)
    titles = sorted(alert["title"] for alert in payload["alerts"])
    assert titles == ["Export rules hit Nvidia", "SAP teams up with Mistral AI"]  # the French op-ed also says "AI Act"
    assert all("«AI Act»" in alert["snippet"] for alert in payload["alerts"])
    assert all("keyword match: AI Act" in alert["reasons"][0] for alert in payload["alerts"])
    assert SIGNATURE_HEADER not in request.headers


def test_webhook_signature_and_slack_from_env(store, tmp_path, httpserver, monkeypatch):
    settings, client = store
    index(store, [nvidia_export()])
    httpserver.expect_request("/signed", method="POST").respond_with_data("ok")
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("HOOK_SECRET", "topsecret")
    monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "chips", "query_string": "export AND (chip* OR GPU*)", "companies": ["Nvidia"],
         "channels": [{"type": "webhook", "url": httpserver.url_for("/signed"), "secret_env": "HOOK_SECRET"},
                      {"type": "slack"}]},
    ])
    report = run_alerts(load_settings(), client, rules_file=rules)
    assert report["sent"] == 2 and report["failed"] == 0
    by_path = {request.path: request for request, _ in httpserver.log}
    signed = by_path["/signed"]
    assert signed.headers[SIGNATURE_HEADER] == sign("topsecret", signed.get_data())
    assert sign("wrong", signed.get_data()) != signed.headers[SIGNATURE_HEADER]
    slack = json.loads(by_path["/slack"].data)
    assert "Export rules hit Nvidia" in slack["blocks"][1]["text"]["text"]
    assert "*" in slack["blocks"][1]["text"]["text"]


def test_smtp_failure_stays_pending_and_next_run_delivers(store, tmp_path, monkeypatch):
    settings, client = store
    monkeypatch.setenv("NEWSROOM_ALERTS_WATERMARK_MARGIN_MINUTES", "0")  # so only the pending guard keeps it
    index(store, [tribune()])
    index(store, [nvidia_export()])  # indexed later: the watermark must not jump past the pending op-ed
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("negative coverage of Mistral AI", companies=["Mistral AI"], max_sentiment=-0.2)])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        smtp.sink.fail = True
        failed = run_alerts(load_settings(), client, rules_file=rules)
        assert failed["failed"] == 1 and failed["pending"] == 1 and failed["sent"] == 0
        assert "451" in failed["per_rule"]["negative coverage of Mistral AI"]["errors"][0]
        assert sent_records(client, settings) == []
        smtp.sink.fail = False
        retried = run_alerts(load_settings(), client, rules_file=rules)
        again = run_alerts(load_settings(), client, rules_file=rules)
    assert retried["sent"] == 1 and retried["pending"] == 0
    assert again["sent"] == 0
    assert len(smtp.sink.messages) == 1


def test_smtp_unreachable_is_a_failure_not_a_crash(store, tmp_path, monkeypatch):
    settings, client = store
    index(store, [tribune()])
    monkeypatch.setenv("NEWSROOM_SMTP_HOST", "127.0.0.1")
    from _alerts_helpers import free_port

    monkeypatch.setenv("NEWSROOM_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", "none")
    rules = write_rules(tmp_path / "alerts.yaml", [email_rule("m", companies=["Mistral AI"])])
    report = run_alerts(load_settings(), client, rules_file=rules)
    assert report["failed"] == 1 and report["per_channel"]["email"]["pending"] == 1


def test_dry_run_sends_and_records_nothing(store, tmp_path, httpserver):
    settings, client = store
    index(store, [nvidia_export()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "nvidia", "companies": ["Nvidia"], "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    client.indices.delete(index=alerts_index(settings), ignore_unavailable=True)
    dry = run_alerts(settings, client, rules_file=rules, dry_run=True)
    assert dry["per_rule"]["nvidia"]["would_send"][0]["items"][0]["title"] == "Export rules hit Nvidia"
    assert httpserver.log == [] and sent_records(client, settings) == []
    # it only reads: not even the alerts index is created (a read-only API key can preview the rules)
    assert not client.indices.exists(index=alerts_index(settings))
    real = run_alerts(settings, client, rules_file=rules)
    assert real["sent"] == 1 and len(httpserver.log) == 1


def test_bad_query_string_is_refused_at_load_naming_the_rule(store, tmp_path, httpserver):
    settings, client = store
    index(store, [nvidia_export()])
    hook = [{"type": "webhook", "url": httpserver.url_for("/hook")}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "fine", "keywords": ["export rules"], "channels": hook},
        {"name": "broken", "query_string": "export AND (chips", "channels": hook},
    ])
    with pytest.raises(ConfigError, match=r"entry #2 \('broken'\), field 'query_string'.*Failed to parse"):
        load_rules(settings, rules, client=client)  # the store's _validate/query decides
    with pytest.raises(ConfigError, match=r"entry #2 \('broken'\), field 'query_string'"):
        load_rules(load_settings(es_url=f"http://127.0.0.1:{free_port()}"), rules)  # store down: local parse
    with pytest.raises(ConfigError, match="broken"):
        run_alerts(settings, client, rules_file=rules)
    assert httpserver.log == []  # nothing ran on a file that does not validate


def assert_each_query_string_selects(store, tmp_path, hook, queries: dict[str, list[str]]) -> None:
    """One dry-run rule per `query_string`, each selecting exactly its articles' titles."""
    settings, client = store
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": f"rule {n}", "query_string": query, "channels": hook} for n, query in enumerate(queries)])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    for n, (query, titles) in enumerate(queries.items()):
        sent = report["per_rule"][f"rule {n}"]["would_send"]
        assert sorted(item["title"] for batch in sent for item in batch["items"]) == sorted(titles), query


def test_query_string_hyphenated_word_means_both_parts_not_a_negation(store, tmp_path, httpserver):
    """`start-up` in a rule's query_string is the compound (as Lucene's parser reads it), never "start NOT up"."""
    index(store, [
        make_record("https://a.example/record", "Nvidia posts record revenue for the quarter.", lang="en",
                    title="Nvidia posts record revenue", published=datetime(2026, 11, 20, 9, tzinfo=UTC)),
        make_record("https://a.example/crowd", "A record crowd came to the fair.", lang="en", title="Record crowd"),
        make_record("https://a.example/startup", "Une start-up installée à Saint-Ouen lève des fonds.",
                    title="Une start-up lève des fonds", published=datetime(2026, 10, 2, 9, tzinfo=UTC)),
        make_record("https://a.example/saint", "Saint Denis accueille le salon ; Ouen n'y était pas. On démarre.",
                    title="Le salon de Saint Denis"),
        make_record("https://a.example/open", "Mistral AI released an open-source model.", lang="en",
                    title="An open-source model"),
        make_record("https://a.example/opened", "Nvidia opened a registration window.", lang="en",
                    title="Registration opened"),
    ])
    hook = [{"type": "webhook", "url": httpserver.url_for("/hook")}]
    queries = {
        "record-revenue": ["Nvidia posts record revenue"],
        "start-up": ["Une start-up lève des fonds"],
        "Saint-Ouen": ["Une start-up lève des fonds"],
        "open-source OR Saint-Ouen": ["An open-source model", "Une start-up lève des fonds"],
        "NOT open-source AND (model OR window)": ["Registration opened"],
        # fields, ranges, quotes and operators are left as written
        'title:start-up AND published_at:[2026-10-01 TO 2026-10-31]': ["Une start-up lève des fonds"],
        'start-up AND published_at:[2026-11-01 TO *]': [],
        '"record revenue" -crowd': ["Nvidia posts record revenue"],
    }
    assert_each_query_string_selects(store, tmp_path, hook, queries)
    assert httpserver.log == []
    assert hyphenated_phrases('a-b AND date:>=2026-11-01 AND c:[2026-01-01 TO *] AND "d-e" AND f-g* AND /h-i/ AND '
                              'j\\-k AND (l-m)^2') == ('("a-b" OR "a-bs" OR ab) AND date:>=2026-11-01 AND '
                                                      'c:[2026-01-01 TO *] AND "d-e" AND f-g* AND /h-i/ AND j\\-k '
                                                      'AND (("l-m" OR "l-ms" OR lm))^2')


def test_a_slash_inside_a_query_string_word_is_words_never_a_regular_expression(store, tmp_path, httpserver):
    """Lucene's parser, which real Elasticsearch's `query_string` uses, allows no `/` in a term: `TCP/IP` in a rule
    started a regular expression (refused, or with a later `/`, `TCP/IP or 24/7`, the regex `IP or 24`), while luqum
    and the embedded stand-in read a word. A word with a `/` inside is now its quoted phrase on the exact copies
    (`TCP/IP`: "tcp" then "ip"), as a hyphenated name is, and a rule starting a term with `/…/` keeps its regex."""
    from pipeline.alerts.evaluate import rule_text_query
    from pipeline.alerts.rules import Rule

    index(store, [
        make_record("https://s.example/tcp", "Le support TCP/IP est assuré 24/7 par OVHcloud.", title="Support réseau"),
        make_record("https://s.example/apart", "L'IP du serveur change ; TCP reste. Ouvert 7 jours sur 7, 24 h.",
                    title="Serveur"),
    ])
    hook = [{"type": "webhook", "url": httpserver.url_for("/hook")}]
    queries = {"TCP/IP": ["Support réseau"], "24/7 AND OVHcloud": ["Support réseau"], "tcp/ip OR 24/7": ["Support réseau"],
               "title:serveur OR tcp/ip": ["Support réseau", "Serveur"]}
    assert_each_query_string_selects(store, tmp_path, hook, queries)
    # what real Elasticsearch is sent: no `/` left where Lucene would open a regular expression
    rule = Rule(name="r", query_string="TCP/IP OR 24/7 OR TCP/IP* OR /souver.*/", channels=hook)
    assert rule_text_query(rule) == (
        '(title.exact:"TCP/IP" OR description.exact:"TCP/IP" OR text.exact:"TCP/IP") OR '
        '(title.exact:"24/7" OR description.exact:"24/7" OR text.exact:"24/7") OR '
        '(title.exact:(tcp AND ip*) OR description.exact:(tcp AND ip*) OR text.exact:(tcp AND ip*)) OR /souver.*/')


def test_a_query_string_nested_3000_deep_is_refused_at_load_and_never_sent(tmp_path):
    """A rule like this crashed the embedded store (stack overflow) at every scheduled run; even `_validate/query`
    must not see it."""
    from _reply_server import ReplyServer

    hook = [{"type": "webhook", "url": "https://hooks.example.org/x"}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "deep", "query_string": "(" * 3000 + "Mistral" + ")" * 3000, "channels": hook},
        {"name": "wide", "query_string": " OR ".join(f"w{i}" for i in range(900)), "channels": hook},
    ])
    with ReplyServer("fake-es") as server:
        with pytest.raises(ConfigError) as exc:
            load_rules(load_settings(es_url=server.url), rules)
        assert not any("_validate" in r for r in server.requests)
    message = str(exc.value)
    assert "entry #1 ('deep'), field 'query_string': too complex (parentheses nested 3,000 deep, at most 50)" in message
    assert "entry #2 ('wide'), field 'query_string': too complex (900 terms, at most 200)" in message
    fine = write_rules(tmp_path / "fine.yaml", [{"name": "fine", "channels": hook, "query_string":
                                                  "(" * 20 + "export AND (chip* OR GPU*)" + ")" * 20}])
    load_rules(load_settings(es_url=f"http://127.0.0.1:{free_port()}"), fine)  # store down: the local parse accepts it



def test_a_query_string_of_chained_operators_or_fields_is_refused_at_load_in_one_sentence(tmp_path):
    """Hostile-input audit, sixth round: operators and fields chain without parentheses, under the depth and term
    limits; 2,000 of them (`cloud - - … x`, `NOT NOT … x`, `title:title:…:a`) ended `newsroom alerts list` and every
    alerts run with a bare RecursionError while the query was rewritten. Refused at load, never sent."""
    from _reply_server import ReplyServer

    hook = [{"type": "webhook", "url": "https://hooks.example.org/x"}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "dashes", "query_string": "cloud" + " -" * 2000 + " x", "channels": hook},
        {"name": "nots", "query_string": "NOT " * 2000 + "x", "channels": hook},
        {"name": "fields", "query_string": "title:" * 2000 + "a", "channels": hook},
    ])
    with ReplyServer("fake-es") as server:
        with pytest.raises(ConfigError) as exc:
            load_rules(load_settings(es_url=server.url), rules)
        assert not any("_validate" in r for r in server.requests)
    message = str(exc.value)
    assert "entry #1 ('dashes'), field 'query_string': too complex (operators nested 2,002 deep, at most 110)" in message
    assert "entry #2 ('nots'), field 'query_string': too complex (operators nested 2,001 deep" in message
    assert "entry #3 ('fields'), field 'query_string': too complex (operators nested 2,001 deep" in message
    fine = write_rules(tmp_path / "fine.yaml", [{"name": "fine", "channels": hook, "query_string":
                                                  "-(" * 49 + "export AND title:(chip* OR GPU*)" + ")" * 49}])
    load_rules(load_settings(es_url=f"http://127.0.0.1:{free_port()}"), fine)  # store down: the local parse accepts it

def test_a_rule_failing_at_run_time_fails_alone(store, tmp_path, httpserver):
    """A query the cluster rejects (given programmatically, past the load check) fails its rule only: recorded,
    reported, and the rules after it still deliver."""
    from pipeline.alerts.rules import AlertsConfig

    settings, client = store
    index(store, [nvidia_export()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    hook = [{"type": "webhook", "url": httpserver.url_for("/hook")}]
    config = AlertsConfig.model_validate({"rules": [
        {"name": "broken", "query_string": "export AND (chips", "channels": hook},
        {"name": "fine", "keywords": ["export rules"], "channels": hook},
    ]})
    report = run_alerts(settings, client, config=config)
    assert "broken" in report["per_rule"]["broken"]["error"] and report["errors"] == 1
    assert report["failures"] == [report["per_rule"]["broken"]["error"]]
    assert report["per_rule"]["fine"]["sent"] == 1


def test_digest_waits_for_its_hour_then_sends_once(store, tmp_path, httpserver, monkeypatch):
    settings, client = store
    monkeypatch.setenv("NEWSROOM_TIMEZONE", "UTC")
    index(store, [nvidia_export(), sap_mistral()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "digest", "keywords": ["AI Act"], "delivery": "digest", "digest_hour": 8,
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    today = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    early = run_alerts(load_settings(), client, rules_file=rules, now=today.replace(hour=7))
    assert early["per_rule"]["digest"]["skipped"] and httpserver.log == []
    due = run_alerts(load_settings(), client, rules_file=rules, now=today.replace(hour=23))
    assert due["sent"] == 2 and len(httpserver.log) == 1  # one message with both articles
    later = run_alerts(load_settings(), client, rules_file=rules, now=today.replace(hour=23, minute=30))
    assert later["per_rule"]["digest"]["skipped"] and len(httpserver.log) == 1


def test_a_dry_run_applies_the_digest_due_check_of_a_real_run(store, tmp_path, httpserver, monkeypatch, capsys):
    settings, client = store
    monkeypatch.setenv("NEWSROOM_TIMEZONE", "Europe/Paris")
    index(store, [nvidia_export(), sap_mistral()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "digest", "keywords": ["AI Act"], "delivery": "digest", "digest_hour": 23,
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    paris = ZoneInfo("Europe/Paris")
    today = datetime.now(paris).replace(second=0, microsecond=0)
    early, due = today.replace(hour=22, minute=42), today.replace(hour=23, minute=30)  # either side of 23:00, local
    report = run_alerts(load_settings(), client, rules_file=rules, now=early, dry_run=True)
    dry = report["per_rule"]["digest"]
    from pipeline.cli.alerts_cmd import _print_report

    _print_report(report)
    printed = " ".join(capsys.readouterr().out.split())
    assert "nothing sent now (digest not due until 23:00 Europe/Paris); the digest would hold 2 item(s)" in printed
    real = run_alerts(load_settings(), client, rules_file=rules, now=early)["per_rule"]["digest"]
    assert dry["skipped"] == real["skipped"] == "digest not due until 23:00 Europe/Paris"
    assert dry["would_send"] == [] and real["sent"] == 0 and httpserver.log == []
    assert (real["matched"], real["new"]) == (dry["matched"], dry["new"]) == (2, 2)  # counted alike, held for 23:00
    assert [len(m["items"]) for m in dry["not_due"]] == [2]  # previewed apart, labelled not due
    dry = run_alerts(load_settings(), client, rules_file=rules, now=due, dry_run=True)["per_rule"]["digest"]
    assert dry["skipped"] is None and [len(m["items"]) for m in dry["would_send"]] == [2]
    assert run_alerts(load_settings(), client, rules_file=rules, now=due)["sent"] == 2
    again = run_alerts(load_settings(), client, rules_file=rules, now=due + timedelta(minutes=10), dry_run=True)
    assert again["per_rule"]["digest"]["skipped"] == "digest already sent today: next after 23:00 Europe/Paris tomorrow"
    assert again["per_rule"]["digest"]["would_send"] == []


def test_volume_spike_fires_once(store, tmp_path, httpserver):
    settings, client = store
    now = datetime.now(UTC)
    records = []
    for n in range(6):  # Nvidia: 6 mentions in the last 24 h, 1 in the week before
        records.append(make_record(f"https://ledger.example.com/nv-{n}", NVIDIA_EN + f" Update {n}.",
                                   title=f"Nvidia update {n}", orgs={"Nvidia": -0.2}, lang="en",
                                   published=now - timedelta(hours=2 + n)))
    records.append(make_record("https://ledger.example.com/nv-old", NVIDIA_EN + " Old.", title="Nvidia last week",
                               orgs={"Nvidia": 0.1}, lang="en", published=now - timedelta(days=3)))
    for n in range(7):  # OVHcloud: steady, one a day, 1 in the last 24 h: no spike
        records.append(make_record(f"https://presse.example.org/ovh-{n}", NEGATIVE_FR + f" Jour {n}.",
                                   title=f"OVHcloud jour {n}", orgs={"OVHcloud": 0.3},
                                   published=now - timedelta(days=n, hours=3)))
    index(store, records)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "spikes", "volume": {"window": "24h", "baseline_days": 7, "factor": 3, "min_count": 3},
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    first = run_alerts(settings, client, rules_file=rules)
    second = run_alerts(settings, client, rules_file=rules)
    assert first["sent"] == 1 and second["sent"] == 0
    (request, _), = httpserver.log
    (alert,) = json.loads(request.data)["alerts"]
    assert alert["company"] == "Nvidia"
    assert alert["reasons"][0].startswith("6 mentions of Nvidia in the last 24h vs 0.1 expected")
    assert len(alert["related"]) == 3


def test_a_spike_is_reported_once_per_window_even_across_the_window_boundary(store, tmp_path, httpserver):
    settings, client = store
    boundary = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)  # a 1h window's epoch-aligned bucket edge
    before, after = boundary - timedelta(minutes=10), boundary + timedelta(minutes=10)
    index(store, [make_record(f"https://ledger.example.com/nv-b{n}", NVIDIA_EN + f" Brief {n}.",
                              title=f"Nvidia brief {n}", orgs={"Nvidia": -0.2}, lang="en",
                              published=before - timedelta(minutes=5 + n)) for n in range(4)])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "spikes", "volume": {"window": "1h", "baseline_days": 7, "factor": 3, "min_count": 3},
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    first = run_alerts(settings, client, rules_file=rules, now=before)
    # 20 minutes later, in the next bucket: the same four articles, the same spike
    second = run_alerts(settings, client, rules_file=rules, now=after)
    assert (first["sent"], second["matched"], second["sent"]) == (1, 1, 0)
    assert len(httpserver.log) == 1
    # one window after the report, a spike still running is reported again (once per window, not once ever)
    (record,) = sent_records(client, settings, rule="spikes")
    later = parse_time(record["sent_at"]) + timedelta(hours=1, minutes=1)
    assert run_alerts(settings, client, rules_file=rules, now=later)["matched"] == 0  # the briefs left the window
    index(store, [make_record(f"https://ledger.example.com/nv-c{n}", NVIDIA_EN + f" Again {n}.",
                              title=f"Nvidia again {n}", orgs={"Nvidia": -0.2}, lang="en",
                              published=later - timedelta(minutes=1 + n)) for n in range(4)])
    assert run_alerts(settings, client, rules_file=rules, now=later)["sent"] == 1


def test_rule_sources_match_like_search_and_unknown_ones_are_reported(store, tmp_path, httpserver, monkeypatch,
                                                                       capsys):
    from pipeline.cli import main

    settings, client = store
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n"
                     "  - name: The Compute Ledger\n    url: https://ledger.example.com/feed.xml\n    lang: en\n"
                     "  - name: Le Quotidien du Numérique — Tech\n    url: https://presse.example.org/rss\n"
                     "    lang: fr\n", encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(feeds))
    records = [tribune(), sap_mistral(), nvidia_export()]
    for rec in records[1:]:
        rec.article.domain = "ledger.example.com"
    index(store, records)
    hook = [{"type": "webhook", "url": httpserver.url_for("/hook")}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "src lower", "companies": ["Mistral AI"], "sources": ["the compute ledger"], "channels": hook},
        {"name": "src domain", "companies": ["Nvidia"], "sources": ["LEDGER.example.com"], "channels": hook},
        {"name": "src typo", "companies": ["Nvidia"], "sources": ["The Compute Ledgr"], "channels": hook},
        {"name": "src volume", "sources": ["the compute ledger"], "channels": hook,
         "volume": {"window": "24h", "baseline_days": 7, "factor": 3, "min_count": 1}}])
    report = run_alerts(load_settings(), client, rules_file=rules, dry_run=True,
                        now=datetime(2026, 11, 20, 12, tzinfo=UTC))  # the records are published at 09:30
    matched = {name: result["matched"] for name, result in report["per_rule"].items()}
    assert matched == {"src lower": 1, "src domain": 1, "src typo": 0, "src volume": 3}  # SAP, Mistral AI, Nvidia
    warning = (f"rule 'src typo': source 'The Compute Ledgr' is no feed name or domain in {feeds}: the rule may "
               "never fire; closest: 'The Compute Ledger'")
    assert [note for note in report["notes"] if "source" in note] == [warning + "."]
    main(["alerts", "list", "--rules", str(rules)])
    assert warning in " ".join(capsys.readouterr().out.split())
    main(["alerts", "list", "--rules", str(rules), "--json"])
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 4 and warning in " ".join(captured.err.split())


def test_alerts_index_is_strict_and_created_idempotently(store, tmp_path):
    settings, client = store
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "x", "keywords": ["x"], "channels": [{"type": "slack"}]}])
    run_alerts(settings, client, rules_file=rules)
    run_alerts(settings, client, rules_file=rules)
    mapping = client.indices.get_mapping(index=alerts_index(settings))[alerts_index(settings)]["mappings"]
    assert mapping["dynamic"] == "strict" and set(mapping["properties"]) == set(ALERT_PROPERTIES)


def test_an_alerts_index_made_with_another_mapping_sends_nothing_and_says_so(store, tmp_path, httpserver):
    """An alerts index created by hand or by another tool (`kind` an integer, `sent_at` text): each alert went out,
    its sent record was refused, and it went out again on every run."""
    from pipeline.errors import StoreError

    settings, client = store
    index(store, [tribune()])
    client.indices.create(index=alerts_index(settings), mappings={"properties": {
        "kind": {"type": "integer"}, "sent_at": {"type": "text"}}})
    httpserver.expect_request("/hook").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"], "channels": [
        {"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    with pytest.raises(StoreError, match=r"exists with another mapping \(kind is integer, not keyword; sent_at is "
                                         r"text, not date\).*Nothing was sent"):
        run_alerts(load_settings(), client, rules_file=rules)
    assert not httpserver.log


def test_cli_test_explains_match(store, tmp_path, capsys):
    from pipeline.cli import main

    settings, client = store
    index(store, [tribune(), sap_mistral()])
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("negative coverage of Mistral AI", companies=["Mistral AI"], max_sentiment=-0.2)])
    main(["alerts", "test", "negative coverage of Mistral AI", "--article-id", tribune().article.id,
          "--rules", str(rules)])
    out = capsys.readouterr().out
    assert "MATCHES" in out and "✓ tone toward Mistral AI ≤ -0.20" in out
    main(["alerts", "test", "negative coverage of Mistral AI", "--article-id", sap_mistral().article.id,
          "--rules", str(rules)])
    out = capsys.readouterr().out
    assert "does not match" in out and "✓ mentions Mistral AI" in out and "✗ tone toward Mistral AI" in out


def test_email_via_airflow_connection(store, tmp_path, monkeypatch):
    settings, client = store
    index(store, [nvidia_export()])
    with SmtpServer(user="airflow-user", password="conn-pass") as smtp:
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_ALERTS", json.dumps({
            "conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port, "login": "airflow-user",
            "password": "conn-pass", "extra": {"security": "none", "from_email": "alerts@newsroom.example"}}))
        rules = write_rules(tmp_path / "alerts.yaml", [
            {"name": "nvidia", "companies": ["Nvidia"],
             "channels": [{"type": "email", "to": ["desk@example.org"], "connection": "smtp_alerts"}]}])
        report = run_alerts(load_settings(), client, rules_file=rules)
    assert report["sent"] == 1 and smtp.sink.logins == ["airflow-user"]
    assert smtp.sink.messages[0]["From"] == "alerts@newsroom.example"


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_email_over_verified_tls_with_auth(store, tmp_path, monkeypatch, security):
    from _alerts_helpers import self_signed_cert

    settings, client = store
    index(store, [nvidia_export()])
    cert = self_signed_cert(tmp_path)
    rules = write_rules(tmp_path / "alerts.yaml", [email_rule("nvidia", companies=["Nvidia"])])
    with SmtpServer(user="alerts", password="s3cret", tls=security, cert=cert) as smtp:
        smtp_env(monkeypatch, smtp, "alerts", "s3cret")
        monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", security)
        unverified = run_alerts(load_settings(), client, rules_file=rules)  # system CAs do not know this server
        assert unverified["failed"] == 1 and "CERTIFICATE_VERIFY_FAILED" in unverified["per_rule"]["nvidia"]["errors"][0]
        monkeypatch.setenv("NEWSROOM_SMTP_CA_FILE", str(cert[0]))
        report = run_alerts(load_settings(), client, rules_file=rules)
    assert report["sent"] == 1 and smtp.sink.logins == ["alerts"] and len(smtp.sink.messages) == 1


def test_article_visible_late_is_still_alerted(store, tmp_path, httpserver):
    """An article stamped indexed_at = T that becomes searchable after a run whose watermark passed T (slow bulk,
    refresh, another host's clock) is still evaluated thanks to the margin, and sent once."""
    from pipeline.store.indexing import article_document
    from pipeline.store.templates import index_names

    settings, client = store
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "nvidia", "companies": ["Nvidia"], "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    index(store, [sap_mistral()])
    first = run_alerts(settings, client, rules_file=rules)
    assert first["matched"] == 0
    late = nvidia_export()
    stamped = datetime.now(UTC) - timedelta(minutes=10)  # before the newest indexed_at the first run saw
    client.create(index=index_names(settings.es_index_prefix)["articles"], id=late.article.id,
                  document=article_document(late, now=stamped), refresh=True)
    second = run_alerts(settings, client, rules_file=rules)
    third = run_alerts(settings, client, rules_file=rules)
    assert second["sent"] == 1 and third["sent"] == 0 and len(httpserver.log) == 1


def test_cli_run_dry_run_prints_what_would_be_sent(store, tmp_path, capsys, httpserver):
    from pipeline.cli import main

    settings, client = store
    index(store, [nvidia_export()])
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "nvidia", "companies": ["Nvidia"], "channels": [{"type": "webhook", "url": httpserver.url_for("/h")}]}])
    main(["alerts", "run", "--dry-run", "--rules", str(rules)])
    out = capsys.readouterr().out
    assert "(dry run)" in out and "Export rules hit Nvidia" in out and "why: mentions Nvidia" in out
    assert httpserver.log == [] and sent_records(client, settings) == []
    main(["alerts", "list", "--rules", str(rules)])
    assert "nvidia" in capsys.readouterr().out


def test_one_channel_failing_does_not_resend_on_the_other(store, tmp_path, monkeypatch, httpserver):
    settings, client = store
    index(store, [tribune()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "neg", "companies": ["Mistral AI"], "max_sentiment": -0.2,
         "channels": [{"type": "email", "to": ["desk@example.org"]},
                      {"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        smtp.sink.fail = True
        first = run_alerts(load_settings(), client, rules_file=rules)
        smtp.sink.fail = False
        second = run_alerts(load_settings(), client, rules_file=rules)
    assert first["per_channel"]["webhook"]["sent"] == 1 and first["per_channel"]["email"]["pending"] == 1
    assert second["per_channel"]["email"]["sent"] == 1 and second["per_channel"]["webhook"]["sent"] == 0
    assert len(httpserver.log) == 1 and len(smtp.sink.messages) == 1


def test_crlf_in_a_subject_prefix_or_unknown_keys_are_refused_at_load(tmp_path):
    hook = {"type": "email", "to": ["a@example.org"], "subject_prefix": "[news]\r\nBcc: x@evil.example"}
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "r", "keywords": ["x"], "channels": [hook]}])
    with pytest.raises(ConfigError, match="subject_prefix.*one line"):
        load_rules(load_settings(), rules)
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "r", "keyword": ["x"],
                                                    "channels": [{"type": "email", "to": ["a@example.org"]}]}])
    with pytest.raises(ConfigError, match=r"'keyword': unknown key \(did you mean 'keywords'\?\)"):
        load_rules(load_settings(), rules)


def test_two_watchlist_companies_cannot_share_a_name(tmp_path):
    from pipeline.enrich.watchlist import load_watchlist

    path = tmp_path / "watchlist.yaml"
    path.write_text("companies:\n  - {name: Acme, aliases: [Acme]}\n  - {name: acme, aliases: [Acme Corp]}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"two companies are named 'acme' \(entries #1 and #2\)"):
        load_watchlist(path)
    path.write_text("companies:\n  - {name: Acme, aliases: [Acme], alias: [x]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'alias': unknown key \(did you mean 'aliases'\?\)"):
        load_watchlist(path)


@pytest.mark.parametrize(("company", "expected"), [
    ("{name: '   ', aliases: [Foo Corp]}", r"entry #1 \('   '\), field 'name'.*has no letter or digit"),
    ("{name: Foo Corp, aliases: ['!!!']}", r"entry #1 \('Foo Corp'\), field 'aliases'.*'!!!' has no letter or digit"),
    ("{name: Foo Corp, exact: ['.*']}", r"field 'exact'.*'\.\*' has no letter or digit: it can never match"),
    ("{name: Foo Corp, aliases: [Foo Corp, A]}", r"field 'aliases'.*'A' is one character.*`ambiguous:`"),
])
def test_watchlist_forms_that_never_or_always_match_are_refused(tmp_path, company, expected):
    from pipeline.enrich.watchlist import load_watchlist

    path = tmp_path / "watchlist.yaml"
    path.write_text(f"companies:\n  - {company}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_watchlist(path)


def test_hostile_titles_are_inert_in_each_rendering():
    from pipeline.alerts.deliver import build_email, slack_payload
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    rule = Rule.model_validate({"name": "r", "keywords": ["x"], "channels": [{"type": "email", "to": ["a@example.org"]}]})
    item = AlertItem(rule="r", subject="1", title="<!channel> hi\r\nBcc: v@evil.example <script>x</script>",
                     url="https://news.example/a|b>c", source="S & <b>", snippet="\ue000x\ue001 <!here>")
    message = build_email(rule, [item], sender="News <news@example.org>", to=["a@example.org"])
    from email import message_from_bytes, policy

    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and "Bcc: v@evil.example" in parsed["Subject"]
    html_body = parsed.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html_body and "&lt;script&gt;" in html_body and "<!here>" not in html_body
    payload = slack_payload(rule, [item])
    blob = json.dumps(payload)
    assert "<!channel>" not in blob and "<!here>" not in blob and "\\n" not in payload["text"]
    assert "<https://news.example/a%7Cb%3Ec|" in payload["blocks"][1]["text"]["text"]


# Pages about the AI Act, and pages that only say "act", "AI" or "Cloud Act", in French and in English.
AI_ACT_PAGES = [
    ("https://p.example/fr-ai-act", "fr", True, "L’AI Act entre en application",
     "Le règlement européen, l'AI Act, impose de nouvelles obligations aux fournisseurs de modèles."),
    ("https://p.example/fr-act", "fr", False, "Le conseil municipal doit agir",
     "J'ai assisté au vote : le conseil doit prendre acte, et act sera publié."),
    ("https://p.example/fr-cloud-act", "fr", False, "Le Cloud Act inquiète",
     "Le Cloud Act américain permet d'accéder aux données. L'IA n'est pas concernée, ai-je lu."),
    ("https://p.example/en-ai-act", "en", True, "What the AI Act means",
     "The EU AI Act sets obligations for general-purpose model providers."),
    ("https://p.example/en-act", "en", False, "Turn signals",
     "They act as turn signals. The Water Act was passed. AI is everywhere."),
    ("https://p.example/en-cloud-act", "en", False, "Cloud Act warrant",
     "A Cloud Act warrant reached an AI startup's servers."),
]


def test_ai_act_keyword_rule_matches_whole_phrase_only_in_french_and_english(store, tmp_path):
    settings, client = store
    index(store, [make_record(url, text, title=title, lang=lang) for url, lang, _, title, text in AI_ACT_PAGES])
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "AI Act", "keywords": ["AI Act"], "channels": [{"type": "slack"}]}])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    items = [item for message in report["per_rule"]["AI Act"]["would_send"] for item in message["items"]]
    assert sorted(item["url"] for item in items) == sorted(url for url, _, hit, _, _ in AI_ACT_PAGES if hit)
    assert all(item["reasons"][0].startswith("keyword match: ") and item["reasons"][0].endswith("AI Act")
               for item in items)  # "l’AI Act": the highlight spans the elided token


def test_cli_test_takes_a_unique_article_id_prefix(store, tmp_path, capsys):
    from pipeline.cli import main

    index(store, [tribune(), sap_mistral()])
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("mistral", companies=["mistral"])])
    main(["alerts", "test", "mistral", "--article-id", tribune().article.id[:10], "--rules", str(rules)])
    assert "MATCHES" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["alerts", "test", "mistral", "--article-id", "ffffffffff", "--rules", str(rules)])
    assert exit_info.value.code != 0
    assert "No article with an id starting with 'ffffffffff'" in capsys.readouterr().err


@pytest.mark.parametrize("mode", ["huge", "drip"])
def test_a_receiver_that_accepted_the_alert_then_answers_too_much_or_too_slowly_is_not_sent_it_again(
        store, tmp_path, monkeypatch, mode):
    """Its 200 came first: counted as a failure, the same alerts went out again on every run (red-team: 6 alerts
    delivered 18 times in 3 runs). The reply is still cut at 1 MB / 2 x timeout."""
    settings, client = store
    index(store, [nvidia_export()])
    monkeypatch.setenv("NEWSROOM_ALERTS_TIMEOUT", "1")  # so the whole reply must come within 2 s
    with ReplyServer(mode, size=50_000_000) as receiver:
        monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", receiver.url + "/services/T000/B000/secretpart")
        rules = write_rules(tmp_path / "alerts.yaml", [
            {"name": "chips", "query_string": "export AND (chip* OR GPU*)", "companies": ["Nvidia"],
             "channels": [{"type": "webhook", "url": receiver.url + "/hook"}, {"type": "slack"}]},
        ])
        started = time.monotonic()
        report = run_alerts(load_settings(), client, rules_file=rules)
        assert time.monotonic() - started < 20
        assert (report["sent"], report["failed"], report["errors"]) == (2, 0, 0), report
        again = run_alerts(load_settings(), client, rules_file=rules)
    assert (again["sent"], again["failed"]) == (0, 0) and len(receiver.requests) == 2


def test_a_receiver_that_never_completes_its_status_line_is_cut_off_and_the_next_channel_still_runs(
        store, tmp_path, monkeypatch):
    """httpx's timeout is per read: a status line sent a byte every 0.2 s held the run for ever (red-team)."""
    settings, client = store
    index(store, [nvidia_export()])
    monkeypatch.setenv("NEWSROOM_ALERTS_TIMEOUT", "1")
    with ReplyServer("drip-status") as receiver, ReplyServer("huge", size=10) as healthy:
        monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", receiver.url + "/services/T000/B000/secretpart")
        rules = write_rules(tmp_path / "alerts.yaml", [
            {"name": "chips", "query_string": "export AND (chip* OR GPU*)", "companies": ["Nvidia"],
             "channels": [{"type": "slack"}, {"type": "webhook", "url": healthy.url + "/hook"}]},
        ])
        started = time.monotonic()
        report = run_alerts(load_settings(), client, rules_file=rules)
    assert time.monotonic() - started < 10
    assert (report["sent"], report["failed"]) == (1, 1), report
    [error] = report["per_rule"]["chips"]["errors"]
    assert f"Slack webhook: {receiver.url}/… did not finish its reply within 2 s" in error and "secretpart" not in error


def test_a_recipient_the_relay_refuses_does_not_send_the_others_a_copy_every_run(store, tmp_path, monkeypatch):
    """The whole message counted as failed when one recipient was refused: the accepted ones got it again on every
    run (red-team). It is sent, the refusal said once, and smtplib's tuples are sentences."""
    settings, client = store
    index(store, [tribune()])
    with SmtpServer() as server:
        server.sink.refuse = {"gone@example.org"}
        smtp_env(monkeypatch, server)
        rules = write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"], "channels": [
            {"type": "email", "to": ["desk@example.org", "gone@example.org"]}]}])
        first = run_alerts(load_settings(), client, rules_file=rules)
        second = run_alerts(load_settings(), client, rules_file=rules)
    assert (first["sent"], first["failed"], second["sent"]) == (1, 0, 0) and len(server.sink.messages) == 1
    [note] = first["per_rule"]["mistral"]["errors"]
    assert "sent, but the server refused 1 of 2 recipient(s): refused recipient(s) gone@example.org (550 5.1.1 no " \
           "such user)" in note and "b'" not in note


def _mail_rule(tmp_path, to: list[str]):
    """A rules file with one e-mail rule on Mistral AI to `to`."""
    return write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"], "channels": [
        {"type": "email", "to": to}]}])


def test_a_long_recipient_list_goes_out_in_messages_of_a_hundred_each_naming_its_own(store, tmp_path, monkeypatch):
    """250 addresses in one message: a relay that takes 100 per message (RFC 5321's promise) refused 150 of them,
    and every reader saw the whole list."""
    settings, client = store
    index(store, [tribune()])
    desk = [f"desk{n:03d}@example.org" for n in range(250)]
    with SmtpServer() as server:
        server.sink.max_recipients = 100
        smtp_env(monkeypatch, server)
        report = run_alerts(load_settings(), client, rules_file=_mail_rule(tmp_path, desk))
    assert (report["sent"], report["failed"], report["errors"]) == (1, 0, 0), report["failures"]
    assert [len(m["To"].addresses) for m in server.sink.messages] == [100, 100, 50]
    assert sorted(a.addr_spec for m in server.sink.messages for a in m["To"].addresses) == desk


def test_a_relay_that_fails_after_the_first_hundred_does_not_get_them_mailed_twice(store, tmp_path, monkeypatch):
    """A failure after the first message of a long list marked the alert failed: the next run mailed the first
    hundred again (review). It is sent, the others named as refused."""
    settings, client = store
    index(store, [tribune()])
    desk = [f"desk{n:03d}@example.org" for n in range(150)]
    with SmtpServer() as server:
        server.sink.fail_after = 1
        smtp_env(monkeypatch, server)
        rules = _mail_rule(tmp_path, desk)
        first = run_alerts(load_settings(), client, rules_file=rules)
        second = run_alerts(load_settings(), client, rules_file=rules)
    assert (first["sent"], first["failed"], second["sent"]) == (1, 0, 0) and len(server.sink.messages) == 1
    assert "refused 50 of 150 recipient(s)" in first["per_rule"]["mistral"]["errors"][0]


def test_an_smtp_relay_that_trickles_is_cut_off_and_the_rules_other_channel_still_runs(store, tmp_path, monkeypatch):
    """smtplib's timeout is per read: a banner sent a byte a second held the run for ever (red-team)."""
    settings, client = store
    index(store, [tribune()])
    listener = socket.create_server(("127.0.0.1", 0))

    def trickle() -> None:
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            for byte in b"220 " + b"x" * 1000:
                conn.sendall(bytes([byte]))
                time.sleep(0.2)

    threading.Thread(target=trickle, daemon=True).start()
    monkeypatch.setenv("NEWSROOM_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSROOM_SMTP_PORT", str(listener.getsockname()[1]))
    monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", "none")
    monkeypatch.setenv("NEWSROOM_ALERTS_TIMEOUT", "1")
    with ReplyServer("huge", size=10) as healthy:
        rules = write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"], "channels": [
            {"type": "email", "to": ["desk@example.org"]}, {"type": "webhook", "url": healthy.url + "/hook"}]}])
        started = time.monotonic()
        report = run_alerts(load_settings(), client, rules_file=rules)
    listener.close()
    assert time.monotonic() - started < 10
    assert (report["sent"], report["failed"]) == (1, 1)
    assert "the SMTP session did not finish within 2 s" in report["per_rule"]["mistral"]["errors"][0]


def test_a_receiver_that_is_down_is_tried_once_per_run_not_once_per_alert(store, tmp_path):
    """Immediate delivery waited a full timeout per pending article (25 minutes for 100 at the default)."""
    settings, client = store
    index(store, [tribune(), sap_mistral()])
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"],
                                                    "channels": [{"type": "webhook", "url": down}]}])
    report = run_alerts(load_settings(), client, rules_file=rules)
    assert (report["sent"], report["failed"], report["pending"]) == (0, 1, 2), report
    [error] = report["per_rule"]["mistral"]["errors"]
    assert "its other messages of this run were not tried" in error


def _webhook_rule_answered_by(tmp_path, httpserver, response):
    """A rules file whose one rule (Mistral AI) posts to a local webhook that answers `response`."""
    httpserver.expect_request("/hook").respond_with_response(response)
    return write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"],
                                                   "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])


def test_a_receiver_answering_429_is_not_sent_the_rest_of_the_run_and_its_retry_after_is_said(store, tmp_path,
                                                                                                httpserver):
    """A Slack or webhook receiver rate-limiting us (429 with Retry-After) got every other pending alert of the run
    at once, each refused the same way (Slack's rate limits count the refused posts too)."""
    from werkzeug import Response

    settings, client = store
    index(store, [tribune(), sap_mistral()])
    rules = _webhook_rule_answered_by(tmp_path, httpserver, Response("rate limited", status=429,
                                                                      headers={"Retry-After": "30"}))
    report = run_alerts(load_settings(), client, rules_file=rules)
    assert (report["sent"], report["failed"], report["pending"]) == (0, 1, 2), report
    assert len(httpserver.log) == 1
    [error] = report["per_rule"]["mistral"]["errors"]
    assert "HTTP 429" in error and "asked to wait 30 s (Retry-After)" in error
    assert "its other messages of this run were not tried" in error


def test_a_receiver_redirecting_elsewhere_is_not_followed_and_the_failure_names_the_new_host(store, tmp_path,
                                                                                             httpserver):
    """A webhook answering 301 to another host failed as "HTTP 301 ''": nothing said where it had moved."""
    from werkzeug import Response

    settings, client = store
    index(store, [tribune()])
    rules = _webhook_rule_answered_by(tmp_path, httpserver, Response(
        "", status=301, headers={"Location": "https://hooks.other.example/secret-path/abc"}))
    report = run_alerts(load_settings(), client, rules_file=rules)
    assert (report["sent"], report["failed"], report["pending"]) == (0, 1, 1), report
    [error] = report["per_rule"]["mistral"]["errors"]
    assert "HTTP 301" in error and "it redirects to https://hooks.other.example/…" in error
    assert "secret-path" not in error and len(httpserver.log) == 1


def test_an_article_stored_with_odd_field_shapes_is_alerted_searched_and_reported_like_the_others(
        store, tmp_path, httpserver, capsys):
    """Elasticsearch keeps any field as an array and a nested list as one object: an article written so by an older
    version or another tool (`title: [..]`, one `company_sentiment: {..}`, a score as a string) failed every run of
    each rule matching it (AttributeError), every search listing it ("not an Elasticsearch reply") and the report."""
    from pipeline.cli import main
    from pipeline.search import search_articles

    settings, client = store
    index(store, [tribune()])
    client.indices.refresh(index=f"{settings.es_index_prefix}-articles")
    stored = client.search(index=f"{settings.es_index_prefix}-articles", size=1)["hits"]["hits"][0]
    odd = dict(stored["_source"], id="0" * 64, url="https://presse.example.org/odd", indexed_at=datetime.now(UTC).isoformat(),
               title=["Mistral AI, titre ancien", "second"], source=["Source A", "Source B"], authors="Jean Dupont",
               sentiment={"label": "negative", "score": "-0.5"},
               company_sentiment={"company": "Mistral AI", "label": "negative", "score": "-0.6"})
    client.index(index=stored["_index"], id=odd["id"], document=odd, refresh=True)
    httpserver.expect_request("/hook").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"], "channels": [
        {"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    report = run_alerts(load_settings(), client, rules_file=rules)
    assert (report["sent"], report["failed"]) == (2, 0), report
    sent = {item["title"]: item for request, _ in httpserver.log for item in json.loads(request.data)["alerts"]}
    assert sent["Mistral AI, titre ancien"]["company_sentiment"] == {"Mistral AI": -0.6}
    results = search_articles(client, settings, "mistral")
    assert sorted(hit["title"] for hit in results.hits) == ["Mistral AI et Nvidia : une défaite pour l'autonomie",
                                                            "Mistral AI, titre ancien"]
    main(["report", "--output", str(tmp_path / "report.html")])
    assert "Mistral AI, titre ancien" in (tmp_path / "report.html").read_text()


def test_a_store_lost_between_sending_and_recording_says_the_alert_went_out_and_sends_it_once_more(
        store, tmp_path, httpserver, monkeypatch):
    """The store stopped right after a receiver accepted an alert: the run said "0 matched, 0 sent" and only that
    Elasticsearch became unavailable, not that an alert went out unrecorded (and would go out again)."""
    from werkzeug import Response

    from _es_proxy import IlmProxy

    settings, client = store
    index(store, [tribune()])
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "mistral", "companies": ["mistral"], "channels": [
        {"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    with IlmProxy(settings.es_url) as proxy:
        def accept_then_lose_the_store(request):
            proxy.__exit__(None, None, None)
            return Response("ok")

        httpserver.expect_request("/hook").respond_with_handler(accept_then_lose_the_store)
        monkeypatch.setenv("NEWSROOM_ES_URL", proxy.url)
        report = run_alerts(load_settings(), make_client(load_settings()), rules_file=rules)
    assert (report["matched"], report["sent"]) == (1, 1), report
    [failure] = report["failures"]
    assert "delivered 1 alert(s), but 1 could not be recorded" in failure
    assert "they will be sent again on the next run" in failure
    httpserver.clear()
    httpserver.expect_request("/hook").respond_with_data("ok")
    monkeypatch.setenv("NEWSROOM_ES_URL", settings.es_url)
    again = run_alerts(load_settings(), client, rules_file=rules)  # the store is back: sent once more, then recorded
    assert (again["sent"], again["failures"], len(httpserver.log)) == (1, [], 1)
    assert run_alerts(load_settings(), client, rules_file=rules)["sent"] == 0


def test_long_rule_and_channel_names_are_recorded_so_an_alert_goes_out_once(store, tmp_path, httpserver):
    """Record ids over Elasticsearch's 512 bytes were refused after the message went out: sent again every run."""
    settings, client = store
    index(store, [tribune()])
    httpserver.expect_request("/hook").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "漢" * 200, "companies": ["mistral"], "channels": [
        {"type": "webhook", "name": "c" * 460, "url": httpserver.url_for("/hook")}]}])
    first = run_alerts(load_settings(), client, rules_file=rules)
    second = run_alerts(load_settings(), client, rules_file=rules)
    assert (first["sent"], first["errors"], second["sent"], second["errors"]) == (1, 0, 0, 0)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("address", ['"Evil\r\nBcc:x@evil.example"<a@example.org>', "a@example.org,x@evil.example",
                                     "=?utf-8?q?x=0D=0ABcc:_v@evil.example?=<a@example.org>",
                                     "Name<a@example.org>,<b@evil.example>", "a@example.org\nBcc:x@evil.example"])
def test_a_recipient_that_is_not_one_bare_address_is_refused_at_load(tmp_path, address):
    """Each was accepted and mailed elsewhere (x@evil.example) or to its first address only (red-team)."""
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "r", "companies": ["mistral"],
                                                    "channels": [{"type": "email", "to": [address]}]}])
    with pytest.raises(ConfigError, match="is not one e-mail address|is not an e-mail address"):
        load_rules(load_settings(), rules)


def test_alert_messages_give_times_in_the_newsroom_time_zone_with_the_zone(store, tmp_path, monkeypatch, httpserver):
    """25 Oct 2026 00:30 in Paris (CEST, the night clocks go back) is 24 Oct 22:30 UTC: the mail and Slack texts show
    the Paris time the search filters and the digest hour use; the webhook JSON keeps the ISO instant."""
    settings, client = store
    late = tribune()
    late.article.published_at = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    index(store, [late])
    plain, html = alert_on_every_channel(client, tmp_path, monkeypatch, httpserver, name="neg", max_sentiment=-0.2)
    by_path = {request.path: request for request, _ in httpserver.log}
    slack = json.loads(by_path["/slack"].data)["blocks"][1]["text"]["text"]
    for text in (plain, html, slack):
        assert "2026-10-25 00:30 CEST" in text and "2026-10-24 22:30" not in text
    hook = json.loads(by_path["/hook"].data)["alerts"][0]
    assert datetime.fromisoformat(hook["published_at"]) == late.article.published_at  # an instant with its offset


def test_a_grouped_slack_message_of_50_items_reaches_slack_whole_in_two_messages(store, tmp_path, httpserver,
                                                                                  monkeypatch):
    """Slack shows at most 45 items per message (50 blocks): 50 items used to go as one message showing 45, and
    all 50 were recorded as sent, so five never reached Slack and were never retried."""
    settings, client = store
    index(store, [make_record(f"https://ledger.example.com/nvidia-brief-{n}", NVIDIA_EN, title=f"Nvidia brief {n}",
                              orgs={"Nvidia": -0.5}, score=-0.4, lang="en", source="The Compute Ledger")
                  for n in range(50)])
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "nvidia", "companies": ["Nvidia"], "delivery": "grouped", "channels": [{"type": "slack"}]}])
    report = run_alerts(load_settings(), client, rules_file=rules)
    payloads = [json.loads(request.data) for request, _ in httpserver.log]
    shown = [block["text"]["text"] for payload in payloads for block in payload["blocks"]
             if block["type"] == "section"]
    assert all(len(payload["blocks"]) <= 50 for payload in payloads)
    assert sorted(int(re.search(r"Nvidia brief (\d+)", text)[1]) for text in shown) == list(range(50))
    assert len(shown) == 50 and report["sent"] == 50 and report["per_channel"]["slack"]["messages"] == 2
    again = run_alerts(load_settings(), client, rules_file=rules)
    assert again["sent"] == 0 and len(httpserver.log) == 2


def test_query_string_phrases_and_prefixes_match_as_in_search(store, tmp_path):
    """A quoted phrase (or hyphenated word) in a rule's query_string keeps every word, as the keyword does: never
    "act" alone on the French-stemmed fields; a prefix matches words as typed, case, accents and elisions folded."""
    settings, client = store
    index(store, [make_record(url, text, title=title, lang=lang) for url, lang, _, title, text in AI_ACT_PAGES] + [
        make_record("https://p.example/fr-energie", "Mistral AI signe avec un producteur d'énergie nucléaire.",
                    title="Un accord pour Mistral AI"),
        make_record("https://p.example/fr-energie-caps", "Les prix flambent devant le Sénat.",
                    title="ÉNERGIE : la facture"),
        make_record("https://p.example/en-chips", "Chipmakers rally after the start-ups' results.", lang="en",
                    title="Chipmakers rally"),
    ])
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": name, "query_string": query, "channels": [{"type": "slack"}]} for name, query in [
            ("phrase", '"AI Act"'), ("hyphen", "AI-Act"), ("phrase and not", '"AI Act" AND NOT obligations'),
            ("energie", "énergie*"), ("ENERG", "ENERG*"), ("senat", "Sénat*"), ("chipmaker", "chipmaker*"),
            ("start-up", "start-up*")]])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)

    def urls(name: str) -> list[str]:
        return sorted(item["url"].rsplit("/", 1)[-1] for message in report["per_rule"][name]["would_send"]
                      for item in message["items"])

    assert urls("phrase") == urls("hyphen") == ["en-ai-act", "fr-ai-act"]
    assert urls("phrase and not") == []
    assert urls("energie") == urls("ENERG") == ["fr-energie", "fr-energie-caps"]
    assert urls("senat") == ["fr-energie-caps"]
    assert urls("chipmaker") == urls("start-up") == ["en-chips"]
    # what real Elasticsearch is sent: phrases and folded wildcards on the exact fields, fields of the rule's own kept
    exact = " OR ".join(f"{name}:{{0}}" for name in ("title.exact", "description.exact", "text.exact"))
    assert exact_terms('"AI Act" AND Sénat* AND title:"x y" AND start-up*') == (
        f'({exact.format(chr(34) + "AI Act" + chr(34))}) AND ({exact.format("senat*")}) AND title:"x y" AND '
        f'({exact.format("(start AND up*)")})')


def test_a_disabled_rule_named_with_rule_is_not_run_and_the_run_says_so(store, tmp_path, httpserver, capsys):
    from pipeline.cli import main

    settings, client = store
    index(store, [nvidia_export()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "paused", "companies": ["Nvidia"], "enabled": False,
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    report = run_alerts(settings, client, rule_names=["paused"], rules_file=rules)
    assert report["matched"] == report["sent"] == 0 and httpserver.log == []
    assert report["per_rule"]["paused"]["skipped"] == "disabled"
    assert any("rule 'paused' is disabled" in note for note in report["notes"])
    main(["alerts", "run", "--rule", "paused", "--dry-run", "--rules", str(rules)])
    out = capsys.readouterr().out
    assert "is disabled" in out and "Export rules hit Nvidia" not in out and httpserver.log == []


def test_a_rule_named_twice_runs_once_and_its_row_agrees_with_the_totals(store, tmp_path, httpserver):
    settings, client = store
    index(store, [nvidia_export()])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "gpu", "keywords": ["GPU"], "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    report = run_alerts(settings, client, rule_names=["gpu", "gpu"], rules_file=rules)
    assert report["rules"] == 1 and report["matched"] == report["sent"] == 1
    assert report["per_rule"]["gpu"]["matched"] == report["per_rule"]["gpu"]["sent"] == 1
    assert len(httpserver.log) == 1


def test_alerts_test_on_a_volume_rule_prints_lines_and_languages_take_any_case(store, tmp_path, capsys):
    from pipeline.cli import main

    settings, client = store
    now = datetime.now(UTC)
    records = [make_record(f"https://ledger.example.com/nv-{n}", NVIDIA_EN + f" Update {n}.",
                           title=f"Nvidia update {n}", orgs={"Nvidia": -0.2}, lang="en",
                           published=now - timedelta(hours=2 + n)) for n in range(3)]
    index(store, records)
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "spikes", "languages": ["EN"], "volume": {"window": "24h", "baseline_days": 7, "factor": 3,
                                                           "min_count": 3},
         "channels": [{"type": "email", "to": ["desk@example.org"]}]}])
    assert load_rules(settings, rules).get("spikes").languages == ["en"]
    main(["alerts", "test", "spikes", "--article-id", records[0].article.id, "--rules", str(rules)])
    out = capsys.readouterr().out
    assert "is a volume rule" in out and "spike now: Coverage spike: Nvidia (3 mentions in 24h)" in out
    assert "• Nvidia update 0" in out and '"spikes_now"' not in out and "{" not in out
    main(["alerts", "test", "spikes", "--article-id", records[0].article.id, "--rules", str(rules), "--json"])
    assert json.loads(capsys.readouterr().out)["spikes_now"][0]["company"] == "Nvidia"


def test_a_credential_in_an_article_link_is_masked_in_every_channel_and_the_report():
    """Hostile sites audit (2026-12-03, #2): `?token=abc` in an article's link was masked in the plain-text mail but
    linked live in its HTML part, in Slack and in the webhook's JSON."""
    from email import message_from_bytes, policy

    from pipeline.alerts.deliver import build_email, slack_payload, webhook_payload
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    rule = Rule.model_validate({"name": "r", "keywords": ["x"], "channels": [{"type": "email", "to": ["a@example.org"]}]})
    item = AlertItem(rule="r", subject="1", title="Mistral AI", url="https://news.example/d?id=7&token=abc123",
                     source="S", snippet="x")
    parsed = message_from_bytes(build_email(rule, [item], sender="n@example.org", to=["a@example.org"]).as_bytes(),
                                policy=policy.default)
    parts = [parsed.get_body(preferencelist=(kind,)).get_content() for kind in ("plain", "html")]
    blobs = [*parts, json.dumps(slack_payload(rule, [item])), json.dumps(webhook_payload(rule, [item]))]
    assert all("abc123" not in blob and "token=***" in blob and "id=7" in blob for blob in blobs), blobs
    from pipeline.report import _link  # the HTML report's links go through the same target

    assert "abc123" not in _link(item.url, "Mistral AI") and "token=***" in _link(item.url, "Mistral AI")


@pytest.mark.parametrize("rule, field", [
    ({"companies": ["Mistrall" * 125_000]}, "companies"),
    ({"keywords": ["x"], "languages": ["Mistrall" * 125_000]}, "languages"),
    ({"companies": ["Atos"], "volume": {"window": "Mistrall" * 125_000}}, "volume.window"),
    ({"query_string": '"' + "Mistrall" * 125_000}, "query_string"),
])
def test_a_megabyte_value_is_quoted_by_its_start_in_its_error(tmp_path, rule, field):
    """Hostile-input audit, sixth round: the fifth round cut a rule's name in its errors, not the values the
    validators quote: a 1 MB company, language, window or query_string was printed whole (a 1 MB sentence; 8 MB
    took 16 s to print). Each is now quoted by its first 80 characters."""
    path = write_rules(tmp_path / "alerts.yaml", [{"name": "big", **rule, "channels": [{"type": "slack"}]}])
    with pytest.raises(ConfigError) as info:
        load_rules(load_settings(es_url=""), path)
    message = str(info.value)
    assert len(message) < 700 and f"entry #1 ('big'), field '{field}'" in message
    assert "Mistrall" * 9 in message and "…" in message


def test_an_infinite_volume_factor_is_refused_at_load(tmp_path):
    """`factor: .inf` was taken: inf × a zero baseline is nan, so the rule never fired, not even for a company's first
    mentions, without a word."""
    path = tmp_path / "alerts.yaml"
    path.write_text("rules:\n  - name: spike\n    companies: [Atos]\n    volume: {factor: .inf}\n"
                    "    channels: [{type: slack}]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"entry #1 \('spike'\), field 'volume.factor': Input should be a finite number"):
        load_rules(load_settings(es_url=""), path)


@pytest.mark.parametrize(("line", "field"), [("max_sentiment: true", "max_sentiment"),
                                             ("min_sentiment: false", "min_sentiment"),
                                             ("min_mentions: true", "min_mentions"),
                                             ("digest_hour: false", "digest_hour"),
                                             ("volume: {factor: true}", "volume.factor"),
                                             ("volume: {min_count: True}", "volume.min_count"),
                                             ("volume: {baseline_days: true}", "volume.baseline_days")])
def test_a_threshold_written_as_true_or_false_is_refused_at_load_naming_the_field(tmp_path, line, field):
    """pydantic took a YAML boolean for the number 1 or 0: `max_sentiment: true` was a threshold of 1.0 that every
    article meets, `min_sentiment: false` one of 0.0, `min_mentions: true` 1, `factor: true` 1.0, without a word."""
    path = tmp_path / "alerts.yaml"
    path.write_text(f"rules:\n  - name: r\n    companies: [Atos, Nvidia]\n    {line}\n"
                    "    channels: [{type: slack}]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(load_settings(es_url=""), path)
    message = str(info.value)
    assert f"entry #1 ('r'), field '{field}': " in message and "a number, not true or false" in message, message
    assert str(path) in message


def test_a_tone_rule_on_several_companies_reads_each_companys_tone_as_the_mentions_index_does(store):
    """A German article (no tone model: no tone toward either company) corrected by an analyst: negative as a whole,
    positive toward OVHcloud. Its Nvidia mention reads negative (the article's tone stands in), so a rule on
    negative coverage of OVHcloud or Nvidia fires for Nvidia; the tone measured toward OVHcloud hid it."""
    from pipeline.alerts.evaluate import explain_match, find_matches
    from pipeline.alerts.rules import Rule
    from pipeline.corrections import set_tone
    from pipeline.coverage import list_mentions

    settings, client = store
    record = make_record("https://presse.example.org/ovh-nvidia-de", "OVHcloud und Nvidia: eine Partnerschaft.",
                         title="OVHcloud und Nvidia", lang="de", orgs={"OVHcloud": 0.0, "Nvidia": 0.0})
    record.enrichment.entity_sentiment = {}  # as the enricher leaves a language it has no model for
    index(store, [record])
    set_tone(client, settings, record.article.id, "negative", analyst="alice")
    set_tone(client, settings, record.article.id, "positive", company="OVHcloud", analyst="alice")
    rows, _ = list_mentions(client, settings, ["OVHcloud", "Nvidia"], since="2026-11-20", until="2026-11-20")
    assert {row["company"]: row["tone"] for row in rows} == {"OVHcloud": "positive", "Nvidia": "negative"}
    rule = Rule.model_validate({"name": "neg", "companies": ["OVHcloud", "Nvidia"], "max_sentiment": -0.2,
                                "channels": [{"type": "email", "to": ["desk@example.org"]}]})
    assert all(met for _, met in explain_match(client, settings, rule, record.article.id))
    (item,) = find_matches(client, settings, rule, None, ids=[record.article.id])
    assert item.reasons == ["mentions OVHcloud, Nvidia", "no tone measured toward Nvidia; article tone -0.50 (≤ -0.20)"]
    positive = rule.model_copy(update={"max_sentiment": None, "min_sentiment": 0.2})
    (item,) = find_matches(client, settings, positive, None, ids=[record.article.id])
    assert item.reasons == ["mentions OVHcloud, Nvidia", "tone toward OVHcloud +0.50 (≥ +0.20)"]
    # a company the article does not mention is not lent the article's tone
    other = rule.model_copy(update={"companies": ["Mistral AI"]})
    assert [met for _, met in explain_match(client, settings, other, record.article.id)] == [False, False]


def test_query_string_words_with_apostrophes_or_accents_match_the_articles_search_finds(store, tmp_path):
    """A rule's `query_string` read the standard and built-in French/English fields: `aujourd'hui` missed « aujourd’hui »
    (the usual spelling in French copy), `souverainete` missed every « souveraineté », and English copy quoting
    « Élysée » was missed by `Elysee`, while `newsroom search` (either apostrophe, accents folded) found them all.
    Rules now read the fields search reads, each word with an apostrophe typed either way."""
    from pipeline.search import search_articles

    settings, client = store
    index(store, [
        make_record("https://p.example/fr-curly", "Aujourd’hui, la souveraineté numérique se joue à l’Élysée.",
                    title="La souveraineté en question"),
        make_record("https://p.example/fr-straight", "Aujourd'hui encore, le cloud souverain attend.",
                    title="Le cloud attend"),
        make_record("https://p.example/en-quote", "Paris calls it « souveraineté »: the Élysée wants sovereign AI.",
                    title="Europe's sovereignty push", lang="en"),
        make_record("https://p.example/en-moodys", "Moody’s kept its rating on the chipmaker.", title="Ratings",
                    lang="en"),
        make_record("https://p.example/en-other", "Nothing about it here.", title="Other news", lang="en"),
    ])
    queries = ["aujourd'hui", "aujourd’hui", "souverainete", "SOUVERAINETÉ", "Elysee", "Moody's",
               "souverainete AND NOT cloud", "l'Élysée OR l’elysee"]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": f"q{n}", "query_string": query, "channels": [{"type": "slack"}]} for n, query in enumerate(queries)])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    for n, query in enumerate(queries):
        alerted = sorted(item["url"].rsplit("/", 1)[-1] for message in report["per_rule"][f"q{n}"]["would_send"]
                         for item in message["items"])
        found = sorted(hit["url"].rsplit("/", 1)[-1] for hit in search_articles(client, settings, query).hits)
        assert alerted == found and alerted, (query, alerted, found)
        # the match is shown: the reasons name the matched words, not "(in the text)"
        items = [item for message in report["per_rule"][f"q{n}"]["would_send"] for item in message["items"]]
        assert all("(in the text)" not in " ".join(item["reasons"]) for item in items), (query, items)
    assert sorted(hit["url"].rsplit("/", 1)[-1] for hit in search_articles(client, settings, "souverainete").hits) == [
        "en-quote", "fr-curly"]


def test_a_query_string_reads_french_operators_as_search_does(store, tmp_path):
    """`query_string: "cloud SAUF Microsoft"` wanted the word « sauf » and never fired, while `newsroom search` reads
    « ET », « OU », « SAUF » in capitals as AND, OR, NOT: a rule now reads them so too (quoted, they stay words)."""
    from pipeline.search import search_articles

    settings, client = store
    index(store, [
        make_record("https://p.example/ovh", "OVHcloud ouvre un centre de données.", title="OVHcloud"),
        make_record("https://p.example/msft", "Microsoft et le cloud : l'audition au Sénat.", title="Microsoft"),
        make_record("https://p.example/cloud", "Le cloud souverain avance, sauf surprise.", title="Cloud"),
    ])
    queries = {"OVHcloud OU Microsoft": "OVHcloud OR Microsoft", "cloud SAUF Microsoft": "cloud NOT Microsoft",
               "cloud ET (OVHcloud OU Microsoft)": "cloud AND (OVHcloud OR Microsoft)"}
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": f"q{n}", "query_string": query, "channels": [{"type": "slack"}]} for n, query in enumerate(queries)])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    for n, (french, english) in enumerate(queries.items()):
        alerted = sorted(item["url"].rsplit("/", 1)[-1] for message in report["per_rule"][f"q{n}"]["would_send"]
                         for item in message["items"])
        found = sorted(hit["url"].rsplit("/", 1)[-1] for hit in search_articles(client, settings, english).hits)
        assert alerted == found and alerted, (french, alerted, found)


def test_a_keyword_holding_search_syntax_is_refused_at_load_naming_the_query_string_to_write(store, tmp_path):
    """`keywords: ["-Nvidia"]` fired on every article naming Nvidia (a keyword is looked for as written, the dash
    dropped as punctuation), and `Nvid*`, `Nvidia OR Meta`, `NOT Nvidia` were phrases no page holds: the rule never
    fired, without a word. Each is refused at load, naming the file, the rule and the `query_string` to write, which
    lists what `newsroom search` lists for the same text; quoted, or in a keyword all in capitals, the words stay."""
    from pipeline.search import search_articles

    settings, client = store
    index(store, [tribune(), sap_mistral(), nvidia_export()])
    for keyword in ["-Nvidia", "–Nvidia", "Nvid*", "Nvidia OR Mistral", "NOT Nvidia", "Nvidia | Mistral",
                    "cloud SAUF Nvidia"]:
        path = write_rules(tmp_path / "alerts.yaml", [email_rule("kw", keywords=["AI Act", keyword])])
        with pytest.raises(ConfigError) as info:
            load_rules(settings, path)
        message = " ".join(str(info.value).split())
        assert str(path) in message and "entry #1 ('kw'), field 'keywords'" in message, message
        assert f"write it as `query_string: '{keyword}'`" in message, message
    queries = ["-Nvidia", "Nvid*", "Nvidia OR Mistral"]
    rules = write_rules(tmp_path / "alerts.yaml", [email_rule(f"q{n}", query_string=query)
                                                   for n, query in enumerate(queries)])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    for n, query in enumerate(queries):
        alerted = sorted(item["url"] for message in report["per_rule"][f"q{n}"]["would_send"]
                         for item in message["items"])
        assert alerted == sorted(hit["url"] for hit in search_articles(client, settings, query).hits) and alerted, query
    assert "https://presse.example.org/tribune-mistral" not in str(report["per_rule"]["q0"])
    kept = ["RECHERCHE ET DÉVELOPPEMENT", '"Nvidia OR Mistral"', "C++", "e-mail", "-20 %", "Mistral (AI)"]
    path = write_rules(tmp_path / "alerts.yaml", [email_rule("kept", keywords=kept)])
    assert load_rules(settings, path).rules[0].keywords == kept


def test_a_rule_wanting_two_names_of_one_company_is_refused_at_load_not_left_never_firing(store, tmp_path):
    """`companies: [Mistral, Mistral AI]` (or a name and its ticker, `[Apple, AAPL]`) with `min_mentions: 2` passed
    the count check as two names, then read as one company: "mentions at least 2 of Mistral AI", a rule that never
    fired, without a word, though the tribune names Mistral AI. Refused at load, naming the field and the company."""
    settings, client = store
    index(store, [tribune()])
    for names, company in [(["Mistral", "Mistral AI"], "Mistral AI"), (["Apple", "AAPL"], "Apple")]:
        path = write_rules(tmp_path / "alerts.yaml", [email_rule("both", companies=names, min_mentions=2)])
        with pytest.raises(ConfigError) as info:
            load_rules(settings, path)
        message = " ".join(str(info.value).split())
        assert f"{path}: entry #1 ('both'), field 'min_mentions': 2 is more than the 1 companies" in message, message
        assert f"({company}): two names stand for one company" in message, message
    rules = write_rules(tmp_path / "alerts.yaml", [email_rule("both", companies=["mistral", "NVDA"], min_mentions=2)])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    assert [item["url"] for message in report["per_rule"]["both"]["would_send"] for item in message["items"]] == [
        "https://presse.example.org/tribune-mistral"]


def test_a_rule_name_typed_in_another_case_is_that_rule(store, tmp_path, capsys):
    """`alerts test "NEGATIVE coverage"` and `alerts run --rule nvidia` answered "No alert rule named …" beside the
    rule's own name; a name matching one rule in another case is that rule, one matching two is still refused."""
    from pipeline.cli import main

    settings, client = store
    index(store, [nvidia_export()])
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "Nvidia Exports", "companies": ["Nvidia"], "channels": [{"type": "slack"}]},
        {"name": "twin", "companies": ["Nvidia"], "channels": [{"type": "slack"}]},
        {"name": "TWIN", "companies": ["Nvidia"], "channels": [{"type": "slack"}]}])
    report = run_alerts(settings, client, rule_names=["nvidia exports "], rules_file=rules, dry_run=True)
    assert list(report["per_rule"]) == ["Nvidia Exports"] and report["matched"] == 1
    main(["alerts", "test", "NVIDIA EXPORTS", "--article-id", nvidia_export().article.id[:12], "--rules", str(rules)])
    assert "Rule 'Nvidia Exports' MATCHES" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(ConfigError, match="No alert rule named 'Twin'"):
        run_alerts(settings, client, rule_names=["Twin"], rules_file=rules, dry_run=True)


def test_a_query_string_naming_a_field_no_article_has_is_refused_at_load_naming_the_rule_key(store, tmp_path):
    """`query_string: 'souveraineté company:mistral'` (a search copied into a rule) parsed and validated, but no stored
    article has a `company` field: the rule matched nothing, run after run, without a word. Such a field is refused at
    load, naming the rule key to use (or the closest field); the nested company tones too."""
    settings, client = store
    index(store, [tribune()])
    hook = [{"type": "slack"}]
    for query, said in (("souveraineté AND company:mistral", "company: is a `newsroom search` filter, not a field of "
                         "stored articles (the term would match nothing): give the rule `companies: [...]` instead"),
                        ("topic:ai", "give the rule `topics: [...]` instead"),
                        ("titel:Mistral", "titel: is not a field of stored articles, so the term would match nothing; "
                                          "did you mean title"),
                        ("company_sentiment.label:negative", "give the rule `companies: [...]` with `min_sentiment`")):
        rules = write_rules(tmp_path / "alerts.yaml", [
            {"name": "fine", "query_string": "title:Mistral AND lang:fr AND _exists_:description", "channels": hook},
            {"name": "copied", "query_string": query, "channels": hook}])
        with pytest.raises(ConfigError, match=re.escape("entry #2 ('copied'), field 'query_string': ") + ".*"
                           + re.escape(said)):
            load_rules(settings, rules, client=client)
    fine = write_rules(tmp_path / "fine.yaml", [
        {"name": "fine", "query_string": "title:Mistral AND lang:fr AND published_at:[2026-01-01 TO *] AND "
                                         "sentiment.label:negative AND text.exact:\"vraie défaite\"", "channels": hook}])
    report = run_alerts(settings, client, rules_file=fine, dry_run=True)
    assert report["matched"] == 1


def test_a_rule_file_s_words_are_read_in_any_case_and_a_wrong_one_lists_the_choices(tmp_path):
    """`delivery: Grouped`, `sentiment_of: Article`, `type: Slack`, `window: 24H` were refused ("Input should be
    'immediate', 'grouped' or 'digest'") while companies, languages and sources are read in any case."""
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "caps", "companies": ["Mistral AI"], "max_sentiment": -0.2, "sentiment_of": "Article",
         "delivery": "Grouped", "channels": [{"type": " Webhook", "url": "https://hooks.example.org/x"}]},
        {"name": "spike", "companies": ["Nvidia"], "volume": {"window": "24H"}, "delivery": "DIGEST",
         "channels": [{"type": "EMAIL", "to": ["desk@example.org"]}]}])
    caps, spike = load_rules(load_settings(), rules).rules
    assert (caps.sentiment_of, caps.delivery, caps.channels[0].type) == ("article", "grouped", "webhook")
    assert (spike.volume.window, spike.volume.window_delta, spike.delivery, spike.channels[0].type) == (
        "24h", timedelta(hours=24), "digest", "email")
    wrong = write_rules(tmp_path / "wrong.yaml", [
        {"name": "w", "companies": ["Nvidia"], "delivery": "weekly", "channels": [{"type": "slack"}]}])
    with pytest.raises(ConfigError, match="entry #1 \\('w'\\), field 'delivery': Input should be 'immediate', "
                                          "'grouped' or 'digest'"):
        load_rules(load_settings(), wrong)


def test_a_query_string_snippet_keeps_the_title_apart_from_the_text(store, tmp_path):
    """A query_string rule's snippet comes from the search field, which holds the title, description and text: the
    title ran into the text ("… Mistral AI et Nvidia La souveraineté numérique …")."""
    settings, client = store
    index(store, [make_record("https://p.example/fr", "La souveraineté numérique passe par Mistral AI.",
                              title="Souveraineté : Mistral AI et Nvidia")])
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "q", "query_string": "souverainete", "channels": [{"type": "slack"}]}])
    report = run_alerts(settings, client, rules_file=rules, dry_run=True)
    [item] = [item for message in report["per_rule"]["q"]["would_send"] for item in message["items"]]
    assert item["snippet"] == "«Souveraineté» : Mistral AI et Nvidia — La «souveraineté» numérique passe par Mistral AI."


def test_keyword_fields_in_a_query_string_lang_and_source_read_as_search_reads_them(store, tmp_path, monkeypatch):
    """A rule's `lang:FR` matched nothing (codes are stored lower-case; search's `lang:FR` works), and
    `source:"le quotidien du numérique — tech"` nothing either: a keyword matched as written, with a warning, while
    the rule's `sources` and search's `source:` read a feed name or a domain in any case. Now the query's `source:`
    reads them too, negated or inside OR as well; a `source:` naming no feed nor domain is still warned about."""
    from pipeline.search import search_articles

    settings, client = store
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - name: Le Quotidien du Numérique — Tech\n    url: https://presse.example.org/rss\n"
                     "    lang: fr\n", encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(feeds))
    french = tribune()
    french.article.domain = "presse.example.org"
    index(store, [french, sap_mistral()])
    hook = [{"type": "slack"}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "lang caps", "query_string": "Mistral AND lang:FR", "channels": hook},
        {"name": "not EN", "query_string": "Mistral AND -lang:(EN OR DE)", "channels": hook},
        {"name": "src exact", "query_string": 'Mistral AND source:"Le Quotidien du Numérique — Tech"', "channels": hook},
        {"name": "src case", "query_string": 'Mistral AND source:"le quotidien du numérique — tech"', "channels": hook},
        {"name": "src domain", "query_string": "Mistral source:PRESSE.example.org", "channels": hook},
        {"name": "src or", "query_string": "(source:nowhere.example OR source:presse.example.org) AND Mistral",
         "channels": hook},
        {"name": "src not", "query_string": 'Mistral AND NOT source:"le quotidien du numérique — TECH"',
         "channels": hook},
        {"name": "src typo", "query_string": 'Mistral AND source:"Le Quotidien du Numérik"', "channels": hook},
        {"name": "not typo", "query_string": "Mistral -source:(nowhere.example OR elsewhere.example)",
         "channels": hook}])
    report = run_alerts(load_settings(), client, rules_file=rules, dry_run=True)
    matched = {name: result["matched"] for name, result in report["per_rule"].items()}
    assert matched == {"lang caps": 1, "not EN": 1, "src exact": 1, "src case": 1, "src domain": 1, "src or": 1,
                       "src not": 1, "src typo": 0, "not typo": 2}
    # the same articles as search's `source:`
    assert [search_articles(client, settings, query).total for query in (
        'Mistral source:"le quotidien du numérique — tech"', "Mistral source:PRESSE.example.org",
        'Mistral NOT source:"le quotidien du numérique — TECH"')] == [1, 1, 1]
    assert [note for note in report["notes"] if "source" in note] == [
        f"rule 'src or': query_string's source:'nowhere.example' is no feed name or domain in {feeds}: the rule may "
        "never fire; closest: 'presse.example.org'.",
        f"rule 'src typo': query_string's source:'Le Quotidien du Numérik' is no feed name or domain in {feeds}: the "
        "rule may never fire; closest: 'Le Quotidien du Numérique — Tech'.",
        # a source left out that names nothing leaves out nothing: no "never fire"
        f"rule 'not typo': query_string's NOT source:'nowhere.example' is no feed name or domain in {feeds}: it may "
        "leave out nothing; closest: 'presse.example.org'.",
        f"rule 'not typo': query_string's NOT source:'elsewhere.example' is no feed name or domain in {feeds}: it may "
        "leave out nothing; closest: 'presse.example.org'."]


def test_a_title_of_100_kb_is_cut_in_mails_and_the_report_and_kept_whole_in_the_webhook(store, tmp_path, monkeypatch,
                                                                                          httpserver):
    """An article stored by another tool (or an older version) with a 100 KB title: each alert mail carried it twice
    (text and HTML), 272 KB for one article and 13.6 MB for a grouped message of 50, past a relay's usual 10 MB
    limit (refused at every run, its alerts pending for ever), and the report's table showed it whole. Mails and
    the report now show its start, as the terminal and Slack do; the webhook, which is data, keeps it whole."""
    from pipeline.report import build_report
    from pipeline.store.templates import index_names

    settings, client = store
    title = "<!channel> Mistral AI défaite " * 700  # 21 KB (newsroom itself stores 1,000 characters at most)
    index(store, [make_record(f"https://presse.example.org/long{n}", NEGATIVE_FR + f" {n}", title="Mistral AI",
                              orgs={"Mistral AI": -0.6}, score=-0.5) for n in range(3)])
    for name in ("articles", "mentions"):  # as another tool writes it
        client.update_by_query(index=index_names(settings.es_index_prefix)[name], refresh=True,
                               script={"source": "ctx._source.title = params.title", "params": {"title": title}})
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {**email_rule("neg mistral", companies=["Mistral AI"], max_sentiment=-0.2), "delivery": "grouped"},
        {"name": "hook", "companies": ["Mistral AI"], "delivery": "grouped",
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        assert run_alerts(load_settings(), client, rules_file=rules)["sent"] == 6
    (message,) = smtp.sink.messages
    assert len(message.as_bytes()) < 30_000, len(message.as_bytes())
    ((plain, html),) = smtp.sink.bodies()
    shown = [line[2:] for line in plain.splitlines() if line.startswith("* ")]
    assert len(shown) == 3 and all(len(line) == 300 and line.endswith("…") for line in shown)
    assert html.count("Mistral AI défaite") < 3 * 20 and "&lt;!channel&gt;" in html
    (request, _), = httpserver.log
    assert [alert["title"] for alert in json.loads(request.data)["alerts"]] == [title] * 3
    build_report(client, settings, tmp_path / "report.html", entities=["Mistral AI"], since="2026-11-01",
                 until="2026-11-30")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    # 300 characters of each title, in the two tables listing the articles (whole: 4,200 times)
    assert "&lt;!channel&gt; Mistral AI défaite" in page and page.count("Mistral AI défaite") <= 3 * 2 * 10


@pytest.mark.parametrize("value, said", [
    ("smtp://airflow-user:conn-pass@127.0.0.1:port", "AIRFLOW_CONN_SMTP_ALERTS (the Airflow connection smtp_alerts) "
     "cannot be read (ValueError: Port could not be cast to integer value as 'port')"),
    (json.dumps({"conn_type": "smtp", "host": "127.0.0.1", "port": 25, "extra": [1, 2]}),
     "the extra of Airflow Connection 'smtp_alerts' is not a JSON object"),
])
def test_an_airflow_connection_that_cannot_be_read_is_named_in_the_alert_failure(store, tmp_path, monkeypatch,
                                                                                   value, said):
    """An AIRFLOW_CONN_* variable Airflow cannot parse was reported "Airflow Connection 'smtp_alerts' is not
    available (The conn_id `smtp_alerts` isn't defined)", the reason hidden at DEBUG; a list as extra was an
    AttributeError. Each now says what is wrong with the connection, its password never shown."""
    settings, client = store
    index(store, [nvidia_export()])
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_ALERTS", value)
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "nvidia", "companies": ["Nvidia"],
         "channels": [{"type": "email", "to": ["desk@example.org"], "connection": "smtp_alerts"}]}])
    report = run_alerts(load_settings(), client, rules_file=rules)
    error = report["per_rule"]["nvidia"]["errors"][0]
    assert report["failed"] == 1 and said in error and "conn-pass" not in error, error
