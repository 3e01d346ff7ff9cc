"""Pluggable sentence-level sentiment scorers.

Every scorer maps sentences to a polarity in [-1, 1]; document tone and per-company tone are
aggregated from those sentence scores by `pipeline.enrich.sentiment`, whatever the backend.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class SentenceScorer(Protocol):
    """A backend: `score(["sentence", ...], "fr") -> [-0.6, ...]`, one float in [-1, 1] per sentence."""

    name: str

    def score(self, sentences: list[str], lang: str) -> list[float]: ...
