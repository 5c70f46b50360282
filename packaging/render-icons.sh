#!/usr/bin/env bash
# Renders the app icon's PNG sizes from its SVG source into the freedesktop hicolor layout.
# Run after editing assets/icons/handprint.svg and commit the PNGs, so building and packaging
# need no SVG renderer. Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../assets/icons"
for size in 16 24 32 48 64 128 256 512; do
  dir="hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  rsvg-convert --width "$size" --height "$size" handprint.svg --output "$dir/dev.handprint.Handprint.png"
done
echo "rendered: $(ls hicolor | tr '\n' ' ')"
