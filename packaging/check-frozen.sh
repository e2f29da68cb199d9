#!/usr/bin/env bash
# Builds the PyInstaller app, then starts it offscreen on a fresh profile: it must open its
# window, log that, and quit with status 0; its command line must work too.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/build-pyinstaller.sh
app=build/dist/mailclient/mailclient
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$app" --help >/dev/null
"$app" --profile "$profile" account list --json >/dev/null
QT_QPA_PLATFORM=offscreen timeout 120 "$app" --profile "$profile" --quit-after-start
if ! grep -q "main window shown: visible" "$profile/logs/mailclient.log"; then
  echo "the frozen app did not show its window; its log:" >&2
  cat "$profile/logs/mailclient.log" >&2
  exit 1
fi
echo "the frozen app opened its window and quit"
