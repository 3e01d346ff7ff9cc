"""The optional transformers sentiment backend, on tiny models built and saved here (nothing is downloaded).

One model is trained for a few seconds on clear FR/EN examples, so the test sees a real model's direction come
through the scorer; the others have a classifier that ignores its input and outputs fixed probabilities, so the
mapping of each label scheme to a polarity can be checked exactly.
"""

from __future__ import annotations

import math
import sys

import pytest

EXTRA = "the transformers backend is optional: pip install 'newsroom[transformers]'"
torch = pytest.importorskip("torch", reason=EXTRA)
transformers = pytest.importorskip("transformers", reason=EXTRA)

from pipeline.enrich.scoring import SentenceScorer  # noqa: E402
from pipeline.enrich.transformer import TransformerScorer, label_polarities  # noqa: E402
from pipeline.errors import ModelError  # noqa: E402

POSITIVE = [
    "le lancement est un grand succès",
    "une excellente nouvelle pour l'entreprise",
    "la victoire est formidable",
    "des résultats solides et une belle réussite",
    "the launch is a great success",
    "excellent news for the company",
    "a strong win and solid results",
    "the deal is a remarkable achievement",
]
NEGATIVE = [
    "le lancement est un échec terrible",
    "une mauvaise nouvelle pour l'entreprise",
    "la défaite est grave",
    "des résultats faibles et une lourde perte",
    "the launch is a terrible failure",
    "bad news for the company",
    "a weak defeat and poor results",
    "the deal is a serious setback",
]
NEUTRAL = [
    "le lancement est prévu mardi",
    "l'entreprise publie ses résultats",
    "the launch is planned for tuesday",
    "the company publishes its results",
]
# Unseen combinations of words the model has seen.
HELD_OUT_POSITIVE = ["une belle victoire et un grand succès pour l'entreprise",
                     "a great achievement and a strong success"]
HELD_OUT_NEGATIVE = ["une lourde défaite et un échec grave pour l'entreprise", "a serious failure and a weak setback"]
ID2LABEL = {0: "negative", 1: "neutral", 2: "positive"}


