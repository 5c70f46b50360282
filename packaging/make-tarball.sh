#!/usr/bin/env bash
# Builds the release tarball for Linux x86_64: the binary, man pages, completions, desktop
# entries, icons, MIME type, AppStream metadata and docs, laid out under usr/ so that
#   tar -xzf handprint-<version>-x86_64-linux.tar.gz -C ~/.local --strip-components=2
# (or -C /usr/local as root) installs it. Prints the tarball's path on the last line.
# HANDPRINT_PROFILE picks the cargo profile (default release).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-release.sh"

name="handprint-${version}-$(uname -m)-linux"
stage="$target_dir/tarball/$name"
rm -rf "$stage"
install -Dm755 "$profile_dir/handprint" "$stage/usr/bin/handprint"
install -Dm644 -t "$stage/usr/share/applications" assets/*.desktop
install -Dm644 -t "$stage/usr/share/metainfo" assets/dev.handprint.Handprint.metainfo.xml
install -Dm644 assets/handprint-mime.xml "$stage/usr/share/mime/packages/handprint.xml"
install -Dm644 assets/icons/handprint.svg \
  "$stage/usr/share/icons/hicolor/scalable/apps/dev.handprint.Handprint.svg"
(cd assets/icons && find hicolor -name '*.png' -exec install -Dm644 {} "$stage/usr/share/icons/{}" \;)
install -Dm644 -t "$stage/usr/share/man/man1" "$profile_dir"/generated/man/man1/*.1.gz
install -Dm644 "$profile_dir/generated/completions/handprint" \
  "$stage/usr/share/bash-completion/completions/handprint"
install -Dm644 "$profile_dir/generated/completions/_handprint" \
  "$stage/usr/share/zsh/site-functions/_handprint"
install -Dm644 "$profile_dir/generated/completions/handprint.fish" \
  "$stage/usr/share/fish/vendor_completions.d/handprint.fish"
install -Dm644 -t "$stage/usr/share/doc/handprint" README.md
install -Dm644 -t "$stage/usr/share/doc/handprint/docs" docs/*.md docs/journal.schema.json

tarball="$target_dir/tarball/$name.tar.gz"
# Reproducible: fixed owner, order and times (the commit's time).
mtime="$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" \
  -C "$target_dir/tarball" -cf - "$name" | gzip -9n > "$tarball"
echo "$tarball"
