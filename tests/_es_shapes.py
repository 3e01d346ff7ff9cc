"""Request bodies checked against Elasticsearch's own specification, as the official client's typed DSL carries it.

Real Elasticsearch refuses (400) an unknown key in a query, an aggregation, a highlight or a mapping; the stand-in
ignores it, so a misspelt option (`operatr`, `min_doc_cout`) passes every test here and fails on a cluster. The
client's `elasticsearch.dsl` classes are generated from the Elasticsearch specification: their parameters are the
keys a server accepts.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from elasticsearch.dsl import aggs as agg_module
from elasticsearch.dsl import field as field_module
from elasticsearch.dsl import query as query_module
from elasticsearch.dsl import types as types_module

_SKIP = {"self", "_field", "_value", "kwargs", "_expand__to_dot", "args"}


def _named(module, base) -> dict[str, type]:
    return {cls.name: cls for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, base) and getattr(cls, "name", None)}


def _keys(cls: type) -> set[str]:
    return set(inspect.signature(cls.__init__).parameters) - _SKIP


QUERIES = _named(query_module, query_module.Query)
AGGS = _named(agg_module, agg_module.Agg)
FIELDS = _named(field_module, field_module.Field)
# queries whose body is {field: options}; the options' keys come from the typed dict of that query
_FIELD_LEVEL = {"term": types_module.TermQuery, "match": types_module.MatchQuery, "prefix": types_module.PrefixQuery,
                "match_phrase": types_module.MatchPhraseQuery, "wildcard": types_module.WildcardQuery,
                "regexp": types_module.RegexpQuery, "fuzzy": types_module.FuzzyQuery,
                "match_phrase_prefix": types_module.MatchPhrasePrefixQuery, "range": None}
_RANGE_KEYS = {"gt", "gte", "lt", "lte", "format", "time_zone", "relation", "boost", "_name"}
_SEARCH_KEYS = {"query", "aggs", "aggregations", "size", "from", "sort", "_source", "highlight", "track_total_hits",
                "track_scores", "search_after", "pit", "post_filter", "min_score", "timeout", "terminate_after",
                "stored_fields", "docvalue_fields", "fields", "collapse", "explain", "version",
                "seq_no_primary_term", "runtime_mappings", "indices_boost", "rescore", "suggest", "profile",
                "script_fields", "stats", "knn", "slice"}
_SORT_KEYS = {"order", "missing", "unmapped_type", "mode", "nested", "format", "numeric_type"}
_AGG_WRAPPER = {"aggs", "aggregations", "meta"}


def query_problems(query: object, where: str = "query") -> list[str]:
    if not isinstance(query, dict) or len(query) != 1:
        return [f"{where}: a query is an object with one key, got {query!r:.120}"]
    (name, body), = query.items()
    if name not in QUERIES:
        return [f"{where}: unknown query type {name!r}"]
    if name in _FIELD_LEVEL:
        if not isinstance(body, dict):
            return [f"{where}: {name} takes {{field: value or options}}"]
        problems = []
        for field, options in body.items():
            if isinstance(options, dict):
                allowed = _RANGE_KEYS if name == "range" else _keys(_FIELD_LEVEL[name])
                problems += [f"{where}.{name}.{field}: unknown option {key!r}" for key in set(options) - allowed]
        return problems
    if name in ("terms", "ids", "match_all", "match_none") or not isinstance(body, dict):
        return []
    problems = [f"{where}.{name}: unknown key {key!r}" for key in set(body) - _keys(QUERIES[name])]
    for clause in ("must", "filter", "should", "must_not"):
        value = body.get(clause) if name == "bool" else None
        for i, sub in enumerate(value if isinstance(value, list) else [value] if value else []):
            problems += query_problems(sub, f"{where}.bool.{clause}[{i}]")
    for key in ("query", "filter", "positive", "negative"):
        if name in ("nested", "constant_score", "boosting", "has_child", "has_parent") and isinstance(body.get(key), dict):
            problems += query_problems(body[key], f"{where}.{name}.{key}")
    return problems


def aggs_problems(aggs: dict, where: str = "aggs") -> list[str]:
    problems = []
    for label, spec in aggs.items():
        kinds = [key for key in spec if key not in _AGG_WRAPPER]
        if len(kinds) != 1:
            problems.append(f"{where}.{label}: one aggregation type per name, got {kinds}")
            continue
        kind = kinds[0]
        if kind not in AGGS:
            problems.append(f"{where}.{label}: unknown aggregation type {kind!r}")
            continue
        params = spec[kind]
        if isinstance(params, dict):
            problems += [f"{where}.{label}.{kind}: unknown parameter {key!r}" for key in set(params) - _keys(AGGS[kind])]
            if kind == "filter":
                problems += query_problems(params, f"{where}.{label}.filter")
            for name, sub in (params.get("filters") or {}).items() if kind == "filters" else ():
                problems += query_problems(sub, f"{where}.{label}.filters.{name}")
        for wrapper in ("aggs", "aggregations"):
            if wrapper in spec:
                problems += aggs_problems(spec[wrapper], f"{where}.{label}")
    return problems


def highlight_problems(highlight: dict, where: str = "highlight") -> list[str]:
    problems = [f"{where}: unknown key {key!r}" for key in set(highlight) - _keys(types_module.Highlight)]
    for field, spec in (highlight.get("fields") or {}).items():
        problems += [f"{where}.fields.{field}: unknown key {key!r}"
                     for key in set(spec) - _keys(types_module.HighlightField)]
    if isinstance(highlight.get("highlight_query"), dict):
        problems += query_problems(highlight["highlight_query"], f"{where}.highlight_query")
    return problems


def sort_problems(sort: object, where: str = "sort") -> list[str]:
    problems = []
    for item in sort if isinstance(sort, list) else [sort]:
        if isinstance(item, dict):
            for field, spec in item.items():
                if isinstance(spec, dict):
                    problems += [f"{where}.{field}: unknown key {key!r}" for key in set(spec) - _SORT_KEYS]
    return problems


def search_problems(body: dict, where: str = "search") -> list[str]:
    problems = [f"{where}: unknown body key {key!r}" for key in set(body) - _SEARCH_KEYS]
    if "query" in body:
        problems += query_problems(body["query"], f"{where}.query")
    if "post_filter" in body:
        problems += query_problems(body["post_filter"], f"{where}.post_filter")
    for key in ("aggs", "aggregations"):
        if key in body:
            problems += aggs_problems(body[key], f"{where}.{key}")
    if "highlight" in body:
        problems += highlight_problems(body["highlight"], f"{where}.highlight")
    if "sort" in body:
        problems += sort_problems(body["sort"], f"{where}.sort")
    return problems


def mapping_problems(properties: dict, where: str = "mappings") -> list[str]:
    problems = []
    for name, spec in properties.items():
        kind = spec.get("type", "object")
        if kind not in FIELDS:
            problems.append(f"{where}.{name}: unknown field type {kind!r}")
            continue
        problems += [f"{where}.{name} ({kind}): unknown parameter {key!r}"
                     for key in set(spec) - _keys(FIELDS[kind]) - {"type"}]
        if isinstance(spec.get("properties"), dict):
            problems += mapping_problems(spec["properties"], f"{where}.{name}")
        for sub, sub_spec in (spec.get("fields") or {}).items():
            problems += mapping_problems({sub: sub_spec}, f"{where}.{name}.fields")
    return problems


def request_problems(method: str, path: str, body: object) -> list[str]:
    """The problems of one request the pipeline sent (path without its query string)."""
    where = f"{method} {path}"
    if not isinstance(body, dict):
        return []
    if path.endswith(("/_search", "/_count", "/_delete_by_query", "/_update_by_query")) or path == "/_search":
        if path.endswith("/_count"):
            return query_problems(body["query"], f"{where} query") if "query" in body else []
        problems = search_problems({k: v for k, v in body.items() if k not in ("script", "conflicts", "max_docs")}, where)
        return problems
    if "/_index_template/" in path or "/_component_template/" in path:
        template = body.get("template") or {}
        properties = ((template.get("mappings") or {}).get("properties")) or {}
        return mapping_problems(properties, where)
    if path.endswith("/_mapping") and isinstance(body.get("properties"), dict):
        return mapping_problems(body["properties"], where)
    if method == "PUT" and isinstance((body.get("mappings") or {}).get("properties"), dict):
        return mapping_problems(body["mappings"]["properties"], where)
    return []


def all_problems(requests: Iterable[tuple[str, str, object]]) -> list[str]:
    return [problem for method, path, body in requests for problem in request_problems(method, path, body)]
