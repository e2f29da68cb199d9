#!/usr/bin/env bash
# Registers mailclient with the desktop for the current user: the launcher entry, its icons
# and AppStream metainfo under $XDG_DATA_HOME (~/.local/share), and mailclient as the handler
# of mailto: links. Usage: packaging/install-desktop.sh [PATH-TO-mailclient]
# (default: the mailclient found on PATH, else this checkout's .venv/bin/mailclient).
set -euo pipefail
cd "$(dirname "$0")/.."
app_id=io.github.mailclient.Mailclient
data=${XDG_DATA_HOME:-$HOME/.local/share}
program=${1:-$(command -v mailclient || echo "$PWD/.venv/bin/mailclient")}
[ -x "$program" ] || { echo "no mailclient program at $program" >&2; exit 2; }
mkdir -p "$data/applications" "$data/metainfo"
sed -e "s|^Exec=mailclient |Exec=$program |" -e "s|^TryExec=mailclient$|TryExec=$program|" \
    "packaging/$app_id.desktop" > "$data/applications/$app_id.desktop"
cp "packaging/$app_id.metainfo.xml" "$data/metainfo/"
for dir in mailclient/resources/icons/hicolor/*/apps; do
    size=$(basename "$(dirname "$dir")")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$dir"/* "$data/icons/hicolor/$size/apps/"
done
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$data/applications" || true
fi
if command -v xdg-mime >/dev/null; then
    xdg-mime default "$app_id.desktop" x-scheme-handler/mailto || true
else  # what xdg-mime would write: the user's default handler for mailto: links
    config=${XDG_CONFIG_HOME:-$HOME/.config}
    mkdir -p "$config"
    list="$config/mimeapps.list"
    touch "$list"
    grep -q '^\[Default Applications\]' "$list" || printf '[Default Applications]\n' >> "$list"
    if grep -q '^x-scheme-handler/mailto=' "$list"; then
        sed -i "s|^x-scheme-handler/mailto=.*|x-scheme-handler/mailto=$app_id.desktop|" "$list"
    else
        sed -i "/^\[Default Applications\]/a x-scheme-handler/mailto=$app_id.desktop" "$list"
    fi
fi
echo "installed $app_id in $data: launcher, icons, metainfo; it now opens mailto: links"
