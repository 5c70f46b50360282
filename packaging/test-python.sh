#!/usr/bin/env bash
# The Python package's tests (docs/PYTHON.md): a virtual environment under the target folder,
# the package installed from the repository with one pip command (maturin builds the native
# module over the headless core), then pytest over python/tests — the API, the JSON shapes
# against the CLI's, and the Dask job on a LocalCluster of 2 workers over 500 bundles.
# Works as root on a fresh Debian 12 with no display. Arguments go to pytest.
#
# HANDPRINT_PYTHON_PROFILE: the Cargo profile of the native module (default `dev`, which
# reuses the headless core CI has just built; `release` is what a plain `pip install ./python`
# builds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"

# Debian's python3 has no ensurepip (so no venv) without python3-venv; and its system pip
# refuses to install into the system's Python (PEP 668), hence the virtual environment.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  echo "handprint test-python: installing python3-venv"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/python-venv"
# A virtual environment's scripts name its folder in their first line: one made elsewhere
# (a moved or copied target folder) is made again.
if [ "$(cat "$venv/.made-for" 2>/dev/null)" != "$venv" ] || [ ! -x "$venv/bin/python" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  echo "$venv" > "$venv/.made-for"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet pytest 'dask[distributed]' pyarrow pandas fsspec

echo "== pip install ./python (profile ${HANDPRINT_PYTHON_PROFILE:-dev})"
MATURIN_PEP517_ARGS="--profile ${HANDPRINT_PYTHON_PROFILE:-dev}" \
  "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./python

# The CLI whose output the tests compare with, built as packaging/build-release.sh builds it
# for CI's package (all features, dev profile), so neither build replaces the other's binary.
cargo build --quiet --locked -p handprint --all-features --bin handprint
export HANDPRINT_BIN="$target/debug/handprint"

echo "== pytest python/tests"
# The pytest script, not `python -m pytest`: that would put the working folder first on the
# path, and python/handprint (the sources, without the built module) would shadow the package.
"$venv/bin/pytest" -q -p no:cacheprovider python/tests "$@"
