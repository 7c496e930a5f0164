#!/usr/bin/env bash
# Builds target/web/ahq-validate.html: ONE self-contained HTML page (the
# WebAssembly inlined) in which a member state checks its response with the
# same rules as `ahq validate`, opened from disk or any server, making no
# network request. The ahq-web crate (web/) compiled to wasm32 with
# Debian's rustc-web (rustup cannot fetch the wasm32 target here), bound with
# wasm-bindgen, shrunk with wasm-opt, gzipped by 7-Zip's deflate encoder (the
# page unpacks it with the browser's own DecompressionStream), inlined as
# base64 next to the JS glue.
#
# Installs what it needs (and says so); running it again installs nothing.
#   web/build.sh              build the page
#   web/build.sh --browser    also install Debian's chromium and npm playwright-core (for web/drive.mjs)
#   web/build.sh --dist       also keep it in the repository: web/dist/ahq-validate.html.gz (what
#                             `ahq template` writes beside each template, the query put in) and
#                             web/dist/SOURCES (the digest of what it was built from; tests/page.rs
#                             fails when the sources have changed since)
#
# Settings (environment):
#   OUT         the page to write                  (default: target/web/ahq-validate.html)
#   TOOLS       where wasm-bindgen / npm tools go  (default: ~/.cache/ahq-web-tools: kept by `cargo clean`)
#   WEB_TARGET  cargo target dir for the wasm build (default: target/web-build, apart from the
#               command line's: Debian's compiler builds it)
#   WASM_OPT    a wasm-opt to use instead of npm's binaryen. NOT Debian's binaryen 108 (/usr/bin/wasm-opt):
#               its output fails in the browser (WebAssembly.Table.set() in __wbindgen_init_externref_table)
# Rustup's cargo/rustc stay first on PATH; Debian's are only called by full path.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
CRATE_DIR="$HERE"
OUT="${OUT:-$ROOT/target/web/ahq-validate.html}"
TOOLS="${TOOLS:-${HOME:-/root}/.cache/ahq-web-tools}"
WEB_TARGET="${WEB_TARGET:-$ROOT/target/web-build}"
PAGE_DIR="$HERE/page"          # template.html + worker.js
# What the page is built from (tests/page.rs lists the same).
PAGE_SOURCES="Cargo.toml Cargo.lock crates/core/Cargo.toml crates/core/src web/Cargo.toml web/build.sh web/src web/page templates"
BINARYEN_VERSION=132.0.0       # npm's binaryen (Debian's binaryen 108 is too old for current rustc output)
PLAYWRIGHT_VERSION=1.65.1
WITH_BROWSER=0; DIST=0
for arg in "$@"; do
  case "$arg" in
    --browser) WITH_BROWSER=1 ;;
    --dist) DIST=1 ;;
    *) echo "build.sh: unknown option $arg (--browser, --dist)" >&2; exit 2 ;;
  esac
done

