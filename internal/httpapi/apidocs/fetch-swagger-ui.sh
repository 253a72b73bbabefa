#!/usr/bin/env bash
# Fetches the pinned Swagger UI release from the npm registry and writes the files the API
# reference page serves, with their licences and a PROVENANCE record, into swagger-ui/ next to
# this script. Run it through `make apidocs-assets` after changing the version or the checksum
# below, then commit the result. It refuses a tarball whose SHA-256 is not the pinned one.
set -euo pipefail

PACKAGE=swagger-ui-dist
VERSION=5.35.0
TARBALL_SHA256=1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6
# The browser bundle, its style sheet, and the licence texts that must travel with them.
FILES=(swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt)

here=$(cd "$(dirname "$0")" && pwd)
out="$here/swagger-ui"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$tmp/$PACKAGE-$VERSION.tgz"
sum=$(sha256sum "$tarball" | cut -d' ' -f1)
if [[ "$sum" != "$TARBALL_SHA256" ]]; then
	echo "$PACKAGE@$VERSION: tarball SHA-256 is $sum, pinned $TARBALL_SHA256" >&2
	exit 1
fi
tar -xzf "$tarball" -C "$tmp"
licence=$(node -p "require('$tmp/package/package.json').license")

rm -rf "$out"
mkdir -p "$out"
for f in "${FILES[@]}"; do
	cp "$tmp/package/$f" "$out/$f"
done
{
	echo "package: $PACKAGE"
	echo "version: $VERSION"
	echo "source: https://registry.npmjs.org/$PACKAGE/-/$PACKAGE-$VERSION.tgz"
	echo "tarball-sha256: $sum"
	echo "licence: $licence (LICENSE and NOTICE; bundled third-party notices in swagger-ui-bundle.js.LICENSE.txt)"
	echo "files (sha256, unmodified from the tarball's package/ directory):"
	(cd "$out" && sha256sum "${FILES[@]}" | sed 's/^/  /')
} >"$out/PROVENANCE"
echo "wrote $out"
