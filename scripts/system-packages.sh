#!/usr/bin/env bash
# Make sure the Debian/Ubuntu packages the portal needs are installed.
# Usage: scripts/system-packages.sh PACKAGE...
#   As root (or with passwordless sudo): apt-get install -y the missing ones.
#   Otherwise: name the missing packages and carry on if there are none, fail if there are.
set -euo pipefail
missing=()
for pkg in "$@"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1 || ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$pkg")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing system packages: ${missing[*]}" >&2
    echo "       This is not a Debian/Ubuntu system; install their equivalents by hand." >&2
    exit 1
fi

if [ "$(id -u)" = 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "error: missing system packages: ${missing[*]}" >&2
    echo "       Install them once as an administrator, then run make again:" >&2
    echo "         sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
