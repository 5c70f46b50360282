#!/usr/bin/env python3
"""An independent Handprint verifier, written from docs/FORMAT.md alone.

It shares no code with the Rust implementation, so when tests/independent_verifier.rs runs it
and `handprint verify` over the same records (valid, tampered, re-signed, mutated) and their
verdicts agree, the specification and the code have not drifted apart.

Usage: independent_verifier.py FILE [--pubkey KEYFILE | --any-signer]
Prints one line "valid", "invalid: <check>: <why>" or "unusable: <why>"; exits 0, 1 or 2.

Checked as FORMAT.md says, except the `analysis` member of the predicate: it is the output
of Handprint's analysis, which only the Rust code recomputes (FORMAT.md says so).
Needs Python 3.9+ and the `cryptography` package (Ed25519).
"""

import base64
import binascii
import datetime
import hashlib
import json
import re
import sys
import unicodedata

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Invalid(Exception):
    """A check failed (exit 1)."""

    def __init__(self, check, why):
        super().__init__(f"{check}: {why}")


class Unusable(Exception):
    """The file is not a record at all (exit 2)."""


# --- JSON rules ("JSON rules") ------------------------------------------------------------

class Float(float):
    """A number written with a fraction or exponent: never an integer."""


def _pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate member name")
    return dict(pairs)


def _no_surrogates(v):
    if isinstance(v, str):
        v.encode("utf-8")  # raises on a lone surrogate
    elif isinstance(v, dict):
        for k, x in v.items():
            _no_surrogates(k)
            _no_surrogates(x)
    elif isinstance(v, list):
        for x in v:
            _no_surrogates(x)


def strict_json(data):
    text = data.decode("utf-8")  # strict: invalid UTF-8 raises
    def refuse(c):
        raise ValueError(f"{c} is not JSON")
    v = json.loads(text, object_pairs_hook=_pairs, parse_float=Float, parse_constant=refuse)
    _no_surrogates(v)
    return v


def is_uint(v):
    return type(v) is int and 0 <= v < 2**64


def is_str(v):
    return type(v) is str


# --- base64 -------------------------------------------------------------------------------

def b64_standard_strict(s):
    """Standard alphabet, padded, trailing bits zero: exactly one text per value."""
    if not is_str(s):
        return None
    try:
        raw = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode() == s else None


def b64_dsse(s):
    """Standard or URL-safe alphabet (not mixed), padded or not, trailing bits zero."""
    if not is_str(s):
        return None
    std, url = bool(re.search(r"[+/]", s)), bool(re.search(r"[-_]", s))
    if std and url:
        return None
    body = s.rstrip("=")
    if url:
        body = body.replace("-", "+").replace("_", "/")
    if len(body) % 4 == 1:
        return None
    padded = body + "=" * (-len(body) % 4)
    if "=" in s and s.replace("-", "+").replace("_", "/") != padded:
        return None  # padding present but not the right amount
    raw = b64_standard_strict(padded)
    return raw


# --- keys ---------------------------------------------------------------------------------

def ssh_blob(key):
    return b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + key


def fingerprint(key):
    digest = hashlib.sha256(ssh_blob(key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def ed25519_ok(key, message, sig):
    if len(key) != 32 or len(sig) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def read_pubkey(data):
    if len(data) == 32:
        return data
    text = data.decode().strip()
    if text.startswith("ssh-ed25519"):
        blob = base64.b64decode(text.split()[1])
        if blob[:-32] + blob[-32:] == ssh_blob(blob[-32:]):
            return blob[-32:]
    if text.startswith("-----BEGIN PUBLIC KEY-----"):
        der = base64.b64decode("".join(l for l in text.splitlines() if not l.startswith("-----")))
        if der[:12] == bytes.fromhex("302a300506032b6570032100") and len(der) == 44:
            return der[12:]
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text)
    raise Unusable("the public key file is not an Ed25519 key")


# --- times --------------------------------------------------------------------------------

RFC3339_UTC = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z")


def parse_wall(s):
    m = RFC3339_UTC.fullmatch(s) if is_str(s) else None
    if not m:
        return None
    y, mo, d, h, mi, sec, frac = m.groups()
    us = int((frac or "0").ljust(6, "0")[:6])
    try:
        return datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec), us,
                                 tzinfo=datetime.timezone.utc)
    except ValueError:
        return None


