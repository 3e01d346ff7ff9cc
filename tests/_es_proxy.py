"""A loopback proxy in front of the ES stand-in that adds the ILM API the stand-in lacks, in a chosen mode.

Real clusters can have ILM STOPPED (by an operator, during an upgrade); the stand-in has no ILM at all. This proxy
answers `_ilm/*` like a cluster whose ILM is in `mode`, and forwards everything else to the stand-in, unchanged unless
`replies` says how to rewrite a reply's bytes (what a real cluster returns and the stand-in refuses to store, such as
the lone surrogate escape `\\ud800` Elasticsearch accepts in a document and returns as written); paths ending as in
`refused` are answered 400, as by a cluster without that API (`/_pit`: no point in time), and `asks` rewrites a
request's body on its way (a store misreading part of it).
"""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class IlmProxy:
    def __init__(self, upstream: str, mode: str = "STOPPED", replies=None, refused: tuple[str, ...] = (),
                 asks=None) -> None:
        target = urlsplit(upstream)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                path = self.path.split("?", 1)[0]
                proxy.record(self.command, path, body)
                if path.endswith(proxy.refused):  # an API this cluster lacks (a proxy's allow-list, an older server)
                    data = json.dumps({"error": {"type": "illegal_argument_exception", "reason": f"no handler for "
                                                 f"{path}"}, "status": 400}).encode()
                    return self._answer(400, data, [("Content-Type", "application/json"),
                                                    ("X-Elastic-Product", "Elasticsearch")])
                if path.startswith("/_ilm/") or "/_ilm/" in path:
                    proxy.ilm_calls.append(f"{self.command} {path}")
                    answer = {"operation_mode": proxy.mode} if path == "/_ilm/status" else {"acknowledged": True}
                    data = json.dumps(answer).encode()
                    return self._answer(200, data, [("Content-Type", "application/json"),
                                                    ("X-Elastic-Product", "Elasticsearch")])
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                if proxy.asks is not None and body:  # a request rewritten on its way, as a store misreading it
                    body = proxy.asks(body)
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if proxy.replies is not None:
                    data = proxy.replies(data)
                self._answer(response.status, data, response.getheaders())
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.mode = mode
        self.replies = replies
        self.refused = refused  # path endings answered 400, as a cluster without that API answers
        self.asks = asks  # request body bytes → the bytes forwarded
        self.ilm_calls: list[str] = []
        self.requests: list[tuple[str, str, object]] = []  # (method, path, JSON body or None): every request seen
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def record(self, method: str, path: str, body: bytes | None) -> None:
        """Keep each JSON request body (a bulk body's NDJSON lines are kept as None: documents, not request shapes)."""
        try:
            parsed = json.loads(body) if body and not path.endswith("/_bulk") else None
        except ValueError:
            parsed = None
        self.requests.append((method, path, parsed))

    def __enter__(self) -> IlmProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
