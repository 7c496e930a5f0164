#!/usr/bin/env bash
# Regenerates samples/migration-partnerships/responses/ from samples/source/migration-partnerships.toml.
#
#   bash samples/make.sh
#
# examples/make-sample.rs writes the xlsx and csv files; the .ods and .xls files are written as
# xlsx first and converted here with LibreOffice (soffice).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
dest="$here/migration-partnerships/responses"

if ! command -v soffice >/dev/null 2>&1; then
    echo "make.sh: LibreOffice (soffice) is needed to write the .ods and .xls files." >&2
    echo "         Install it with: sudo apt-get install libreoffice-calc-nogui" >&2
    exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$repo" && cargo run --quiet --example make-sample -- "$tmp")

# A private LibreOffice profile: works while another LibreOffice is running, leaves ~ alone.
profile="file://$tmp/lo-profile"
for ext in ods xls; do
    src="$tmp/to-convert/$ext"
    [ -d "$src" ] || continue
    for f in "$src"/*.xlsx; do
        [ -e "$f" ] || continue
        if ! soffice -env:UserInstallation="$profile" --headless --convert-to "$ext" \
            --outdir "$tmp/responses" "$f" >"$tmp/soffice.log" 2>&1; then
            cat "$tmp/soffice.log" >&2
            echo "make.sh: soffice failed on $f" >&2
            exit 1
        fi
        out="$tmp/responses/$(basename "${f%.xlsx}").$ext"
        [ -s "$out" ] || { echo "make.sh: conversion failed: $f" >&2; exit 1; }
    done
done

rm -rf "$dest"
mkdir -p "$dest"
cp "$tmp"/responses/* "$dest"/
echo "make.sh: $(ls "$dest" | wc -l) response files in ${dest#"$repo"/}"
