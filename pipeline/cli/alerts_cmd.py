"""`newsroom alerts list | run | test`: keyword, company and volume alerts (config/alerts.yaml)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from pipeline.cli import app
from pipeline.settings import load_settings
from pipeline.sinks import TITLE_SHOWN_CHARS, for_json, for_terminal as esc, terminal_console

alerts_app = typer.Typer(help="Keyword, company and volume alerts by e-mail, Slack or webhook.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")
console = terminal_console()

RULES_OPTION = typer.Option(None, "--rules", help="Rules file (default: config/alerts.yaml or NEWSROOM_ALERTS_FILE).")


def _print_json(data) -> None:
    typer.echo(for_json(data))


@alerts_app.command("list")
def list_cmd(rules: Path | None = RULES_OPTION,
             as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Validate the rules file and list its rules."""
    from pipeline.alerts.deliver import describe_channel
    from pipeline.alerts.evaluate import rule_conditions
    from pipeline.alerts.rules import channel_warnings, load_rules, source_warnings, topic_warnings

    settings = load_settings()
    config = load_rules(settings, rules or settings.alerts_file)
    warnings = [*source_warnings(config.rules, settings), *topic_warnings(config.rules, settings),
                *channel_warnings(config.rules, settings)]
    if as_json:
        _print_json([rule.model_dump(mode="json") for rule in config.rules])
        for warning in warnings:  # stdout stays the list of rules
            typer.echo(f"warning: {warning}", err=True)
        return
    table = Table("rule", "kind", "conditions", "delivery", "channels", "on", title=f"{len(config.rules)} alert rule(s)")
    for rule in config.rules:
        if rule.volume:
            v = rule.volume
            what = f"mentions in {v.window} > {v.factor:g}× the {v.baseline_days}-day average (min {v.min_count})"
            what += f" for {', '.join(rule.companies) or 'every company'}"
        else:
            what = "; ".join(label for label, _ in rule_conditions(rule))
        table.add_row(esc(rule.name), rule.kind, esc(what), rule.delivery,
                      "\n".join(esc(describe_channel(c)) for c in rule.channels),
                      "yes" if rule.enabled else "no")
    console.print(table)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {esc(warning)}", highlight=False)


