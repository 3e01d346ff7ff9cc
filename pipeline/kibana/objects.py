"""Kibana saved objects (data views, Lens charts, a saved search, two dashboards), generated from the index templates.

Generated rather than exported from a Kibana UI so that every field a chart uses comes from
`pipeline.store.templates` (tests check it) and the objects follow the configured index prefix. The format is the
one Kibana 8.9+ exports (Lens `formBased` datasource, dashboard `controlGroupInput`); Kibana 9.x migrates it on import.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.store.templates import index_names

NDJSON_PATH = Path(__file__).resolve().parents[2] / "infra" / "kibana" / "newsroom-saved-objects.ndjson"

CORE_MIGRATION = "8.8.0"
TYPE_MIGRATION = {"index-pattern": "8.0.0", "search": "8.0.0", "lens": "8.9.0", "dashboard": "8.9.0"}

TIME_FIELDS = {"articles": "published_at", "mentions": "published_at", "runs": "started_at"}
# The mentions data view gets `orgs` as a runtime copy of `company`, so one "Company" control (on the articles'
# `orgs`) filters the article panels and the mention panels alike; every mention chart groups by it.
RUNTIME_FIELDS = {
    "mentions": {
        "orgs": {"type": "keyword", "script": {"source": "if (doc['company'].size() != 0) { emit(doc['company'].value); }"}},
    },
}


def painless_string(text: str) -> str:
    """A Painless string literal: single quotes, a backslash or a quote escaped (« L'Oréal », "AT&T" as written)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def painless_today(renames: dict[str, str], variable: str = "name") -> str:
    """Painless statements turning a stored company name in `variable` into its name today (config/watchlist.yaml's
    `former_names:`). An if/else chain rather than a Map literal: the same on every Painless version, and the one
    the embedded stand-in runs too (its tests execute it)."""
    return " else ".join(f"if ({variable} == {painless_string(former)}) {{ {variable} = {painless_string(today)}; }}"
                         for former, today in sorted(renames.items()))


def runtime_fields(kind: str, renames: dict[str, str] | None = None) -> dict:
    """The data view's runtime fields. With companies renamed in the watchlist, each company shows under its name
    today, whatever name its articles were stored under (they stay so until `newsroom reenrich`; Kibana showed
    OVHcloud and "OVH Groupe SA" as two rows): the mentions' `orgs` maps `company`, and the articles' `orgs`
    shadows the stored field, read from `_source` (a runtime field cannot read the field it shadows), so the Company
    control, the charts and the saved search all read today's names. Without renames the stored `orgs` is kept
    (doc values, faster)."""
    fields = dict(RUNTIME_FIELDS.get(kind, {}))
    if not renames:
        return fields
    today = painless_today(renames)
    if kind == "mentions":
        fields["orgs"] = {"type": "keyword", "script": {"source": (
            f"if (doc['company'].size() != 0) {{ String name = doc['company'].value; {today} emit(name); }}")}}
    elif kind == "articles":
        fields["orgs"] = {"type": "keyword", "script": {"source": (
            "def stored = params['_source']['orgs']; if (stored != null) { for (def each : (stored instanceof List "
            f"? stored : [stored])) {{ String name = String.valueOf(each); {today} emit(name); }} }}")}}
    return fields


# (label, data view, field) of the Coverage dashboard's options-list controls.
CONTROLS = [("Company", "articles", "orgs"), ("Language", "articles", "lang"), ("Source", "articles", "source"),
            ("Topic", "articles", "topics")]
SEARCH_COLUMNS = ["title", "source", "published_at", "sentiment.score", "sentiment.label", "orgs"]
LAYER = "layer1"
NEGATIVE = 'sentiment.label : "negative"'


def data_view_id(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}-data-view"


def _object(kind: str, object_id: str, attributes: dict, references: list[dict]) -> dict:
    return {
        "attributes": attributes,
        "coreMigrationVersion": CORE_MIGRATION,
        "id": object_id,
        "references": references,
        "type": kind,
        "typeMigrationVersion": TYPE_MIGRATION[kind],
    }


def data_view(prefix: str, kind: str, renames: dict[str, str] | None = None) -> dict:
    pattern = index_names(prefix)[kind]  # the alias (articles, mentions: over every rolled-over index) or index
    return _object("index-pattern", data_view_id(prefix, kind), {
        "title": pattern,
        "name": f"{prefix} {kind}",
        "timeFieldName": TIME_FIELDS[kind],
        "allowNoIndex": True,
        "fieldAttrs": "{}",
        "fieldFormatMap": "{}",
        "fields": "[]",
        "runtimeFieldMap": json.dumps(runtime_fields(kind, renames), sort_keys=True, ensure_ascii=False),
        "sourceFilters": "[]",
        "typeMeta": "{}",
    }, [])


# --- Lens columns -----------------------------------------------------------------------------------------


def _count(label: str = "Count", kql: str | None = None) -> dict:
    column = {"customLabel": True, "dataType": "number", "isBucketed": False, "label": label,
              "operationType": "count", "params": {"emptyAsNull": True}, "scale": "ratio",
              "sourceField": "___records___"}
    if kql:
        column["filter"] = {"language": "kuery", "query": kql}
    return column


def _metric(operation: str, field: str, label: str) -> dict:
    data_type = "date" if operation == "max" and field.endswith("_at") else "number"
    return {"customLabel": True, "dataType": data_type, "isBucketed": False, "label": label, "operationType": operation,
            "params": {"emptyAsNull": True} if data_type == "number" else {}, "scale": "ratio", "sourceField": field}


def _terms(field: str, label: str, size: int = 10, order_by: str | None = None) -> dict:
    """Top `size` values ordered by a column, by the record count (order_by="records") or alphabetically."""
    if order_by == "records":  # Lens "custom" ranking: the values with the most documents, not the first by name
        order = {"orderBy": {"type": "custom"}, "orderDirection": "desc",
                 "orderAgg": {"dataType": "number", "isBucketed": False, "label": "Count of records",
                              "operationType": "count", "params": {"emptyAsNull": True}, "scale": "ratio",
                              "sourceField": "___records___"}}
    elif order_by:
        order = {"orderBy": {"type": "column", "columnId": order_by}, "orderDirection": "desc"}
    else:
        order = {"orderBy": {"type": "alphabetical", "fallback": True}, "orderDirection": "asc"}
    return {"customLabel": True, "dataType": "string", "isBucketed": True, "label": label, "operationType": "terms",
            "scale": "ordinal", "sourceField": field,
            "params": {"size": size, **order, "otherBucket": False, "missingBucket": False,
                       "parentFormat": {"id": "terms"}}}


def _histogram(field: str) -> dict:
    return {"dataType": "date", "isBucketed": True, "label": field, "operationType": "date_histogram",
            "scale": "interval", "sourceField": field,
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


# --- Lens visualisations ----------------------------------------------------------------------------------


def _lens(prefix: str, key: str, title: str, kind: str, vis_type: str, columns: dict, visualization: dict) -> dict:
    state = {
        "adHocDataViews": {},
        "datasourceStates": {"formBased": {"layers": {LAYER: {
            "columnOrder": list(columns), "columns": columns, "incompleteColumns": {}}}}},
        "filters": [],
        "internalReferences": [],
        "query": {"language": "kuery", "query": ""},
        "visualization": visualization,
    }
    return _object("lens", f"{prefix}-{key}", {"description": "", "state": state, "title": title,
                                               "visualizationType": vis_type},
                   [{"id": data_view_id(prefix, kind), "name": f"indexpattern-datasource-layer-{LAYER}",
                     "type": "index-pattern"}])


def _xy(prefix, key, title, kind, series, columns, x, accessors, split=None) -> dict:
    layer = {"accessors": accessors, "layerId": LAYER, "layerType": "data", "seriesType": series, "xAccessor": x}
    if split:
        layer["splitAccessor"] = split
        # breakdown, date, metric: the column order of Elastic's own exports (the breakdown ranks first)
        columns = {split: columns[split], x: columns[x], **{k: v for k, v in columns.items() if k not in (split, x)}}
    return _lens(prefix, key, title, kind, "lnsXY", columns, {
        "layers": [layer], "legend": {"isVisible": True, "position": "right"},
        "preferredSeriesType": series, "valueLabels": "hide", "fittingFunction": "None"})


def _pie(prefix, key, title, kind, field, label, shape="donut") -> dict:
    columns = {"group": _terms(field, label, 10, "count"), "count": _count()}
    return _lens(prefix, key, title, kind, "lnsPie", columns, {"shape": shape, "layers": [{
        "layerId": LAYER, "layerType": "data", "primaryGroups": ["group"], "metrics": ["count"],
        "numberDisplay": "percent", "categoryDisplay": "default", "legendDisplay": "default", "nestedLegend": False}]})


def _top(prefix, key, title, kind, field, label, size=10, kql=None, measure="Count") -> dict:
    columns = {"group": _terms(field, label, size, "count"), "count": _count(measure, kql)}
    return _xy(prefix, key, title, kind, "bar_horizontal", columns, "group", ["count"])


def _metric_vis(prefix, key, title, kind, column: dict) -> dict:
    return _lens(prefix, key, title, kind, "lnsMetric", {"value": column},
                 {"layerId": LAYER, "layerType": "data", "metricAccessor": "value"})


def _table(prefix, key, title, kind, columns: dict, sort: str) -> dict:
    return _lens(prefix, key, title, kind, "lnsDatatable", columns, {
        "layerId": LAYER, "layerType": "data", "columns": [{"columnId": c} for c in columns],
        "sorting": {"columnId": sort, "direction": "desc"}})


def coverage_charts(prefix: str) -> list[dict]:
    return [
        _xy(prefix, "mentions-over-time", "Mentions per company over time", "mentions", "bar_stacked",
            {"date": _histogram("published_at"), "count": _count("Mentions"),
             "company": _terms("orgs", "Company", 10, "count")},
            "date", ["count"], split="company"),
        # `orgs` (the mentions' runtime copy of `company`, under its name today): the field of the dashboard's Company
        # control, so each chart follows it; the ten companies with the most mentions, not the first ten by name.
        _pie(prefix, "share-of-voice", "Share of voice", "mentions", "orgs", "Company"),
        _xy(prefix, "sentiment-over-time", "Average tone toward each company", "mentions", "line",
            {"date": _histogram("published_at"), "sentiment": _metric("average", "sentiment.score", "Average tone"),
             "company": _terms("orgs", "Company", 10, "records")},
            "date", ["sentiment"], split="company"),
        _top(prefix, "negative-per-company", "Negative coverage per company", "mentions", "orgs", "Company",
             kql=NEGATIVE, measure="Negative mentions"),
        _top(prefix, "top-sources", "Top sources", "articles", "source", "Source"),
        _top(prefix, "top-persons", "Top persons", "articles", "persons", "Person"),
        _top(prefix, "top-places", "Top places", "articles", "places", "Place"),
        _top(prefix, "top-authors", "Top authors", "articles", "authors", "Author"),
        _pie(prefix, "topics", "Topics", "articles", "topics", "Topic", shape="treemap"),
        # One row per article and company, from the mentions: the tone shown is the tone toward that company, so
        # with the Company control set it is the tone toward the selected company.
        _table(prefix, "latest-articles-tone", "Latest articles, with the tone toward each company", "mentions",
               {"title": _terms("title.keyword", "Title", 30, "published"),
                "company": _terms("orgs", "Company", 5, "records"),
                "source": _terms("source", "Source", 1, "records"),
                "published": _metric("max", "published_at", "Published"),
                "tone": _metric("average", "sentiment.score", "Tone toward the company")}, "published"),
    ]


def health_charts(prefix: str) -> list[dict]:
    return [
        _xy(prefix, "articles-per-run", "Articles per run", "runs", "bar",
            {"date": _histogram("started_at"), "articles": _metric("sum", "counts.articles", "Articles extracted"),
             "indexed": _metric("sum", "counts.indexed", "New articles indexed")},
            "date", ["articles", "indexed"]),
        _table(prefix, "latest-runs", "Latest runs", "runs",
               {"run": _terms("run_id", "Run", 20, "started"), "started": _metric("max", "started_at", "Started"),
                "articles": _metric("sum", "counts.articles", "Articles"),
                "indexed": _metric("sum", "counts.indexed", "Indexed"),
                "dead_letters": _metric("sum", "dead_letters", "Dead letters"),
                "duration": _metric("max", "duration_s", "Duration (s)")}, "started"),
        _top(prefix, "failures-per-feed", "Failures per feed", "runs", "feed_errors.feed", "Feed", size=20,
             measure="Runs where the feed failed"),
        _pie(prefix, "extraction-mix", "Extraction method (trafilatura vs feed summary)", "articles", "extraction",
             "Extraction"),
        _metric_vis(prefix, "dead-letters", "Dead letters", "runs", _metric("sum", "dead_letters", "Dead letters")),
        _xy(prefix, "run-duration", "Run duration", "runs", "line",
            {"date": _histogram("started_at"), "duration": _metric("max", "duration_s", "Duration (s)")},
            "date", ["duration"]),
        _xy(prefix, "runs-by-status", "Runs by status", "runs", "bar_stacked",
            {"date": _histogram("started_at"), "count": _count("Runs"), "status": _terms("status", "Status", 5, "count")},
            "date", ["count"], split="status"),
    ]


def latest_articles_search(prefix: str) -> dict:
    source = {"query": {"language": "kuery", "query": ""}, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return _object("search", f"{prefix}-latest-articles", {
        "title": "Latest articles",
        "description": "Newest articles first, with source, date, sentiment and watched companies.",
        "columns": SEARCH_COLUMNS,
        "sort": [["published_at", "desc"]],
        "grid": {},
        "hideChart": True,
        "isTextBasedQuery": False,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source, sort_keys=True)},
    }, [{"id": data_view_id(prefix, "articles"), "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
         "type": "index-pattern"}])


def _dashboard(prefix: str, key: str, title: str, description: str, rows: list[list[tuple[dict, int, int]]],
               controls: list[tuple[str, str, str]]) -> dict:
    """rows: lists of (saved object, width on the 48-column grid, height)."""
    panels, references, y = [], [], 0
    for row in rows:
        x = 0
        for obj, width, height in row:
            index = obj["id"].removeprefix(f"{prefix}-")
            panels.append({"type": obj["type"], "panelIndex": index, "panelRefName": f"panel_{index}",
                           "gridData": {"i": index, "x": x, "y": y, "w": width, "h": height},
                           "embeddableConfig": {"enhancements": {}}})
            references.append({"id": obj["id"], "name": f"{index}:panel_{index}", "type": obj["type"]})
            x += width
        y += max(h for _, _, h in row)
    control_panels = {}
    for order, (label, kind, field) in enumerate(controls):
        control_id = f"control-{field}"
        control_panels[control_id] = {
            "order": order, "grow": True, "width": "medium", "type": "optionsListControl",
            "explicitInput": {"id": control_id, "fieldName": field, "title": label, "selectedOptions": [],
                              "searchTechnique": "prefix", "sort": {"by": "_count", "direction": "desc"},
                              "enhancements": {}}}
        references.append({"id": data_view_id(prefix, kind), "name": f"controlGroup_{control_id}:optionsListDataView",
                           "type": "index-pattern"})
    attributes = {
        "title": title,
        "description": description,
        "timeRestore": True,
        "timeFrom": "now-30d",
        "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 0},
        "optionsJSON": json.dumps({"useMargins": True, "syncColors": True, "syncCursor": True, "syncTooltips": False,
                                   "hidePanelTitles": False}, sort_keys=True),
        "panelsJSON": json.dumps(panels, sort_keys=True),
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                                  "filter": []}, sort_keys=True)},
        "version": 1,
    }
    if control_panels:
        attributes["controlGroupInput"] = {
            "chainingSystem": "HIERARCHICAL", "controlStyle": "oneLine",
            "ignoreParentSettingsJSON": json.dumps({"ignoreFilters": False, "ignoreQuery": False,
                                                    "ignoreTimerange": False, "ignoreValidations": False},
                                                   sort_keys=True),
            "panelsJSON": json.dumps(control_panels, sort_keys=True)}
    return _object("dashboard", f"{prefix}-{key}", attributes, references)


