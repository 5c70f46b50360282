"""Shared fixtures: the repository's recorded session (tests/fixtures), altered copies of it,
and the `handprint` binary whose output the package must equal."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import List, Sequence

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
#: What the recorded session was recorded for (tests/cli_verify.rs uses the same).
TASK = "DEMO-7"
NONCE = "n-4821"


def find_cli() -> str:
    """The CLI to compare with: $HANDPRINT_BIN (packaging/test-python.sh sets it), else the
    repository's debug build, else `handprint` on PATH."""
    for candidate in (
        os.environ.get("HANDPRINT_BIN"),
        os.path.join(os.environ.get("CARGO_TARGET_DIR", REPO / "target"), "debug", "handprint"),
        shutil.which("handprint"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.fail("no handprint binary: build it (cargo build) or set HANDPRINT_BIN")


@pytest.fixture(scope="session")
def cli() -> str:
    return find_cli()


def run_cli(cli: str, args: Sequence[str]) -> subprocess.CompletedProcess:
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=600)


def cli_rows(cli: str, args: Sequence[str]) -> List[dict]:
    """The JSON lines `handprint verify DIR …` prints, one dict per bundle."""
    out = run_cli(cli, ["verify", *args])
    assert out.returncode in (0, 1), out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="session")
def bundle() -> bytes:
    return (FIXTURES / "recorded-session.handprint").read_bytes()


@pytest.fixture(scope="session")
def pubkey() -> str:
    return (FIXTURES / "recorded-session.pub").read_text()


@pytest.fixture(scope="session")
def text() -> bytes:
    return (FIXTURES / "recorded-session.txt").read_bytes()


def tampered(bundle: bytes) -> bytes:
    """The bundle with one typed character of its journal changed: still a bundle, but
    no longer the journal that was signed."""
    doc = json.loads(bundle)
    journal = base64.b64decode(doc["journal"])
    at = journal.index(b'"i":"', journal.index(b'"e":"ed"')) + len(b'"i":"')
    altered = journal[:at] + (b"Q" if journal[at : at + 1] != b"Q" else b"R") + journal[at + 1 :]
    doc["journal"] = base64.b64encode(altered).decode()
    return json.dumps(doc, indent=2).encode()


@pytest.fixture(scope="session")
def tampered_bundle(bundle: bytes) -> bytes:
    return tampered(bundle)