def _save_tokenizer(directory, sentences, model_max_length=64):
    """A word-level tokenizer over the words of `sentences`, built with `tokenizers` and saved as a fast tokenizer."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    pre = pre_tokenizers.Whitespace()
    words = sorted({w for s in sentences for w, _ in pre.pre_tokenize_str(s.lower())})
    vocab = {w: i for i, w in enumerate(specials + words)}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    backend.normalizer = normalizers.Lowercase()
    backend.pre_tokenizer = pre
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        model_max_length=model_max_length)
    tokenizer.save_pretrained(directory)
    return tokenizer


def _tiny_bert(vocab_size, id2label):
    config = transformers.BertConfig(
        vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=64, id2label=id2label, label2id={v: k for k, v in id2label.items()})
    return transformers.BertForSequenceClassification(config)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny matrices: a second thread only fights the other processes on a shared machine (4x slower here)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def trained_model_dir(tmp_path_factory):
    """A tiny BERT that has learnt which way the sentiment words point, saved with save_pretrained."""
    directory = tmp_path_factory.mktemp("tiny-sentiment")
    tokenizer = _save_tokenizer(directory, POSITIVE + NEGATIVE + NEUTRAL + HELD_OUT_POSITIVE + HELD_OUT_NEGATIVE)
    torch.manual_seed(13)
    model = _tiny_bert(len(tokenizer), ID2LABEL)
    texts = NEGATIVE + NEUTRAL + POSITIVE
    labels = torch.tensor([0] * len(NEGATIVE) + [1] * len(NEUTRAL) + [2] * len(POSITIVE))
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(400):  # usually ~60 steps; a few seeds sit on a plateau for longer
        optimiser.zero_grad()
        loss = model(**batch, labels=labels).loss
        if loss.item() < 0.05:
            break
        loss.backward()
        optimiser.step()
    assert loss.item() < 0.1, f"the tiny model did not learn its training set (loss {loss.item():.3f})"
    model.save_pretrained(directory)
    return directory


def _fixed_output_model(directory, id2label, probabilities):
    """A model whose class probabilities are `probabilities` whatever the text: zero weights, log-prob biases."""
    tokenizer = _save_tokenizer(directory, POSITIVE + NEGATIVE)
    model = _tiny_bert(len(tokenizer), id2label)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([math.log(p) for p in probabilities]))
    model.save_pretrained(directory)
    return directory


def test_trained_model_orders_clear_sentences(trained_model_dir):
    scorer = TransformerScorer(str(trained_model_dir))
    assert isinstance(scorer, SentenceScorer)
    assert scorer.name.startswith("transformers:")
    scores = scorer.score(HELD_OUT_POSITIVE + HELD_OUT_NEGATIVE, "fr")
    assert len(scores) == 4
    assert all(-1.0 <= s <= 1.0 for s in scores)
    fr_pos, en_pos, fr_neg, en_neg = scores
    assert fr_pos > 0.3 and en_pos > 0.3, scores
    assert fr_neg < -0.3 and en_neg < -0.3, scores
    assert min(fr_pos, en_pos) > max(fr_neg, en_neg)
    assert scorer.score([], "en") == []


def test_batching_and_order_match_one_by_one(trained_model_dir):
    sentences = (HELD_OUT_NEGATIVE + POSITIVE[:3] + ["", "zzz inconnu"] + HELD_OUT_POSITIVE
                 + [" ".join(["succès"] * 200)])  # longer than the model's 64 positions: must be truncated
    batched = TransformerScorer(str(trained_model_dir), batch_size=4).score(sentences, "fr")
    single = TransformerScorer(str(trained_model_dir), batch_size=1)
    one_by_one = [single.score([s], "fr")[0] for s in sentences]
    assert batched == pytest.approx(one_by_one, abs=1e-5)
    assert len(set(round(s, 4) for s in batched)) > 3  # really different sentences, not one constant
    assert single.max_length == 64


@pytest.mark.parametrize(("id2label", "probabilities", "expected"), [
    # 3 named classes in any case and order: P(positive) - P(negative)
    ({0: "POSITIVE", 1: "Negative", 2: "neutral"}, [0.5, 0.2, 0.3], 0.5 - 0.2),
    ({0: "NEG", 1: "NEU", 2: "POS"}, [0.6, 0.3, 0.1], 0.1 - 0.6),
    ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, [0.2, 0.3, 0.5], 0.5 - 0.2),
    ({0: "LABEL_0", 1: "LABEL_1"}, [0.9, 0.1], 0.1 - 0.9),
    ({0: "negative", 1: "positive"}, [0.25, 0.75], 0.5),
    # stars: expected rating 3.6 on 1..5 -> (3.6 - 1) / 4 * 2 - 1
    ({i: f"{i + 1} star{'s' if i else ''}" for i in range(5)}, [0.1, 0.1, 0.2, 0.3, 0.3], 0.3),
    ({i: f"{i + 1} star{'s' if i else ''}" for i in range(5)}, [0.2, 0.2, 0.2, 0.2, 0.2], 0.0),
    ({0: "Very Negative", 1: "Negative", 2: "Neutral", 3: "Positive", 4: "Very Positive"},
     [0.0001, 0.0999, 0.1, 0.2, 0.6], -0.0001 - 0.5 * 0.0999 + 0.5 * 0.2 + 0.6),
])
def test_label_schemes_map_to_polarity(tmp_path, id2label, probabilities, expected):
    directory = _fixed_output_model(tmp_path / "fixed", id2label, probabilities)
    scores = TransformerScorer(str(directory)).score(["the launch is a great success", "bad news"], "en")
    assert scores == pytest.approx([expected, expected], abs=1e-4)


def test_roberta_style_positions_are_not_overrun(tmp_path):
    """RoBERTa-family models number positions after the padding id: 66 position slots hold 64 tokens."""
    directory = tmp_path / "tiny-roberta"
    tokenizer = _save_tokenizer(directory, POSITIVE + NEGATIVE, model_max_length=10_000)
    config = transformers.RobertaConfig(
        vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=66, pad_token_id=tokenizer.pad_token_id, id2label=ID2LABEL,
        label2id={v: k for k, v in ID2LABEL.items()})
    transformers.RobertaForSequenceClassification(config).save_pretrained(directory)
    scorer = TransformerScorer(str(directory), max_length=512)
    assert scorer.max_length == 66 - (tokenizer.pad_token_id + 1)
    scores = scorer.score([" ".join(["succès"] * 300), "bad news"], "fr")
    assert all(-1.0 <= s <= 1.0 for s in scores)


def test_label_polarities_extremes():
    stars = label_polarities({i: f"{i + 1} stars" for i in range(5)})
    assert stars == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert label_polarities({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}) == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize("id2label", [
    {0: "spam", 1: "ham"},
    {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2", 3: "LABEL_3"},  # 4 generic classes: no known order
    {0: "positive", 1: "positive"},
    {0: "joy", 1: "anger", 2: "neutral"},
])
def test_unknown_label_scheme_is_a_clear_error(tmp_path, id2label):
    directory = _fixed_output_model(tmp_path / "odd-labels", id2label, [1 / len(id2label)] * len(id2label))
    with pytest.raises(ModelError) as error:
        TransformerScorer(str(directory))
    message = str(error.value)
    assert str(directory) in message
    assert repr(next(iter(id2label.values()))) in message
    assert "NEWSROOM_SENTIMENT_MODEL" in message


def test_missing_model_directory_names_it(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError) as error:
        TransformerScorer(str(missing))
    assert str(missing) in str(error.value)
    assert "NEWSROOM_SENTIMENT_MODEL" in str(error.value)


def test_directory_without_a_model_names_it(tmp_path):
    (tmp_path / "empty-model").mkdir()
    with pytest.raises(ModelError) as error:
        TransformerScorer(str(tmp_path / "empty-model"))
    assert str(tmp_path / "empty-model") in str(error.value)


def test_unusable_device_is_a_clear_error(trained_model_dir):
    with pytest.raises(ModelError, match="no-such-device"):
        TransformerScorer(str(trained_model_dir), device="no-such-device")


def test_uncached_hub_name_offline_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # never touch the network from a test
    with pytest.raises(ModelError) as error:
        TransformerScorer("newsroom-tests/no-such-sentiment-model")
    assert "newsroom-tests/no-such-sentiment-model" in str(error.value)
    assert "NEWSROOM_SENTIMENT_MODEL" in str(error.value)


def test_missing_extra_says_how_to_install(monkeypatch, trained_model_dir):
    monkeypatch.setitem(sys.modules, "transformers", None)  # what `import transformers` sees when it is absent
    with pytest.raises(ModelError) as error:
        TransformerScorer(str(trained_model_dir))
    assert "pip install 'newsroom[transformers]'" in str(error.value)


def test_settings_select_the_backend(monkeypatch, trained_model_dir):
    from pipeline.enrich import get_scorer
    from pipeline.settings import load_settings

    monkeypatch.setenv("NEWSROOM_SENTIMENT_BACKEND", "transformers")
    monkeypatch.setenv("NEWSROOM_SENTIMENT_MODEL", str(trained_model_dir))
    scorer = get_scorer(load_settings())
    assert isinstance(scorer, TransformerScorer)
    positive, negative = scorer.score([HELD_OUT_POSITIVE[0], HELD_OUT_NEGATIVE[0]], "fr")
    assert positive > 0 > negative
