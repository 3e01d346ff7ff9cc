"""Kibana saved objects (fields, references, checked-in file) and the import client (local HTTP receiver)."""

from __future__ import annotations

import base64
import json
import re
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from pipeline.cli import main
from pipeline.kibana import (
    NDJSON_PATH,
    KibanaError,
    check,
    data_view_id,
    import_saved_objects,
    saved_objects,
    to_ndjson,
)
from pipeline.kibana.objects import RUNTIME_FIELDS
from pipeline.runs import RunSummary, write_run_record
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.setup import ensure_setup
from pipeline.store.templates import ARTICLE_PROPERTIES, MENTION_PROPERTIES, RUN_PROPERTIES, index_names
from _reply_server import ReplyServer

AGGREGATABLE = {"keyword", "date", "float", "double", "integer", "long", "short", "byte", "boolean", "half_float",
                "scaled_float"}
PROPERTIES = {"articles": ARTICLE_PROPERTIES, "mentions": MENTION_PROPERTIES, "runs": RUN_PROPERTIES}
RECORDS = "___records___"


def _flatten(properties: dict, prefix: str = "", inside_nested: bool = False) -> dict[str, str]:
    """'a.b' → type; 'nested:' marks fields under a nested object, 'dynamic' objects end with '.*'."""
    out = {}
    for name, spec in properties.items():
        path = prefix + name
        kind = spec.get("type", "object")
        nested = inside_nested or kind == "nested"
        if kind == "object" and spec.get("dynamic"):
            out[path + ".*"] = "dynamic"
        if "properties" in spec:
            out.update(_flatten(spec["properties"], path + ".", nested))
        elif kind == "object" and spec.get("dynamic"):
            pass
        else:
            out[path] = ("nested:" if inside_nested else "") + kind
        for sub, sub_spec in (spec.get("fields") or {}).items():
            out[f"{path}.{sub}"] = sub_spec["type"]
    return out


FIELDS = {kind: _flatten(props) for kind, props in PROPERTIES.items()}


def _field_type(kind: str, field: str) -> str | None:
    if field in RUNTIME_FIELDS.get(kind, {}):
        return "runtime:" + RUNTIME_FIELDS[kind][field]["type"]
    if field in FIELDS[kind]:
        return FIELDS[kind][field]
    parent = field.rsplit(".", 1)[0] + ".*"
    return "dynamic" if FIELDS[kind].get(parent) == "dynamic" else None


def _kql_fields(query: str) -> list[str]:
    return re.findall(r"([A-Za-z_][\w.]*)\s*:", query or "")


def _references():
    """(object id, data view kind, field, aggregated) for every field any object uses."""
    objects = saved_objects("newsroom")
    kinds = {data_view_id("newsroom", k): k for k in PROPERTIES}
    out = []
    for obj in objects:
        refs = {r["name"]: r["id"] for r in obj["references"]}
        attrs = obj["attributes"]
        if obj["type"] == "index-pattern":
            kind = kinds[obj["id"]]
            out.append((obj["id"], kind, attrs["timeFieldName"], True))
            for name, runtime in json.loads(attrs["runtimeFieldMap"]).items():
                for source_field in re.findall(r"doc\['([^']+)'\]", runtime["script"]["source"]):
                    out.append((obj["id"], kind, source_field, True))
        elif obj["type"] == "lens":
            state = attrs["state"]
            for layer_id, layer in state["datasourceStates"]["formBased"]["layers"].items():
                kind = kinds[refs[f"indexpattern-datasource-layer-{layer_id}"]]
                for column in layer["columns"].values():
                    if column["sourceField"] != RECORDS:
                        out.append((obj["id"], kind, column["sourceField"], True))
                    for field in _kql_fields((column.get("filter") or {}).get("query")):
                        out.append((obj["id"], kind, field, False))
        elif obj["type"] == "search":
            kind = kinds[refs["kibanaSavedObjectMeta.searchSourceJSON.index"]]
            for field in attrs["columns"]:
                out.append((obj["id"], kind, field, False))
            for field, _direction in attrs["sort"]:
                out.append((obj["id"], kind, field, True))
        elif obj["type"] == "dashboard" and "controlGroupInput" in attrs:
            for control_id, control in json.loads(attrs["controlGroupInput"]["panelsJSON"]).items():
                kind = kinds[refs[f"controlGroup_{control_id}:optionsListDataView"]]
                out.append((obj["id"], kind, control["explicitInput"]["fieldName"], True))
    return out


