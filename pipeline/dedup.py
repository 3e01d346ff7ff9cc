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


class NearDuplicateIndex:
    """Assigns cluster ids: the cluster of the most similar earlier article, else the article's own id."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._cluster: dict[str, str] = {}
        self._hashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._cluster)

    def add(self, article_id: str, sig: str, cluster_id: str | None = None) -> None:
        if article_id in self._cluster:
            return
        mh = _from_signature(sig)
        self._lsh.insert(article_id, mh)
        self._hashes[article_id] = mh
        self._cluster[article_id] = cluster_id or article_id

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
        mh = _from_signature(sig)
        best, best_sim = None, self.threshold
        for candidate in self._lsh.query(mh):
            sim = mh.jaccard(self._hashes[candidate])
            if sim >= best_sim:
                best, best_sim = candidate, sim
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
