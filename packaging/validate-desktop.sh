#!/usr/bin/env bash
# Validates the desktop entry and the AppStream metainfo, and checks the icons they name exist.
# Needs desktop-file-utils and appstream (packaging/debian-packages.sh test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
app_id=io.github.mailclient.Mailclient
icons=mailclient/resources/icons/hicolor
desktop-file-validate "packaging/$app_id.desktop"
appstreamcli validate --no-net "packaging/$app_id.metainfo.xml"
grep -qx "MimeType=x-scheme-handler/mailto;" "packaging/$app_id.desktop"
grep -qx "Icon=$app_id" "packaging/$app_id.desktop"
missing=0
for size in 16 32 48 64 128 256; do
  [ -s "$icons/${size}x${size}/apps/$app_id.png" ] || { echo "no ${size}px icon" >&2; missing=1; }
done
[ -s "$icons/scalable/apps/$app_id.svg" ] || { echo "no SVG icon" >&2; missing=1; }
[ "$missing" -eq 0 ]
echo "the desktop entry, metainfo and icons of $app_id are valid"
