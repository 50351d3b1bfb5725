#!/usr/bin/env bash
# Refreshes the vendored browser libraries in web/static/vendor/ from node_modules (after an
# `npm install` that changes a version in package.json). The vendored files are committed and
# shipped as package data, so `pip install` alone serves them (no CDN, no copy step at install);
# tests/unit/test_vendored_assets.py checks they match node_modules when it is present.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p web/static/vendor
copy() { cp "node_modules/$1" "web/static/vendor/$2"; }
copy cytoscape/dist/cytoscape.min.js cytoscape.min.js
copy cytoscape/LICENSE cytoscape.LICENSE
copy layout-base/layout-base.js layout-base.js
copy layout-base/LICENSE layout-base.LICENSE
copy cose-base/cose-base.js cose-base.js
copy cose-base/LICENSE cose-base.LICENSE
copy cytoscape-fcose/cytoscape-fcose.js cytoscape-fcose.js
copy cytoscape-fcose/LICENSE cytoscape-fcose.LICENSE
