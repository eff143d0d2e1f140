#!/usr/bin/env bash
# Create .venv with Python >= 3.11 unless it exists. Usage: scripts/ensure-venv.sh [python]
set -euo pipefail
PYTHON="${1:-python3}"
VENV=.venv

if [ -x "$VENV/bin/python" ]; then
    if "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        exit 0
    fi
    echo "error: $VENV uses $("$VENV/bin/python" --version 2>&1); the portal needs Python 3.11 or newer." >&2
    echo "       Remove $VENV and run again with PYTHON=python3.11 (or newer)." >&2
    exit 1
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found. Install Python 3.11 or newer (Debian/Ubuntu: apt-get install python3 python3-venv)," >&2
    echo "       or name another interpreter: make run PYTHON=/path/to/python3.11" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: $PYTHON is $("$PYTHON" --version 2>&1); the portal needs Python 3.11 or newer." >&2
    echo "       Install a newer Python and run: make run PYTHON=python3.11 (or python3.12, python3.13)" >&2
    exit 1
fi

echo "Creating $VENV with $("$PYTHON" --version 2>&1)"
if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    # Debian and Ubuntu ship venv/ensurepip separately.
    pkg="python$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y "$pkg" || apt-get install -y python3-venv
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n apt-get install -y "$pkg" || sudo -n apt-get install -y python3-venv
    else
        echo "error: '$PYTHON -m venv' failed. Install the venv module (Debian/Ubuntu: sudo apt-get install $pkg) and run again." >&2
        exit 1
    fi
    "$PYTHON" -m venv "$VENV"
fi
