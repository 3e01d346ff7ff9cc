"""`newsroom setup`: ILM policy, component + composable templates, bootstrap indices and write aliases.

Idempotent: every object is put (templates, policy) or created only when missing (indices, aliases), so running it
twice, or from several Airflow tasks at once, converges to the same state.
"""

from __future__ import annotations

import logging

from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers

from pipeline.errors import StoreError, StoreRefused
from pipeline.settings import Settings
from pipeline.store import templates

log = logging.getLogger(__name__)


def ilm_mode(client: Elasticsearch) -> str | None:
    """ILM's operation mode (RUNNING, STOPPING, STOPPED), or None without an ILM API.

    The stand-in (and clusters with ILM disabled) answer 400 'no handler' / 404 on the ILM API.
    """
    try:
        return str(client.ilm.get_status().get("operation_mode") or "RUNNING").upper()
    except (BadRequestError, NotFoundError):
        return None
    except ApiError as exc:
        if exc.meta.status in (400, 404, 405, 501):
            return None
        raise



def _create_bootstrap_index(client: Elasticsearch, alias: str) -> bool:
    """Create <alias>-000001 carrying the write alias, unless the alias already exists."""
    if client.indices.exists_alias(name=alias):
        return False
    if client.indices.exists(index=alias):
        # an index (made by hand, by another tool, or by a write before setup) holds the alias's name: Elasticsearch
        # refuses the alias in a sentence about aliases, and the embedded stand-in made it anyway, every search
        # then reading that index (its mapping not ours: "No mapping found for [published_at]") and `setup` green
        raise StoreRefused(f"An index named {alias} exists where newsroom keeps the alias of its {alias} indices (its "
                         f"mapping is not newsroom's): move its documents elsewhere and delete it, or use another "
                         f"NEWSROOM_ES_INDEX_PREFIX, then run `newsroom setup` again.")
    try:
        client.indices.create(index=templates.first_index(alias), aliases={alias: {"is_write_index": True}})
        return True
    except BadRequestError as exc:
        if exc.error == "resource_already_exists_exception":  # another process was faster
            return False
        raise


def _manual_rollover(client: Elasticsearch, alias: str, settings: Settings) -> bool:
    """Without ILM: roll the alias over when the age/size conditions are met (checked at each setup/ingest)."""
    try:
        result = client.indices.rollover(
            alias=alias,
            conditions={"max_age": settings.es_rollover_max_age, "max_primary_shard_size": settings.es_rollover_max_size},
        )
        return bool(result.get("rolled_over"))
    except ApiError as exc:
        log.info("rollover check for %s not applied: %s", alias, exc)
        return False


def _add_new_fields(client: Elasticsearch, settings: Settings, existing: list[str]) -> None:
    """Indices made by an older version learn the fields added since (e.g. the tone's evidence and correction):
    their mapping is strict, so without this they would reject the new documents. Additive only.

    Articles indices are brought up to date by `_migrate_articles` (their new fields need analysis settings, which
    cannot be added to an open index): here only those already at MAPPING_VERSION get put_mapping, which then adds
    nothing their analysis lacks. Mentions, runs and corrections need no new analysis: put_mapping suffices.
    """
    names = templates.index_names(settings.es_index_prefix)
    properties = {"mentions": templates.MENTION_PROPERTIES, "runs": templates.RUN_PROPERTIES,
                  "corrections": templates.CORRECTION_PROPERTIES}
    for kind, props in properties.items():
        if names[kind] in existing:
            client.indices.put_mapping(index=names[kind], properties=props)
    if names["articles"] in existing:
        for index in sorted(client.indices.get_alias(name=names["articles"])):
            if mapping_version(client, index) >= templates.MAPPING_VERSION:
                client.indices.put_mapping(index=index, properties=templates.ARTICLE_PROPERTIES)


def mapping_version(client: Elasticsearch, index: str) -> int:
    """The newsroom mapping version an index was created (or migrated) with; 1 for indices older than versioning."""
    mappings = client.indices.get_mapping(index=index)[index]["mappings"]
    return int((mappings.get("_meta") or {}).get("mapping_version", 1))


