"""Parquet shards of Documents: how a cluster hands its results to the store.

Workers of a distributed run (``newsevents run --engine dask``) each write the Documents of a
chunk of articles to one shard, ``part-<run>-<seq>.parquet``, in a folder every worker and the
writing machine can reach: a local or shared folder, or any fsspec URL (``s3://``, ``gs://``,
``abfs://`` ...). The store has one writer, so the machine holding it imports the shards
(:meth:`Store.import_shards <newsevents.store.base.Store.import_shards>`), merging events as
any write does. A shard has two columns, ``article_id`` and ``document`` (the
``Document.to_json()`` output contract), one row per article, in input order.

A shard appears whole or not at all: it is written under a hidden name and renamed when
complete (on object stores, where an upload is atomic, it is uploaded whole).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Document

SCHEMA = pa.schema([("article_id", pa.string()), ("document", pa.string())])
PREFIX = "part-"


def _fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(str(url))


def write_shard(url: str, name: str, documents: list[tuple[str, str]]) -> str:
    """Write ``(article_id, document JSON)`` rows as shard ``name`` under the folder ``url``;
    returns the shard's URL."""
    fs, root = _fs(url)
    root = root.rstrip("/")
    fs.makedirs(root, exist_ok=True)
    final = f"{root}/{PREFIX}{name}.parquet"
    partial = f"{root}/.{PREFIX}{name}.parquet.partial"
    table = pa.Table.from_arrays([pa.array([i for i, _ in documents], pa.string()),
                                  pa.array([d for _, d in documents], pa.string())], schema=SCHEMA)
    with fs.open(partial, "wb") as f:
        pq.write_table(table, f, compression="zstd")
    fs.mv(partial, final)
    return fs.unstrip_protocol(final)


def read_shard(url: str) -> Iterator[tuple[Document, str]]:
    """``(document, its JSON)`` for each row of the shard at ``url``, in order."""
    fs, path = _fs(url)
    with fs.open(path, "rb") as f:
        table = pq.read_table(f, columns=["document"])
    for text in table.column("document").to_pylist():
        yield Document.from_dict(json.loads(text)), text


def list_shards(url: str) -> list[str]:
    """The URLs of the complete shards under the folder ``url``, in name order (none when the
    folder does not exist)."""
    fs, root = _fs(url)
    root = root.rstrip("/")
    if not fs.exists(root):
        return []
    names = sorted(p for p in fs.ls(root, detail=False) if p.rsplit("/", 1)[-1].startswith(PREFIX)
                   and p.endswith(".parquet"))
    return [fs.unstrip_protocol(p) for p in names]


def delete_shard(url: str) -> None:
    fs, path = _fs(url)
    fs.rm(path)
