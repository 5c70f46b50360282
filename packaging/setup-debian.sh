#!/usr/bin/env bash
# Installs what Handprint needs on Debian/Ubuntu: the system packages in deps-debian.txt that
# are missing, and a Rust toolchain if there is none. Safe to run again: it only adds what is
# missing. Uses sudo when not root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

mapfile -t wanted < <(grep -v '^\s*#' "$here/deps-debian.txt" | sed '/^\s*$/d')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "handprint setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "handprint setup: installing the Rust toolchain (rustup, stable)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain stable
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

# The end-to-end test of a pynput-driven auto-typer (tests/e2e_key_source.rs) needs pynput.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import pynput' >/dev/null 2>&1; then
  echo "handprint setup: installing pynput (pip) for the auto-typer end-to-end test"
  python3 -m pip install --quiet pynput >/dev/null 2>&1 \
    || python3 -m pip install --quiet --break-system-packages pynput >/dev/null
fi
