"""Parquet shards of Documents (how a Dask run hands its results over) and the store's import."""

from __future__ import annotations

import json

import pytest
from factories import RUS, USA, report

from newsevents.model import Document
from newsevents.store import DuckDBStore, MemoryStore
from newsevents.store.shards import list_shards, read_shard, write_shard


def docs(n: int = 3) -> list[Document]:
    return [report(f"Russia urged the United States to answer in writing (report {i}).", trigger="urged",
                   source=RUS, target=USA, tone=-1.5 + i) for i in range(n)]


def pairs(documents):
    return [(d.article.id, d.to_json()) for d in documents]


def test_a_shard_round_trips_in_order(tmp_path):
    written = docs()
    url = write_shard(str(tmp_path / "shards"), "run-00000001", pairs(written))
    assert url.endswith("part-run-00000001.parquet") and list_shards(str(tmp_path / "shards")) == [url]
    back = list(read_shard(url))
    assert [d.to_dict() for d, _ in back] == [d.to_dict() for d in written]
    assert [text for _, text in back] == [d.to_json() for d in written]


def test_partial_shards_and_other_files_are_not_listed(tmp_path):
    folder = tmp_path / "shards"
    write_shard(str(folder), "b", pairs(docs(1)))
    (folder / ".part-a.parquet.partial").write_bytes(b"half a file")
    (folder / "notes.txt").write_text("not a shard")
    assert [u.rsplit("/", 1)[-1] for u in list_shards(str(folder))] == ["part-b.parquet"]
    assert list_shards(str(tmp_path / "missing")) == []


def test_shards_on_an_fsspec_url():
    pytest.importorskip("fsspec")
    url = write_shard("memory://newsevents-test/shards", "x", pairs(docs(2)))
    assert url.startswith("memory://") and len(list(read_shard(url))) == 2


@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_import_shards_skips_what_is_stored_and_can_delete(tmp_path, backend):
    documents = docs(4)
    folder = str(tmp_path / "shards")
    write_shard(folder, "1", pairs(documents[:2]))
    write_shard(folder, "2", pairs(documents[1:]))  # one article in both shards
    store = DuckDBStore(tmp_path / "s.duckdb") if backend == "duckdb" else MemoryStore()
    with store:
        store.write(documents[:1])
        counts = store.import_shards(folder, delete=True)
        assert (counts.articles, counts.skipped) == (3, 2)
        assert sorted(store.ids()) == sorted(d.article.id for d in documents)
        assert store.get_document(documents[3].article.id).to_dict() == documents[3].to_dict()
    assert list_shards(folder) == []


def test_writing_pairs_stores_the_given_json(tmp_path):
    d = docs(1)[0]
    text = d.to_json()
    # the JSON of a Document rebuilt from JSON is the same JSON, so reusing it changes nothing
    assert Document.from_dict(json.loads(text)).to_json() == text
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        counts = store.write([(Document.from_dict(json.loads(text)), text)])
        assert counts.articles == 1
        assert store.sql("SELECT document FROM articles").document[0] == text
