"""Verify a folder or object-store prefix of bundles across Dask workers; write Parquet.

For platforms that outgrow one machine. The work is split by Dask (``dask.bag`` over a
``dask.distributed`` cluster: a LocalCluster, or the scheduler a platform already runs);
each task reads its bundles with fsspec (a local folder, ``s3://…``, ``gs://…``, whatever
fsspec has a filesystem for) and verifies them with :func:`handprint.verify_row`, so every
row is the one ``handprint verify DIR`` prints for that bundle. Each partition is written by
its worker as one Parquet file, ``part-00000.parquet`` and on, in the output folder (a
Parquet dataset ``pandas.read_parquet(OUT)`` reads back in the CLI's order).

Bundles are found as the CLI finds them: ``*.handprint`` under the source, recursively,
each paired with the ``NAME.txt`` beside ``NAME.handprint`` as its submitted text.

Command line (exit code as the CLI batch's: 0 all valid, 1 any not, 2 could not run)::

    python -m handprint.dask_job SOURCE OUT [--scheduler tcp://HOST:8786] [--workers 2]
        [--task ID] [--nonce N] [--pubkey FILE | --fingerprint FP | --trust FILE |
        --any-signer] [--service-key FILE] [--partition-size 64]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

import handprint

#: The batch row's columns and types, fixed so that every partition writes the same schema
#: even when a column is null throughout it (no service key: no witness counts).
SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("valid", pa.bool_()),
        ("unusable", pa.string()),
        ("reasons", pa.list_(pa.string())),
        ("task", pa.string()),
        ("signer", pa.string()),
        ("pinned", pa.bool_()),
        ("text_file", pa.string()),
        ("text_match", pa.string()),
        ("witnessed", pa.int64()),
        ("witnessed_seconds", pa.float64()),
        ("flags", pa.list_(pa.string())),
    ]
)


@dataclass(frozen=True)
class Pins:
    """What every bundle is verified against: the keyword arguments of
    :func:`handprint.verify_row` besides the bundle and its text. Key and trust files are
    carried as their contents, read once where the job starts."""

    task: Optional[str] = None
    nonce: Optional[str] = None
    pubkey: Optional[bytes] = None
    fingerprint: Optional[str] = None
    trust: Optional[bytes] = None
    service_key: Optional[bytes] = None
    any_signer: bool = False

    def kwargs(self) -> Dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and v is not False}


@dataclass(frozen=True)
class Item:
    """One bundle and the text beside it, as paths on the source filesystem, plus the names
    the rows show (the paths as given, or full URLs for a remote filesystem)."""

    bundle: str
    shown: str
    text: Optional[str] = None
    text_shown: Optional[str] = None


@dataclass
class Summary:
    """Counts over the batch, as the CLI's summary line gives them."""

    total: int = 0
    valid: int = 0
    invalid: int = 0
    unusable: int = 0
    parts: List[str] = field(default_factory=list)


def _sort_key(path: str) -> Tuple[str, ...]:
    # The CLI sorts each folder's entries as paths, component by component ("a/x" before
    # "a-b/x"), which plain string order would not give.
    return tuple(path.split("/"))


def find_bundles(fs: Any, root: str, source: str) -> List[Item]:
    """The bundles under ``root`` on ``fs`` (``source`` as the caller named it: a folder or
    prefix, or one bundle), in the CLI's order, each with its ``NAME.txt`` if there is one."""
    local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
    if fs.isfile(root):
        found = [root] + ([root[: -len(".handprint")] + ".txt"] if root.endswith(".handprint") else [])
        found = [p for p in found if fs.isfile(p)]
    else:
        found = fs.find(root)
    texts = {p for p in found if p.endswith(".txt")}
    bundles = sorted((p for p in found if p.endswith(".handprint")), key=_sort_key)
    if not bundles:
        raise handprint.HandprintError(
            f"no .handprint bundles found in {source}; give bundle files or folders that hold them"
        )

    def shown(path: str) -> str:
        if not local:
            return fs.unstrip_protocol(path)
        # The local filesystem gives absolute paths; name the files as the source named them.
        prefix = source.removeprefix("file://").rstrip("/")
        return prefix + path[len(root.rstrip("/")) :] if path.startswith(root) else path

    items = []
    for b in bundles:
        text = b[: -len(".handprint")] + ".txt"
        has_text = text in texts
        items.append(
            Item(b, shown(b), text if has_text else None, shown(text) if has_text else None)
        )
    return items


