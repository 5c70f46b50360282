#!/usr/bin/env bash
# Builds the Debian package (cargo-deb, metadata in Cargo.toml [package.metadata.deb]) and
# prints its path on the last line. HANDPRINT_PROFILE picks the cargo profile (default release).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-release.sh"
ensure_cargo_tool cargo-deb 3.8.0
mkdir -p "$target_dir/debian"
# --no-build: build-release.sh built the binary and generated the man pages it packages.
cargo deb --no-build --strip --profile "$profile" --output "$target_dir/debian/" \
  | tail -n 1
