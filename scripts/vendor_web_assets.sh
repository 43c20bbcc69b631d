#!/usr/bin/env bash
# Re-vendor the JavaScript the web page and /docs use into src/newsevents/api/static/vendor/
# (run by a developer when upgrading; nothing is fetched at run time or at install time).
# Needs npm. Versions are pinned here; the folder's README.md lists them with their licences.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=src/newsevents/api/static/vendor
VEGA=6.4.0 VEGA_LITE=6.4.3 VEGA_EMBED=7.3.0 VEGA_INTERPRETER=2.3.2 SWAGGER=5.35.0 WORLD_ATLAS=2.0.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent vega@$VEGA vega-lite@$VEGA_LITE vega-embed@$VEGA_EMBED \
    vega-interpreter@$VEGA_INTERPRETER swagger-ui-dist@$SWAGGER world-atlas@$WORLD_ATLAS >/dev/null)
unpack() { mkdir -p "$work/$1" && tar xzf "$work/$1-$2.tgz" -C "$work/$1"; }
unpack vega $VEGA; unpack vega-lite $VEGA_LITE; unpack vega-embed $VEGA_EMBED
unpack vega-interpreter $VEGA_INTERPRETER; unpack swagger-ui-dist $SWAGGER; unpack world-atlas $WORLD_ATLAS
rm -rf "$VENDOR/vega" "$VENDOR/swagger-ui" "$VENDOR/world-atlas"
mkdir -p "$VENDOR/vega" "$VENDOR/swagger-ui" "$VENDOR/world-atlas"
cp "$work/vega/package/build/vega.min.js" "$VENDOR/vega/"
cp "$work/vega/package/LICENSE" "$VENDOR/vega/LICENSE-vega"
cp "$work/vega-lite/package/build/vega-lite.min.js" "$VENDOR/vega/"
cp "$work/vega-lite/package/LICENSE" "$VENDOR/vega/LICENSE-vega-lite"
cp "$work/vega-embed/package/build/vega-embed.min.js" "$VENDOR/vega/"
cp "$work/vega-embed/package/LICENSE" "$VENDOR/vega/LICENSE-vega-embed"
cp "$work/vega-interpreter/package/LICENSE" "$VENDOR/vega/LICENSE-vega-interpreter"
# vega-interpreter ships only as an ES module importing three helpers from 'vega-util' (a bare
# name a browser cannot resolve without an inline import map, which our CSP forbids). The same
# helpers are on the global `vega` that vega.min.js defines, so we wrap the module as a plain
# script that adds `vega.expressionInterpreter`; the code in between is unchanged.
{
    echo "/* vega-interpreter $VEGA_INTERPRETER (BSD-3-Clause, see LICENSE-vega-interpreter), wrapped as a plain"
    echo "   script by scripts/vendor_web_assets.sh: the 'vega-util' import and the export are its only changes. */"
    echo "(function (vega) {"
    echo "const { ascending, isString, DisallowedObjectProperties } = vega;"
    grep -v "^import .* from 'vega-util';$" "$work/vega-interpreter/package/build/vega-interpreter.js" \
        | grep -v '^//# sourceMappingURL=' \
        | sed 's/^export { expression as expressionInterpreter };$/vega.expressionInterpreter = expression;/'
    echo "})(globalThis.vega);"
} > "$VENDOR/vega/vega-interpreter.js"
grep -q "^vega.expressionInterpreter = expression;$" "$VENDOR/vega/vega-interpreter.js"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
    cp "$work/swagger-ui-dist/package/$f" "$VENDOR/swagger-ui/"
done
# The map's basemap: Natural Earth 1:110m countries (public domain) as TopoJSON, ISC licence.
cp "$work/world-atlas/package/countries-110m.json" "$work/world-atlas/package/LICENSE" "$VENDOR/world-atlas/"
# Source maps are left out: the bundles keep a trailing sourceMappingURL comment, harmless.
echo "vendored into $VENDOR:"; du -sh "$VENDOR"/*
