#!/usr/bin/env bash
# Install the project's dependencies and test extras from pyproject.toml into .venv.
# Skipped when pyproject.toml has not changed since the last successful install.
set -euo pipefail
VENV=.venv
STAMP="$VENV/.deps-installed"
if [ -f "$STAMP" ] && [ "$STAMP" -nt pyproject.toml ] && "$VENV/bin/python" -c 'import django, celery, pytest' 2>/dev/null; then
    exit 0
fi
REQS="$(mktemp)"
trap 'rm -f "$REQS"' EXIT
"$VENV/bin/python" - "$REQS" <<'PY'
import sys
import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
names = project["dependencies"] + project.get("optional-dependencies", {}).get("test", [])
with open(sys.argv[1], "w") as out:
    out.write("\n".join(names) + "\n")
PY
echo "Installing Python packages from pyproject.toml (dependencies + test extras)"
"$VENV/bin/python" -m pip install --quiet -r "$REQS"
touch "$STAMP"
