"""Delivery channels: e-mail (SMTP), Slack incoming webhook, generic JSON webhook with optional HMAC signature.

Each `send_*` either delivers the message (returning a note when only part of it went out: recipients a mail
relay refused) or raises DeliveryError; the caller records what was delivered (and only that), so a failure leaves
the alert pending for the next run. A message a channel accepted is never a failure, whatever its reply does after.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from zoneinfo import ZoneInfo

import httpx

from pipeline.alerts.evaluate import AlertItem, html_snippet, plain_snippet, slack_snippet, tone_details
from pipeline.alerts.rules import Channel, EmailChannel, Rule, SlackChannel, WebhookChannel
from pipeline.coverage import local_time, zone
from pipeline.errors import ConfigError, NewsroomError
from pipeline.replies import ReplyError, finished_within, post_capped
from pipeline.settings import SMTP_SECURITY, Settings
from pipeline.sinks import (TITLE_SHOWN_CHARS, for_header, for_html, for_slack, link_target, linkable, mail_address,
                            mask_url, shown_title, shown_url, single_line)

log = logging.getLogger(__name__)
# httpx logs every request's full URL at INFO (the CLI with -v, an Airflow task's default level): a Slack webhook's
# path is its secret.
logging.getLogger("httpx").setLevel(logging.WARNING)

SIGNATURE_HEADER = "X-Newsroom-Signature"  # "sha256=<hex HMAC-SHA256 of the raw body>"


class DeliveryError(NewsroomError):
    """A channel did not accept the message (the alert stays pending). `unreachable`: the receiver did not answer in
    time or could not be reached, so the channel's other messages of this run would only wait as long; or it asked
    us to wait (429, Retry-After), so they would only be refused the same way."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


# ------------------------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------------------------


def _tone(item: AlertItem) -> str:
    parts = []
    if item.sentiment is not None:
        parts.append(f"article {item.sentiment:+.2f}")
    parts += [f"{company} {score:+.2f}" for company, score in item.company_sentiment.items() if score is not None]
    return ", ".join(parts)


def _when(item: AlertItem, tz: ZoneInfo | None) -> str:
    """The publication time in NEWSROOM_TIMEZONE with its zone, as the filters and the digest hour read time."""
    return local_time(item.published_at, tz or ZoneInfo("UTC"))


def subject_line(rule: Rule, items: list[AlertItem], prefix: str = "") -> str:
    """One line whatever the title holds (CR/LF in a title must not add mail headers or break Slack's text)."""
    head = f"{prefix} " if prefix else ""
    if len(items) == 1:
        return for_header(f"{head}{rule.name}: {shown_title(items[0].title, items[0].url)}", 250)
    return for_header(f"{head}{rule.name}: {len(items)} new alerts", 250)


def render_text(rule: Rule, items: list[AlertItem], tz: ZoneInfo | None = None) -> str:
    lines = [f"Alert rule: {rule.name}" + (f" — {rule.description}" if rule.description else ""), ""]
    for item in items:
        lines.append(f"* {shown_title(item.title, item.url, TITLE_SHOWN_CHARS)}")
        meta = " | ".join(single_line(x) for x in (item.source, _when(item, tz), item.lang) if x)
        if meta:
            lines.append(f"  {meta}")
        if _tone(item):
            lines.append(f"  Tone: {_tone(item)}")
        for summary, evidence in tone_details(item):
            lines.append(f"  {single_line(summary)}")
            lines.extend(f"    “{single_line(sentence, 400)}”" for sentence in evidence)
        if item.snippet:
            lines.append(f"  “{plain_snippet(item.snippet)}”")
        if item.url:  # mail clients link a bare URL: the rule of the other channels' links (`shown_url`)
            shown = shown_url(item.url)
            lines.append(f"  {shown}" if linkable(item.url) else f"  {shown} (not a public web address: not linked)")
        lines.append(f"  Why: {'; '.join(item.reasons)}")
        lines.append("")
    return "\n".join(lines)


