"""One alerts run: for each rule, find what is new since its watermark, deliver what was not sent yet, record it.

Guarantees: a (rule, subject, channel) is recorded only after the channel accepted it, and checked (realtime) before
sending, so re-runs never re-send; a failed or deferred item keeps the watermark at or before its `indexed_at`, so it
is evaluated again next run; the watermark trails the newest `indexed_at` seen by a safety margin, so articles that
became visible late (refresh, slow bulk, clock skew between hosts) are still seen.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch

from pipeline.alerts import deliver, state
from pipeline.alerts.evaluate import AlertItem, find_matches, find_spikes, latest_indexed_at
from pipeline.alerts.rules import AlertsConfig, Channel, Rule, load_rules, source_warnings
from pipeline.errors import NewsroomError, StoreError
from pipeline.settings import Settings
from pipeline.sinks import mask_secrets, single_line
from pipeline.store.templates import index_names

log = logging.getLogger(__name__)


def _empty_counts() -> dict:
    return {"sent": 0, "failed": 0, "pending": 0, "messages": 0}


def digest_due(rule: Rule, last_digest_at: datetime | None, now: datetime, tz: ZoneInfo) -> bool:
    """Once per local day, at or after `digest_hour`."""
    local_now = now.astimezone(tz)
    if local_now.hour < rule.digest_hour:
        return False
    if last_digest_at is None:
        return True
    return last_digest_at.astimezone(tz).date() < local_now.date()


def digest_not_due(rule: Rule, last_digest_at: datetime | None, now: datetime, tz: ZoneInfo) -> str | None:
    """Why a digest is not sent now ("digest not due until 23:00 Europe/Paris"), or None when it is due."""
    if digest_due(rule, last_digest_at, now, tz):
        return None
    hour = f"{rule.digest_hour:02d}:00 {tz.key}"
    if now.astimezone(tz).hour < rule.digest_hour:
        return f"digest not due until {hour}"
    return f"digest already sent today: next after {hour} tomorrow"


def _zone(settings: Settings) -> ZoneInfo:
    from pipeline.coverage import zone

    return zone(settings)


def _evaluate(client: Elasticsearch, settings: Settings, rule: Rule, now: datetime,
              rule_state: dict) -> tuple[list[AlertItem], datetime | None]:
    """Candidates for this rule and the lower bound (indexed_at) they were searched from."""
    if rule.volume:
        return find_spikes(client, settings, rule, now=now), None
    since = rule_state["watermark"] or now - timedelta(hours=settings.alerts_initial_lookback_hours)
    return find_matches(client, settings, rule, since), since


def _new_watermark(client: Elasticsearch, settings: Settings, since: datetime, unfinished: list[AlertItem]) -> datetime:
    newest = latest_indexed_at(client, settings, since)
    candidate = since if newest is None else newest - timedelta(minutes=settings.alerts_watermark_margin_minutes)
    for item in unfinished:
        indexed = state.parse_time(item.indexed_at)
        if indexed is not None:
            candidate = min(candidate, indexed)
    return max(since, candidate)


def failure_text(exc: BaseException) -> str:
    """One line for the report: our own errors are sentences already; anything else gets its type name."""
    text = mask_secrets(exc) if isinstance(exc, NewsroomError) else f"{type(exc).__name__}: {mask_secrets(exc)}"
    return single_line(text, 500)


def run_rule(client: Elasticsearch, settings: Settings, rule: Rule, *, dry_run: bool, now: datetime,
             run_id: str, report: dict) -> dict:
    out = {"kind": rule.kind, "delivery": rule.delivery, "matched": 0, "new": 0, "sent": 0, "failed": 0,
           "pending": 0, "skipped": None, "errors": [], "would_send": []}
    rule_state = state.get_rule_state(client, settings, rule.name)
    not_due = (digest_not_due(rule, rule_state["last_digest_at"], now, _zone(settings))
               if rule.delivery == "digest" else None)
    if not_due:
        out["skipped"] = not_due
        # A digest not due is evaluated all the same, so that a real run and a dry run count what it holds alike
        # ("matched 4, new 4 (digest not due …)"); nothing is sent and its state stays. A dry run previews it
        # apart: `not_due`, never `would_send`.
        if dry_run:
            out["not_due"] = []
    items, since = _evaluate(client, settings, rule, now, rule_state)
    out["matched"] = len(items)
    ids = [state.sent_id(rule.name, item.subject, ch.key) for item in items for ch in rule.channels]
    done = state.already_sent(client, settings, ids)
    unfinished: dict[str, AlertItem] = {}  # subject → item still pending on some channel after this run
    for channel in rule.channels:
        channel_counts = report["per_channel"].setdefault(channel.type, _empty_counts())
        pending = [it for it in items if state.sent_id(rule.name, it.subject, channel.key) not in done]
        out["new"] = max(out["new"], len(pending))
        if rule.delivery == "immediate":
            messages = [[item] for item in pending]
        else:
            cap = max(1, settings.alerts_max_items_per_message)
            # a channel that cannot show that many in one message (Slack: 50 blocks) gets several messages
            messages = deliver.message_parts(channel, pending[:cap])
            for item in pending[cap:]:  # deferred to the next run: keep the watermark before them
                unfinished[item.subject] = item
                channel_counts["pending"] += 1
                out["pending"] += 1
        unreachable = False
        for message in messages:
            if not_due and not dry_run:
                continue  # held for the digest
            if dry_run:
                out["not_due" if not_due else "would_send"].append({"channel": deliver.describe_channel(channel),
                                                                     "items": [it.as_dict() for it in message]})
                continue
            if unreachable:  # the receiver timed out, was down or asked to wait: the rest waits for the next run, not tried here
                out["pending"] += len(message)
                channel_counts["pending"] += len(message)
                unfinished.update({it.subject: it for it in message})
                continue
            try:
                note = deliver.send(settings, channel, rule, message)
            except Exception as exc:  # noqa: BLE001 - one channel failing must not stop the others or the rules after
                text = failure_text(exc)
                log.warning("rule %r, channel %s: %s", rule.name, channel.key, text)
                log.debug("delivery failure details", exc_info=True)
                unreachable = getattr(exc, "unreachable", False)
                later = (" (its other messages of this run were not tried: they stay pending for the next run)"
                         if unreachable and message is not messages[-1] else "")
                out["errors"].append(f"{deliver.describe_channel(channel)}: {text}{later}")
                out["failed"] += len(message)
                out["pending"] += len(message)
                channel_counts["failed"] += len(message)
                channel_counts["pending"] += len(message)
                unfinished.update({it.subject: it for it in message})
                continue
            if note:  # delivered in part (recipients a relay refused): recorded as sent, said once
                log.warning("rule %r, channel %s: %s", rule.name, channel.key, note)
                out["errors"].append(single_line(mask_secrets(note), 600))
            channel_counts["messages"] += 1
            recorded_before = out["sent"]
            try:
                _record_message(client, settings, rule, channel, message, run_id, out, channel_counts)
            except (ApiError, TransportError) as exc:
                # delivered, then the store went away: said as such (the run counted it nowhere, "0 sent"), and the
                # rule stops here, its watermark unmoved: what was not recorded goes out again on the next run
                unrecorded = len(message) - (out["sent"] - recorded_before)
                out["sent"] += unrecorded
                channel_counts["sent"] += unrecorded
                text = single_line(mask_secrets(f"{deliver.describe_channel(channel)}: delivered {len(message)} "
                                                f"alert(s), but {unrecorded} could not be recorded (Elasticsearch: "
                                                f"{exc}); they will be sent again on the next run"), 600)
                log.error("rule %r: %s", rule.name, text)
                out["errors"].append(text)
                return out
    if dry_run or not_due:
        return out
    if rule.volume:
        state.set_rule_state(client, settings, rule.name, watermark=now, run_id=run_id,
                             last_digest_at=now if rule.delivery == "digest" and not unfinished else None)
    else:
        watermark = _new_watermark(client, settings, since, list(unfinished.values()))
        digest_done = rule.delivery == "digest" and not unfinished
        state.set_rule_state(client, settings, rule.name, watermark=watermark, run_id=run_id,
                             last_digest_at=now if digest_done else None)
    return out


def _record_message(client: Elasticsearch, settings: Settings, rule: Rule, channel: Channel,
                    message: list[AlertItem], run_id: str, out: dict, channel_counts: dict) -> None:
    """Record each item of a delivered message as sent, counting each once written."""
    for item in message:
        state.record_sent(client, settings, state.sent_id(rule.name, item.subject, channel.key), {
            "rule": rule.name,
            "subject": item.subject,
            "article_id": None if rule.volume else item.subject,
            "company": item.company,
            "channel": channel.key,
            "channel_type": channel.type,
            "title": item.title[:1000],
            "url": item.url,
            "reason": "; ".join(item.reasons),
            "article_indexed_at": item.indexed_at,
            "run_id": run_id,
        })
        out["sent"] += 1
        channel_counts["sent"] += 1


def run_alerts(settings: Settings, client: Elasticsearch | None = None, rule_names: list[str] | None = None,
               dry_run: bool = False, rules_file: Path | str | None = None, *, now: datetime | None = None,
               config: AlertsConfig | None = None) -> dict:
    """Evaluate the enabled rules (or `rule_names`) and deliver; return counts per rule and per channel.

    `dry_run` evaluates and lists what would be sent, without sending, recording or moving watermarks.
    """
    started = time.perf_counter()
    if client is None:
        from pipeline.store.client import make_client

        client = make_client(settings)
    config = config or load_rules(settings, rules_file or settings.alerts_file, client=client, keep_unwatched=True)
    if rule_names:
        # a rule named twice runs once; a rule named but disabled (`enabled: false`) is not run, and said so
        chosen = list(dict.fromkeys(config.get(name).name for name in rule_names))
        rules = [config.get(name) for name in chosen if config.get(name).enabled]
        disabled = [name for name in chosen if not config.get(name).enabled]
    else:
        rules = [rule for rule in config.rules if rule.enabled]
        disabled = []
    now = (now or datetime.now(UTC)).astimezone(UTC)
    run_id = f"alerts-{now.strftime('%Y%m%dT%H%M%S')}"
    report: dict = {"run_id": run_id, "dry_run": dry_run, "rules": len(rules), "evaluated": 0, "matched": 0,
                    "new": 0, "sent": 0, "failed": 0, "pending": 0, "errors": 0, "per_channel": {}, "per_rule": {},
                    "notes": source_warnings(rules, settings), "failures": []}
    for name in disabled:
        report["notes"].append(f"rule {name!r} is disabled (enabled: false in the rules file): not run")
        report["per_rule"][name] = {"skipped": "disabled", "matched": 0, "new": 0, "sent": 0, "failed": 0,
                                    "pending": 0}
    names = index_names(settings.es_index_prefix)
    try:
        if not dry_run:  # a dry run only reads: a missing alerts index means nothing was sent yet
            state.ensure_alerts_index(client, settings)
        available = {kind: client.indices.exists(index=names[kind]) for kind in ("articles", "mentions")}
    except (ApiError, TransportError) as exc:
        raise StoreError(f"Elasticsearch is unavailable for alerts ({state.alerts_index(settings)}): {exc}") from exc
    for rule in rules:
        if rule._unwatched:  # this rule alone is not run; the others are, and the run exits 1
            message = single_line(f"rule {rule.name!r} not run: {rule._unwatched} If the company was renamed, keep "
                                  "its old name under the new entry's `former_names:`.", 600)
            log.error(message)
            report["errors"] += 1
            report["failures"].append(message)
            report["per_rule"][rule.name] = {"error": message, "matched": 0, "sent": 0, "failed": 0, "pending": 0}
            continue
        needed = "mentions" if rule.volume else "articles"
        if not available[needed]:
            report["notes"].append(f"{names[needed]} does not exist yet: rule {rule.name!r} has nothing to evaluate")
            report["per_rule"][rule.name] = {"skipped": "no index", "matched": 0, "sent": 0, "failed": 0, "pending": 0}
            continue
        # Each rule is its own error boundary: a rejected query, a store hiccup or a bug in one rule is recorded
        # and reported (exit 1 at the end), and the rules after it still run.
        try:
            result = run_rule(client, settings, rule, dry_run=dry_run, now=now, run_id=run_id, report=report)
        except ApiError as exc:  # e.g. a query the cluster rejects
            message = f"rule {rule.name!r}: Elasticsearch rejected the query: {exc.message} {str(exc.body)[:300]}"
        except TransportError as exc:
            message = f"rule {rule.name!r}: Elasticsearch became unavailable: {exc}"
        except Exception as exc:  # noqa: BLE001 - recorded below; details with -v
            message = f"rule {rule.name!r}: {failure_text(exc)}"
        else:
            message = None
        if message is not None:
            message = single_line(mask_secrets(message), 600)
            log.error(message)
            log.debug("rule failure details", exc_info=True)
            report["errors"] += 1
            report["failures"].append(message)
            report["per_rule"][rule.name] = {"error": message, "matched": 0, "sent": 0, "failed": 0, "pending": 0}
            continue
        report["per_rule"][rule.name] = result
        if result["skipped"] is None:
            report["evaluated"] += 1
        for key in ("matched", "new", "sent", "failed", "pending"):
            report[key] += result[key]
        report["errors"] += len(result["errors"])
        report["failures"].extend(f"rule {rule.name!r} → {error}" for error in result["errors"])
    report["duration_s"] = round(time.perf_counter() - started, 3)
    return report

