"""Vector search with FAISS's names, and what retrieval-augmented generation needs.

- Exact: :class:`IndexFlatL2` (squared Euclidean) and :class:`IndexFlatIP` (inner product).
- Approximate: :class:`IndexIVFFlat` (k-means cells, ``nprobe`` of them searched).
- ``train``, ``add``, ``add_with_ids``, ``search(xq, k) -> (D, I)``, ``ntotal``,
  ``is_trained``; :func:`write_index`/:func:`read_index` (safetensors, no pickle).
- Embeddings: :class:`TfidfVectorizer` for text, :func:`cnn_embeddings` and
  :func:`gpt_embeddings` from trained models; :class:`TextIndex` for passages of a text.

Indexes take and return NumPy arrays, as FAISS does.
"""

from scratchgrad.retrieval.embeddings import (
    TfidfVectorizer,
    cnn_embeddings,
    gpt_embeddings,
    gpt_hidden,
)
from scratchgrad.retrieval.flat import IndexFlat, IndexFlatIP, IndexFlatL2
from scratchgrad.retrieval.index import METRIC_INNER_PRODUCT, METRIC_L2, Index
from scratchgrad.retrieval.io import read_index, write_index
from scratchgrad.retrieval.ivf import IndexIVFFlat, kmeans
from scratchgrad.retrieval.rag import TextIndex, chunk_text, rag_prompt

__all__ = [
    "METRIC_INNER_PRODUCT",
    "METRIC_L2",
    "Index",
    "IndexFlat",
    "IndexFlatIP",
    "IndexFlatL2",
    "IndexIVFFlat",
    "TextIndex",
    "TfidfVectorizer",
    "chunk_text",
    "cnn_embeddings",
    "gpt_embeddings",
    "gpt_hidden",
    "kmeans",
    "rag_prompt",
    "read_index",
    "write_index",
]
