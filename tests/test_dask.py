"""The Dask engine on a LocalCluster of two workers leaves the store a local run leaves."""

from __future__ import annotations

import pytest
from test_run import SMALL, corpus, snapshot  # noqa: F401  (the corpus fixture)

from newsevents.errors import SettingsError
from newsevents.run import run
from newsevents.settings import Settings
from newsevents.store import open_store
from newsevents.store.shards import list_shards, write_shard

distributed = pytest.importorskip("distributed")
LocalCluster = distributed.LocalCluster


def test_dask_local_cluster_equals_the_local_engine(corpus, tmp_path):  # noqa: F811
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    run([corpus], Settings(workers=1, **SMALL), store=local)
    # a shard an interrupted earlier run left behind is imported first, and not twice
    with open_store(local, read_only=True) as s:
        first = s.get_document(s.sql("SELECT article_id FROM articles ORDER BY rowid LIMIT 1").article_id[0])
    shards = tmp_path / "shards"
    write_shard(str(shards), "0-earlier", [(first.article.id, first.to_json())])

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        options = dict(engine="dask", scheduler=cluster.scheduler_address, shards=str(shards))
        report = run([corpus], Settings(**SMALL), store=dask, **options)
        assert (report.engine, report.workers, report.written, report.ok) == ("dask", 2, 10, True)
        assert snapshot(dask) == snapshot(local)
        assert list_shards(str(shards)) == []  # imported, then removed

        again = run([corpus], Settings(**SMALL), store=dask, **options)
        assert (again.written, again.stored) == (0, 10)


def test_dask_engine_starts_a_local_cluster_by_default(tmp_path):
    from newsevents.data import SAMPLE_ARTICLE, data_path

    store = tmp_path / "s.duckdb"
    report = run([data_path("samples", SAMPLE_ARTICLE)], Settings(workers=1), store=store, engine="dask")
    assert (report.workers, report.written) == (1, 1)
    assert list_shards(f"{store}.shards") == []


def test_a_remote_scheduler_needs_a_shared_shard_folder(corpus, tmp_path):  # noqa: F811
    with pytest.raises(SettingsError, match="--shards"):
        run([corpus], Settings(workers=1), store=tmp_path / "s.duckdb", engine="dask", scheduler="tcp://nowhere:8786")


def test_an_unreachable_scheduler_is_a_clear_error(corpus, tmp_path):  # noqa: F811
    import dask

    from newsevents.errors import WorkerError

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(WorkerError, match="cannot reach"):
        run([corpus], Settings(workers=1), store=tmp_path / "s.duckdb", engine="dask", scheduler="tcp://127.0.0.1:9",
            shards=str(tmp_path / "shards"))
