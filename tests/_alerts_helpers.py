"""Local delivery receivers for the alert tests: an SMTP server (aiosmtpd) and rule files; real servers on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Keeps every accepted message; `fail = True` makes the server answer 451 to DATA (delivery refused); an address
    in `refuse` is answered 550 at RCPT (the others accepted)."""

    def __init__(self) -> None:
        self.messages = []
        self.fail = False
        self.logins: list[str] = []
        self.refuse: set[str] = set()
        self.max_recipients: int | None = None  # a relay's limit per message (RFC 5321 promises 100)
        self.fail_after: int | None = None  # refuse every message after this many (a relay that breaks mid-session)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd hook
        if address in self.refuse:
            return "550 5.1.1 no such user"
        if self.max_recipients is not None and len(envelope.rcpt_tos) >= self.max_recipients:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        if self.fail or (self.fail_after is not None and len(self.messages) >= self.fail_after):
            return "451 4.3.0 Temporarily unable to accept mail"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def bodies(self) -> list[tuple[str, str]]:
        """(plain text, html) of each message."""
        out = []
        for message in self.messages:
            plain = message.get_body(preferencelist=("plain",)).get_content()
            html = message.get_body(preferencelist=("html",)).get_content()
            out.append((plain, html))
        return out


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (IP SAN) and its key, so TLS is verified for real against it as the CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class SmtpServer:
    """aiosmtpd on 127.0.0.1; `tls="starttls"` (required before AUTH/MAIL) or `tls="ssl"` (implicit TLS)."""

    def __init__(self, user: str | None = None, password: str | None = None, tls: str | None = None,
                 cert: tuple[Path, Path] | None = None) -> None:
        self.sink = SmtpSink()
        self.port = free_port()
        kwargs: dict = {}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*cert)
            if tls == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        if user:
            def authenticator(server, session, envelope, mechanism, data):
                ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
                if ok:
                    self.sink.logins.append(user)
                return AuthResult(success=ok)

            kwargs.update(authenticator=authenticator, auth_require_tls=tls == "starttls", auth_required=True)  # implicit TLS: aiosmtpd cannot tell
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def write_rules(path: Path, rules: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"rules": rules}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def smtp_env(monkeypatch, server: SmtpServer, user: str | None = None, password: str | None = None) -> None:
    monkeypatch.setenv("NEWSROOM_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSROOM_SMTP_PORT", str(server.port))
    monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", "none")
    if user:
        monkeypatch.setenv("NEWSROOM_SMTP_USER", user)
        monkeypatch.setenv("NEWSROOM_SMTP_PASSWORD", password or "")


def alert_on_every_channel(client, tmp_path: Path, monkeypatch, httpserver, *, name: str = "negative coverage of Mistral AI",
                           max_sentiment: float = -0.1) -> tuple[str, str]:
    """Runs one Mistral AI tone rule to e-mail (local SMTP), Slack and a webhook (local receivers), checks all three
    were sent, and returns the mail's plain and HTML bodies (the receivers' requests stay in `httpserver.log`)."""
    from pipeline.alerts import run_alerts
    from pipeline.settings import load_settings

    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    rules = write_rules(tmp_path / "alerts.yaml", [{
        "name": name, "companies": ["Mistral AI"], "max_sentiment": max_sentiment,
        "channels": [{"type": "email", "to": ["desk@example.org"]}, {"type": "slack"},
                     {"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        report = run_alerts(load_settings(), client, rules_file=rules)
    assert report["sent"] == 3 and report["failed"] == 0
    return smtp.sink.bodies()[0]
