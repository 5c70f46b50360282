#!/usr/bin/env bash
# The Debian package as a user gets it: build it, install it with dpkg (its declared
# dependencies resolved by apt), use the installed files, start the app from its desktop
# entries under a virtual display, and remove it cleanly. Run as root (CI is); called by .ci/run.
#
# HANDPRINT_PROFILE picks the cargo profile (default "package-test", release without LTO; see
# Cargo.toml). CI sets "dev" to package the binary its test run already built (stripped):
# the packaged files and behaviour are the same and no second optimised build is needed. HANDPRINT_SCREENSHOTS=DIR keeps the screenshots of the started app there.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export HANDPRINT_PROFILE="${HANDPRINT_PROFILE:-package-test}"
[ "$(id -u)" -eq 0 ] || { echo "test-deb.sh installs a package: run it as root" >&2; exit 2; }

fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
step() { echo "== test-deb: $*"; }

deb="$(bash packaging/build-deb.sh | tail -n 1)"
[ -f "$deb" ] || fail "build-deb.sh did not produce a package (got '$deb')"
step "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  dpkg-query -W -f='${Status}' handprint 2>/dev/null | grep -q installed && dpkg --purge handprint >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# ---- install: dpkg, then apt completes whatever the declared dependencies still need
if dpkg-query -W -f='${Status}' handprint 2>/dev/null | grep -q installed; then
  dpkg --purge handprint >/dev/null
fi
step "dpkg -i"
if ! dpkg -i "$deb"; then
  step "apt-get -f install (declared dependencies)"
  DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >/dev/null
fi
dpkg-query -W -f='${Status}' handprint | grep -q "install ok installed" || fail "handprint is not installed"
dpkg-query -L handprint | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done | sort > "$work/files"
[ "$(command -v handprint)" = /usr/bin/handprint ] || fail "handprint is not /usr/bin/handprint on PATH"

# ---- the installed binary
step "handprint --version"
version_line="$(handprint --version)"
echo "$version_line"
if commit="$(git log -1 --format=%h --abbrev=12 2>/dev/null)"; then
  [[ "$version_line" == "handprint "*"(commit $commit, "* ]] || fail "--version does not name commit $commit"
fi

step "the installed binary verifies the signed fixture, pinned to its key"
fx=tests/fixtures
handprint verify "$fx/recorded-session.handprint" --pubkey "$fx/recorded-session.pub" \
  --text "$fx/recorded-session.txt" --task DEMO-7 --nonce n-4821 | tee "$work/verify.out"
grep -q '^valid' "$work/verify.out" || fail "the fixture did not verify"
step "and refuses it pinned to another key (exit 1)"
set +e
handprint verify "$fx/recorded-session.handprint" \
  --fingerprint SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA >/dev/null
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "verify with a wrong fingerprint exited $rc, expected 1"

# ---- desktop integration
step "desktop-file-validate, appstreamcli validate"
desktop-file-validate /usr/share/applications/dev.handprint.Handprint.desktop \
  /usr/share/applications/dev.handprint.Handprint.Viewer.desktop
# --no-net: the screenshots are published at handprint.dev, which CI cannot reach.
appstreamcli validate --no-net /usr/share/metainfo/dev.handprint.Handprint.metainfo.xml

step ".handprint files are a registered type, opened by the viewer entry"
[ -f /usr/share/mime/application/x-handprint.xml ] || fail "update-mime-database did not register application/x-handprint"
grep -q 'application/x-handprint=.*dev.handprint.Handprint.Viewer.desktop' \
  /usr/share/applications/mimeinfo.cache || fail "no desktop entry opens application/x-handprint"

step "man pages and completions"
for page in handprint handprint-verify handprint-replay; do
  [ -f "/usr/share/man/man1/$page.1.gz" ] || fail "no man page $page.1.gz"
done
zcat /usr/share/man/man1/handprint-verify.1.gz | grep -q 'fingerprint' || fail "handprint-verify(1) lacks its options"
bash -c 'source /usr/share/bash-completion/completions/handprint && complete -p handprint' >/dev/null \
  || fail "the bash completion does not load"
[ -f /usr/share/zsh/vendor-completions/_handprint ] || fail "no zsh completion"
[ -f /usr/share/fish/vendor_completions.d/handprint.fish ] || fail "no fish completion"
for size in 16x16 48x48 256x256 scalable; do
  ls /usr/share/icons/hicolor/$size/apps/dev.handprint.Handprint.* >/dev/null || fail "no $size icon"
done

# ---- the app, started the way the desktop starts it
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
export LIBGL_ALWAYS_SOFTWARE=1
shots="${HANDPRINT_SCREENSHOTS:-$work}"
mkdir -p "$shots"

