"""A local HTTP server that answers badly on purpose: like Elasticsearch but is not, too much, or too slowly.

Modes: `fake-es` answers every request with `{"version": ...}` and Elastic's product header (a stranger on a stale
port); `huge` streams `size` bytes of a JSON-looking body on a 200; `drip` sends one byte every 0.2 s, forever;
`dies` answers `GET /` like `fake-es` and drops every other request unanswered (a store crashing on a query).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ReplyServer:
    def __init__(self, mode: str, size: int = 0) -> None:
        self.mode, self.size, self.requests = mode, size, []
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
                try:
                    getattr(owner, "_" + owner.mode.replace("-", "_"))(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what a capped reader does

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
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

    def __enter__(self) -> ReplyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
