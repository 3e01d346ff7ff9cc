"""A local HTTP server that answers badly on purpose: like Elasticsearch but is not, too much, or too slowly.

Modes: `fake-es` answers every request with `{"version": ...}` and Elastic's product header (a stranger on a stale
port); `huge` streams `size` bytes of a JSON-looking body on a 200; `drip` sends one byte every 0.2 s, forever;
`drip-status` sends its status line and headers that way (no status is ever complete);
`dies` answers `GET /` like `fake-es` and drops every other request unanswered (a store crashing on a query).

Servers that are not Elasticsearch at all, or a secured one refusing us: `html` (an ordinary web server: an HTML
page on `/`, 404 elsewhere, 501 to PUT/POST), `json-empty` (a JSON API answering `{}` to everything), `auth401`
(security on, no or bad credentials), `forbidden403` (`GET /` answers like Elasticsearch 8.15, every other request
403: a key lacking privileges), `redirect` (302 to /app/home, like a Kibana URL). `cert=(cert, key)` serves TLS.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ReplyServer:
    def __init__(self, mode: str, size: int = 0, cert: tuple | None = None) -> None:
        self.mode, self.size, self.requests, self.authorization = mode, size, [], []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                owner.requests.append(f"{self.command} {self.path}")
                owner.authorization.append(self.headers.get("Authorization"))
                try:
                    getattr(owner, "_" + owner.mode.replace("-", "_"))(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what a capped reader does

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if cert else 'http'}://127.0.0.1:{self.server.server_address[1]}"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _fake_es(self, handler: BaseHTTPRequestHandler) -> None:
        body = json.dumps({"version": {"number": "8.15.0"}, "tagline": "You Know, for Search"}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("X-Elastic-Product", "Elasticsearch")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "application/json",
              headers: dict | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    def _html(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.command in ("PUT", "POST"):
            return self._send(handler, 501, b"<!DOCTYPE HTML><html><title>Error response</title></html>", "text/html")
        if handler.path == "/":
            return self._send(handler, 200, b"<!DOCTYPE html><html><body>Welcome</body></html>", "text/html")
        self._send(handler, 404, b"<!DOCTYPE HTML><html><title>404 Not Found</title></html>", "text/html")

    def _json_empty(self, handler: BaseHTTPRequestHandler) -> None:
        self._send(handler, 200, b"{}", headers={"X-Elastic-Product": "Elasticsearch"})

    @staticmethod
    def _security_error(status: int, reason: str) -> bytes:
        error = {"root_cause": [{"type": "security_exception", "reason": reason}], "type": "security_exception",
                 "reason": reason}
        return json.dumps({"error": error, "status": status}).encode()

    def _auth401(self, handler: BaseHTTPRequestHandler) -> None:
        self._send(handler, 401, self._security_error(401, f"missing authentication credentials for REST request "
                                                           f"[{handler.path}]"),
                   headers={"WWW-Authenticate": 'Basic realm="security"', "X-Elastic-Product": "Elasticsearch"})

    def _forbidden403(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path == "/":
            return self._fake_es(handler)
        self._send(handler, 403, self._security_error(403, "action [indices:admin/create] is unauthorized for API "
                                                           "key id [abc] of user [newsroom]"),
                   headers={"X-Elastic-Product": "Elasticsearch"})

    def _redirect(self, handler: BaseHTTPRequestHandler) -> None:
        self._send(handler, 302, b"", headers={"Location": "/app/home"})

    def _dies(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path == "/":
            return self._fake_es(handler)
        handler.close_connection = True  # no status line at all: the client sees RemoteDisconnected

    def _huge(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(self.size))
        handler.end_headers()
        handler.wfile.write(b'{"x":"')
        block = b"A" * 65536
        sent = 6
        while sent < self.size:
            part = block[: self.size - sent]
            handler.wfile.write(part)
            sent += len(part)

    def _drip(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "100000000")
        handler.end_headers()
        handler.wfile.flush()
        while True:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.2)

    def _drip_status(self, handler: BaseHTTPRequestHandler) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:  # never reaches the end of its headers
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.2)

    def __enter__(self) -> ReplyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
