"""The 9.x client against an 8.x server: compatible-with=9 headers are rewritten to 8 (an 8.x server rejects 9).

A loopback HTTP server plays an Elasticsearch 8.17 node that, like the real one, answers 400
media_type_header_exception to `compatible-with=9` and records the headers it received.
"""

from __future__ import annotations

import json

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