say() { printf '[build.sh] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
T_START=$SECONDS
STEP_NAME=""; STEP_T=$SECONDS; TIMES=()
end_step() { [[ -z "$STEP_NAME" ]] || TIMES+=("$(printf '%4d s  %s' $((SECONDS - STEP_T)) "$STEP_NAME")"); }
step() { end_step; STEP_NAME="$*"; STEP_T=$SECONDS; say "-- $*"; }

# One build at a time per WEB_TARGET: tests/web.rs starts one per test, at
# once, and they share its files (one would pack the wasm another rewrites).
mkdir -p "$WEB_TARGET"
exec 9>"$WEB_TARGET/build.lock"
flock -n 9 || { say "waiting for the other web/build.sh on $WEB_TARGET"; flock 9; }

SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
APT_UPDATED=0
apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then say "apt-get update"; $SUDO apt-get update -q >/dev/null; APT_UPDATED=1; fi
}
installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '$3=="installed"{print $4}'; }
candidate_version() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/{print $2}'; }
apt_install() {  # apt_install PKG[=VER]...
  say "installing with apt-get: $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------- 1. rustc-web
step "Debian's rustc-web, cargo-web, rust-web-src (same version)"
WEB_PKGS=(rustc-web cargo-web rust-web-src)
have_all_same() {
  local v0; v0=$(installed_version rustc-web)
  [[ -n "$v0" ]] || return 1
  for p in "${WEB_PKGS[@]}"; do [[ "$(installed_version "$p")" == "$v0" ]] || return 1; done
}
if ! have_all_same; then
  apt_update_once
  V=$(candidate_version rustc-web)
  [[ -n "$V" && "$V" != "(none)" ]] || die "no rustc-web package in apt's lists"
  for p in cargo-web rust-web-src; do
    c=$(candidate_version "$p")
    [[ "$c" == "$V" ]] || say "note: $p's candidate is $c, rustc-web's is $V: pinning all three to $V"
  done
  apt_install "rustc-web=$V" "cargo-web=$V" "rust-web-src=$V"
  have_all_same || die "rustc-web, cargo-web and rust-web-src are not at one version after installing: \
$(for p in "${WEB_PKGS[@]}"; do printf '%s=%s ' "$p" "$(installed_version "$p")"; done)"
fi
DEB_RUSTC=/usr/bin/rustc
DEB_CARGO=/usr/bin/cargo
[[ -x $DEB_RUSTC && -x $DEB_CARGO ]] || die "$DEB_RUSTC or $DEB_CARGO missing after installing rustc-web/cargo-web"
[[ -d /usr/lib/rustlib/src/rust/library ]] || die "rust-web-src's std source missing (/usr/lib/rustlib/src/rust/library)"
say "rustc-web $(installed_version rustc-web): $($DEB_RUSTC -V)"

# ---------------------------------------------------------------- 2. lld
step "lld matching rustc's LLVM"
LLVM_MAJOR=$($DEB_RUSTC -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
[[ -n "$LLVM_MAJOR" ]] || die "cannot read the LLVM version from '$DEB_RUSTC -vV'"
WASM_LD="wasm-ld-$LLVM_MAJOR"
if ! command -v "$WASM_LD" >/dev/null; then
  apt_update_once
  apt_install "lld-$LLVM_MAJOR"
fi
command -v "$WASM_LD" >/dev/null || die "$WASM_LD not found after installing lld-$LLVM_MAJOR"
say "linker: $(command -v "$WASM_LD") ($(installed_version "lld-$LLVM_MAJOR"))"

# ---------------------------------------------------------------- 2b. 7-Zip
step "7-Zip (its deflate encoder packs the wasm)"
# Plain gzip, as before, but 7-Zip's encoder searches harder: 7% smaller
# than gzip -9, 1% smaller than zopfli on this wasm.
SEVENZIP=7zz
if ! command -v "$SEVENZIP" >/dev/null; then apt_update_once; apt_install 7zip; fi
command -v "$SEVENZIP" >/dev/null || die "$SEVENZIP not found after installing 7zip"
say "$("$SEVENZIP" 2>/dev/null | awk 'NF { sub(/ *:.*/, ""); print; exit }')"

# ---------------------------------------------------------------- 3. node tools
step "node/npm tools: binaryen's wasm-opt$([[ $WITH_BROWSER -eq 1 ]] && echo ", playwright-core, chromium")"
if ! command -v npm >/dev/null; then apt_update_once; apt_install nodejs npm; fi
mkdir -p "$TOOLS"
NPM_WANT=()
if [[ -z "${WASM_OPT:-}" ]]; then
  WASM_OPT="$TOOLS/node_modules/.bin/wasm-opt"
  [[ -x "$WASM_OPT" && "$("$WASM_OPT" --version)" == *"version ${BINARYEN_VERSION%%.*} "* ]] || NPM_WANT+=("binaryen@$BINARYEN_VERSION")
fi
if [[ $WITH_BROWSER -eq 1 ]]; then
  [[ -f "$TOOLS/node_modules/playwright-core/package.json" ]] || NPM_WANT+=("playwright-core@$PLAYWRIGHT_VERSION")
fi
if [[ ${#NPM_WANT[@]} -gt 0 ]]; then
  say "installing with npm into $TOOLS: ${NPM_WANT[*]}"
  [[ -f "$TOOLS/package.json" ]] || echo '{"private":true}' > "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-audit --no-fund --loglevel=error "${NPM_WANT[@]}" >/dev/null)
fi
say "wasm-opt: $("$WASM_OPT" --version)"

if [[ $WITH_BROWSER -eq 1 ]]; then
  [[ -x /usr/bin/chromium ]] || { apt_update_once; apt_install chromium; }
  say "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
fi

# ---------------------------------------------------------------- 4. wasm-bindgen-cli
step "wasm-bindgen-cli at the crate's wasm-bindgen version"
# The workspace's Cargo.lock when the crate is a member (walking up); a lock
# is generated only when there is none at all: `generate-lockfile` in a
# member rewrites the workspace's lock to the newest versions.
d="$CRATE_DIR"; while [[ ! -f "$d/Cargo.lock" && "$d" != / ]]; do d=$(dirname "$d"); done; LOCK="$d/Cargo.lock"
if [[ ! -f "$LOCK" ]]; then (cd "$CRATE_DIR" && cargo generate-lockfile); LOCK="$CRATE_DIR/Cargo.lock"; fi   # rustup's cargo
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$LOCK")
[[ -n "$WBG_VERSION" ]] || die "no wasm-bindgen in $LOCK"
WASM_BINDGEN="$TOOLS/bin/wasm-bindgen"
if [[ "$("$WASM_BINDGEN" --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WBG_VERSION with cargo install into $TOOLS (several minutes)"
  # No --locked: its lockfile pins a yanked crate. Rustup's cargo (native build).
  cargo install wasm-bindgen-cli --version "=$WBG_VERSION" --no-default-features \
    --bin wasm-bindgen --root "$TOOLS" --quiet
fi
say "$("$WASM_BINDGEN" --version)"

# ---------------------------------------------------------------- 5. cargo build (wasm32)
step "cargo build --target wasm32-unknown-unknown (Debian's cargo/rustc, -Zbuild-std)"
CRATE_NAME=$(awk -F'"' '/^\[package\]/{p=1} p&&/^name *=/{print $2; exit}' "$CRATE_DIR/Cargo.toml")
LIB_NAME=${CRATE_NAME//-/_}
# Panics trap at once (std's panic machinery left out): the page has no
# panic hook, and with panic=abort a panic trapped the same way, message unseen.
(cd "$CRATE_DIR" && \
  RUSTC=$DEB_RUSTC RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_LD" \
  $DEB_CARGO build --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort --target-dir "$WEB_TARGET" --lib --locked --profile web)
RAW_WASM="$WEB_TARGET/wasm32-unknown-unknown/web/$LIB_NAME.wasm"
[[ -f "$RAW_WASM" ]] || die "no $RAW_WASM"

# ---------------------------------------------------------------- 6. wasm-bindgen + wasm-opt
step "wasm-bindgen --target no-modules"
GEN="$WEB_TARGET/bindgen"
rm -rf "$GEN"; mkdir -p "$GEN"
"$WASM_BINDGEN" --target no-modules --no-typescript --out-dir "$GEN" "$RAW_WASM"
step "wasm-opt -Oz"
# rustc >= 1.82 emits bulk-memory, sign-ext, nontrapping-fptoint, reference-types, multivalue…
# Functions ordered by name after -Oz: one generic's copies side by side, for
# the compressor to find (2% smaller packed); the order does not change what runs.
"$WASM_OPT" -Oz --reorder-functions-by-name --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$GEN/${LIB_NAME}_bg.wasm" -o "$GEN/${LIB_NAME}_opt.wasm"

# ---------------------------------------------------------------- 7. the page
step "assemble the single HTML file"
WORKER_JS="$GEN/worker-full.js"
cat "$GEN/$LIB_NAME.js" "$PAGE_DIR/worker.js" > "$WORKER_JS"
if grep -qi '</script' "$WORKER_JS"; then die "the worker's JS contains '</script': cannot inline it"; fi
# gzip, unpacked by the browser (DecompressionStream); one line of base64.
# 7-Zip at its slowest deflate (-mpass=15, longest matches), no name or time in
# the header (-mtm-, from stdin): the same bytes on every build.
"$SEVENZIP" a -tgzip -mx=9 -mpass=15 -mfb=258 -mtm- -si -so packed \
  < "$GEN/${LIB_NAME}_opt.wasm" > "$GEN/${LIB_NAME}_opt.wasm.gz" 2>/dev/null \
  || die "7-Zip failed to pack the wasm"
# What the browser will unpack: checked with gzip's own decoder.
gzip -dc "$GEN/${LIB_NAME}_opt.wasm.gz" | cmp -s - "$GEN/${LIB_NAME}_opt.wasm" \
  || die "the packed wasm does not unpack to the wasm"
B64="$GEN/wasm.b64"
base64 -w 0 "$GEN/${LIB_NAME}_opt.wasm.gz" > "$B64"
echo >> "$B64"
mkdir -p "$(dirname "$OUT")"
awk -v js="$WORKER_JS" -v b64="$B64" '
  $0 == "@@WORKER_JS@@"   { while ((getline l < js)  > 0) print l; next }
  $0 == "@@WASM_BASE64@@" { while ((getline l < b64) > 0) print l; next }
  { print }' "$PAGE_DIR/template.html" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"

if [[ $DIST -eq 1 ]]; then
  step "keep the page in web/dist"
  mkdir -p "$HERE/dist"
  gzip -9nc "$OUT" > "$HERE/dist/ahq-validate.html.gz"
  # The digest tests/page.rs computes the same way: each source file git
  # tracks, its SHA-256 and path (relative to the root), in byte order, hashed.
  (cd "$ROOT" && git ls-files -z -- $PAGE_SOURCES | LC_ALL=C sort -z | xargs -0 sha256sum \
      | sha256sum | cut -d' ' -f1) > "$HERE/dist/SOURCES"
  say "web/dist: $(stat -c %s "$HERE/dist/ahq-validate.html.gz") bytes gzipped, sources $(cat "$HERE/dist/SOURCES")"
fi

sz() { stat -c %s "$1"; }
gz() { gzip -9c "$1" | wc -c; }
end_step; STEP_NAME=""
say "time per step:"; for t in "${TIMES[@]}"; do say "  $t"; done
say "raw wasm (cargo):      $(sz "$RAW_WASM") bytes"
say "after wasm-bindgen:    $(sz "$GEN/${LIB_NAME}_bg.wasm") bytes"
say "after wasm-opt -Oz:    $(sz "$GEN/${LIB_NAME}_opt.wasm") bytes, gzipped $(gz "$GEN/${LIB_NAME}_opt.wasm") bytes"
say "packed (7-Zip gzip):   $(sz "$GEN/${LIB_NAME}_opt.wasm.gz") bytes"
say "page:                  $OUT: $(sz "$OUT") bytes, gzipped $(gz "$OUT") bytes"
say "total: $((SECONDS - T_START)) s"