# The Exec line of an installed entry with %f replaced by FILE (the desktop entry spec's
# field code for one file), as a file manager would run it.
exec_line() {
  local entry="/usr/share/applications/$1" file="${2:-}"
  local line
  line="$(grep -m1 '^Exec=' "$entry" | cut -d= -f2-)"
  echo "${line//%f/$file}"
}

# The installed packages the running process maps libraries from must all be the package
# itself or among its declared dependencies (and theirs): then `apt-get install handprint`
# alone brings everything the window needs, including what it opens with dlopen.
dependency_closure() {
  local queue=(handprint) seen=" handprint " p dep
  while [ ${#queue[@]} -gt 0 ]; do
    p="${queue[0]}"; queue=("${queue[@]:1}")
    for dep in $(dpkg-query -W -f='${Depends},${Pre-Depends}\n' "$p" 2>/dev/null \
        | tr ',|' '\n\n' | sed 's/([^)]*)//g; s/:any//; s/ //g' | sed '/^$/d'); do
      dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q "install ok installed" || continue
      [[ "$seen" == *" $dep "* ]] && continue
      seen+="$dep "
      queue+=("$dep")
    done
  done
  echo "$seen"
}

owner_of() {
  local f="$1" alt
  dpkg-query -S "$f" 2>/dev/null && return
  # usrmerge: dpkg may know the file under /lib rather than /usr/lib, or the other way.
  case "$f" in /usr/lib/*) alt="${f#/usr}" ;; /lib/*) alt="/usr$f" ;; *) return 1 ;; esac
  dpkg-query -S "$alt" 2>/dev/null
}

start_from_entry() {
  local entry="$1" file="$2" title="$3" shot="$4"
  local cmd
  cmd="$(exec_line "$entry" "$file")"
  step "start '$cmd' (from $entry)"
  HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" bash -c "exec $cmd" \
    >"$work/app.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local win=""
  for _ in $(seq 100); do
    win="$(xdotool search --name "$title" 2>/dev/null | head -n 1)" && [ -n "$win" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/app.log"; fail "the app exited before its window opened"; }
    sleep 0.2
  done
  [ -n "$win" ] || { cat "$work/app.log"; fail "no window titled '$title'"; }
  sleep 3 # let it draw its first frames
  xprop -id "$win" WM_CLASS 2>/dev/null | grep -q dev.handprint.Handprint \
    || fail "the window's WM_CLASS does not name the desktop entry: $(xprop -id "$win" WM_CLASS 2>&1)"
  import -window root "$shots/$shot"
  step "screenshot: $shots/$shot"

  local closure lib pkg missing=() checked=0
  closure="$(dependency_closure)"
  for lib in $(grep -o '/[^ ]*\.so[^ ]*' "/proc/$pid/maps" | sort -u); do
    checked=$((checked + 1))
    pkg="$(owner_of "$lib" | head -n 1 | cut -d: -f1)" || { missing+=("$lib (no package)"); continue; }
    [[ "$closure" == *" $pkg "* ]] || missing+=("$lib ($pkg)")
  done
  [ ${#missing[@]} -eq 0 ] || fail "libraries from undeclared packages: ${missing[*]}"
  [ "$checked" -gt 10 ] || fail "only $checked libraries mapped: is this the window process?"
  step "each of the $checked libraries it loaded comes from a declared dependency"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

mkdir -p "$work/home"
start_from_entry dev.handprint.Handprint.desktop "" "^Handprint$" installed-app.png
start_from_entry dev.handprint.Handprint.Viewer.desktop "$repo/$fx/recorded-session.handprint" \
  "replay viewer" installed-viewer.png

# ---- remove: nothing of the package stays behind
step "dpkg -r, dpkg --purge"
dpkg -r handprint >/dev/null
# Without conffiles, -r already removes everything; purge whatever state is left.
if dpkg-query -W -f='${Status}' handprint 2>/dev/null | grep -q config-files; then
  dpkg --purge handprint >/dev/null
fi
! dpkg-query -W -f='${Status}' handprint 2>/dev/null | grep -q installed || fail "still installed"
left="$(while read -r f; do if [ -e "$f" ]; then echo "$f"; fi; done < "$work/files")"
[ -z "$left" ] || fail "files left after purge: $left"
[ ! -e /usr/share/mime/application/x-handprint.xml ] || fail "the MIME type is still registered"
! grep -q 'x-handprint' /usr/share/applications/mimeinfo.cache 2>/dev/null \
  || fail "a desktop entry for x-handprint is still registered"
step "passed"
