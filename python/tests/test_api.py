"""The package's functions: outcomes (valid, tampered, unpinned, wrong task, wrong text),
errors with the CLI's messages, and dicts of exactly the shape the CLI prints."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

import handprint
from conftest import FIXTURES, NONCE, TASK, cli_rows, run_cli, tampered


def failed(report: dict) -> dict:
    return {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}


def test_a_recorded_bundle_with_its_key_task_and_text_is_valid(bundle, pubkey, text):
    r = handprint.verify(bundle, text=text, task=TASK, nonce=NONCE, pubkey=pubkey)
    assert r["valid"] is True, failed(r)
    assert r["kind"] == "bundle"
    assert r["signer_pinned"] is True
    assert r["text_match"] == "exact"
    assert r["predicate"]["task"] == TASK


def test_the_text_may_be_given_as_str_or_bytes(bundle, pubkey, text):
    as_str = handprint.verify(bundle, text=text.decode(), any_signer=True)
    as_bytes = handprint.verify(bundle, text=text, any_signer=True)
    assert as_str == as_bytes
    assert as_str["text_match"] == "exact"


def test_a_tampered_journal_is_invalid_and_says_which_checks_failed(tampered_bundle, pubkey):
    r = handprint.verify(tampered_bundle, task=TASK, pubkey=pubkey)
    assert r["valid"] is False
    assert "journal-digest" in failed(r), failed(r)


def test_an_unpinned_signer_is_invalid_unless_any_signer_is_accepted(bundle):
    r = handprint.verify(bundle, task=TASK)
    assert r["valid"] is False
    assert r["signer_pinned"] is False
    assert failed(r)["signer"].startswith("signer not pinned"), failed(r)
    accepted = handprint.verify(bundle, task=TASK, any_signer=True)
    assert accepted["valid"] is True
    assert accepted["signer_pinned"] is False


def test_pins_by_fingerprint_and_by_trust_file(bundle, pubkey):
    fingerprint = handprint.verify(bundle, any_signer=True)["signer"]
    assert handprint.verify(bundle, fingerprint=fingerprint)["valid"] is True
    assert handprint.verify(bundle, trust=pubkey.encode())["valid"] is True
    other = "SHA256:" + "A" * 43
    r = handprint.verify(bundle, fingerprint=other)
    assert r["valid"] is False and "signer" in failed(r)


def test_a_wrong_task_is_invalid(bundle, pubkey):
    r = handprint.verify(bundle, task="OTHER-1", pubkey=pubkey)
    assert r["valid"] is False
    assert "task" in failed(r), failed(r)


def test_a_wrong_text_is_a_mismatch(bundle, pubkey):
    r = handprint.verify(bundle, text="not what was written", pubkey=pubkey)
    assert r["valid"] is False
    assert r["text_match"] == "mismatch"


@pytest.mark.parametrize(
    "contents, cli_file",
    [(b"", "empty.handprint"), (b"not a record", "junk.handprint"), (b"{}", "brace.handprint")],
)
def test_unusable_input_raises_handprint_error_with_the_cli_message(
    cli, tmp_path, contents, cli_file
):
    path = tmp_path / cli_file
    path.write_bytes(contents)
    out = run_cli(cli, ["verify", "--any-signer", str(path)])
    assert out.returncode == 2
    expected = out.stderr.strip().removeprefix("handprint: ").replace(str(path), "(input)")
    with pytest.raises(handprint.HandprintError) as e:
        handprint.verify(contents, any_signer=True)
    assert str(e.value) == expected
    assert isinstance(e.value, Exception)


def test_bad_options_raise(bundle, pubkey):
    with pytest.raises(handprint.HandprintError, match="pubkey: "):
        handprint.verify(bundle, pubkey="not a key")
    with pytest.raises(handprint.HandprintError, match="cannot be used"):
        handprint.verify(bundle, pubkey=pubkey, any_signer=True)
    with pytest.raises(handprint.HandprintError, match="not UTF-8"):
        handprint.verify(bundle, text=b"\xff\xfe", any_signer=True)
    with pytest.raises(TypeError):
        handprint.verify("a str is not a bundle")  # type: ignore[arg-type]


CASES = {
    "valid": lambda b: (b, ["--task", TASK, "--nonce", NONCE, "--pubkey", "PUB"], {}),
    "with-text": lambda b: (b, ["--any-signer", "--text", "TXT"], {"text": "TXT"}),
    "tampered": lambda b: (tampered(b), ["--task", TASK, "--pubkey", "PUB"], {}),
    "unpinned": lambda b: (b, ["--task", TASK], {}),
    "wrong-task": lambda b: (b, ["--task", "OTHER-1", "--pubkey", "PUB"], {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_verify_gives_exactly_the_report_the_cli_prints(cli, tmp_path, bundle, case):
    data, args, _ = CASES[case](bundle)
    path = tmp_path / "b.handprint"
    path.write_bytes(data)
    pub = str(FIXTURES / "recorded-session.pub")
    txt = str(FIXTURES / "recorded-session.txt")
    args = [{"PUB": pub, "TXT": txt}.get(a, a) for a in args]
    out = run_cli(cli, ["verify", "--json", *args, str(path)])
    assert out.returncode in (0, 1), out.stderr
    expected = json.loads(out.stdout)
    kwargs = dict(zip(args[::2], args[1::2])) if "--any-signer" not in args else {}
    py = {
        "task": kwargs.get("--task"),
        "nonce": kwargs.get("--nonce"),
        "pubkey": Path(pub).read_bytes() if "--pubkey" in args else None,
        "text": Path(txt).read_bytes() if "--text" in args else None,
        "any_signer": "--any-signer" in args,
    }
    assert handprint.verify(data, **py) == expected


def test_verify_row_gives_exactly_the_rows_of_the_cli_batch(cli, tmp_path, bundle, pubkey, text):
    (tmp_path / "a.handprint").write_bytes(bundle)
    (tmp_path / "a.txt").write_bytes(text)
    (tmp_path / "b.handprint").write_bytes(tampered(bundle))
    (tmp_path / "c.handprint").write_bytes(bundle)
    (tmp_path / "c.txt").write_text("something else")
    (tmp_path / "d.handprint").write_bytes(b"not a record")
    (tmp_path / "e.handprint").write_bytes(bundle)
    (tmp_path / "e.txt").write_bytes(b"\xff not utf-8")
    pub = FIXTURES / "recorded-session.pub"
    expected = cli_rows(cli, [str(tmp_path), "--task", TASK, "--pubkey", str(pub)])
    assert [Path(r["file"]).name for r in expected] == [f"{n}.handprint" for n in "abcde"]
    rows = []
    for name in "abcde":
        path = tmp_path / f"{name}.handprint"
        txt = path.with_suffix(".txt")
        rows.append(
            handprint.verify_row(
                path.read_bytes(),
                file=str(path),
                text=txt.read_bytes() if txt.exists() else None,
                task=TASK,
                pubkey=pubkey,
            )
        )
    assert rows == expected
    assert [r["valid"] for r in rows] == [True, False, False, False, False]
    assert rows[3]["unusable"] and rows[4]["unusable"]


def test_analyze_gives_exactly_what_the_cli_prints(cli, bundle):
    out = run_cli(cli, ["analyze", "--json", str(FIXTURES / "recorded-session.handprint")])
    assert out.returncode == 0, out.stderr
    assert handprint.analyze(bundle) == json.loads(out.stdout)


def test_analyze_of_a_journal_that_does_not_replay_raises_the_cli_message(cli, tmp_path):
    journal = (FIXTURES / "sample-session.jsonl").read_bytes().splitlines(keepends=True)
    broken = b"".join(journal[:3] + journal[4:])  # a line missing: the chain breaks
    path = tmp_path / "broken.jsonl"
    path.write_bytes(broken)
    out = run_cli(cli, ["analyze", str(path)])
    assert out.returncode == 1
    expected = out.stdout.splitlines()[0].replace(str(path), "(input)")
    with pytest.raises(handprint.HandprintError) as e:
        handprint.analyze(broken)
    assert str(e.value) == expected


def test_text_at_is_the_text_the_cli_gives_after_that_event(cli, bundle):
    file = str(FIXTURES / "recorded-session.handprint")
    for event in (0, 5, 30, 100):
        out = run_cli(cli, ["journal", "text", "--at", str(event), file])
        assert out.returncode == 0, out.stderr
        assert handprint.text_at(bundle, event) == out.stdout
    with pytest.raises(handprint.HandprintError, match="past the end"):
        handprint.text_at(bundle, 10**6)


def test_the_package_ships_its_type_stubs():
    files = {p.name for p in resources.files("handprint").iterdir()}
    assert {"py.typed", "_native.pyi"} <= files, files
    assert issubclass(handprint.HandprintError, Exception)
    assert handprint.__version__
