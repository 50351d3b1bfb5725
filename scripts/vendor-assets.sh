#!/usr/bin/env bash
# Copies the browser libraries installed from npm into web/static/vendor/, so pages are served
# entirely by the app (no CDN). Run by scripts/setup.sh and by the Docker build.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p web/static/vendor
cp node_modules/cytoscape/dist/cytoscape.min.js web/static/vendor/cytoscape.min.js
cp node_modules/cytoscape/LICENSE web/static/vendor/cytoscape.LICENSE
