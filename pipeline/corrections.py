"""Analysts' tone corrections: recorded once, applied at once, and kept whenever the article is written again.

A correction is one document in `<prefix>-corrections` (who, when, why, the old and the new label), never updated,
so the history stays. It is applied to the stored article (`sentiment` or its `company_sentiment` entry) and to the
article's mention documents, so coverage, alerts, dashboards and the report read the analyst's label. Every path
that re-writes an article from a fresh enrichment (a changed page, re-enrichment) calls `overlay_corrections` on
the documents it built, so a new model run never silently undoes an analyst's judgement: the model's own label is
kept beside it as `model_label`.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from elasticsearch import Elasticsearch, NotFoundError, helpers
from pydantic import BaseModel

from pipeline.companies import current_name, named_today, names_of, renamed
from pipeline.errors import NewsroomError
from pipeline.models import SentimentLabel
from pipeline.safewrite import atomic_output
from pipeline.settings import Settings
from pipeline.store.shapes import stored_article
from pipeline.store.templates import index_names

log = logging.getLogger(__name__)

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
DOCUMENT = "document"
# A corrected label whose model score says otherwise gets this score, so score filters (alert rules' min/max
# sentiment, average tone) agree with the label: beyond the ±0.1 neutral band and the shipped rules' thresholds.
CORRECTED_SCORE = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}
GOLD_PHENOMENON = "analyst-correction"


class Correction(BaseModel):
    """One analyst judgement on one article's tone (the whole document, or toward one company)."""

    article_id: str
    target: Literal["document", "company"]
    company: str | None = None
    label: SentimentLabel
    old_label: SentimentLabel | None = None
    model_label: SentimentLabel | None = None
    analyst: str
    note: str | None = None
    corrected_at: datetime
    title: str | None = None
    url: str | None = None

    @property
    def key(self) -> str:
        """What it corrects: "document" or the company name."""
        return self.company if self.target == "company" and self.company else DOCUMENT

    def record_id(self) -> str:
        return hashlib.sha256(f"{self.article_id}\n{self.key}\n{self.corrected_at.isoformat()}".encode()).hexdigest()


def corrections_index(settings: Settings) -> str:
    return index_names(settings.es_index_prefix)["corrections"]


def analyst_name(settings: Settings) -> str:
    """NEWSROOM_ANALYST, else the OS user (a container without a user name still records something)."""
    from pipeline.sinks import single_line

    if settings.analyst and single_line(settings.analyst):
        return single_line(settings.analyst, 200)  # shown in mail, Slack and the report: one line
    try:
        return single_line(getpass.getuser(), 200) or "unknown"
    except (OSError, KeyError):
        return "unknown"


# ------------------------------------------------------------------------------------------------------------
# Pure: a correction over stored documents
# ------------------------------------------------------------------------------------------------------------


def corrected_tone(tone: dict, label: str, analyst: str) -> dict:
    """A stored tone with the analyst's label; the model's label, confidence and evidence stay beside it."""
    model_label = tone.get("model_label") if tone.get("corrected") else tone.get("label")
    keep = tone.get("label") == label and tone.get("score") is not None  # its score already agrees with the label
    score = tone["score"] if keep else CORRECTED_SCORE[label]
    return {**tone, "label": label, "score": score, "corrected": True, "model_label": model_label,
            "corrected_by": analyst}


def _latest(corrections: Iterable[Correction]) -> dict[str, Correction]:
    latest: dict[str, Correction] = {}
    for fix in sorted(corrections, key=lambda c: c.corrected_at):
        latest[fix.key] = fix
    return latest


def _brief(tone: dict) -> dict:
    """The article's tone as mentions carry it (`article_sentiment`): no evidence repeated on every mention."""
    return {k: v for k, v in tone.items() if k in ("score", "label", "corrected", "model_label", "corrected_by")}


