"""Train the tone model (`make train-tone`) from labelled items in the gold format (../shared/gold/LABELLING.md).

Same data, same model: the folds and the solver are deterministic, the file is written with sorted keys and a
fixed gzip time stamp, and it records the data (file names, sha256, item counts) and the command that made it.
Analysts' corrections (`newsroom tone export`) are one more file in the same format: `EXTRA=corrections.jsonl`.
An exported item lists in `corrected` which of its labels the analysts gave (`"document"`, company names); only
those train: the others are the model's own labels, and learning them back would teach the model its own errors.
Items written for training (`pipeline/enrich/training/`, docs/tone.md) come in five kinds: `written-*` (articles of
70–230 words, and briefs on negation, irony and quoted claims) train the document model only, since their company
labels cost the company model accuracy on the shared folds; `short-*` (two-to-four-sentence briefs, and the openings of
op-eds: a headline and the first 60–200 words) train both models, since short text is where the company model was
weakest and they raise its accuracy on the shared folds and on each shared file held out, and the openings take a
third of the folds' reversals away without costing real news; `long-*` (whole articles of 500–900 words) train both models too, since the labelled
items are excerpts and a model that learnt only from excerpts read full articles far worse; `news-*` (real press
excerpts double-labelled blind, then rewritten in other words so that they can ship) train both models, since real
copy tells tone by facts stated flatly, which written items rarely do; `companies-*` (news
copy written around whose stakes a fact serves) train the company model only, since they raise its accuracy on real
news while their document labels cost the document model on the shared folds.

    python -m pipeline.enrich.train_tone --gold ../shared/gold/train-fr.jsonl ... --output pipeline/enrich/weights/tone.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.enrich.embeddings import ENCODER
from pipeline.enrich.tone import (EMBED_SCALE, LABELS, MIN_CONFIDENCE, MODEL_FORMAT, MODEL_PATH, ToneInputs,
                                 tone_features)
from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

DOCUMENT = "document"  # in an analysts' export's `corrected`: the document tone (pipeline.corrections.DOCUMENT)

SEED = 13
C_DOCUMENT = 1.0  # inverse regularisation strength, chosen by cross-validation (benchmarks/eval_tone.py; docs/tone.md)
C_COMPANY = 1.0
REQUIRED = ("id", "lang", "text", "sentiment")
TRAINING_DIR = Path(__file__).parent / "training"


@dataclass(frozen=True)
class Kind:
    """One kind of training file (`{name}-*.jsonl` in TRAINING_DIR) and the models its labels train."""

    name: str  # the file prefix and the command-line option
    description: str
    document: bool = True
    company: bool = True

    @property
    def files(self) -> list[Path]:
        return sorted(TRAINING_DIR.glob(f"{self.name}-*.jsonl"))

    @property
    def trains(self) -> str:
        return "both models" if self.document and self.company else (
            "the document model only" if self.document else "the company model only")


# In reading order (the order fixes the model's bytes); why each trains what it does: the module docstring.
KINDS = (
    Kind("short", "short items"),
    Kind("long", "whole articles"),
    Kind("news", "rewritten news"),
    Kind("written", "written items", company=False),
    Kind("companies", "company items", document=False),
)


def add_kind_options(parser: argparse.ArgumentParser, scored: str = "") -> None:
    """One option per kind (`--short FILE…`), defaulting to the kind's files in the repository."""
    for kind in KINDS:
        parser.add_argument(f"--{kind.name}", type=Path, nargs="*", default=kind.files,
                            help=f"{kind.description} for training, {kind.trains}{scored} (default: the "
                                 f"{len(kind.files)} files pipeline/enrich/training/{kind.name}-*.jsonl)")


def kind_files(args: argparse.Namespace) -> dict[Kind, list[Path]]:
    return {kind: list(getattr(args, kind.name)) for kind in KINDS}


def read_training(paths: Iterable[Path], kinds: dict[Kind, list[Path]] | None = None) -> list[dict]:
    """`paths` (labelled files for both models) then each kind's files, each training the models its kind says."""
    kinds = {kind: kind.files for kind in KINDS} if kinds is None else kinds
    return read_items([*paths, *(p for files in kinds.values() for p in files)],
                      document_only=[p for k, files in kinds.items() if not k.company for p in files],
                      company_only=[p for k, files in kinds.items() if not k.document for p in files])


@dataclass
class Example:
    """One labelled item, analysed once: the document row and one row per labelled company found in it."""

    item: dict
    inputs: ToneInputs | None
    document: dict[str, float] = field(default_factory=dict)
    companies: dict[str, dict[str, float]] = field(default_factory=dict)  # found by the linker and labelled


def read_items(paths: Iterable[Path], *, document_only: Iterable[Path] = (),
               company_only: Iterable[Path] = ()) -> list[dict]:
    """Gold-format lines; a bad line is named by file and line number. The items of the `document_only` files (the
    written items) train the document model and not the company model; those of `company_only` the reverse."""
    document_only, company_only = set(document_only), set(company_only)
    items: list[dict] = []
    seen: set[str] = set()
    for path in paths:
        repeated: list[str] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"Cannot read labelled file {path}: {exc.strerror or exc}.") from None
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{lineno}: not a JSON object ({exc.msg}).") from None
            missing = [k for k in REQUIRED if not item.get(k)] if isinstance(item, dict) else list(REQUIRED)
            if missing:
                raise ConfigError(f"{path}:{lineno}: missing field(s) {', '.join(missing)}.")
            labels = [item["sentiment"], *(item.get("entity_sentiment") or {}).values()]
            if any(label not in LABELS for label in labels):
                raise ConfigError(f"{path}:{lineno}: a tone label is not one of {', '.join(LABELS)}.")
            corrected = item.get("corrected")
            if corrected is not None and (not isinstance(corrected, list)
                                          or not all(isinstance(c, str) for c in corrected)):
                raise ConfigError(f"{path}:{lineno}: 'corrected' is not a list of label names "
                                  f"(\"{DOCUMENT}\" and/or company names).")
            if item["id"] in seen:
                repeated.append(str(item["id"]))
                continue  # the same item in two files (a correction of a gold item): the first file wins
            seen.add(item["id"])
            item["_file"] = path.name
            item["_document_only"] = path in document_only
            item["_company_only"] = path in company_only
            items.append(item)
        if repeated:  # said, never silent: two files made apart may reuse ids ("fr-001") for different texts
            shown = ", ".join(repeated[:3]) + (", …" if len(repeated) > 3 else "")
            log.warning("%s: %d item(s) skipped because an earlier line or file has the same id (%s); the first one "
                        "read is kept.", path, len(repeated), shown)
    return items


