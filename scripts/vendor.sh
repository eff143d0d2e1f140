#!/usr/bin/env bash
# Re-copy the front-end assets in static/vendor/ from the npm registry.
# Versions are pinned here and listed in static/vendor/README.md; change both together.
set -euo pipefail
BOOTSTRAP=5.3.9
HTMX=2.0.11
CHARTJS=4.6.1
ICONS=1.13.2

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(
    cd "$WORK"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --ignore-scripts --silent \
        "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" "chart.js@$CHARTJS" "bootstrap-icons@$ICONS"
)
M="$WORK/node_modules"
V=static/vendor
mkdir -p "$V/bootstrap" "$V/htmx" "$V/chartjs" "$V/bootstrap-icons/fonts"
cp "$M/bootstrap/dist/css/bootstrap.min.css" "$M/bootstrap/dist/css/bootstrap.min.css.map" "$V/bootstrap/"
cp "$M/bootstrap/dist/js/bootstrap.bundle.min.js" "$M/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$V/bootstrap/"
cp "$M/htmx.org/dist/htmx.min.js" "$V/htmx/"
cp "$M/chart.js/dist/chart.umd.min.js" "$V/chartjs/"
cp "$M/bootstrap-icons/font/bootstrap-icons.min.css" "$V/bootstrap-icons/"
cp "$M/bootstrap-icons/font/fonts/bootstrap-icons.woff" "$M/bootstrap-icons/font/fonts/bootstrap-icons.woff2" "$V/bootstrap-icons/fonts/"
echo "static/vendor/: bootstrap $BOOTSTRAP, htmx.org $HTMX, chart.js $CHARTJS, bootstrap-icons $ICONS"
