#!/usr/bin/env bash
# Installs mailclient (Debian packages for Qt, a venv in .venv) and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/debian-packages.sh app
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q .
# The launcher, icons and the mailto: handler for this user (a failure here is not fatal).
packaging/install-desktop.sh "$PWD/.venv/bin/mailclient" >/dev/null || true
exec .venv/bin/mailclient "$@"