def trains_document(item: dict) -> bool:
    """Whether the item's `sentiment` is a label to learn: always, except in an analysts' export (`corrected`)
    whose document tone nobody corrected."""
    if item.get("_company_only"):
        return False
    corrected = item.get("corrected")
    return corrected is None or DOCUMENT in corrected


def trains_company(item: dict, company: str) -> bool:
    """Whether the item's label toward `company` is a label to learn: in an analysts' export, only a corrected one."""
    if item.get("_document_only"):
        return False
    corrected = item.get("corrected")
    return corrected is None or company in corrected


def analyse(items: Sequence[dict], enricher=None) -> list[Example]:
    """Run the enrichment's own analysis (NER, linking, lexicon) and build every feature row once."""
    from pipeline.enrich import EnrichInput, get_enricher

    enricher = enricher or get_enricher()
    inputs = enricher.tone_inputs(
        EnrichInput(id=i["id"], text=i["text"], title=i.get("title"), lang=i.get("lang")) for i in items
    )
    examples = []
    for item, t in zip(items, inputs):
        example = Example(item, t)
        if t is not None:
            example.document, rows = tone_features(t)
            # the model only ever sees companies the linker found
            example.companies = {c: rows[c] for c in item.get("entity_sentiment") or {} if c in rows}
        examples.append(example)
    return examples


def fit(rows: list[dict[str, float]], labels: list[str], c: float) -> dict:
    """Multinomial logistic regression (scikit-learn, deterministic lbfgs) → weights as plain JSON."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED).fit(x, labels)
    classes = [str(k) for k in model.classes_]
    coef = model.coef_ if len(classes) > 2 else None
    if coef is None:
        raise ConfigError(f"Training needs all three tone labels; got only {', '.join(classes)}.")
    weights = {name: [round(float(coef[k, j]), 6) for k in range(len(classes))]
               for name, j in vectorizer.vocabulary_.items()}
    return {"classes": classes, "intercept": [round(float(v), 6) for v in model.intercept_], "weights": weights}


def train(examples: Sequence[Example], c_document: float = C_DOCUMENT, c_company: float = C_COMPANY) -> dict:
    analysed = [e for e in examples if e.inputs is not None]
    docs = [e for e in analysed if trains_document(e.item)]
    pairs = [(row, e.item["entity_sentiment"][c]) for e in analysed
             for c, row in e.companies.items() if trains_company(e.item, c)]
    return {
        "params": {"min_confidence": MIN_CONFIDENCE, "encoder": ENCODER, "embed_scale": EMBED_SCALE},
        "document": fit([e.document for e in docs], [e.item["sentiment"] for e in docs], c_document),
        "company": fit([row for row, _ in pairs], [label for _, label in pairs], c_company),
    }


def write_model(model: dict, output: Path, sources: list[Path], items: list[dict], command: str) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item["_file"]] = counts.get(item["_file"], 0) + 1
    body = {
        "format": MODEL_FORMAT,
        "command": command,
        "trained_on": [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                        "items": counts.get(p.name, 0)} for p in sources],
        "params": {**model.get("params", {}), "seed": SEED, "c_document": C_DOCUMENT, "c_company": C_COMPANY,
                   "labels": list(LABELS), "min_confidence": MIN_CONFIDENCE, "encoder": ENCODER,
                   "embed_scale": EMBED_SCALE},
        **{k: v for k, v in model.items() if k != "params"},
    }
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    body_digest = hashlib.sha256(raw).hexdigest()[:16]
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".part")
    with open(tmp, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    tmp.replace(output)
    return body_digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="+", required=True, help="labelled JSONL files")
    parser.add_argument("--extra", type=Path, nargs="*", default=[], help="more labelled files (corrections)")
    add_kind_options(parser)
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    kinds = kind_files(args)
    sources = [*args.gold, *args.extra, *(p for files in kinds.values() for p in files)]
    start = time.perf_counter()
    try:
        items = read_training([*args.gold, *args.extra], kinds)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    examples = analyse(items)
    try:
        model = train(examples)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    command = "python -m pipeline.enrich.train_tone --gold " + " ".join(p.name for p in args.gold)
    if args.extra:
        command += " --extra " + " ".join(p.name for p in args.extra)
    for kind, files in kinds.items():  # none: a bare --short
        command += f" --{kind.name} " + " ".join(p.name for p in files)
    digest = write_model(model, args.output, sources, items, command)
    n_companies = sum(trains_company(e.item, c) for e in examples for c in e.companies)
    print(f"Trained on {len(items)} items and {n_companies} company labels from {len(sources)} file(s) "
          f"in {time.perf_counter() - start:.1f} s: {args.output} ({args.output.stat().st_size / 1e6:.1f} MB, "
          f"content {digest}, {len(model['document']['weights'])} + {len(model['company']['weights'])} features).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