def overlay(article_doc: dict, mention_docs: list[dict], corrections: Iterable[Correction],
            renames: dict[str, str] | None = None) -> None:
    """Apply the latest correction of each target to an article document and its mention documents, in place.

    A company the article no longer mentions is left alone (its correction stays recorded, and applies again if
    a later version of the page names the company).
    """
    latest = _latest(corrections)
    if not latest:
        return
    article_tone = article_doc.get("sentiment") or {}
    if DOCUMENT in latest:
        fix = latest[DOCUMENT]
        article_tone = article_doc["sentiment"] = corrected_tone(article_tone, fix.label, fix.analyst)
    entries = {e.get("company"): e for e in article_doc.get("company_sentiment") or []}
    orgs = article_doc.get("orgs") or []
    renames = renames or {}
    for company, fix in sorted(latest.items(), key=lambda item: item[1].corrected_at):
        if company == DOCUMENT:
            continue
        # a company renamed since (watchlist `former_names`): the correction follows it to the name the article is
        # stored under, before or after `reenrich` (it was left aside as "no longer mentioned")
        company = next((name for name in names_of(current_name(company, renames), renames) if name in orgs), None)
        if company is None:
            continue
        # No tone measured toward the company: the article's tone stood in for it (as in the mentions index).
        base = entries.get(company) or {"company": company, **_brief(article_tone)}
        entries[company] = {**corrected_tone(base, fix.label, fix.analyst), "company": company}
    if any(company != DOCUMENT for company in latest):
        article_doc["company_sentiment"] = list(entries.values())
    for mention in mention_docs:
        if DOCUMENT in latest:
            mention["article_sentiment"] = _brief(article_tone)
        entry = entries.get(mention.get("company"))
        if entry is not None and entry.get("corrected"):
            mention["sentiment"] = {k: v for k, v in entry.items() if k != "company"}
        elif entry is None and DOCUMENT in latest:
            mention["sentiment"] = _brief(article_tone)


# ------------------------------------------------------------------------------------------------------------
# Elasticsearch
# ------------------------------------------------------------------------------------------------------------


def load_corrections(client: Elasticsearch, settings: Settings, article_ids: list[str]) -> dict[str, list[Correction]]:
    """Every recorded correction of these articles (article id → corrections, oldest first)."""
    if not article_ids:
        return {}
    out: dict[str, list[Correction]] = {}
    for start in range(0, len(article_ids), 1000):
        # every one, not the first 10,000 a search returns: sorted oldest first, those left out were the latest,
        # the ones that decide, and a re-indexed article took back a label an analyst had since corrected
        query = {"query": {"terms": {"article_id": article_ids[start : start + 1000]}}}
        try:
            for hit in helpers.scan(client, index=corrections_index(settings), query=query, size=1000):
                fix = Correction.model_validate(hit["_source"])
                out.setdefault(fix.article_id, []).append(fix)
        except NotFoundError:  # no correction index yet (setup not re-run since an upgrade): nothing to apply
            return out
    for fixes in out.values():
        fixes.sort(key=lambda fix: fix.corrected_at)
    return out


def overlay_corrections(client: Elasticsearch, settings: Settings, docs: dict[str, tuple[dict, list[dict]]]) -> int:
    """The indexing hook: article id → (article document, mention documents) freshly built; returns how many
    articles carried a correction."""
    found = load_corrections(client, settings, list(docs))
    renames = renamed(settings) if found else {}
    for article_id, fixes in found.items():
        article_doc, mentions = docs[article_id]
        overlay(article_doc, mentions, fixes, renames)
    return len(found)


def _find_article(client: Elasticsearch, settings: Settings, article_id: str) -> dict:
    """The stored article, with the version it was read at (`_seq_no`, `_primary_term`)."""
    alias = index_names(settings.es_index_prefix)["articles"]
    try:
        hits = client.search(index=alias, query={"ids": {"values": [article_id]}}, size=1, seq_no_primary_term=True,
                             source=["id", "title", "url", "orgs", "sentiment", "company_sentiment"])["hits"]["hits"]
    except NotFoundError:
        hits = []
    if not hits:
        raise NewsroomError(f"No article with id {article_id!r} in {alias}.")
    return hits[0]


def _mentions_of(client: Elasticsearch, settings: Settings, article_id: str) -> list[dict]:
    alias = index_names(settings.es_index_prefix)["mentions"]
    return client.search(index=alias, query={"term": {"article_id": article_id}}, size=1000, seq_no_primary_term=True,
                         source=["company", "sentiment", "article_sentiment"])["hits"]["hits"]


