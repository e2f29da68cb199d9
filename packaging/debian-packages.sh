#!/usr/bin/env bash
# Installs Debian/Ubuntu packages (as root, or through sudo) that are not installed yet.
# Usage: packaging/debian-packages.sh app|test|package (package: what PyInstaller needs)
set -euo pipefail
app=(python3 python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
     libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-image0 libxcb-render-util0
     libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
     gnome-keyring dbus)
test=("${app[@]}" dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl xvfb
      dbus-daemon procps desktop-file-utils appstream)
package=("${app[@]}" binutils desktop-file-utils appstream)
case "${1:-}" in
  app) wanted=("${app[@]}") ;;
  test) wanted=("${test[@]}") ;;
  package) wanted=("${package[@]}") ;;
  *) echo "usage: $0 app|test|package" >&2; exit 2 ;;
esac
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "Installing Debian packages: ${missing[*]}"
# Postfix asks how to configure the system MTA; we only run private instances.
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