def saved_objects(prefix: str = "newsroom", renames: dict[str, str] | None = None) -> list[dict]:
    """Every object, referenced ones first (the order Kibana exports them in); `renames` (former name → name today,
    pipeline.companies.renamed) makes the data views show each company under its name today."""
    views = [data_view(prefix, kind, renames) for kind in ("articles", "mentions", "runs")]
    search = latest_articles_search(prefix)
    cov = {o["id"].removeprefix(f"{prefix}-"): o for o in coverage_charts(prefix)}
    health = {o["id"].removeprefix(f"{prefix}-"): o for o in health_charts(prefix)}
    coverage_dashboard = _dashboard(
        prefix, "coverage-dashboard", "newsroom — Coverage",
        "Press coverage of the watched companies: volume, share of voice, sentiment, sources, entities, authors, topics.",
        [[(cov["mentions-over-time"], 32, 15), (cov["share-of-voice"], 16, 15)],
         [(cov["sentiment-over-time"], 32, 15), (cov["negative-per-company"], 16, 15)],
         [(cov["top-sources"], 12, 14), (cov["top-persons"], 12, 14), (cov["top-places"], 12, 14),
          (cov["top-authors"], 12, 14)],
         [(cov["topics"], 16, 18), (cov["latest-articles-tone"], 32, 18)],
         [(search, 48, 16)]],
        CONTROLS)
    health_dashboard = _dashboard(
        prefix, "pipeline-health-dashboard", "newsroom — Pipeline health",
        "What each ingestion run did: articles, failed feeds, extraction method, dead letters, duration.",
        [[(health["articles-per-run"], 32, 14), (health["dead-letters"], 16, 14)],
         [(health["latest-runs"], 48, 14)],
         [(health["failures-per-feed"], 24, 14), (health["extraction-mix"], 24, 14)],
         [(health["run-duration"], 24, 14), (health["runs-by-status"], 24, 14)]],
        [])
    return [*views, search, *cov.values(), *health.values(), coverage_dashboard, health_dashboard]


def to_ndjson(objects: list[dict]) -> str:
    return "".join(json.dumps(obj, sort_keys=True, ensure_ascii=False) + "\n" for obj in objects)


def write_ndjson(path: str | Path = NDJSON_PATH, prefix: str = "newsroom",
                 renames: dict[str, str] | None = None) -> Path:
    """Regenerate the checked-in file (`newsroom kibana export-ndjson --output infra/kibana/...`)."""
    from pipeline.safewrite import atomic_output

    path = Path(path)
    with atomic_output(path) as fh:  # whole or not at all: an error mid-write kept half of the checked-in file
        fh.write(to_ndjson(saved_objects(prefix, renames)))
    return path