def set_tone(client: Elasticsearch, settings: Settings, article_id: str, label: str, *, company: str | None = None,
             note: str | None = None, analyst: str | None = None, now: datetime | None = None) -> Correction:
    """Record a correction and apply it to the stored article and its mentions (`newsroom tone set`).

    The article's `indexed_at` moves to now, so alert rules evaluate it again: a rule it now matches fires once,
    and a rule that already fired for it does not fire twice (its sent record exists).
    """
    from pipeline.search import tone_label

    # read as `--tone` reads it: `négatif`, `Neutre`, `POSITIVE` (French analysts were told "not one of negative…")
    label = tone_label(label, "Tone label")
    if not client.indices.exists(index=corrections_index(settings)):
        from pipeline.store.setup import ensure_setup

        ensure_setup(client, settings)
    from pipeline.store.ids import resolve_article_id

    article_id = resolve_article_id(client, settings, article_id)  # the 12 characters search prints are enough
    hit = _find_article(client, settings, article_id)
    source = stored_article(hit["_source"])  # as this version writes it: an older one's shapes are read alike
    orgs = source.get("orgs") or []
    if company is not None:
        from pipeline.enrich.watchlist import load_watchlist, resolve_company, watchlist_path

        # the same resolver as coverage and search: aliases in any case, the closest names when unknown
        canonical = resolve_company(company, load_watchlist(watchlist_path(settings.config_dir)))
        # stored before a rename, the article names the company by a former name
        stored = next((name for name in names_of(canonical, renamed(settings)) if name in orgs), None)
        if stored is None:
            raise NewsroomError(f"Article {article_id} does not mention {canonical} "
                                f"(it mentions: {', '.join(orgs) or 'no watched company'}).")
        company = canonical
        entries = {e.get("company"): e for e in source.get("company_sentiment") or []}
        current = entries.get(stored) or source.get("sentiment") or {}
    else:
        current = source.get("sentiment") or {}
    now = (now or datetime.now(UTC)).astimezone(UTC)
    fix = Correction(
        article_id=article_id, target="company" if company else "document", company=company, label=label,
        old_label=current.get("label"),
        model_label=current.get("model_label") if current.get("corrected") else current.get("label"),
        analyst=analyst or analyst_name(settings), note=note.strip() if note and note.strip() else None,
        corrected_at=now, title=source.get("title"), url=source.get("url"),
    )
    client.index(index=corrections_index(settings), id=fix.record_id(), refresh="wait_for",
                 document=fix.model_dump(mode="json", exclude_none=True))
    apply_stored(client, settings, article_id, now=now)
    return fix


APPLY_TRIES = 5


def apply_stored(client: Elasticsearch, settings: Settings, article_id: str, *, now: datetime | None = None) -> None:
    """Re-apply every correction of one stored article to its documents (idempotent).

    Each document is written only over the version read (`if_seq_no`): two analysts correcting one article at once
    each wrote what they had read before the other's write, so the later write put back the tone the other had just
    corrected. On a conflict, the documents and the corrections are read again and applied again."""
    names = index_names(settings.es_index_prefix)
    for _ in range(APPLY_TRIES):
        if _apply_once(client, settings, article_id, now):
            return
        client.indices.refresh(index=f"{names['articles']},{names['mentions']}")  # the other write, for the next read
    raise NewsroomError(f"The corrected tone of article {article_id} is recorded, but the article changed "
                        f"{APPLY_TRIES} times while it was being written: run the same `newsroom tone set` again to "
                        "apply it.")


def _apply_once(client: Elasticsearch, settings: Settings, article_id: str, now: datetime | None) -> bool:
    """One read-overlay-write of an article and its mentions; False when another writer changed one meanwhile.

    The documents are read before the corrections: a correction recorded after that read is either read here too or
    written by its own analyst after this write's read, and one of the two writes then conflicts and reads again."""
    hit = _find_article(client, settings, article_id)
    mentions = _mentions_of(client, settings, article_id)
    fixes = load_corrections(client, settings, [article_id]).get(article_id, [])
    article_doc = stored_article(hit["_source"])
    mention_docs = [stored_article(m["_source"]) for m in mentions]
    overlay(article_doc, mention_docs, fixes, renamed(settings))
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
    actions = [{"_op_type": "update", "_index": hit["_index"], "_id": hit["_id"], **_read_version(hit),
                "doc": {"sentiment": article_doc.get("sentiment"),
                        "company_sentiment": article_doc.get("company_sentiment") or [], "indexed_at": stamp}}]
    actions += [{"_op_type": "update", "_index": m["_index"], "_id": m["_id"], **_read_version(m),
                 "doc": {"sentiment": d.get("sentiment"), "article_sentiment": d.get("article_sentiment"),
                         "indexed_at": stamp}}
                for m, d in zip(mentions, mention_docs, strict=True)]
    _, errors = helpers.bulk(client, actions, raise_on_error=False, refresh="wait_for")
    refused = [e for e in errors if next(iter(e.values()), {}).get("status") != 409]
    if refused:
        raise NewsroomError(f"Elasticsearch refused the corrected tone of article {article_id}: {refused[0]}")
    return not errors


