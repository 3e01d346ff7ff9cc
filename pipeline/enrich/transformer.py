"""Optional sentence scorer backed by a Hugging Face sequence-classification model.

Sentiment models disagree on how they name their classes (negative/neutral/positive, NEG/POS, LABEL_0..2,
"1 star".."5 stars", "Very Negative".."Very Positive"). Each class is given a polarity in [-1, 1] and a sentence
scores the expected polarity under the model's probabilities, so for a 3-class model it is P(positive) − P(negative)
and for a star model the mean rating mapped onto [-1, 1]. A scheme we cannot read is refused rather than guessed.

torch and transformers are imported only when a scorer is built: the lexicon default must stay cheap to import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from pipeline.errors import ModelError

INSTALL_HINT = "pip install 'newsroom[transformers]'"

_NAMED_POLARITY = {
    "negative": -1.0, "neg": -1.0,
    "neutral": 0.0, "neu": 0.0,
    "positive": 1.0, "pos": 1.0,
}
_FIVE_POINT = {  # SST-5 style names
    "very negative": -1.0, "negative": -0.5, "neutral": 0.0, "positive": 0.5, "very positive": 1.0,
}
_GENERIC_BY_COUNT = {2: [-1.0, 1.0], 3: [-1.0, 0.0, 1.0]}  # LABEL_i: the usual order neg < (neu) < pos
_STARS = re.compile(r"^(\d+)\s*stars?$")
_GENERIC = re.compile(r"^label_(\d+)$")
_OFFSET_POSITIONS = {"roberta", "xlm-roberta", "xlm-roberta-xl", "camembert"}


def label_polarities(id2label: Mapping[int, str], model: str = "the model") -> list[float]:
    """Polarity of each class id, in id order; ModelError naming the model and its labels if unrecognised."""
    ids = sorted(int(i) for i in id2label)
    names = [" ".join(str(id2label[i]).replace("_", " ").split()).lower() for i in ids]
    shown = ", ".join(repr(str(id2label[i])) for i in ids)
    if ids != list(range(len(ids))):
        raise ModelError(f"Sentiment model {model}: class ids {ids} are not 0..{len(ids) - 1} (labels: {shown}).")

    if len(names) == 5 and set(names) == set(_FIVE_POINT):
        return [_FIVE_POINT[n] for n in names]
    if names and all(n in _NAMED_POLARITY for n in names):
        values = [_NAMED_POLARITY[n] for n in names]
        if -1.0 in values and 1.0 in values and len(set(values)) == len(values):
            return values
    stars = [_STARS.match(n) for n in names]
    if len(names) >= 2 and all(stars):
        ratings = [int(m.group(1)) for m in stars]
        low, high = min(ratings), max(ratings)
        if len(set(ratings)) == len(ratings) and high > low:
            return [2.0 * (r - low) / (high - low) - 1.0 for r in ratings]
    generic = [_GENERIC.match(n.replace(" ", "_")) for n in names]
    if all(generic) and [int(m.group(1)) for m in generic] == ids and len(ids) in _GENERIC_BY_COUNT:
        return list(_GENERIC_BY_COUNT[len(ids)])
    raise ModelError(
        f"Sentiment model {model} has labels {shown}, which newsroom cannot map to a polarity. "
        "Supported schemes: negative/neutral/positive (or neg/neu/pos), very negative..very positive, "
        "'1 star'..'5 stars', and LABEL_0..LABEL_2 (or LABEL_0/LABEL_1) read as negative..positive. "
        "Choose another model with NEWSROOM_SENTIMENT_MODEL."
    )


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", "./", "../", "~", ".\\", "..\\")) or Path(model).is_absolute()


def _offline() -> bool:
    # Read at call time: huggingface_hub reads these only when it is first imported.
    return any(os.environ.get(v, "").strip().lower() in {"1", "true", "yes", "on"}
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


class TransformerScorer:
    """`SentenceScorer` running a sequence-classification model; the model is loaded once, at construction."""

    def __init__(self, model: str, batch_size: int = 16, max_length: int = 256, device: str = "cpu"):
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise ModelError(
                f"The transformers sentiment backend needs torch and transformers ({exc.name or exc} is missing): "
                f"{INSTALL_HINT}, or set NEWSROOM_SENTIMENT_BACKEND=lexicon."
            ) from exc

        self.model_name = model
        self.name = f"transformers:{model}"
        self.batch_size = max(1, int(batch_size))
        self._torch = torch
        self._tokenizer, self._model = self._load(transformers, model)
        try:
            self._device = torch.device(device)
            self._model.to(self._device).eval()
        except (RuntimeError, AssertionError) as exc:  # unknown device name, or CUDA/MPS not available
            raise ModelError(f"Cannot run sentiment model {model} on device {device!r}: {exc}. "
                             "Use device='cpu'.") from exc
        self._polarities = torch.tensor(label_polarities(self._model.config.id2label, model), dtype=torch.float32)
        self.max_length = self._usable_length(max_length)
        if self._tokenizer.pad_token is None and self._tokenizer.eos_token is not None:
            self._tokenizer.pad_token = self._tokenizer.eos_token
        self._can_pad = self._tokenizer.pad_token is not None
        if self._can_pad and getattr(self._model.config, "pad_token_id", None) is None:
            self._model.config.pad_token_id = self._tokenizer.pad_token_id

    @staticmethod
    def _load(transformers, model: str):
        path = Path(model).expanduser()
        if path.is_dir():
            attempts = [dict(local_files_only=True)]
            source = str(path)
        elif _looks_like_path(model):
            raise ModelError(f"Sentiment model directory {model} does not exist. Set NEWSROOM_SENTIMENT_MODEL to a "
                             "directory saved with save_pretrained() or to a Hugging Face model name.")
        else:
            source = model
            # The local cache first, so an already-downloaded model never waits on the network.
            attempts = [dict(local_files_only=True)] + ([] if _offline() else [dict(local_files_only=False)])
        errors = []
        bars = transformers.utils.logging.is_progress_bar_enabled()
        transformers.utils.logging.disable_progress_bar()  # a per-load bar would garble the CLI's own progress
        try:
            for kwargs in attempts:
                try:
                    tokenizer = transformers.AutoTokenizer.from_pretrained(source, **kwargs)
                    classifier = transformers.AutoModelForSequenceClassification.from_pretrained(source, **kwargs)
                    return tokenizer, classifier
                except Exception as exc:  # OSError, ValueError, hub/HTTP errors: all mean "cannot load this model"
                    first_line = (str(exc).strip().splitlines() or [""])[0]
                    errors.append(f"{type(exc).__name__}: {first_line}")
        finally:
            if bars:
                transformers.utils.logging.enable_progress_bar()
        where = "from that directory" if path.is_dir() else (
            "from the local Hugging Face cache (offline mode)" if _offline() else
            "from the local Hugging Face cache or by downloading it")
        raise ModelError(
            f"Cannot load sentiment model {model} {where} ({errors[-1]}). Set NEWSROOM_SENTIMENT_MODEL to a local "
            "directory saved with save_pretrained(), or to a model name reachable from this machine "
            "(or use NEWSROOM_SENTIMENT_BACKEND=lexicon)."
        )

    def _usable_length(self, requested: int) -> int:
        """The requested length, capped by what the model's position embeddings and tokenizer allow."""
        limits = [int(requested)]
        config = self._model.config
        positions = getattr(config, "max_position_embeddings", None)
        if isinstance(positions, int) and positions > 0:
            if config.model_type in _OFFSET_POSITIONS:  # position ids start after the padding id (514 → 512 tokens)
                positions -= (getattr(config, "pad_token_id", None) or 0) + 1
            limits.append(positions)
        tokenizer_limit = getattr(self._tokenizer, "model_max_length", None)
        if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < 1_000_000:
            limits.append(tokenizer_limit)
        return max(2, min(limits))

    def score(self, sentences: list[str], lang: str) -> list[float]:
        """`lang` is unused: the model is expected to cover the languages it is given."""
        if not sentences:
            return []
        torch = self._torch
        # Similar lengths in a batch waste less padding; results go back in input order.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        size = self.batch_size if self._can_pad else 1
        scores = [0.0] * len(sentences)
        with torch.inference_mode():
            for start in range(0, len(order), size):
                chunk = order[start:start + size]
                encoded = self._tokenizer([sentences[i] or " " for i in chunk], padding=self._can_pad,
                                          truncation=True, max_length=self.max_length, return_tensors="pt")
                encoded = {k: v.to(self._device) for k, v in encoded.items()}
                logits = self._model(**encoded).logits.float().cpu()
                polarity = torch.softmax(logits, dim=-1) @ self._polarities
                for i, value in zip(chunk, polarity.clamp(-1.0, 1.0).tolist()):
                    scores[i] = float(value)
        return scores
