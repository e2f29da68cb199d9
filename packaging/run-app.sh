#!/usr/bin/env bash
# Installs mailclient (Debian packages for Qt, a venv in .venv) and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/debian-packages.sh app
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q .
exec .venv/bin/mailclient "$@"
