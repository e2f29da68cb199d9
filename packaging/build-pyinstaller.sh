#!/usr/bin/env bash
# Builds the one-folder app with PyInstaller into build/dist/mailclient/ (run it as
# build/dist/mailclient/mailclient). The build venv is made fresh from `pip install .[package]`,
# so this also checks that the package installs into a clean venv.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/debian-packages.sh package
venv=build/pyinstaller-venv
rm -rf "$venv" build/pyinstaller-work build/dist/mailclient
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q '.[package]'
"$venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath build/dist \
  --workpath build/pyinstaller-work packaging/pyinstaller/mailclient.spec
echo "built build/dist/mailclient/mailclient ($(du -sh build/dist/mailclient | cut -f1))"