def _read_version(hit: dict) -> dict:
    """`if_seq_no`/`if_primary_term` of a search hit: the write is refused (409) if the document changed since."""
    if hit.get("_seq_no") is None or hit.get("_primary_term") is None:
        return {}
    return {"if_seq_no": hit["_seq_no"], "if_primary_term": hit["_primary_term"]}


def recent_corrections(client: Elasticsearch, settings: Settings, size: int = 50,
                       article_id: str | None = None) -> list[Correction]:
    """The newest corrections first."""
    return recent_corrections_and_total(client, settings, size, article_id)[0]


def recent_corrections_and_total(client: Elasticsearch, settings: Settings, size: int = 50,
                                 article_id: str | None = None) -> tuple[list[Correction], int]:
    """The newest corrections first, and how many there are in all: `tone list` shows the latest `size` of them,
    and said "50 tone correction(s)" of a store holding 12,000."""
    query = {"term": {"article_id": article_id}} if article_id else {"match_all": {}}
    try:
        found = client.search(index=corrections_index(settings), query=query, size=size, track_total_hits=True,
                              sort=[{"corrected_at": {"order": "desc"}}])["hits"]
    except NotFoundError:
        return [], 0
    fixes = [Correction.model_validate(h["_source"]) for h in found["hits"]]
    return fixes, max(found["total"]["value"], len(fixes))


# ------------------------------------------------------------------------------------------------------------
# Export for training (../shared/gold/LABELLING.md format)
# ------------------------------------------------------------------------------------------------------------


def gold_record(article: dict, fixes: list[Correction]) -> dict:
    """One gold line from the stored (corrected) article: the analyst's labels where given, the stored ones
    elsewhere; `corrected` names which labels are the analyst's own."""
    latest = _latest(fixes)
    orgs = list(article.get("orgs") or [])
    orgs += [c for c in latest if c != DOCUMENT and c not in orgs]
    stored = {e.get("company"): e.get("label") for e in article.get("company_sentiment") or []}
    doc_label = latest[DOCUMENT].label if DOCUMENT in latest else (article.get("sentiment") or {}).get("label")
    entity_sentiment = {}
    for company in orgs:
        if company in latest:
            entity_sentiment[company] = latest[company].label
        else:
            entity_sentiment[company] = stored.get(company) or (article.get("sentiment") or {}).get("label")
    notes = []
    for key, fix in latest.items():  # why: every note given on the target (the same label set twice keeps the first
        # one's reason), and the change from the model's label, not from the previous correction
        reasons = dict.fromkeys(  # another analyst's, or another label's, reason says whose and for what
            f.note if (f.analyst, f.label) == (fix.analyst, fix.label) else f"{f.analyst}, for {f.label}: {f.note}"
            for f in sorted(fixes, key=lambda f: f.corrected_at) if f.key == key and f.note)
        was = fix.model_label or fix.old_label or "nothing (not read)"
        notes.append(f"{fix.analyst} ({key}: model said {was} → {fix.label}){': ' + ' / '.join(reasons) if reasons else ''}")
    return {
        "id": f"newsroom-{article['id']}",
        "lang": article.get("lang"),
        "title": article.get("title"),
        "text": article.get("text") or "",
        "orgs": orgs,
        "persons": article.get("persons") or [],
        "places": article.get("places") or [],
        "sentiment": doc_label,
        "entity_sentiment": entity_sentiment,
        "phenomena": [GOLD_PHENOMENON],
        "notes": "Analyst correction(s): " + "; ".join(notes),
        "corrected": list(latest),
        "url": article.get("url"),
    }


