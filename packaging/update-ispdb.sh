#!/bin/sh
# Refreshes the bundled ISPDB snapshot (mailclient/resources/ispdb) from ../shared/ispdb or DIR.
# DIR is a copy of the ispdb/ folder of https://github.com/thunderbird/autoconfig (*.xml, LICENSE).
set -eu
cd "$(dirname "$0")/.."
src=${1:-../shared/ispdb}
dest=mailclient/resources/ispdb
if [ ! -f "$src/LICENSE" ] || ! ls "$src"/*.xml >/dev/null 2>&1; then
    echo "usage: $0 [DIR]  (DIR holds the ISPDB *.xml files and LICENSE; default ../shared/ispdb)" >&2
    exit 2
fi
mkdir -p "$dest"
rm -f "$dest"/*.xml
cp "$src"/*.xml "$src/LICENSE" "$dest"/
chmod 644 "$dest"/*.xml "$dest/LICENSE"
echo "copied $(ls "$dest"/*.xml | wc -l) provider files to $dest"
echo "now update $dest/SOURCE.md: the commit and date of the snapshot"