def test_checked_in_ndjson_is_what_the_code_generates():
    assert NDJSON_PATH.read_text(encoding="utf-8") == to_ndjson(saved_objects("newsroom")), (
        "infra/kibana/newsroom-saved-objects.ndjson is stale: run "
        "`newsroom kibana export-ndjson --prefix newsroom --output infra/kibana/newsroom-saved-objects.ndjson`")


def test_every_referenced_field_exists_with_an_aggregatable_type():
    refs = _references()
    assert len(refs) > 40
    problems = []
    for obj_id, kind, field, aggregated in refs:
        kind_of = _field_type(kind, field)
        if kind_of is None:
            problems.append(f"{obj_id}: {field} is not a field of {kind}")
        elif kind_of.startswith("nested:"):
            problems.append(f"{obj_id}: {field} is inside a nested object (Lens/Discover cannot aggregate it)")
        elif aggregated and kind_of.removeprefix("runtime:") not in AGGREGATABLE | {"dynamic"}:
            problems.append(f"{obj_id}: {field} is {kind_of}, not aggregatable")
    assert not problems, "\n".join(problems)


def test_field_check_catches_a_bad_field():
    """The field walk sees what it must: a text field aggregated, an unknown field, a nested one."""
    assert _field_type("articles", "title") == "text"
    assert _field_type("articles", "company_sentiment.company") == "nested:keyword"
    assert _field_type("mentions", "no_such_field") is None
    assert _field_type("mentions", "orgs") == "runtime:keyword"
    assert _field_type("runs", "counts.articles") == "long"
    assert _field_type("runs", "counts.some_new_stage") == "dynamic"


def test_every_runs_field_the_dashboards_use_is_mapped_before_the_first_run(es_url):
    """No panel waits for a first run record to map its field (counts.articles used to be dynamic)."""
    settings = load_settings()
    client = make_client(settings)
    ensure_setup(client, settings)
    runs = index_names(settings.es_index_prefix)["runs"]
    mapping = client.indices.get_mapping(index=runs)[runs]["mappings"]["properties"]
    used = {f for _, kind, f, _ in _references() if kind == "runs"}
    assert {"counts.articles", "counts.indexed"} <= used
    assert not {f for f in used if _field_type("runs", f) == "dynamic"}
    for field in used:
        node = {"properties": mapping}
        for part in field.split("."):
            node = node["properties"][part]
        assert node.get("type", "object") != "object", field
    summary = RunSummary(run_id="r1", started_at="2026-11-20T08:00:00+00:00", finished_at="2026-11-20T08:02:00+00:00",
                         duration_s=120.0, counts={"articles": 12, "indexed": 10, "feeds_ok": 3})
    write_run_record(client, settings, summary.as_dict())  # still accepted by the explicit mapping