def render_html(rule: Rule, items: list[AlertItem], tz: ZoneInfo | None = None) -> str:
    esc = for_html
    parts = [f"<p><b>Alert rule:</b> {esc(rule.name)}" + (f" — {esc(rule.description)}" if rule.description else "")
             + "</p>"]
    for item in items:
        title = esc(shown_title(item.title, item.url, TITLE_SHOWN_CHARS))
        title = f'<a href="{esc(link_target(item.url))}">{title}</a>' if linkable(item.url) else title
        meta = " · ".join(esc(x) for x in (item.source, _when(item, tz), item.lang) if x)
        parts.append(
            f"<div style='margin:1em 0'><div style='font-size:1.1em'><b>{title}</b></div>"
            f"<div style='color:#555'>{meta}</div>"
            + (f"<div>Tone: {esc(_tone(item))}</div>" if _tone(item) else "")
            + "".join(f"<div>{for_html(summary)}</div>"
                      + "".join(f"<blockquote style='color:#555'>{for_html(s)}</blockquote>" for s in evidence)
                      for summary, evidence in tone_details(item))
            + (f"<blockquote>{html_snippet(item.snippet)}</blockquote>" if item.snippet else "")
            + f"<div><i>Why:</i> {esc('; '.join(item.reasons))}</div></div>"
        )
    return "<html><body>" + "".join(parts) + "</body></html>"


SLACK_SECTION_LIMIT = 3000  # characters in one section's text (Slack's documented limit)
SLACK_MAX_ITEMS = 45  # sections per message: Slack allows 50 blocks, one is the header
SLACK_MAX_LINK = 1000  # longer article URLs are not linked (the title is shown plain)


def _slack_link(url: str) -> str:
    """A URL inside Slack's `<url|label>`: `|` and `>` would end it early, so they are percent-encoded."""
    return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")


