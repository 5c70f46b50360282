"""The Dask job on a LocalCluster of 2 workers over 500 bundles: its Parquet rows are the
rows `handprint verify DIR` prints for the same folder, row for row."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

# The job's dependencies come with `pip install './python[dask]'` (packaging/test-python.sh).
pytest.importorskip("dask.distributed")
pq = pytest.importorskip("pyarrow.parquet")

from conftest import FIXTURES, TASK, cli_rows, tampered  # noqa: E402
from handprint import dask_job  # noqa: E402

BUNDLES = 500


@pytest.fixture(scope="module")
def inbox(tmp_path_factory, bundle, text) -> Path:
    """500 bundles in nested folders: most valid (some with their text beside them), some
    tampered, some with a wrong text, and a few that are not records at all."""
    root = tmp_path_factory.mktemp("inbox")
    bad = tampered(bundle)
    for i in range(BUNDLES):
        folder = root / f"day-{i % 7}" / ("late" if i % 11 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"sub-{i:04d}.handprint"
        if i % 50 == 7:
            path.write_bytes(bad)
        elif i % 100 == 13:
            path.write_bytes(b"not a record")
        else:
            path.write_bytes(bundle)
        if i % 5 == 0:
            path.with_suffix(".txt").write_bytes(text)
        elif i % 37 == 3:
            path.with_suffix(".txt").write_text("a different text")
    return root


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as c:
        yield c


def test_dask_job_rows_equal_the_cli_batch_rows(cli, inbox, client, tmp_path, pubkey):
    pub = FIXTURES / "recorded-session.pub"
    expected = cli_rows(cli, [str(inbox), "--task", TASK, "--pubkey", str(pub)])
    assert len(expected) == BUNDLES

    out = tmp_path / "rows.parquet"
    pins = dask_job.Pins(task=TASK, pubkey=pubkey.encode())
    started = time.monotonic()
    summary = dask_job.run(str(inbox), str(out), pins, client=client, partition_size=50)
    took = time.monotonic() - started
    print(f"\nDask job: {BUNDLES} bundles on 2 workers in {took:.1f} s")

    rows = pq.read_table(out).to_pylist()
    assert len(summary.parts) == BUNDLES // 50
    assert rows == expected
    assert summary.total == BUNDLES
    assert summary.valid == sum(r["valid"] for r in expected)
    assert summary.unusable == sum(r["unusable"] is not None for r in expected) > 0
    assert summary.invalid > 0
    # Both workers took part.
    assert len(client.scheduler_info()["workers"]) == 2


def test_the_command_line_entry_writes_parquet_and_exits_as_the_cli_does(tmp_path, bundle):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a", "b"):
        (inbox / f"{name}.handprint").write_bytes(bundle)
    out = tmp_path / "out"
    job = [sys.executable, "-m", "handprint.dask_job", str(inbox), str(out), "--workers", "1"]
    done = subprocess.run([*job, "--any-signer"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2 bundles: 2 valid, 0 invalid, 0 could not be checked" in done.stderr
    assert [r["valid"] for r in pq.read_table(out).to_pylist()] == [True, True]
    # Unpinned: every bundle invalid, exit 1; the dataset is replaced, not appended to.
    done = subprocess.run(job, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert [r["valid"] for r in pq.read_table(out).to_pylist()] == [False, False]
    # Conflicting pins fail before any work, exit 2.
    bad = [*job, "--task", "T", "--trust", str(FIXTURES / "recorded-session.pub"), "--any-signer"]
    done = subprocess.run(bad, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "cannot be used" in done.stderr


def test_an_object_store_prefix_is_read_through_fsspec_and_named_by_its_url(
    cli, tmp_path, bundle, text, pubkey
):
    """fsspec's in-memory filesystem stands in for an object store (s3://, gs://): the rows
    name the bundles by their URLs and are otherwise the CLI's for the same files."""
    import dask
    import fsspec

    local = tmp_path / "local"
    local.mkdir()
    mem = fsspec.filesystem("memory")
    files = {"a.handprint": bundle, "a.txt": text, "b.handprint": tampered(bundle)}
    for name, data in files.items():
        (local / name).write_bytes(data)
        mem.pipe_file(f"/bucket/day/{name}", data)
    pub = FIXTURES / "recorded-session.pub"
    expected = cli_rows(cli, [str(local), "--task", TASK, "--pubkey", str(pub)])
    for row in expected:
        for key in ("file", "text_file"):
            if row[key]:
                row[key] = row[key].replace(str(local), "memory:///bucket/day")

    out = tmp_path / "rows"
    # The memory filesystem lives in this process: run the tasks here, not on a cluster.
    with dask.config.set(scheduler="synchronous"):
        pins = dask_job.Pins(task=TASK, pubkey=pubkey.encode())
        summary = dask_job.run("memory://bucket/day", str(out), pins)
    assert summary.total == 2 and summary.valid == 1
    assert pq.read_table(out).to_pylist() == expected
