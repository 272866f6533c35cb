"""TF-IDF against scikit-learn's; model features against the models' own layers."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.models import GPT, GPTConfig
from scratchgrad.retrieval.embeddings import (
    TfidfVectorizer,
    cnn_embeddings,
    gpt_embeddings,
    gpt_hidden,
)

DOCS = [
    "Shall I compare thee to a summer's day?",
    "Thou art more lovely and more temperate.",
    "Rough winds do shake the darling buds of May, and summer's lease hath all too short a date.",
]


def test_tfidf_matches_scikit_learn() -> None:
    ours, theirs = TfidfVectorizer().fit(DOCS), SkTfidf().fit(DOCS)
    assert ours.get_feature_names_out() == list(theirs.get_feature_names_out())
    np.testing.assert_allclose(ours.idf_, theirs.idf_)
    queries = ["a summer day, more lovely", "nothing known here", *DOCS]
    np.testing.assert_allclose(
        ours.transform(queries), theirs.transform(queries).toarray(), rtol=1e-6, atol=1e-7
    )
    back = TfidfVectorizer.from_dict(ours.to_dict())
    np.testing.assert_array_equal(back.transform(queries), ours.transform(queries))


def test_tfidf_errors() -> None:
    with pytest.raises(ValueError, match="empty vocabulary"):
        TfidfVectorizer().fit(["a", "!"])
    with pytest.raises(ValueError, match="2 terms but 1 idf"):
        TfidfVectorizer.from_dict({"terms": ["a", "b"], "idf": [1.0]})


def test_cnn_embeddings_are_the_heads_input() -> None:
    sg.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(32, 5), nn.ReLU(),
        nn.Linear(5, 3),
    )  # fmt: skip
    x = np.random.default_rng(0).standard_normal((7, 1, 4, 4)).astype(np.float32)
    feats = cnn_embeddings(model, x, batch_size=3)
    assert feats.shape == (7, 5) and model.training
    head = model[-1]
    np.testing.assert_allclose(
        head(sg.tensor(feats)).detach().numpy(), model(sg.tensor(x)).detach().numpy(), rtol=1e-5
    )


def test_gpt_embeddings_are_the_mean_hidden_state() -> None:
    sg.manual_seed(0)
    gpt = GPT(GPTConfig(vocab_size=9, block_size=6, n_layer=1, n_head=2, n_embd=8))
    idx = sg.tensor([[1, 2, 3, 4], [4, 3, 2, 1]])
    hidden = gpt_hidden(gpt, idx)
    np.testing.assert_allclose(
        gpt.lm_head(hidden).detach().numpy(), gpt(idx).detach().numpy(), rtol=1e-5, atol=1e-6
    )
    emb = gpt_embeddings(gpt, idx.numpy())
    np.testing.assert_allclose(emb, hidden.detach().numpy().mean(axis=1), rtol=1e-5, atol=1e-6)
    assert gpt_embeddings(gpt, [1, 2, 3, 4, 5, 6, 7, 8]).shape == (1, 8)  # cropped to block_size
