#!/usr/bin/env bash
# promtool (Prometheus's exposition linter) for the /metrics tests, unpacked from Debian's prometheus
# package into /tmp/atelier-promtool (nothing is installed; about 20 MB, a few seconds). Prints the path.
# Skips, saying why, where it cannot work: not Debian (no apt-get) or not root (apt-get update needs it).
set -euo pipefail
dest=/tmp/atelier-promtool
bin="$dest/usr/bin/promtool"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then echo "promtool: skipped (not a Debian system: no apt-get/dpkg)" >&2; exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "promtool: skipped (apt-get update needs root)" >&2; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(apt-get -o DPkg::Lock::Timeout=300 update -qq || true) >/dev/null 2>&1
(cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1)
mkdir -p "$dest"
dpkg -x "$work"/prometheus_*.deb "$work/x"
mkdir -p "$dest/usr/bin"
# Into place atomically: a concurrent caller never sees half a binary.
cp "$work/x/usr/bin/promtool" "$bin.$$" && mv "$bin.$$" "$bin"
echo "$bin"
