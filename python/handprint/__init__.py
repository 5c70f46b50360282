"""Handprint for Python: verify and analyze Handprint records (signed ``.handprint`` bundles).

The functions run Handprint's Rust core (the one the ``handprint`` command line runs) and
return plain dicts with exactly the shape the command line prints with ``--json``:

- :func:`verify` -> the report of ``handprint verify --json FILE``
- :func:`verify_row` -> one row of ``handprint verify DIR`` (the batch's JSON lines)
- :func:`analyze` -> ``handprint analyze --json FILE``
- :func:`text_at` -> ``handprint journal text --at N FILE``

Inputs that cannot be used at all raise :class:`HandprintError` with the command line's
message. :mod:`handprint.dask_job` verifies a folder or object-store prefix across Dask
workers and writes Parquet.
"""

from ._native import HandprintError, __version__, analyze, text_at, verify, verify_row

__all__ = ["HandprintError", "__version__", "analyze", "text_at", "verify", "verify_row"]
