#!/usr/bin/env bash
# Sets up what is missing, builds Handprint (release) and opens the app.
# Extra arguments go to handprint, e.g. `packaging/run-app.sh replay record.handprint`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source packaging/setup-debian.sh
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --release --quiet -- "$@"