def slack_payload(rule: Rule, items: list[AlertItem], tz: ZoneInfo | None = None) -> dict:
    """Both the fallback `text` and the blocks are mrkdwn: every web string goes through `for_slack`. Every mrkdwn
    text object is `verbatim`: Slack then leaves plain text as written (no bare URL of a title turned into a link
    past `linkable`, no channel name linked, no @here or @channel parsed), and only the `<url|title>` links built here
    are live. The fallback `text` only shows in notifications, where nothing is linked."""
    esc = for_slack
    if len(items) > SLACK_MAX_ITEMS:  # never cut silently: `message_parts` splits a longer message
        raise ValueError(f"a Slack message holds at most {SLACK_MAX_ITEMS} items, not {len(items)}")
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": f"newsroom: {rule.name}"[:150]}}]
    for item in items:
        title = esc(shown_title(item.title, item.url), 250)
        link = _slack_link(link_target(item.url)) if linkable(item.url) else ""
        # a 2,900-character URL alone would push the section past Slack's limit: such a link stays plain text
        title = f"<{link}|{title}>" if link and len(link) <= SLACK_MAX_LINK else title
        meta = " · ".join(esc(x, 200) for x in (item.source, _when(item, tz)) if x)
        lines = [f"*{title}*", meta]
        if _tone(item):
            lines.append(f"Tone: {esc(_tone(item))}")
        for summary, evidence in tone_details(item):
            lines += [for_slack(summary, 300), *(f"> {for_slack(s, 300)}" for s in evidence)]
        if item.snippet:
            lines.append(f"> {slack_snippet(item.snippet)}")
        why = f"_Why: {esc('; '.join(item.reasons), 500)}_"
        # whole lines only, within Slack's 3,000 characters: a cut inside `<url|label>` or *bold* breaks the block
        budget = 2900 - len(why)
        kept = [line for line in lines if (budget := budget - len(line) - 1) >= 0 or line is lines[0]]
        text = "\n".join([*kept, why])
        if len(text) > SLACK_SECTION_LIMIT:  # Slack refuses the whole message for one oversized section
            text = f"*{esc(shown_title(item.title, item.url), 250)}*\n{why}"[:SLACK_SECTION_LIMIT]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}})
    # no previews: Slack would fetch each article link itself and show what the site serves its crawler (og:title,
    # og:image), which may differ from what newsroom read, under newsroom's name; the request also tells the site
    return {"text": esc(subject_line(rule, items)), "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def webhook_payload(rule: Rule, items: list[AlertItem]) -> dict:
    return {
        "rule": rule.name,
        "description": rule.description,
        "kind": rule.kind,
        "alerts": [
            # the article's link without a credential in its query, as in every other channel
            {**item.as_dict(), "url": mask_url(item.url) if item.url else item.url,
             "snippet_html": html_snippet(item.snippet)} for item in items
        ],
    }


# ------------------------------------------------------------------------------------------------------------
# Channels
# ------------------------------------------------------------------------------------------------------------


@dataclass
class SmtpTarget:
    host: str
    port: int
    security: str  # starttls | ssl | none
    user: str | None
    password: str | None
    sender: str
    ca_file: str | None = None


def smtp_target(settings: Settings, channel: EmailChannel) -> SmtpTarget:
    if channel.connection:
        return _airflow_smtp(channel.connection, settings)
    if not settings.smtp_host:
        raise DeliveryError("E-mail channel: no SMTP server configured (set NEWSROOM_SMTP_HOST, or `connection:` "
                            "an Airflow Connection id in config/alerts.yaml).")
    return SmtpTarget(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security.lower(),
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        sender=settings.smtp_from,
        ca_file=str(settings.smtp_ca_file) if settings.smtp_ca_file else None,
    )


def _airflow_smtp(conn_id: str, settings: Settings) -> SmtpTarget:
    """An Airflow Connection (conn type smtp): host, port, login, password; extras security/from_email."""
    try:
        from airflow.sdk import Connection

        conn = Connection.get(conn_id)
    except Exception as exc:  # noqa: BLE001 - missing Airflow or connection: say which
        from pipeline.orchestration import unreadable_connection_variable

        # Airflow answers "isn't defined" for an AIRFLOW_CONN_* variable it cannot parse: say why instead
        why = unreadable_connection_variable(conn_id) if "AirflowNotFound" in type(exc).__name__ else None
        raise DeliveryError(f"E-mail channel: {why}" if why else
                            f"E-mail channel: Airflow Connection {conn_id!r} is not available ({exc}).") from exc
    extra = conn.extra_dejson or {}
    if not isinstance(extra, dict):  # a list or a number as extra failed with a bare AttributeError
        raise ConfigError(f"E-mail channel: the extra of Airflow Connection {conn_id!r} is not a JSON object.")
    port = int(conn.port or settings.smtp_port)
    security = extra.get("security")
    if not security:
        if port == 465 or extra.get("disable_ssl") is False:
            security = "ssl"
        elif extra.get("disable_tls"):
            security = "none"
        else:
            security = "starttls"
    return SmtpTarget(host=conn.host, port=port, security=str(security).lower(), user=conn.login or None,
                      password=conn.password or None, sender=extra.get("from_email") or settings.smtp_from)


def send_email(settings: Settings, channel: EmailChannel, rule: Rule, items: list[AlertItem]) -> str | None:
    target = smtp_target(settings, channel)
    if target.security not in SMTP_SECURITY:
        raise ConfigError(f"SMTP security {target.security!r} is not one of {', '.join(SMTP_SECURITY)} "
                          f"({'Airflow Connection ' + channel.connection if channel.connection else 'NEWSROOM_SMTP_SECURITY'}).")
    timeout = settings.alerts_timeout
    where = f"E-mail to {_addresses(channel.to)} via {target.host}:{target.port}"
    # RFC 5321 only promises 100 recipients per message (relays answer "452 too many recipients" past their limit),
    # and a thousand addresses in one To: show every reader the whole list: one message per hundred
    batches = [channel.to[start:start + RECIPIENTS_PER_MESSAGE]
               for start in range(0, len(channel.to), RECIPIENTS_PER_MESSAGE)]
    try:
        messages = [build_email(rule, items, sender=target.sender, to=batch, prefix=channel.subject_prefix,
                                tz=zone(settings)) for batch in batches]
    except ValueError as exc:
        raise DeliveryError(f"{where} failed: {exc}") from exc
    # certificates and host names always verified; no CA is read for a relay without TLS
    context = ssl.create_default_context(cafile=target.ca_file) if target.security != "none" else None
    session: dict = {}

    def deliver() -> dict:
        if target.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=timeout)
        session["smtp"] = smtp
        with smtp:
            smtp.ehlo()
            if target.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if target.user:
                smtp.login(target.user, target.password or "")
            refused: dict = {}
            for number, message in enumerate(messages):
                try:
                    refused.update(smtp.send_message(message))
                except smtplib.SMTPRecipientsRefused as exc:  # this batch only: the others may go
                    refused.update(exc.recipients)
                except (smtplib.SMTPException, OSError) as exc:
                    if number == 0:
                        raise
                    # earlier batches went out: sent (a retry would send them a second copy), the rest refused
                    reply = (exc.smtp_code, exc.smtp_error) if isinstance(exc, smtplib.SMTPResponseException) \
                        else (-2, _smtp_problem(exc))
                    for later in batches[number:]:
                        refused.update(dict.fromkeys(later, reply))
                    break
                session["sent_batches"] = number + 1
            if len(refused) == len(channel.to):
                raise smtplib.SMTPRecipientsRefused(refused)
            return refused

    # smtplib's timeout is per socket read: a relay answering a byte a second would hold the run for ever. The
    # session gets twice the timeout in all, as webhook replies do; then its socket is closed.
    allowed = 2 * timeout * len(messages)  # each message of a long recipient list gets its share
    try:
        done, refused = finished_within(allowed, deliver, "smtp-session")
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        unreachable = isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)) and not isinstance(exc, ssl.SSLError)
        raise DeliveryError(f"{where} failed: {_smtp_problem(exc)}{_tls_hint(exc, target)}",
                            unreachable=unreachable) from exc
    if not done:
        smtp = session.get("smtp")
        if smtp is not None and smtp.sock is not None:
            with contextlib.suppress(OSError):
                smtp.sock.close()
        if sent := session.get("sent_batches", 0):  # some hundreds went out: sent, or a retry mails them twice
            reached = sum(len(batch) for batch in batches[:sent])
            return (f"{where}: sent to {reached} of {len(channel.to)} recipient(s); the session was cut off after "
                    f"{allowed:g} s, before the others")
        raise DeliveryError(f"{where} failed: the SMTP session did not finish within {allowed:g} s; it was cut "
                            "off.", unreachable=True)
    if refused:  # the others accepted it: sent, not retried (a retry would send them a second copy every run)
        return (f"{where}: sent, but the server refused {len(refused)} of {len(channel.to)} recipient(s): "
                f"{_smtp_problem(smtplib.SMTPRecipientsRefused(refused))}")
    return None