def _write_index(client: Elasticsearch, alias: str) -> str:
    aliases = client.indices.get_alias(name=alias)
    writers = [name for name, body in aliases.items() if body["aliases"][alias].get("is_write_index")]
    return writers[0] if writers else sorted(aliases)[-1]


def _copy_articles(client: Elasticsearch, source: str, dest: str, unread: list[str] | None = None) -> int:
    """Copy every article of `source` into `dest`, with the fields the new mapping adds (the per-language `search`),
    and without the placeholder tone of a language without a tone model (version 7; its id goes to `unread`).

    `create`, not `index`: an article already in `dest` was written after the rollover and is newer.
    """
    from pipeline.search import tone_unread
    from pipeline.store.indexing import search_field

    def actions():
        for hit in helpers.scan(client, index=source, query={"query": {"match_all": {}}}, size=500):
            doc = hit["_source"]
            doc["search"] = search_field(doc.get("lang"), doc.get("title"), doc.get("description"), doc.get("text"))
            if tone_unread(doc) and doc.pop("sentiment", None) is not None and unread is not None:
                unread.append(hit["_id"])
            yield {"_op_type": "create", "_index": dest, "_id": hit["_id"], "_source": doc}

    copied = 0
    for ok, item in helpers.streaming_bulk(client, actions(), chunk_size=500, raise_on_error=False):
        status = item.get("create", {}).get("status")
        if not ok and status != 409:
            raise StoreError(f"Migrating {source} into {dest} failed on article {item.get('create', {}).get('_id')}: "
                             f"{item.get('create', {}).get('error')}; {source} is kept, run `newsroom setup` again.")
        copied += 1
    return copied


def _migrate_articles(client: Elasticsearch, alias: str, report: dict, mentions: str) -> None:
    """Bring every index behind the articles alias to MAPPING_VERSION without losing a document.

    New analysis settings (the exact-phrase analyser) cannot be added to an open index, so: roll the alias over
    (the new write index takes the new template), copy each older index's articles into it, check the count,
    and only then delete the older index. Run it while no ingest runs (an update to an old index during the copy
    would be lost with that index).
    """
    old = [name for name in sorted(client.indices.get_alias(name=alias)) if mapping_version(client, name) < templates.MAPPING_VERSION]
    if not old:
        return
    if _write_index(client, alias) in old:
        client.indices.rollover(alias=alias)
        report["notes"].append(f"{alias} rolled over to mapping version {templates.MAPPING_VERSION}")
    dest = _write_index(client, alias)
    for index in old:
        client.indices.refresh(index=index)
        expected = client.count(index=index)["count"]
        unread: list[str] = []
        copied = _copy_articles(client, index, dest, unread)
        if copied != expected:
            raise StoreError(f"Migrating {index} into {dest}: {copied} of {expected} articles copied; {index} is "
                             "kept, run `newsroom setup` again.")
        client.indices.refresh(index=dest)
        _drop_unread_mention_tones(client, mentions, unread)  # before the old index goes: a failure is resumed
        client.indices.delete(index=index)
        report["migrated"].append({"from": index, "to": dest, "articles": copied})
        report["notes"].append(f"{index}: {copied} article(s) moved into {dest} (mapping version "
                               f"{templates.MAPPING_VERSION}), then the old index deleted")


# A mention's tone that nobody read (a language without a tone model: the article's placeholder standing in), removed;
# an analyst's correction is a tone read and stays.
_UNREAD_MENTION_TONES = (
    "if (ctx._source.sentiment != null && ctx._source.sentiment.corrected != true) { ctx._source.remove('sentiment'); }"
    " if (ctx._source.article_sentiment != null && ctx._source.article_sentiment.corrected != true) "
    "{ ctx._source.remove('article_sentiment'); }")


def _drop_unread_mention_tones(client: Elasticsearch, mentions: str, article_ids: list[str]) -> None:
    """The mentions of articles whose placeholder tone was dropped (version 7) lose it too: mentions written before
    2026-12-04 carried it as their tone, so coverage still averaged it as 0.0 and `mentions --tone neutral` listed
    them."""
    if not article_ids or not client.indices.exists(index=mentions):
        return
    for start in range(0, len(article_ids), 1000):
        client.update_by_query(index=mentions, query={"terms": {"article_id": article_ids[start:start + 1000]}},
                               script={"source": _UNREAD_MENTION_TONES, "lang": "painless"}, refresh=True,
                               conflicts="proceed")