def format_wall(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- normal form ("Normalized text") ------------------------------------------------------

WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def rstrip_ws(s):
    end = len(s)
    while end and s[end - 1] in WHITE_SPACE:
        end -= 1
    return s[:end]


def normalize(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return rstrip_ws("\n".join(rstrip_ws(line) for line in text.split("\n")))


def sha256_hex(b):
    return hashlib.sha256(b).hexdigest()


# --- journal ("Journal", "Hash chain", "Structure rules", "Events") -----------------------

TAGS = {"start", "kd", "ku", "ed", "sel", "copy", "focus", "pause", "resume", "away", "clock",
        "ckpt", "recovered", "end", "wit", "kbds", "cap", "app", "file"}
CAUSES = {"typed", "paste_ext", "paste_int", "cut", "undo", "redo", "ime", "input_method", "drop",
          "file", "other"}
TAIL = re.compile(rb',"h":"([A-Za-z0-9_-]{16})"\}')


def read_journal(data):
    """Parses and checks a journal; returns (lines, head) or raises Invalid("chain", …)."""
    if not data.endswith(b"\n"):
        raise Invalid("chain", "the last line is cut off")
    chain = hashlib.sha256(b"handprint journal v1").digest()
    lines, prev_t, ended = [], 0, False
    for n, raw in enumerate(data[:-1].split(b"\n")):
        bad = lambda why: Invalid("chain", f"line {n + 1}: {why}")
        m = TAIL.fullmatch(raw[-24:]) if len(raw) >= 24 else None
        if not m:
            raise bad("no chain tag")
        if not re.match(rb'\{"s":[0-9]+,"t":[0-9]+,"e":"', raw):
            raise bad("the line does not begin with s, t, e")
        try:
            obj = strict_json(raw)
        except (ValueError, UnicodeDecodeError) as e:
            raise bad(f"not a JSON event ({e})")
        if not isinstance(obj, dict):
            raise bad("not an object")
        if obj.get("s") != n or not is_uint(obj.get("s")):
            raise bad("wrong sequence number")
        t, e = obj.get("t"), obj.get("e")
        if not is_uint(t):
            raise bad("t is not an integer")
        if e not in TAGS:
            raise bad(f"unknown event {e!r}")
        if e == "ckpt" and obj.get("head") != chain.hex():
            raise bad("checkpoint head is not the chain so far")
        chain = hashlib.sha256(chain + raw[:-24]).digest()
        if base64.urlsafe_b64encode(chain[:12]).decode() != m.group(1).decode():
            raise bad("chain tag does not match")
        if t < prev_t:
            raise bad("time goes backwards")
        if (e == "start") != (n == 0):
            raise bad("start must be line 0 and only line 0")
        if ended and e != "ckpt":
            raise bad("event after end")
        ended = ended or e == "end"
        check_members(obj, bad)
        prev_t = t
        lines.append(obj)
    if not lines:
        raise Invalid("chain", "empty journal")
    return lines, chain.hex()


def check_members(o, bad):
    e = o["e"]
    need = {
        "start": {"format": is_uint, "session": is_str, "task": is_str, "app": is_str,
                  "os": is_str, "wall": is_str, "sources": lambda v: isinstance(v, list)},
        "ed": {"p": is_uint},
        "sel": {"a": is_uint, "b": is_uint},
        "copy": {"a": is_uint, "b": is_uint},
        "focus": {"on": lambda v: type(v) is bool},
        "away": {"n": lambda v: isinstance(v, dict) and all(is_uint(x) for x in v.values())},
        "clock": {"wall": is_str},
        "ckpt": {"head": is_str},
        "recovered": {"dropped": is_uint, "wall": is_str},
        "end": {"sha256": is_str, "chars": is_uint},
        "kbds": {"list": lambda v: isinstance(v, list)},
        "cap": {"what": is_str},
        "app": {"name": is_str},
        "file": {"what": is_str},
        "wit": {"n": is_uint, "head": is_str, "at": is_str, "key": is_str, "sig": is_str},
        "kd": {"k": is_str}, "ku": {"k": is_str},
    }.get(e, {})
    for k, ok in need.items():
        if k not in o or not ok(o[k]):
            raise bad(f"{e}.{k} is missing or of the wrong type")
    if e == "ed":
        for k in ("d", "i"):
            if not is_str(o.get(k, "")):
                raise bad(f"ed.{k} is not a string")
        if o.get("c", "typed") not in CAUSES:
            raise bad("unknown cause")


def replay(lines):
    text, counts = [], {"typed": 0, "pasted_external": 0, "pasted_internal": 0, "deleted": 0}
    for o in lines:
        e = o["e"]
        if e == "ed":
            p, d, i = o["p"], o.get("d", ""), o.get("i", "")
            if p > len(text) or "".join(text[p:p + len(d)]) != d:
                raise Invalid("replay", f"event {o['s']}: the edit does not apply")
            text[p:p + len(d)] = list(i)
            c = o.get("c", "typed")
            key = {"typed": "typed", "paste_ext": "pasted_external",
                   "paste_int": "pasted_internal"}.get(c)
            if key:
                counts[key] += len(i)
            counts["deleted"] += len(d)
        elif e == "sel" and (o["a"] > len(text) or o["b"] > len(text)):
            raise Invalid("replay", f"event {o['s']}: selection outside the text")
        elif e == "copy" and not (o["a"] <= o["b"] <= len(text)):
            raise Invalid("replay", f"event {o['s']}: copy outside the text")
        elif e == "end":
            final = "".join(text)
            if o["sha256"] != sha256_hex(final.encode()) or o["chars"] != len(final):
                raise Invalid("replay", "the end does not record the replayed text")
    return "".join(text), counts


def active_us(lines):
    total, paused = 0, False
    for a, b in zip(lines, lines[1:]):
        if a["e"] == "pause":
            paused = True
        elif a["e"] == "resume":
            paused = False
        if not paused:
            total += b["t"] - a["t"]
    return total


# --- bundle ("Bundle and attestation", "Verification") ------------------------------------

STATEMENT_KEYS = {"_type", "subject", "predicateType", "predicate"}
PREDICATE_KEYS = {"session", "task", "nonce", "started", "ended", "active_us", "tool", "sources",
                  "counts", "events", "checkpoints", "journal_bytes", "journal_head", "signer",
                  "analysis"}
SUBJECTS = ["response.txt", "response.normalized.txt", "journal.jsonl"]
PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type, body):
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d " % (len(t), t, len(body)) + body


def verify(data, pubkey=None, any_signer=False):
    if data.startswith(b'{"s":'):
        if not data.startswith(b'{"s":0,'):
            raise Unusable("not a journal")
        read_journal(data)
        raise Invalid("signed", "a bare journal is never valid")
    if not data.lstrip(b" \t\r\n").startswith(b"{"):
        raise Unusable("not a Handprint file")
    try:
        bundle = strict_json(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise Unusable(f"not JSON: {e}")
    if not isinstance(bundle, dict) or set(bundle) != {"format", "envelope", "journal"}:
        raise Unusable("not a bundle (members format, envelope, journal)")
    env = bundle["envelope"]
    if bundle["format"] != "handprint-bundle/v1" or not isinstance(env, dict):
        raise Unusable("not a handprint-bundle/v1")
    if set(env) != {"payload", "payloadType", "signatures"} or not isinstance(env["signatures"], list):
        raise Unusable("the envelope's members are not payload, payloadType, signatures")
    for s in env["signatures"]:
        if not isinstance(s, dict) or not set(s) <= {"keyid", "sig"} or "sig" not in s \
                or not all(is_str(v) for v in s.values()):
            raise Unusable("a signature's members are not keyid, sig")
    if not is_str(env["payload"]) or not is_str(env["payloadType"]):
        raise Unusable("payload and payloadType must be strings")
    journal = b64_standard_strict(bundle["journal"])
    if journal is None:
        raise Unusable("the journal is not standard padded base64")

    body = b64_dsse(env["payload"])
    if body is None:
        raise Invalid("statement", "the payload is not base64")
    try:
        st = strict_json(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise Invalid("statement", f"not JSON: {e}")
    pred = st.get("predicate") if isinstance(st, dict) else None
    if not isinstance(st, dict) or set(st) != STATEMENT_KEYS or not isinstance(pred, dict):
        raise Invalid("statement", "not a statement with exactly its four members")
    if not set(pred) <= PREDICATE_KEYS or not PREDICATE_KEYS - {"nonce", "analysis"} <= set(pred):
        raise Invalid("statement", "the predicate's members are not the documented ones")
    pred.setdefault("nonce", None)
    pred.setdefault("analysis", None)
    if st["_type"] != "https://in-toto.io/Statement/v1" \
            or st["predicateType"] != "https://handprint.dev/attestation/v1":
        raise Invalid("statement", "wrong _type or predicateType")
    subj = st["subject"]
    if not isinstance(subj, list) or [s.get("name") if isinstance(s, dict) else None for s in subj] != SUBJECTS:
        raise Invalid("statement", "the subjects are not exactly the three")
    digests = {}
    for s in subj:
        if set(s) != {"name", "digest"} or not isinstance(s["digest"], dict) \
                or set(s["digest"]) != {"sha256"} \
                or not re.fullmatch(r"[0-9a-f]{64}", str(s["digest"]["sha256"])) \
                or not is_str(s["digest"]["sha256"]):
            raise Invalid("statement", f"subject {s['name']} is not one sha256 digest")
        digests[s["name"]] = s["digest"]["sha256"]
    for name, keys in (("tool", {"name", "version"}),
                       ("counts", {"typed", "pasted_external", "pasted_internal", "deleted"}),
                       ("signer", {"fingerprint", "public_key"})):
        if not isinstance(pred[name], dict) or set(pred[name]) != keys:
            raise Invalid("statement", f"predicate.{name} members")
    signer_key = b64_standard_strict(pred["signer"]["public_key"])
    if signer_key is None or len(signer_key) != 32 \
            or fingerprint(signer_key) != pred["signer"]["fingerprint"]:
        raise Invalid("statement", "signer.fingerprint is not that of signer.public_key")

    fp = fingerprint(signer_key)
    if pubkey is not None:
        if fingerprint(pubkey) != fp:
            raise Invalid("signer", "not the required key")
    elif not any_signer:
        raise Invalid("signer", "signer not pinned")
    key = pubkey if pubkey is not None else signer_key
    if env["payloadType"] != PAYLOAD_TYPE or len(env["signatures"]) != 1:
        raise Invalid("signature", "wrong payload type or not exactly one signature")
    sig = env["signatures"][0]
    raw = b64_dsse(sig["sig"])
    if sig.get("keyid", "") != fp or raw is None or not ed25519_ok(key, pae(PAYLOAD_TYPE, body), raw):
        raise Invalid("signature", "the signature does not verify")

    if sha256_hex(journal) != digests["journal.jsonl"]:
        raise Invalid("journal-digest", "the journal is not the attested one")
    lines, head = read_journal(journal)
    start = lines[0]
    for o in lines:
        if o["e"] in ("start", "clock", "recovered") and parse_wall(o["wall"]) is None:
            raise Invalid("wall-times", f"event {o['s']}: not an RFC 3339 UTC time")
    try:
        ended = format_wall(parse_wall(start["wall"]) + datetime.timedelta(microseconds=lines[-1]["t"]))
    except OverflowError:
        raise Invalid("wall-times", "the end is not a representable time")
    ckpts = [o for o in lines if o["e"] == "ckpt"]
    if not ckpts:
        raise Invalid("checkpoints", "no signed checkpoint")
    for c in ckpts:
        csig = b64_standard_strict(c.get("sig"))
        msg = f"handprint-checkpoint-v1\n{start['session']}\n{c['s']}\n{c['head']}".encode()
        if c.get("key") != fp or csig is None or not ed25519_ok(key, msg, csig):
            raise Invalid("checkpoints", f"event {c['s']}: the checkpoint signature does not verify")
    text, counts = replay(lines)
    if not any(o["e"] == "end" for o in lines):
        raise Invalid("replay", "no end event")
    if sha256_hex(text.encode()) != digests["response.txt"] \
            or sha256_hex(normalize(text).encode()) != digests["response.normalized.txt"]:
        raise Invalid("replay", "the replayed text is not the attested one")
    name, _, version = start["app"].partition(" ")
    facts = {
        "session": start["session"], "task": start["task"], "nonce": start.get("nonce"),
        "started": start["wall"], "ended": ended, "active_us": active_us(lines),
        "tool": {"name": name, "version": version}, "sources": start["sources"],
        "counts": counts, "events": len(lines), "checkpoints": len(ckpts),
        "journal_bytes": len(journal), "journal_head": head,
        "signer": {"fingerprint": fp, "public_key": base64.b64encode(signer_key).decode()},
    }
    for k, v in facts.items():
        if pred[k] != v or type(pred[k]) is not type(v):
            raise Invalid("facts", f"{k}: attested {pred[k]!r}, journal shows {v!r}")


def main(argv):
    args = argv[1:]
    any_signer = "--any-signer" in args
    pubkey = None
    if "--pubkey" in args:
        with open(args[args.index("--pubkey") + 1], "rb") as f:
            pubkey = read_pubkey(f.read())
    try:
        with open(args[0], "rb") as f:
            data = f.read()
        if not data:
            raise Unusable("empty file")
        verify(data, pubkey, any_signer)
    except Unusable as e:
        print(f"unusable: {e}")
        return 2
    except OSError as e:
        print(f"unusable: {e}")
        return 2
    except Invalid as e:
        print(f"invalid: {e}")
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
