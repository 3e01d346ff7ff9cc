"""The 9.x client against an 8.x server: compatible-with=9 headers are rewritten to 8 (an 8.x server rejects 9).

A loopback HTTP server plays an Elasticsearch 8.17 node that, like the real one, answers 400
media_type_header_exception to `compatible-with=9` and records the headers it received.
"""

from __future__ import annotations

import json
import os

import pytest
from werkzeug import Request, Response

from pipeline.settings import load_settings
from pipeline.store.client import make_client


def _es_like(version: str, seen: list[dict]):
    def handler(request: Request) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        seen.append({"path": request.path, "accept": headers.get("accept", ""), "content-type": headers.get("content-type", "")})
        major = version.split(".")[0]
        for name in ("accept", "content-type"):
            value = headers.get(name, "")
            if "compatible-with=" in value and not any(f"compatible-with={v}" in value for v in (major, str(int(major) - 1))):
                body = {"error": {"type": "media_type_header_exception", "reason": f"Invalid media-type value on headers [{name}]"},
                        "status": 400}
                return Response(json.dumps(body), status=400, content_type="application/json",
                                headers={"X-Elastic-Product": "Elasticsearch"})
        if request.path == "/":
            body = {"name": "node", "cluster_name": "c", "version": {"number": version, "build_flavor": "default"},
                    "tagline": "You Know, for Search"}
        else:
            body = {"acknowledged": True, "count": 0}
        return Response(json.dumps(body), status=200, content_type="application/json",
                        headers={"X-Elastic-Product": "Elasticsearch"})

    return handler


@pytest.mark.parametrize("version, expected", [("8.17.1", "compatible-with=8"), ("9.1.0", "compatible-with=9")])
def test_client_speaks_the_servers_major_version(httpserver, monkeypatch, version, expected):
    seen: list[dict] = []
    httpserver.expect_request("/", method="GET").respond_with_handler(_es_like(version, seen))
    httpserver.expect_request("/x/_count").respond_with_handler(_es_like(version, seen))
    monkeypatch.setenv("NEWSROOM_ES_URL", httpserver.url_for("/").rstrip("/"))
    client = make_client(load_settings())
    assert client.info()["version"]["number"] == version
    assert client.count(index="x", query={"match_all": {}})["count"] == 0
    api_calls = seen[1:]  # the first request is the version probe (plain application/json)
    assert api_calls and all(expected in call["accept"] for call in api_calls)
    assert expected in api_calls[-1]["content-type"]