def _update_runs_mapping(client: Elasticsearch, index: str, report: dict) -> None:
    """The runs index is not rolled over: new fields (explicit counters) are added in place with put_mapping."""
    if mapping_version(client, index) >= templates.MAPPING_VERSION:
        return
    client.indices.put_mapping(index=index, properties=templates.RUN_PROPERTIES, meta=templates.mapping_meta())
    report["notes"].append(f"{index}: mapping updated in place to version {templates.MAPPING_VERSION}")


def ensure_setup(client: Elasticsearch, settings: Settings) -> dict:
    """Install everything the pipeline writes to; return what was created and what already existed."""
    prefix = settings.es_index_prefix
    names = templates.index_names(prefix)
    report: dict = {"ilm": None, "component_templates": [], "index_templates": [], "created": [], "existing": [],
                    "migrated": [], "notes": []}
    try:
        mode = ilm_mode(client)
        with_ilm = mode is not None
        # ILM present but not RUNNING (stopped by an operator or an upgrade): the policy is installed so it applies
        # once ILM is started again, but meanwhile nothing rolls over, so the manual rollover check runs as well.
        ilm_running = mode == "RUNNING"
        report["ilm_mode"] = mode
        if with_ilm:
            policy = templates.ilm_policy_name(prefix)
            client.ilm.put_lifecycle(name=policy, policy=templates.ilm_policy(settings))
            report["ilm"] = policy
            if not ilm_running:
                note = (f"ILM is {mode} on this cluster: indices neither roll over nor expire by policy until it is "
                        "started again (POST _ilm/start); meanwhile `newsroom setup`/`ingest` roll them over when "
                        "the age/size conditions are met.")
                log.warning(note)
                report["notes"].append(note)
        else:
            note = (
                "ILM API not available on this cluster (the embedded stand-in has none): no lifecycle policy; "
                "indices roll over when `newsroom setup`/`ingest` finds the age/size conditions met, and old indices "
                "are not deleted automatically."
            )
            log.info(note)
            report["notes"].append(note)
        for name, body in templates.component_templates(settings, with_ilm).items():
            client.cluster.put_component_template(name=name, template=body, meta={"managed_by": "newsroom"})
            report["component_templates"].append(name)
        for name, body in templates.index_templates(settings, with_ilm).items():
            client.indices.put_index_template(name=name, **body)
            report["index_templates"].append(name)
        for kind in templates.ROLLOVER_KINDS:
            alias = names[kind]
            if _create_bootstrap_index(client, alias):
                report["created"].append(templates.first_index(alias))
            else:
                report["existing"].append(alias)
                if kind == "articles":
                    _migrate_articles(client, alias, report, names["mentions"])
                if not ilm_running and _manual_rollover(client, alias, settings):
                    report["notes"].append(f"{alias} rolled over")
        for kind in ("runs", "corrections"):
            if client.indices.exists(index=names[kind]):
                report["existing"].append(names[kind])
                if kind == "runs":
                    _update_runs_mapping(client, names[kind], report)
                continue
            try:
                client.indices.create(index=names[kind])
                report["created"].append(names[kind])
            except BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise
        _add_new_fields(client, settings, report["existing"])
    except ApiError as exc:
        from pipeline.store.client import api_error_sentence

        sentence = api_error_sentence(exc, bool(settings.es_api_key or settings.es_user))
        if exc.meta.status in (401, 403) or 300 <= exc.meta.status < 400:  # no retry helps: a setting must change
            raise StoreRefused(f"The newsroom setup ({prefix}-*) cannot be done: {sentence}") from exc
        raise StoreError(f"Elasticsearch refused the newsroom setup ({prefix}-*): {sentence}") from exc
    except TransportError as exc:
        raise StoreError(f"Elasticsearch is unreachable during setup: {exc}") from exc
    report["ilm_available"] = with_ilm
    return report