def verify_partition(
    fs: Any,
    items: Sequence[Item],
    index: int,
    out: str,
    pins: Pins,
    out_storage_options: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """A worker's task: verify ``items``, read from the fsspec filesystem ``fs``, and write
    their rows as ``OUT/part-INDEX.parquet``. Returns the counts and the part's path."""
    kwargs = pins.kwargs()
    rows = []
    for item in items:
        try:
            bundle = fs.cat_file(item.bundle)
        except OSError as e:
            rows.append(_unreadable(item, f"cannot read {item.shown}: {e}"))
            continue
        text = None
        if item.text is not None:
            try:
                text = fs.cat_file(item.text)
            except OSError as e:
                rows.append(_unreadable(item, f"cannot read {item.text_shown}: {e}"))
                continue
        rows.append(
            handprint.verify_row(
                bundle, file=item.shown, text=text, text_file=item.text_shown, **kwargs
            )
        )
    out_fs, out_root = fsspec.core.url_to_fs(out, **(out_storage_options or {}))
    part = f"{out_root.rstrip('/')}/part-{index:05d}.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), part, filesystem=out_fs)
    unusable = sum(1 for r in rows if r["unusable"] is not None)
    valid = sum(1 for r in rows if r["valid"])
    return {
        "total": len(rows),
        "valid": valid,
        "invalid": len(rows) - valid - unusable,
        "unusable": unusable,
        "part": part,
    }


def _unreadable(item: Item, why: str) -> Dict[str, Any]:
    """The row the CLI gives a bundle it cannot read."""
    return {
        "file": item.shown,
        "valid": False,
        "unusable": why,
        "reasons": [],
        "task": None,
        "signer": None,
        "pinned": False,
        "text_file": None,
        "text_match": None,
        "witnessed": None,
        "witnessed_seconds": None,
        "flags": [],
    }


def run(
    source: str,
    out: str,
    pins: Pins,
    *,
    client: Any = None,
    partition_size: int = 64,
    storage_options: Optional[Dict[str, Any]] = None,
    out_storage_options: Optional[Dict[str, Any]] = None,
) -> Summary:
    """Verifies every bundle under ``source`` on the Dask cluster of ``client`` (the current
    default client when None) and writes the rows to the Parquet dataset ``out``."""
    import dask.bag as db

    # Options the core refuses (two pins at once, an unreadable key) fail here, once,
    # rather than in every task: a row for no bundle at all raises only for its options.
    handprint.verify_row(b"", file="(options)", **pins.kwargs())
    fs, root = fsspec.core.url_to_fs(source, **(storage_options or {}))
    items = find_bundles(fs, root, source)
    out_fs, out_root = fsspec.core.url_to_fs(out, **(out_storage_options or {}))
    out_fs.makedirs(out_root, exist_ok=True)
    # A rerun replaces the dataset rather than mixing old parts with new ones.
    for old in out_fs.glob(f"{out_root.rstrip('/')}/part-*.parquet"):
        out_fs.rm(old)
    chunks = [items[i : i + partition_size] for i in range(0, len(items), partition_size)]
    bag = db.from_sequence(list(enumerate(chunks)), npartitions=len(chunks))
    counted = bag.map(
        lambda ic: verify_partition(fs, ic[1], ic[0], out, pins, out_storage_options)
    )
    results = client.compute(counted).result() if client is not None else counted.compute()
    summary = Summary()
    for r in sorted(results, key=lambda r: r["part"]):
        summary.total += r["total"]
        summary.valid += r["valid"]
        summary.invalid += r["invalid"]
        summary.unusable += r["unusable"]
        summary.parts.append(r["part"])
    return summary


def _read(path: Optional[str]) -> Optional[bytes]:
    if path is None:
        return None
    with fsspec.open(path, "rb") as f:
        return f.read()


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m handprint.dask_job",
        description="Verify every bundle under SOURCE (a folder or fsspec URL) across Dask "
        "workers and write one row per bundle, as `handprint verify DIR` prints them, to the "
        "Parquet dataset OUT.",
    )
    p.add_argument("source")
    p.add_argument("out")
    p.add_argument("--scheduler", help="a running scheduler's address; default: a LocalCluster")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    p.add_argument("--partition-size", type=int, default=64, help="bundles per task")
    p.add_argument("--task")
    p.add_argument("--nonce")
    pin = p.add_mutually_exclusive_group()
    pin.add_argument("--pubkey", metavar="FILE")
    pin.add_argument("--fingerprint", metavar="FP")
    pin.add_argument("--any-signer", action="store_true")
    p.add_argument("--trust", metavar="FILE")
    p.add_argument("--service-key", metavar="FILE")
    a = p.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    try:
        pins = Pins(
            task=a.task,
            nonce=a.nonce,
            pubkey=_read(a.pubkey),
            fingerprint=a.fingerprint,
            trust=_read(a.trust),
            service_key=_read(a.service_key),
            any_signer=a.any_signer,
        )
        if a.scheduler:
            client = Client(a.scheduler)
        else:
            client = Client(LocalCluster(n_workers=a.workers, threads_per_worker=1))
        with client:
            s = run(a.source, a.out, pins, client=client, partition_size=a.partition_size)
    except (handprint.HandprintError, OSError) as e:
        print(f"handprint: {e}", file=sys.stderr)
        return 2
    print(
        f"handprint: {s.total} bundles: {s.valid} valid, {s.invalid} invalid, "
        f"{s.unusable} could not be checked; rows in {a.out}",
        file=sys.stderr,
    )
    return 0 if s.valid == s.total else 1


if __name__ == "__main__":
    sys.exit(main())