@alerts_app.command("run")
def run_cmd(
    rule: list[str] = typer.Option(None, "--rule", help="Only this rule (repeatable)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be sent; send and record nothing."),
    rules: Path | None = RULES_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Evaluate the rules over newly indexed articles and deliver the alerts not sent yet."""
    from pipeline.alerts import run_alerts

    settings = load_settings()
    report = run_alerts(settings, rule_names=rule or None, dry_run=dry_run, rules_file=rules)
    if as_json:
        _print_json(report)
    else:
        _print_report(report)
    if report["failed"] or report["errors"]:
        raise typer.Exit(1)


def _print_report(report: dict) -> None:
    from pipeline.alerts.evaluate import plain_snippet

    title = f"alerts {report['run_id']}{' (dry run)' if report['dry_run'] else ''} in {report['duration_s']:.1f} s"
    table = Table("rule", "matched", "new", "sent", "failed", "pending", "note", title=title)
    for name, result in report["per_rule"].items():
        note = result.get("skipped") or result.get("error") or "; ".join(result.get("errors", []))
        table.add_row(esc(name), *(str(result.get(k, 0)) for k in ("matched", "new", "sent", "failed", "pending")),
                      esc(note or ""))
    console.print(table)
    for channel, counts in report["per_channel"].items():
        console.print(f"{esc(channel)}: {counts['sent']} sent in {counts['messages']} message(s), {counts['failed']} failed, "
                      f"{counts['pending']} pending")
    if report["dry_run"]:
        for name, result in report["per_rule"].items():
            for message in result.get("would_send", []):
                console.print(f"[bold]{esc(name)}[/] → {esc(message['channel'])}: {len(message['items'])} item(s)")
                for item in message["items"]:
                    console.print(f"  • {esc(item['title'], TITLE_SHOWN_CHARS)} ({esc(item.get('source') or '')}) "
                                  f"{esc(item.get('url') or '')}",
                                  highlight=False)
                    if item.get("snippet"):
                        console.print(f"    “{esc(plain_snippet(item['snippet']))}”", highlight=False)
                    console.print(f"    why: {esc('; '.join(item['reasons']))}", highlight=False)
            for message in result.get("not_due", []):
                console.print(f"[bold]{esc(name)}[/] → {esc(message['channel'])}: nothing sent now "
                              f"({esc(result['skipped'])}); the digest would hold {len(message['items'])} item(s)",
                              highlight=False)
    for note in report["notes"]:
        console.print(f"[yellow]note:[/] {esc(note)}", highlight=False)
    for failure in report.get("failures", []):
        console.print(f"[red]failed:[/] {esc(failure)}", highlight=False)
    console.print(f"total: {report['matched']} matched, {report['sent']} sent, {report['failed']} failed, "
                  f"{report['pending']} pending")


@alerts_app.command("test")
def test_cmd(
    name: str = typer.Argument(..., help="Rule name."),
    article_id: str = typer.Option(..., "--article-id", help="Article id, or a unique prefix of it (as search prints)."),
    rules: Path | None = RULES_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show whether and why a rule matches an article (each condition), and whether it was already sent."""
    from pipeline.alerts.evaluate import RETURNED, article_item, explain_match, find_matches, find_spikes, plain_snippet
    from pipeline.alerts.evaluate import tone_details
    from pipeline.alerts.rules import load_rules
    from pipeline.alerts.state import already_sent, ensure_alerts_index, sent_id
    from pipeline.store.client import make_client
    from pipeline.store.templates import index_names
    from pipeline.store.ids import resolve_article_id

    settings = load_settings()
    rule = load_rules(settings, rules or settings.alerts_file).get(name)
    name = rule.name  # typed in another case: the rule's own name (its sent records are kept under it)
    client = make_client(settings)
    article_id = resolve_article_id(client, settings, article_id)
    if rule.volume:
        spikes = find_spikes(client, settings, rule)
        result = {"rule": name, "kind": "volume", "note": "volume rules do not match single articles",
                  "spikes_now": [s.as_dict() for s in spikes]}
        if as_json:
            _print_json(result)
            return
        console.print(f"Rule {esc(repr(name))} is a volume rule: it counts mentions and does not match single "
                      f"articles.", highlight=False)
        if not spikes:
            console.print("No spike now.", highlight=False)
        for spike in spikes:
            console.print(f"spike now: {esc(spike.title)}", highlight=False)
            console.print(f"  why: {esc('; '.join(spike.reasons))}", highlight=False)
            for related in spike.related:
                console.print(f"  • {esc(str(related.get('title') or ''), TITLE_SHOWN_CHARS)} ({esc(str(related.get('source') or ''))}) "
                              f"{esc(str(related.get('url') or ''))}", highlight=False)
        return
    conditions = explain_match(client, settings, rule, article_id)
    matches = find_matches(client, settings, rule, since=None, ids=[article_id])
    ensure_alerts_index(client, settings)
    sent = sorted(already_sent(client, settings, [sent_id(name, article_id, ch.key) for ch in rule.channels]))
    articles = index_names(settings.es_index_prefix)["articles"]
    stored = client.search(index=articles, query={"ids": {"values": [article_id]}}, size=1, source=RETURNED)
    tones = tone_details(article_item(rule, stored["hits"]["hits"][0]))
    result = {
        "rule": name,
        "article_id": article_id,
        "matches": bool(matches),
        "conditions": [{"condition": label, "met": met} for label, met in conditions],
        "why": matches[0].reasons if matches else [],
        "snippet": plain_snippet(matches[0].snippet) if matches else None,
        "already_sent": sent,
        "tones": [{"tone": summary, "evidence": evidence} for summary, evidence in tones],
    }
    if as_json:
        _print_json(result)
        return
    verdict = "[green]MATCHES[/]" if result["matches"] else "[red]does not match[/]"
    console.print(f"Rule {esc(repr(name))} {verdict} article {esc(article_id)}")
    for cond in result["conditions"]:
        console.print(f"  {'✓' if cond['met'] else '✗'} {esc(cond['condition'])}", highlight=False)
    if result["why"]:
        console.print(f"why: {esc('; '.join(result['why']))}", highlight=False)
    if result["snippet"]:
        console.print(f"snippet: “{esc(result['snippet'])}”", highlight=False)
    for tone in result["tones"]:
        console.print(f"tone {esc(tone['tone'])}", highlight=False, soft_wrap=True)
        for sentence in tone["evidence"]:
            console.print(f"    “{esc(sentence, 400)}”", highlight=False, soft_wrap=True)
    if sent:
        console.print(f"already sent: {esc(', '.join(sent))}", highlight=False)
