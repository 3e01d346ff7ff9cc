"""Shared fixtures: isolated settings, the Elasticsearch stand-in, a local fixture website, ../shared data.

Every server started here binds 127.0.0.1 and is stopped by the fixture itself.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from pipeline.demo import serve_site, write_feeds_file
from pipeline.store.embedded import EmbeddedStore

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE_DIR = FIXTURES / "site"
SHARED_DIR = Path(os.environ.get("NEWSROOM_SHARED_DIR", REPO_ROOT.parent / "shared"))

# A real cluster given by the user is kept aside for the `real_es_url` fixture only; every other test
# runs on its own stand-in so it can never touch a user's data.
REAL_ES_URL = os.environ.pop("NEWSROOM_ES_URL", None)
for _key in [k for k in os.environ if k.startswith("NEWSROOM_") and k != "NEWSROOM_SHARED_DIR"]:
    os.environ.pop(_key)
# Tests that run the CLI in a subprocess (`python -m pipeline`, from a temporary directory) run this checkout's code,
# not whichever copy is installed in the environment (an editable install of another worktree).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """A test that bounds the CPU time of hostile input (it reads `time.process_time`) runs with the heap left by
    earlier tests frozen: late in the suite a full garbage collection of that heap (about 1.5 s for 15 million
    objects) could fall inside the measured span and fail a 1 s bound that the code under test meets 50 times over."""
    function = getattr(item, "function", None)
    if function is None or "process_time" not in function.__code__.co_names:
        return (yield)
    gc.freeze()
    try:
        return (yield)
    finally:
        gc.unfreeze()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data directory, loopback allowed by the SSRF guard, no politeness wait."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NEWSROOM_FETCH_ALLOW_HOSTS", "127.0.0.1,localhost")
    monkeypatch.setenv("NEWSROOM_FETCH_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSROOM_FETCH_BACKOFF_BASE", "0.05")
    monkeypatch.chdir(tmp_path)  # so a stray .env or ./data of the repo is never read
    from pipeline.settings import get_settings

    get_settings.cache_clear()
    return data_dir


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared is absent ({SHARED_DIR}): test data for this test is not available")
    return SHARED_DIR


@pytest.fixture(scope="session")
def es_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Elasticsearch stand-in on 127.0.0.1 and a free port, for the whole session."""
    store = EmbeddedStore(tmp_path_factory.mktemp("es-standin"))
    url = store.up()
    try:
        yield url
    finally:
        store.down()


@pytest.fixture
def es_url(es_server: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """Stand-in URL with a per-test index prefix, so tests never see each other's documents."""
    prefix = "t" + format(abs(hash(request.node.nodeid)) % 10**10, "010d")
    monkeypatch.setenv("NEWSROOM_ES_URL", es_server)
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", prefix)
    return es_server


@pytest.fixture
def real_es_url(monkeypatch: pytest.MonkeyPatch) -> str:
    if not REAL_ES_URL:
        pytest.skip("needs a real Elasticsearch cluster (feature missing from the stand-in): set NEWSROOM_ES_URL")
    monkeypatch.setenv("NEWSROOM_ES_URL", REAL_ES_URL)
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", "newsroom-test")
    return REAL_ES_URL


class FixtureSite:
    def __init__(self, base_url: str, request_log: list[str]):
        self.base_url = base_url
        self.requests = request_log

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def feeds_file(self, dest: Path, name: str = "feeds.yaml") -> Path:
        """tests/fixtures/site/feeds.yaml with {{BASE}} filled in, written to `dest`."""
        return write_feeds_file(self.base_url, dest, SITE_DIR, name)


@pytest.fixture
def fixture_site() -> Iterator[FixtureSite]:
    """The project's own small news website (feeds + FR/EN article pages) on 127.0.0.1."""
    log: list[str] = []
    server, base_url = serve_site(SITE_DIR, request_log=log)
    try:
        yield FixtureSite(base_url, log)
    finally:
        server.shutdown()
        server.server_close()