def export_gold(client: Elasticsearch, settings: Settings, output: Path | str) -> dict:
    """Write one gold line per corrected article still stored; returns counts."""
    fixes: dict[str, list[Correction]] = {}
    try:
        for hit in helpers.scan(client, index=corrections_index(settings), query={"query": {"match_all": {}}},
                                size=500):
            fix = Correction.model_validate(hit["_source"])
            fixes.setdefault(fix.article_id, []).append(fix)
    except NotFoundError:
        pass
    # a company renamed since (watchlist `former_names`): one name in a line, today's, whether the article or the
    # correction was stored under the old one (the line named the company twice, once per name)
    renames = renamed(settings) if fixes else {}
    for article_fixes in fixes.values():
        article_fixes[:] = [fix.model_copy(update={"company": current_name(fix.company, renames)})
                            if fix.target == "company" else fix for fix in article_fixes]
    alias = index_names(settings.es_index_prefix)["articles"]
    fields = ["id", "lang", "title", "text", "url", "orgs", "persons", "places", "sentiment", "company_sentiment"]
    ids = sorted(fixes)
    articles: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        hits = client.search(index=alias, query={"ids": {"values": chunk}}, size=len(chunk),
                             source=fields)["hits"]["hits"]
        articles.update({h["_id"]: {"id": h["_id"], **named_today(stored_article(h["_source"]), renames)}
                         for h in hits})
    output = Path(output)
    written = unread = 0
    with atomic_output(output) as fh:  # whole or not at all: a disk full or a Ctrl-C mid-write kept no earlier file
        for article_id in ids:
            if article_id not in articles:
                continue
            record = gold_record(articles[article_id], fixes[article_id])
            if record["sentiment"] is None:  # a language without a tone model, its document tone never corrected:
                unread += 1  # a gold line needs one (training refuses the line; it used to say the placeholder neutral)
                continue
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return {"output": str(output), "articles": written, "corrections": sum(len(f) for f in fixes.values()),
            "missing_articles": len(ids) - written - unread, "unread_articles": unread}


# ------------------------------------------------------------------------------------------------------------
# Display: a stored tone as analysts read it (alerts, `newsroom alerts test`, the HTML report)
# ------------------------------------------------------------------------------------------------------------


def shown_tone(tone: dict | None) -> dict:
    """A stored tone as readers get it: once an analyst corrected the label, the model's confidence and evidence
    describe the model's label, not the analyst's, so they move to `model_confidence` and `model_evidence`."""
    tone = dict(tone or {})
    if tone.get("corrected"):
        for key in ("confidence", "evidence"):
            if key in tone:
                tone.setdefault(f"model_{key}", tone.pop(key))
    return tone


def tone_notes(tone: dict) -> list[str]:
    """["confidence 0.87"], or ["corrected by alice", "model said positive, 0.87"]: what lets an analyst weigh a
    label. A corrected label is the analyst's: the model's confidence is shown as the model's, beside its label."""
    tone = shown_tone(tone)
    if not tone.get("corrected"):
        return [f"confidence {float(tone['confidence']):.2f}"] if tone.get("confidence") is not None else []
    notes = [f"corrected by {tone.get('corrected_by') or 'an analyst'}"]
    if tone.get("model_label"):
        confidence = tone.get("model_confidence")
        notes.append(f"model said {tone['model_label']}"
                     + (f", {float(confidence):.2f}" if confidence is not None else ""))
    return notes


def tone_summary(tone: dict | None) -> str:
    """"negative -0.60, confidence 0.87", or "negative -0.50 (corrected by alice; model said positive, 0.87)" —
    plain text, not escaped."""
    if not tone or tone.get("label") is None:
        return ""
    head = f"{tone['label']} {float(tone.get('score') or 0):+.2f}"
    notes = tone_notes(tone)
    if tone.get("corrected"):
        return f"{head} ({'; '.join(notes)})"
    return ", ".join([head, *notes])


def evidence_of(tone: dict | None) -> list[str]:
    """The 1-3 sentences that decided the model's label (empty for a backend that gives none). After a correction
    they are the model's reasons for its own label: show them under `evidence_caption`."""
    tone = shown_tone(tone)
    evidence = tone.get("model_evidence" if tone.get("corrected") else "evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    return [str(s) for s in evidence if str(s).strip()][:3]


def evidence_caption(tone: dict | None) -> str:
    """"the model's evidence for positive:" when the evidence backs a label the analyst overruled, else ""."""
    if not (tone or {}).get("corrected") or not evidence_of(tone):
        return ""
    return f"the model's evidence for {tone.get('model_label') or 'its label'}:"