def test_a_secured_8x_cluster_is_probed_with_the_credentials(httpserver, monkeypatch):
    """The version probe sends the configured API key: without it a secured cluster answered 401, the version stayed
    unknown and every request went out as compatible-with=9, which 8.x rejects."""
    seen: list[dict] = []
    es = _es_like("8.17.1", seen)

    def secured(request: Request) -> Response:
        if request.headers.get("Authorization") != "ApiKey c2VjcmV0":
            body = {"error": {"type": "security_exception", "reason": "missing authentication credentials"}, "status": 401}
            return Response(json.dumps(body), status=401, content_type="application/json",
                            headers={"X-Elastic-Product": "Elasticsearch"})
        return es(request)

    httpserver.expect_request("/", method="GET").respond_with_handler(secured)
    httpserver.expect_request("/x/_count").respond_with_handler(secured)
    monkeypatch.setenv("NEWSROOM_ES_URL", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("NEWSROOM_ES_API_KEY", "c2VjcmV0")
    client = make_client(load_settings())
    assert client.count(index="x", query={"match_all": {}})["count"] == 0
    assert "compatible-with=8" in seen[-1]["accept"]


# --------------------------------------------------------------------------------------------------------------------
# Request shapes: what real Elasticsearch would refuse and the stand-in lets through


def test_the_shape_checker_flags_what_real_elasticsearch_refuses():
    """The checker below must be able to fail: a misspelt option, an unknown query or aggregation, a mapping typo."""
    from _es_shapes import mapping_problems, search_problems

    body = {"query": {"bool": {"filter": [{"match": {"text": {"query": "x", "operatr": "and"}}},
                                          {"nested": {"path": "p", "query": {"term": {"a": {"valeu": 1}}}}}],
                               "mimimum_should_match": 1}},
            "aggs": {"t": {"terms": {"field": "source", "sise": 10}, "aggs": {"h": {"date_histo": {}}}}},
            "highlight": {"fields": {"text": {"fragment_sise": 100}}}, "trak_total_hits": True}
    problems = " | ".join(search_problems(body))
    for typo in ("operatr", "valeu", "mimimum_should_match", "sise", "date_histo", "fragment_sise", "trak_total_hits"):
        assert typo in problems, typo
    assert search_problems({"query": {"match": {"text": {"query": "x", "operator": "and"}}}, "size": 3}) == []
    assert "ignore_abov" in " ".join(mapping_problems({"url": {"type": "keyword", "ignore_abov": 10}}))
    assert mapping_problems({"text": {"type": "text", "analyzer": "french", "fields": {"raw": {"type": "keyword"}}}}) == []


def test_every_request_the_commands_send_has_a_shape_real_elasticsearch_accepts(es_url, monkeypatch, tmp_path):
    """Every query, aggregation, highlight and mapping the commands send, recorded on its way to the stand-in (which
    ignores unknown keys) and checked against the Elasticsearch specification (the client's typed DSL)."""
    import subprocess
    import sys

    import yaml
    from _es_proxy import IlmProxy
    from _es_shapes import all_problems
    from _store_helpers import drop_prefix, make_record

    from pipeline.store.indexing import index_enriched
    from pipeline.store.setup import ensure_setup

    text = ("Mistral AI et Nvidia : une vraie défaite pour l'autonomie technologique française, selon "
            "la tribune. Le cloud souverain et l'AI Act reviennent au centre du débat européen.")
    records = [make_record(f"https://presse.example.org/a{i}", f"{text} Article {i}.", orgs={"Mistral AI": -0.6,
                           "Nvidia": 0.2}, score=-0.4, title=f"Mistral AI, article {i}") for i in range(3)]
    rules = tmp_path / "alerts.yaml"
    rules.write_text(yaml.safe_dump({"rules": [
        {"name": "negative Mistral", "companies": ["Mistral AI"], "max_sentiment": -0.2, "sentiment_of": "company",
         "channels": [{"type": "webhook", "url": "https://hooks.example.org/x"}]},
        {"name": "AI Act", "keywords": ["AI Act"], "query_string": 'souveraineté AND "cloud souverain" OR énerg*',
         "languages": ["fr"], "channels": [{"type": "webhook", "url": "https://hooks.example.org/x"}]},
        {"name": "volume", "companies": ["Nvidia"], "volume": {"window": "24h", "baseline_days": 7, "factor": 1,
                                                                "min_count": 1},
         "channels": [{"type": "webhook", "url": "https://hooks.example.org/x"}]}]}), encoding="utf-8")
    with IlmProxy(es_url, mode="RUNNING") as proxy:
        monkeypatch.setenv("NEWSROOM_ES_URL", proxy.url)
        settings = load_settings()
        client = make_client(settings)
        try:
            ensure_setup(client, settings)
            assert index_enriched(client, settings, records).stored == 3
            client.indices.refresh(index=f"{settings.es_index_prefix}-*")
            env = {**os.environ, "NEWSROOM_ES_URL": proxy.url, "COLUMNS": "200"}
            article = records[0].article.id
            for command in (
                ["search", "mistral"], ["search", '"AI Act" -Nvidia lang:fr', "--sort", "date", "--tone", "negative"],
                ["search", "souverain* OR cloud", "--company-tone", "Mistral AI=negative", "--since", "2026-01-01"],
                ["search", "start-up NOT cloud", "--source", "Le Quotidien du Numérique — Tech", "--topic", "ai"],
                ["coverage", "--entity", "Mistral AI", "--entity", "Nvidia", "--since", "2026-11-01"],
                ["coverage", "--entity", "Mistral AI", "--by", "source", "--since", "2026-11-01"],
                ["coverage", "--entity", "Mistral AI", "--co-mentions", "--since", "2026-11-01"],
                ["mentions", "--entity", "nvidia", "--since", "2026-11-01", "--tone", "positive"],
                ["report", "--output", str(tmp_path / "report.html"), "--since", "2026-11-01"],
                ["alerts", "run", "--dry-run", "--rules", str(rules)],
                ["tone", "set", article, "--company", "Mistral AI", "positive", "--note", "test"],
                ["tone", "list"], ["tone", "export", "--output", str(tmp_path / "corrections.jsonl")],
                ["store", "status"],
            ):
                proc = subprocess.run([sys.executable, "-m", "pipeline", *command], capture_output=True, text=True,
                                      timeout=180, env=env)
                assert proc.returncode == 0, (command, proc.stdout[-500:], proc.stderr[-800:])
        finally:
            drop_prefix(client, settings.es_index_prefix)
    bodies = [(method, path, body) for method, path, body in proxy.requests if body is not None]
    searches = [body for _, path, body in bodies if path.endswith("/_search")]
    # what was checked: searches with highlights and aggregations (coverage, report, alerts), the index templates
    assert sum("highlight" in body for body in searches) >= 4 and sum("aggs" in body for body in searches) >= 4
    assert sum(1 for method, path, _ in bodies if method == "PUT" and "_index_template" in path) >= 3
    assert all_problems(proxy.requests) == []