RECIPIENTS_PER_MESSAGE = 100


def _addresses(addresses: list[str], shown: int = 3) -> str:
    more = f" and {len(addresses) - shown} more" if len(addresses) > shown else ""
    return ", ".join(addresses[:shown]) + more


def _smtp_problem(exc: BaseException) -> str:
    """A relay's refusal as a sentence: smtplib's exceptions print as Python tuples and dicts."""
    def answer(code: int, text: bytes | str) -> str:
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        if code == -2:  # not a reply: the connection failed after earlier messages went out
            return single_line(text, 200)
        if code == -1:  # smtplib's code for a line that is not an SMTP reply (a web server on that port)
            return f"an answer that is not SMTP ({single_line(text, 80)!r})"
        return f"{code} {single_line(text, 200)}"

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = [f"{address} ({answer(*reply)})" for address, reply in sorted(exc.recipients.items())]
        more = f" and {len(refusals) - 3} more" if len(refusals) > 3 else ""
        return "refused recipient(s) " + "; ".join(refusals[:3]) + more
    if isinstance(exc, smtplib.SMTPResponseException):
        what = {smtplib.SMTPAuthenticationError: "refused the login", smtplib.SMTPSenderRefused: "refused the sender",
                smtplib.SMTPDataError: "refused the message"}.get(type(exc), "answered")
        return f"the server {what}: {answer(exc.smtp_code, exc.smtp_error)}"
    return single_line(str(exc), 300) or type(exc).__name__