def test_tone_chart_ranks_companies_by_mentions_and_breakdowns_come_first():
    objects = {o["id"]: o for o in saved_objects("newsroom")}
    tone = objects["newsroom-sentiment-over-time"]["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
    layer = next(iter(tone.values()))
    assert layer["columnOrder"] == ["company", "date", "sentiment"]
    company = layer["columns"]["company"]
    assert company["sourceField"] == "orgs" and company["params"]["orderBy"] == {"type": "custom"}
    assert company["params"]["orderAgg"]["operationType"] == "count"
    for obj in objects.values():
        if obj["type"] != "lens":
            continue
        for layer in obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values():
            for column in layer["columns"].values():
                if column["operationType"] != "date_histogram":
                    assert column.get("customLabel") is True, (obj["id"], column["label"])


def test_objects_reference_each_other_consistently():
    objects = saved_objects("newsroom")
    ids = {(o["type"], o["id"]) for o in objects}
    assert len(ids) == len(objects)
    for obj in objects:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in ids, f"{obj['id']} refers to a missing {ref['type']} {ref['id']}"
    views = {o["attributes"]["title"]: o["attributes"]["timeFieldName"] for o in objects if o["type"] == "index-pattern"}
    assert views == {"newsroom-articles": "published_at", "newsroom-mentions": "published_at",
                     "newsroom-runs": "started_at"}
    dashboards = {o["attributes"]["title"]: o for o in objects if o["type"] == "dashboard"}
    assert set(dashboards) == {"newsroom — Coverage", "newsroom — Pipeline health"}
    for dashboard in dashboards.values():
        names = {r["name"] for r in dashboard["references"]}
        for panel in json.loads(dashboard["attributes"]["panelsJSON"]):
            assert f"{panel['panelIndex']}:{panel['panelRefName']}" in names
    coverage = dashboards["newsroom — Coverage"]
    controls = json.loads(coverage["attributes"]["controlGroupInput"]["panelsJSON"])
    assert sorted(c["explicitInput"]["title"] for c in controls.values()) == ["Company", "Language", "Source", "Topic"]
    panel_types = [p["type"] for p in json.loads(coverage["attributes"]["panelsJSON"])]
    assert panel_types.count("lens") == 10 and panel_types.count("search") == 1  # incl. top authors, tone table
    # another prefix: every index name and id follows it
    other = to_ndjson(saved_objects("press"))
    assert "newsroom-" not in other.replace("newsroom —", "")


# --- import client --------------------------------------------------------------------------------------

@pytest.fixture
def httpserver():
    """A local stand-in for Kibana on 127.0.0.1 (per test, so the stop/start test cannot leak)."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


OK_BODY = {"success": True, "successCount": 21, "successResults": [], "warnings": []}


def _capture(httpserver, path: str, body: dict | None = None, status: int = 200) -> list:
    seen = []

    def handler(request):
        seen.append({"path": request.path, "args": dict(request.args), "headers": dict(request.headers),
                     "files": {k: (v.filename, v.content_type, v.read()) for k, v in request.files.items()},
                     "content_type": request.content_type})
        return Response(json.dumps(body if body is not None else OK_BODY), status=status,
                        content_type="application/json")

    httpserver.expect_request(path, method="POST").respond_with_handler(handler)
    return seen


def test_import_sends_multipart_with_xsrf_header_overwrite_and_basic_auth(httpserver):
    seen = _capture(httpserver, "/api/saved_objects/_import")
    ndjson = to_ndjson(saved_objects("newsroom"))
    result = import_saved_objects(httpserver.url_for("/"), ndjson, user="elastic", password="s3cret")
    assert result.success and result.success_count == 21 and not result.errors
    (request,) = seen
    assert request["args"] == {"overwrite": "true"}
    assert request["headers"]["Kbn-Xsrf"] == "true"
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"elastic:s3cret").decode()
    assert request["content_type"].startswith("multipart/form-data; boundary=")
    filename, content_type, payload = request["files"]["file"]
    assert filename.endswith(".ndjson") and content_type == "application/ndjson"
    assert payload.decode() == ndjson
    assert [json.loads(line)["id"] for line in payload.decode().splitlines()][:3] == [
        "newsroom-articles-data-view", "newsroom-mentions-data-view", "newsroom-runs-data-view"]


def test_import_into_a_space_with_an_api_key(httpserver):
    seen = _capture(httpserver, "/s/press-team/api/saved_objects/_import")
    import_saved_objects(httpserver.url_for("/") + "/", "{}\n", api_key="a2V5OnNlY3JldA==", space="press-team")
    assert seen[0]["headers"]["Authorization"] == "ApiKey a2V5OnNlY3JldA=="


def test_per_object_errors_are_reported_as_sentences_and_the_command_fails(httpserver, monkeypatch, capsys):
    body = {
        "success": False, "successCount": 19,
        "errors": [
            {"id": "newsroom-topics", "type": "lens", "meta": {"title": "Topics"},
             "error": {"type": "missing_references", "references": [{"type": "index-pattern", "id": "gone"}]}},
            {"id": "newsroom-coverage-dashboard", "type": "dashboard", "title": "newsroom — Coverage",
             "error": {"type": "unknown", "message": "Document uses a newer version", "statusCode": 400}},
        ],
    }
    seen = _capture(httpserver, "/api/saved_objects/_import", body)
    monkeypatch.setenv("NEWSROOM_KIBANA_USER", "analyst")
    monkeypatch.setenv("NEWSROOM_KIBANA_PASSWORD", "pw")
    with pytest.raises(SystemExit) as exit_info:
        main(["kibana", "import", "--url", httpserver.url_for("/")])
    assert exit_info.value.code == 1
    out = capsys.readouterr()
    text = " ".join((out.out + out.err).split())
    assert "lens 'Topics' (newsroom-topics) was not imported: it refers to objects missing from Kibana: index-pattern gone." in text
    assert "dashboard 'newsroom — Coverage' (newsroom-coverage-dashboard) was not imported (unknown): Document uses a newer version." in text
    assert "19 saved object(s)" in text
    assert seen[0]["headers"]["Authorization"] == "Basic " + base64.b64encode(b"analyst:pw").decode()


def test_refusals_and_connection_errors_name_the_url(httpserver):
    _capture(httpserver, "/api/saved_objects/_import",
             {"statusCode": 401, "error": "Unauthorized", "message": "[security_exception] unable to authenticate"}, 401)
    with pytest.raises(KibanaError, match=r"Kibana at http://127\.0\.0\.1:\d+/api/saved_objects/_import refused the "
                                          r"import with HTTP 401 \(check --user/--password or --api-key\): "
                                          r"\[security_exception\] unable to authenticate"):
        import_saved_objects(httpserver.url_for("/"), "{}\n", user="x", password="y")
    httpserver.stop()
    with pytest.raises(KibanaError, match=r"Cannot reach Kibana at http://127\.0\.0\.1:\d+/api/saved_objects/_import"):
        import_saved_objects(httpserver.url_for("/"), "{}\n", timeout=2)


def test_bad_space_and_check_of_partial_results():
    from pipeline.errors import ConfigError
    from pipeline.kibana import ImportResult, ObjectError

    with pytest.raises(ConfigError, match="space 'Press Team'"):
        import_saved_objects("http://127.0.0.1:1", "{}\n", space="Press Team")
    partial = ImportResult(url="http://k/api", success=False, success_count=1,
                           errors=[ObjectError("lens", "x", "X", "conflict")])
    with pytest.raises(KibanaError, match=r"imported 1 object\(s\) and rejected 1: lens 'X' \(x\) was not imported: "
                                          r"it conflicts with an existing object\."):
        check(partial)


def test_setup_imports_the_dashboards_when_kibana_is_configured(es_url, httpserver, monkeypatch, capsys):
    seen = _capture(httpserver, "/s/news/api/saved_objects/_import")
    monkeypatch.setenv("NEWSROOM_KIBANA_URL", httpserver.url_for("/"))
    monkeypatch.setenv("NEWSROOM_KIBANA_API_KEY", "k3y")
    monkeypatch.setenv("NEWSROOM_KIBANA_SPACE", "news")
    main(["setup"])
    prefix = load_settings().es_index_prefix
    (request,) = seen
    assert request["headers"]["Authorization"] == "ApiKey k3y"
    titles = [json.loads(line)["attributes"].get("title") for line in request["files"]["file"][2].decode().splitlines()]
    assert titles[:3] == [f"{prefix}-articles", f"{prefix}-mentions", f"{prefix}-runs"]
    assert "Kibana: 21 saved object(s) imported" in " ".join(capsys.readouterr().out.split())


def test_export_ndjson_command(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", "press")
    main(["kibana", "export-ndjson"])
    assert capsys.readouterr().out == to_ndjson(saved_objects("press"))
    main(["kibana", "export-ndjson", "--prefix", "newsroom", "--output", str(tmp_path / "objects.ndjson")])
    assert (tmp_path / "objects.ndjson").read_text(encoding="utf-8") == NDJSON_PATH.read_text(encoding="utf-8")


def test_an_ndjson_export_that_fails_while_written_keeps_the_previous_file(tmp_path, monkeypatch):
    """`kibana export-ndjson -o` wrote in place: an error while the file was written (a disk full, a Ctrl-C; here
    text that cannot be encoded) left the earlier file empty. Now it is written whole or not at all."""
    import pipeline.kibana.objects as objects

    output = tmp_path / "objects.ndjson"
    output.write_text('{"the": "previous export"}\n', encoding="utf-8")
    real = objects.to_ndjson
    monkeypatch.setattr(objects, "to_ndjson", lambda objs: real(objs) + "\ud800")  # fails in the write
    with pytest.raises(UnicodeEncodeError):
        main(["kibana", "export-ndjson", "--prefix", "newsroom", "--output", str(output)])
    assert output.read_text(encoding="utf-8") == '{"the": "previous export"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["objects.ndjson"]


@pytest.mark.parametrize("mode", ["huge", "drip"])
def test_a_kibana_answering_too_much_or_too_slowly_is_cut_off_in_one_sentence(mode):
    with ReplyServer(mode, size=50_000_000) as kibana:
        started = time.monotonic()
        with pytest.raises(KibanaError) as caught:
            import_saved_objects(kibana.url, '{"type":"index-pattern"}\n', timeout=1, deadline=2)
    assert time.monotonic() - started < 20
    url = kibana.url + "/api/saved_objects/_import"
    why = "with a body over 1024 KB" if mode == "huge" else "did not finish its reply within 2 s"
    assert str(caught.value).startswith(f"Kibana at {url} ") and why in str(caught.value)
