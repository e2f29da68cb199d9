#!/usr/bin/env bash
# Installs everything the tests need (Debian packages, a venv in .venv), then runs the whole
# suite inside a private D-Bus session with an unlocked gnome-keyring (the real Secret Service).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/debian-packages.sh test
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/data" "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" QT_QPA_PLATFORM=offscreen
exec dbus-run-session -- sh -c '
  echo -n "test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec .venv/bin/pytest "$@"' pytest "$@"