def _tls_hint(exc: BaseException, target: SmtpTarget) -> str:
    """What to change after a failed TLS handshake with the relay ('' for any other failure)."""
    if not isinstance(exc, ssl.SSLError):
        return ""
    if "WRONG_VERSION_NUMBER" in str(exc) or "wrong version number" in str(exc):
        return (f" (the relay does not speak TLS from the start on port {target.port}: use "
                "NEWSROOM_SMTP_SECURITY=starttls, or none)")
    if "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return " (the relay's certificate is not trusted: set NEWSROOM_SMTP_CA_FILE to the CA that signed it)"
    return ""


class _Subject(str):
    """A Subject folded by `email.header.Header` (RFC 2047 encoded words throughout when the text is not ASCII).

    The default policy's folder keeps the space before a fold and adds the folding one, so "une vraie défaite"
    came out as "une vraie  défaite" wherever the line broke before an encoded word. Python's `email` stores an
    object with a `name` as it is and calls its `fold`; the text is `for_header`'s (one line, `=?` neutralised), and
    it is only encoded, never decoded, so nothing in it can become a header."""

    name = "Subject"

    def fold(self, *, policy) -> str:
        from email.header import Header

        encoded = Header(str(self), header_name=self.name).encode(linesep=policy.linesep,
                                                                  maxlinelen=policy.max_line_length or 78)
        return f"{self.name}: {encoded}{policy.linesep}"


def build_email(rule: Rule, items: list[AlertItem], *, sender: str, to: list[str], prefix: str = "",
                tz: ZoneInfo | None = None) -> EmailMessage:
    """The alert mail. Header values are built as header objects (email.headerregistry) from one-line text, so a
    title holding CR/LF or `Bcc:` stays inside the Subject, RFC 2047-encoded, instead of adding headers."""
    message = EmailMessage()
    message["Subject"] = _Subject(subject_line(rule, items, prefix))
    message["From"] = mail_address(sender)
    message["To"] = [mail_address(address) for address in to]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="newsroom")
    message.set_content(render_text(rule, items, tz))
    message.add_alternative(render_html(rule, items, tz), subtype="html")
    return message


