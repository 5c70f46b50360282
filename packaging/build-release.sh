#!/usr/bin/env bash
# Builds what every package holds: the handprint binary and, generated from it, the man pages
# and shell completions. Sourced by build-deb.sh, build-rpm.sh and make-tarball.sh; sets
#   profile      the cargo profile ($HANDPRINT_PROFILE, default "release")
#   profile_dir  where that profile's output is (cargo-deb and cargo-generate-rpm call it
#                "target/release/" in Cargo.toml whatever its real path)
#   version      the package version from Cargo.toml
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source packaging/setup-debian.sh
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"

profile="${HANDPRINT_PROFILE:-release}"
target_dir="$(cargo metadata --format-version 1 --no-deps | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)"
profile_dir="$target_dir/$profile"
# cargo keeps the dev profile's output in target/debug. CI packages that build (.ci/run): the
# test run has already compiled it, so packaging costs seconds instead of a second full
# optimised build; cargo-deb strips it (build-deb.sh). Releases use the release profile.
build_args=(--locked --profile "$profile")
if [ "$profile" = dev ]; then
  profile_dir="$target_dir/debug"
  build_args+=(--all-features)
fi
version="$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)"

start=$(date +%s)
cargo build "${build_args[@]}"
echo "handprint package: built the binary (profile $profile) in $(( $(date +%s) - start )) s;" \
  "$(stat -c %s "$profile_dir/handprint") bytes"

rm -rf "$profile_dir/generated"
"$profile_dir/handprint" generate-assets "$profile_dir/generated" >/dev/null
# Man pages are installed compressed (Debian policy 12.1); cargo-deb compresses only files
# from the source tree, not built ones, so compress here for every package.
gzip -9n "$profile_dir"/generated/man/man1/*.1

# Installs a cargo packaging tool once (kept in ~/.cargo/bin), pinned for repeatable packages.
ensure_cargo_tool() {
  local tool="$1" crate_version="$2"
  command -v "$tool" >/dev/null 2>&1 && return
  echo "handprint package: installing ${tool} ${crate_version} from crates.io (once)"
  cargo install --locked "$tool" --version "$crate_version" --quiet
}
