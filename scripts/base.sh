#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source package for $BASE/$BASE_VERSION and unpack it
# once into $PERVMA_CACHE/src/<version>/linux (the pristine base).
# Prints the pristine tree's path.
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "base.sh takes no arguments (set BASE / BASE_VERSION)"

if [ -f "$PRISTINE/.pervma-pristine" ]; then
	echo "$PRISTINE"
	exit 0
fi

debs=$PERVMA_CACHE/debs
mkdir -p "$debs"
deb=$(ls "$debs/${BASE_PKG}_$(echo "$BASE_VERSION" | sed 's/:/%3a/')_all.deb" 2>/dev/null)
if [ -z "$deb" ]; then
	note "downloading $BASE_PKG=$BASE_VERSION"
	if ! (cd "$debs" && apt-get download -qq "$BASE_PKG=$BASE_VERSION") 2>/dev/null; then
		[ "$(id -u)" = 0 ] && apt-get update -qq
		(cd "$debs" && apt-get download -qq "$BASE_PKG=$BASE_VERSION") ||
			die "cannot download $BASE_PKG=$BASE_VERSION (apt-cache policy $BASE_PKG lists the versions Debian has)"
	fi
	deb=$(ls "$debs/${BASE_PKG}_"*"_all.deb" | grep -F "$(echo "$BASE_VERSION" | sed 's/:/%3a/')" | head -n1)
fi
[ -f "$deb" ] || die "downloaded package not found in $debs"

tmp=$(mktemp -d "$PERVMA_CACHE/src/.unpack.XXXXXX" 2>/dev/null) ||
	{ mkdir -p "$PERVMA_CACHE/src" && tmp=$(mktemp -d "$PERVMA_CACHE/src/.unpack.XXXXXX"); }
trap 'rm -rf "$tmp"' EXIT
note "unpacking $(basename "$deb")"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz' ||
	die "no source tarball in $deb"
tar -xf "$tmp"/usr/src/linux-source-*.tar.xz -C "$tmp" || die "cannot unpack the source tarball"
src=$(find "$tmp" -maxdepth 1 -type d -name 'linux-source-*' | head -n1)
[ -f "$src/Makefile" ] || die "unpacked tree has no Makefile"
echo "$BASE_VERSION" > "$src/.pervma-pristine"
mkdir -p "$(dirname "$PRISTINE")"
rm -rf "$PRISTINE"
mv "$src" "$PRISTINE"
echo "$PRISTINE"