def _env_value(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value and value.strip() else None


def slack_url(settings: Settings, channel: SlackChannel) -> str:
    if channel.url_env:
        url = _env_value(channel.url_env)
        if not url:
            raise DeliveryError(f"Slack channel: environment variable {channel.url_env} (the webhook URL) is not set.")
        return url
    if settings.slack_webhook_url and settings.slack_webhook_url.get_secret_value():
        return settings.slack_webhook_url.get_secret_value()
    raise DeliveryError("Slack channel: set NEWSROOM_SLACK_WEBHOOK_URL or `url_env:` in config/alerts.yaml.")


def _post(url: str, body: bytes, headers: dict, timeout: float, what: str, shown: str | None = None) -> None:
    """POST; the acknowledgement is read up to 1 MB and 2 x timeout in all (a hostile receiver cannot exhaust
    memory or hold the run). `shown` names the URL in errors (default: the URL with its secrets masked)."""
    try:
        response = post_capped(url, content=body, headers={"Content-Type": "application/json", **headers},
                               timeout=timeout, follow_redirects=False, shown=shown or mask_url(url))
    except ReplyError as exc:
        if exc.status_code is not None and 200 <= exc.status_code < 300:
            # accepted: what the receiver does with its own reply after that is not our delivery (treated as a
            # failure, the same alert went out again on every run)
            log.warning("%s: the message was accepted; %s", what, exc)
            return
        raise DeliveryError(f"{what}: {exc}", unreachable=exc.status_code is None) from None
    except httpx.HTTPError as exc:
        unreachable = isinstance(exc, (httpx.TimeoutException, httpx.NetworkError))
        raise DeliveryError(f"{what}: request failed: {exc}", unreachable=unreachable) from exc
    if response.status_code >= 300:
        # a receiver rate-limiting us (429, or a 503 with Retry-After) refuses the run's other messages alike, and
        # each refused post counts against its limit: they wait for the next run, like a receiver that is down
        waiting = response.status_code == 429 or response.retry_after is not None
        raise DeliveryError(f"{what}: HTTP {response.status_code} {response.text[:200]!r}"
                            f"{_asked_wait(response.retry_after)}{_moved(url, response)}", unreachable=waiting)


def _moved(url: str, response) -> str:
    """Where a receiver answering a redirect points, by its origin only (a webhook's path may be its secret):
    redirects are not followed (the alert and its signature would go to another host), so the URL must change."""
    if not (300 <= response.status_code < 400 and response.location):
        return ""
    try:
        target = host_only(str(httpx.URL(url).join(response.location)))
    except (httpx.InvalidURL, ValueError, TypeError):
        target = "an address that is not a URL"
    return f"; it redirects to {target}, and redirects are not followed: configure the new address"


def _asked_wait(retry_after: str | None) -> str:
    from pipeline.fetch import RETRY_AFTER_CAP, parse_retry_after

    seconds = parse_retry_after(retry_after)
    if seconds is None:
        return ""
    wait = "a week or more" if seconds >= RETRY_AFTER_CAP else f"{seconds:.0f} s"
    return f"; asked to wait {wait} (Retry-After)"


def send_slack(settings: Settings, channel: SlackChannel, rule: Rule, items: list[AlertItem]) -> None:
    body = json.dumps(slack_payload(rule, items, zone(settings)), ensure_ascii=False).encode()
    url = slack_url(settings, channel)
    _post(url, body, {}, settings.alerts_timeout, "Slack webhook", shown=host_only(url))  # its path is the secret


def webhook_secret(settings: Settings, channel: WebhookChannel) -> str | None:
    if not channel.sign:
        return None
    if channel.secret_env:
        secret = _env_value(channel.secret_env)
        if not secret:
            raise DeliveryError(f"Webhook channel: environment variable {channel.secret_env} (the signing secret) "
                                "is not set.")
        return secret
    if settings.webhook_secret and settings.webhook_secret.get_secret_value():
        return settings.webhook_secret.get_secret_value()
    raise DeliveryError("Webhook channel: `sign: true` needs NEWSROOM_WEBHOOK_SECRET or `secret_env:`.")


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(settings: Settings, channel: WebhookChannel, rule: Rule, items: list[AlertItem]) -> None:
    url = channel.url
    if channel.url_env:
        url = _env_value(channel.url_env)
        if not url:
            raise DeliveryError(f"Webhook channel: environment variable {channel.url_env} (the URL) is not set.")
    body = json.dumps(webhook_payload(rule, items), ensure_ascii=False, default=str).encode()
    headers = {}
    secret = webhook_secret(settings, channel)
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    # a URL kept in the environment may carry its token in the path (Discord, Teams, Zapier): named by its host only
    shown = f"{host_only(url)} (${channel.url_env})" if channel.url_env else None
    _post(url, body, headers, settings.alerts_timeout, "Webhook", shown=shown)


def host_only(url: str) -> str:
    """A webhook URL named by its origin: Slack, Discord or Teams keep their secret in the path."""
    origin = httpx.URL(url)
    return f"{origin.scheme}://{origin.netloc.decode()}/…"


def message_parts(channel: Channel, items: list[AlertItem]) -> list[list[AlertItem]]:
    """One grouped/digest message as the channel can carry it: Slack shows at most SLACK_MAX_ITEMS items per
    message (50 blocks), so a longer message goes as several; e-mail and webhooks take it whole."""
    size = SLACK_MAX_ITEMS if isinstance(channel, SlackChannel) else max(1, len(items))
    return [items[start:start + size] for start in range(0, len(items), size)]


def send(settings: Settings, channel: Channel, rule: Rule, items: list[AlertItem]) -> str | None:
    """Deliver one message; a note when it went out only in part (see send_email)."""
    if isinstance(channel, EmailChannel):
        return send_email(settings, channel, rule, items)
    if isinstance(channel, SlackChannel):
        send_slack(settings, channel, rule, items)
    else:
        send_webhook(settings, channel, rule, items)
    return None


def describe_channel(channel: Channel) -> str:
    if isinstance(channel, EmailChannel):
        via = f" via Airflow Connection {channel.connection}" if channel.connection else ""
        return f"email to {', '.join(channel.to)}{via}"
    if isinstance(channel, SlackChannel):
        return f"Slack ({channel.url_env or 'NEWSROOM_SLACK_WEBHOOK_URL'})"
    target = mask_url(channel.url) if channel.url else "$" + str(channel.url_env)
    return f"webhook {target}" + (" (signed)" if channel.sign else "")
