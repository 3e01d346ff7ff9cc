"""Near-duplicate detection: the same wire story published under several URLs/titles gets one `cluster_id`.

MinHash (datasketch) over word 3-shingles of the text, LSH for candidate lookup. No local state file: each
article document stores its signature (`minhash`, base64 of 64 uint32, not indexed), and a run rebuilds the LSH
from the signatures of the articles first seen in the last `dedup_window_days` days. That survives kill -9,
works when Airflow runs tasks on different workers, and costs one scan of small fields at start-up (~256 bytes
per article; a few seconds for 100k articles).
"""

from __future__ import annotations

import base64
import logging
import re
from collections import Counter

import numpy as np
from datasketch import MinHash, MinHashLSH
from elasticsearch import Elasticsearch, helpers

from pipeline.settings import Settings
from pipeline.store.templates import index_names

log = logging.getLogger(__name__)

NUM_PERM = 64
SHINGLE = 3
THRESHOLD = 0.7  # estimated Jaccard similarity of shingle sets above which two texts are one story
_SEED = 1
_SCHEME = "affine32"  # datasketch >= 2.0: 32-bit values, which is what the `minhash` field stores
_WORD = re.compile(r"\w+", re.UNICODE)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations  # computed once, shared by every MinHash


def _shingles(text: str) -> list[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return [" ".join(words).encode()] if words else [b""]
    return [" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)]


def _minhash(text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    mh.update_batch(_shingles(text))
    return mh


def signature(text: str) -> str:
    """Base64 of the MinHash values (uint32): what the `minhash` field of an article stores."""
    return base64.b64encode(_minhash(text).hashvalues.astype("<u4").tobytes()).decode()


def _from_signature(sig: str) -> MinHash:
    values = np.frombuffer(base64.b64decode(sig), dtype="<u4").astype(np.uint32)
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, permutations=_PERMUTATIONS, scheme=_SCHEME)


# A story's articles looked up for each new text. Copies of one text with a word changed each (`… story 1`, `… story
# 2`) all collide in the LSH's bands, so each new one was compared with all the earlier ones: 4,000 took 21 s of CPU,
# and every later run paid again for those rebuilt from the store. Past this many, a story's further articles are
# clustered but not looked up: a new text is compared with the first 50 copies of a story, which a real wire story's
# copies (a few dozen sites in a week) do not reach.
MAX_LOOKED_UP = 50


class NearDuplicateIndex:
    """Assigns cluster ids: the cluster of the most similar earlier article, else the article's own id."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._cluster: dict[str, str] = {}
        self._hashes: dict[str, np.ndarray] = {}  # the LSH's articles: one per distinct signature
        # signature → its first article, the one looked up. Articles of one text (a feed giving every item the same
        # summary, a site answering every link with the same page) share a signature: the LSH returned each of them
        # for each new one, and each was compared (4,000 such articles: 21 s of CPU). Another article of the same
        # signature is as similar to any text as the first, so only the first is looked up.
        self._first: dict[str, str] = {}
        self._looked_up: Counter[str] = Counter()  # cluster → its articles in the LSH


    def __len__(self) -> int:
        return len(self._cluster)

    def add(self, article_id: str, sig: str, cluster_id: str | None = None) -> None:
        if article_id in self._cluster:
            return
        cluster = self._cluster[article_id] = cluster_id or article_id
        if self._first.setdefault(sig, article_id) != article_id or self._looked_up[cluster] >= MAX_LOOKED_UP:
            return
        self._looked_up[cluster] += 1
        mh = _from_signature(sig)
        self._lsh.insert(article_id, mh)
        self._hashes[article_id] = mh.hashvalues

    def assign(self, article_id: str, text: str) -> str:
        """Cluster id for this article (and remember it for the next ones)."""
        return self.assign_with_signature(article_id, text)[0]

    def assign_with_signature(self, article_id: str, text: str) -> tuple[str, str]:
        """Cluster id and MinHash signature of this article: the signature is computed here once, and the
        indexer stores it as is (`EnrichedArticle.minhash`)."""
        sig = signature(text)
        if article_id in self._cluster:
            return self._cluster[article_id], sig
        if len(_WORD.findall(text)) < SHINGLE:  # not one shingle: "", "…", "📷", "Vidéo" read as one same text, so
            self._cluster[article_id] = article_id  # every such item of every feed was one story; its own cluster
            return article_id, sig
        if (same := self._first.get(sig)) is not None:  # the most similar there is
            self.add(article_id, sig, self._cluster[same])
            return self._cluster[same], sig
        mh = _from_signature(sig)
        candidates = self._lsh.query(mh)
        best = None
        if candidates:  # MinHash.jaccard of each, in one array operation: the share of equal values
            shared = (np.stack([self._hashes[c] for c in candidates]) == mh.hashvalues).sum(axis=1)
            last = len(candidates) - 1 - int(np.argmax(shared[::-1]))  # the last most similar, as before
            if shared[last] / NUM_PERM >= self.threshold:
                best = candidates[last]
        cluster = self._cluster[best] if best else article_id
        self.add(article_id, sig, cluster)
        return cluster, sig

    @classmethod
    def from_store(cls, client: Elasticsearch, settings: Settings, days: int | None = None) -> NearDuplicateIndex:
        """Rebuild from the signatures of recently first-seen articles (empty if the index does not exist yet)."""
        index = cls()
        days = settings.dedup_window_days if days is None else days
        alias = index_names(settings.es_index_prefix)["articles"]
        if not client.indices.exists_alias(name=alias):
            return index
        hits = helpers.scan(
            client,
            index=alias,
            query={"query": {"range": {"first_seen_at": {"gte": f"now-{days}d"}}}},
            _source=["minhash", "cluster_id"],
            size=2000,
        )
        for hit in hits:
            src = hit.get("_source") or {}
            if src.get("minhash"):
                index.add(hit["_id"], src["minhash"], src.get("cluster_id"))
        log.info("near-duplicate index rebuilt from %d recent articles", len(index))
        return index
