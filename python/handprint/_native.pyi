"""Typed signatures of the native module; see the package docstring for what each returns."""

import os
from typing import Any, Dict, Optional, Union

__version__: str

class HandprintError(Exception):
    """An input that cannot be used at all (the CLI's exit code 2), or, for analyze and
    text_at, a journal that does not replay. The message is the CLI's."""

Blob = Union[bytes, str]

def verify(
    bundle: bytes,
    *,
    text: Optional[Blob] = None,
    task: Optional[str] = None,
    nonce: Optional[str] = None,
    pubkey: Optional[Blob] = None,
    fingerprint: Optional[str] = None,
    trust: Optional[Blob] = None,
    service_key: Optional[Blob] = None,
    any_signer: bool = False,
) -> Dict[str, Any]:
    """The report ``handprint verify --json FILE`` prints: valid, kind, signer,
    signer_pinned, text_match, predicate, checks, witness, analysis. ``pubkey`` and
    ``trust`` are the contents of the files the CLI's --pubkey and --trust name;
    ``service_key`` a key file or the service's /.well-known/handprint JSON."""

def verify_row(
    bundle: bytes,
    *,
    file: Union[str, "os.PathLike[str]"],
    text: Optional[Blob] = None,
    text_file: Union[str, "os.PathLike[str]", None] = None,
    task: Optional[str] = None,
    nonce: Optional[str] = None,
    pubkey: Optional[Blob] = None,
    fingerprint: Optional[str] = None,
    trust: Optional[Blob] = None,
    service_key: Optional[Blob] = None,
    any_signer: bool = False,
) -> Dict[str, Any]:
    """The row ``handprint verify DIR`` prints for the bundle at ``file`` (file, valid,
    unusable, reasons, task, signer, pinned, text_file, text_match, witnessed,
    witnessed_seconds, flags). ``text`` is the submitted text; ``text_file`` its name
    (default: ``file`` with the extension .txt, as the batch pairs them). Never raises for
    the bundle: one that cannot be checked gives a row with ``unusable`` set."""

def analyze(bundle: bytes) -> Dict[str, Any]:
    """The analysis ``handprint analyze --json FILE`` prints (signature not checked)."""

def text_at(bundle: bytes, event: int) -> str:
    """The response text after event ``event`` (0 is the session start)."""
