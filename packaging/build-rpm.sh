#!/usr/bin/env bash
# Builds the RPM package (cargo-generate-rpm, metadata in Cargo.toml
# [package.metadata.generate-rpm]) and prints its path on the last line.
# HANDPRINT_PROFILE picks the cargo profile (default release).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-release.sh"
ensure_cargo_tool cargo-generate-rpm 0.21.1
mkdir -p "$target_dir/rpm"
cargo generate-rpm --profile "$profile" --target-dir "$target_dir" --output "$target_dir/rpm/"
ls -t "$target_dir"/rpm/*.rpm | head -n 1
