"""The bundled sample news site (tests/fixtures/site) served on 127.0.0.1, for `make demo` and `make airflow-check`.

    python -m pipeline.demo            # serve it and run `newsroom ingest` on it (data under ./data/demo)
    python -m pipeline.demo --serve    # only serve it, until Ctrl-C

Everything stays on this machine: no network is needed, which makes it the first thing to try when no real feed
can be reached. The site is served on a fixed port (DEMO_PORT, 8742 unless the demo's data directory was filled from
another port): an article's id derives from its URL, port included, so a second `make demo` finds the same articles
already stored instead of storing every one again.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipeline.errors import ConfigError, NewsroomError
from pipeline.settings import PROJECT_ROOT

SITE_DIR = PROJECT_ROOT / "tests" / "fixtures" / "site"
_TEXT = {".xml", ".html", ".txt", ".opml", ".rss", ".atom"}
_FEED_TYPES = {".xml": "application/rss+xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml"}
# a page a server script writes (La Presse's `….php`, an ASP.NET site's `….aspx`) reaches readers as HTML, whatever its
# file's name: Python's guess (application/x-httpd-php, or none) made the fetcher skip it as no web page
_SCRIPT_PAGES = {".php", ".asp", ".aspx", ".jsp"}


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves `site_dir`, with {{BASE}} in its text files replaced by the server's own base URL (a directory's
    `index.html` too: a CMS's `/2026/12/slug/` permalink); each requested path is appended to `request_log` when
    there is one."""

    site_dir: Path = SITE_DIR
    base_url = ""
    request_log: list[str] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.site_dir), **kwargs)

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.request_log is not None:
            self.request_log.append(self.path)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.partition("?")[0].endswith("/"):
            path = path / "index.html"
        if not (path.is_file() and (path.suffix in _TEXT or path.suffix in _SCRIPT_PAGES or not path.suffix)):
            return super().do_GET()
        body = path.read_bytes().replace(b"{{BASE}}", self.base_url.encode())
        # a file without an extension is a CMS's clean URL (Drupal's /actualite/economie/slug): an HTML page
        ctype = _FEED_TYPES.get(path.suffix) or (self.guess_type(str(path)) if path.suffix
                                                 and path.suffix not in _SCRIPT_PAGES else "text/html")
        self.send_response(200)
        self.send_header("Content-Type", ctype if "charset" in ctype or not ctype.startswith("text/")
                         else ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


DEMO_PORT = 8742  # `make demo`'s port: fixed, so that the sample articles keep their ids from one demo to the next


def serve_site(site_dir: Path = SITE_DIR, *, request_log: list[str] | None = None,
               handler: type[SiteHandler] = SiteHandler, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start serving `site_dir` on 127.0.0.1:`port` (0: a free port) in a daemon thread ({{BASE}} filled in); stop
    with `server.shutdown()` and `server.server_close()`. Returns the server and its base URL."""
    served = type(handler.__name__, (handler,), {"site_dir": Path(site_dir), "request_log": request_log})
    server = ThreadingHTTPServer(("127.0.0.1", port), served)
    server.daemon_threads = True
    served.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, name="site", daemon=True).start()
    return server, served.base_url


def write_feeds_file(base_url: str, dest: Path, site_dir: Path = SITE_DIR, name: str = "feeds.yaml") -> Path:
    """The sample site's feeds file (`name`) with its base URL filled in, written to `dest` (a directory)."""
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / name
    out.write_text((site_dir / name).read_text(encoding="utf-8").replace("{{BASE}}", base_url), encoding="utf-8")
    return out


def demo_env(base: dict | None = None) -> dict:
    """Settings a run against the sample site needs: loopback allowed by the SSRF guard, no politeness delay."""
    env = dict(os.environ if base is None else base)
    env.setdefault("NEWSROOM_DATA_DIR", str(Path("data") / "demo"))
    env["NEWSROOM_FETCH_ALLOW_HOSTS"] = ",".join(filter(None, [env.get("NEWSROOM_FETCH_ALLOW_HOSTS"), "127.0.0.1"]))
    env["NEWSROOM_FETCH_HOST_DELAY"] = "0"
    return env


def earlier_port(feeds_file: Path) -> int | None:
    """The port the sample site had when an earlier demo filled this data directory (its feeds file names it)."""
    try:
        match = re.search(r"http://127\.0\.0\.1:(\d{1,5})/", feeds_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return int(match.group(1)) if match and 0 < int(match.group(1)) < 65536 else None


def serve_demo(feeds_file: Path, port: int | None = None) -> tuple[ThreadingHTTPServer, str]:
    """The sample site for a demo run whose feeds file is `feeds_file`: on `port`, else on the port of the earlier
    runs into the same data directory, else on DEMO_PORT, so that the articles keep their URLs, hence their ids (a
    new port each time stored every article again: every count doubled). A ConfigError sentence when it is busy."""
    port = port or earlier_port(feeds_file) or DEMO_PORT
    try:
        return serve_site(port=port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise ConfigError(f"port {port} of 127.0.0.1, where the demo serves its sample site, is in use (another "
                          "demo still running?): stop that program, or choose another port with "
                          "`make demo DEMO_PORT=N` (the sample articles are then stored again, under new URLs)."
                          ) from None


def closing_hint(data: str, newsroom: Path) -> str:
    """What to try after the demo, with the venv's `newsroom` as a path that runs as pasted (it is not on PATH):
    relative to the current directory when it lies below it (`.venv/bin/newsroom`), else absolute."""
    import shlex

    try:
        relative = os.path.relpath(newsroom)
    except ValueError:  # another drive
        relative = os.pardir
    shown = str(newsroom) if relative.startswith(os.pardir) else relative
    if os.sep not in shown:
        shown = os.path.join(os.curdir, shown)
    shown = shlex.quote(shown)
    return (f"Done. Try: NEWSROOM_DATA_DIR={shlex.quote(data)} {shown} search souveraineté\n"
            f"(its embedded store keeps running: NEWSROOM_DATA_DIR={shlex.quote(data)} {shown} store down)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="Only serve the site until Ctrl-C.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT") or 0) or None,
                        help=f"Port of the sample site (default: the earlier demo's, else {DEMO_PORT}).")
    args = parser.parse_args(argv)
    env = demo_env()
    config = Path(env["NEWSROOM_DATA_DIR"]) / "config"
    try:
        server, base = serve_demo(config / "feeds.yaml", args.port)
    except NewsroomError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        return 1
    try:
        if args.serve:
            print(f"sample site on {base} (feeds: {base}/feeds/fr-tech.xml, …); Ctrl-C to stop", flush=True)
            threading.Event().wait()
        feeds = write_feeds_file(base, config)
        print(f"sample site on {base}; ingesting its 3 feeds into {env['NEWSROOM_DATA_DIR']} …", flush=True)
        newsroom = Path(sys.executable).with_name("newsroom")
        code = subprocess.call([str(newsroom), "ingest", "--feeds", str(feeds)], env=env)
        if code == 0:
            print(closing_hint(env["NEWSROOM_DATA_DIR"], newsroom), flush=True)
        return code
    except KeyboardInterrupt:
        return 130
    finally:
        server.shutdown()


if __name__ == "__main__":
    raise SystemExit(main())
