#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages azchat needs, only those missing.
#   scripts/deps.sh build   compiler and GL/X11 headers (make run)
#   scripts/deps.sh test    plus Xvfb, xdotool, xclip, ImageMagick, gnome-keyring, D-Bus (make test)
set -euo pipefail

build=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev wayland-protocols)
test=(xvfb xauth xdotool xclip imagemagick gnome-keyring dbus dbus-x11 libsecret-tools bc python3 curl)

want=("${build[@]}")
if [ "${1:-build}" = test ]; then want+=("${test[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ! command -v go >/dev/null 2>&1; then
  echo "azchat needs Go 1.26 or newer on PATH (https://go.dev/dl/)." >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
