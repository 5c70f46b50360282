#!/usr/bin/env bash
# Sets up what is missing and runs every test: unit, integration, egui_kittest UI tests, and
# the end-to-end tests in a real window. Without a display it starts a virtual one (Xvfb) and a
# window manager (openbox), which egui needs to receive keyboard input.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source packaging/setup-debian.sh
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 120); do [ -e "/tmp/.X11-unix/X$n" ] || { disp=":$n"; break; }; done
  Xvfb "$disp" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  export DISPLAY="$disp"
  for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
  openbox >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
fi
export HANDPRINT_E2E=1
export LIBGL_ALWAYS_SOFTWARE=1

cargo test --all-features "$@"
# Hostile sizes (a 1 GB bundle, a 100 MB line, ten million events): #[ignore]d in the normal
# run because each writes hundreds of MB and peaks at about 4 GB of memory; about 30 s here.
cargo test --all-features --test hostile_input -- --ignored --test-threads 1
