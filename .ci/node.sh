#!/usr/bin/env bash
# Installs a pinned Node.js binary from the npm registry (the `node-linux-<arch>` packages, which carry the official
# binary) into a folder this checkout owns (.ci/.runtime/node-<major>), changes nothing system-wide, and prints the
# folder of its `node` executable. Used by .ci/run to run the test suite and the demo on Node 24 (the Active LTS)
# besides the machine's Node; usable by hand:
#   PATH="$(bash .ci/node.sh 24):$PATH" npm ci && PATH="$(bash .ci/node.sh 24):$PATH" npm test
# Idempotent: an installed runtime of the pinned version is reused.
set -euo pipefail
cd "$(dirname "$0")"

major="${1:-24}"
case "$major" in
  24) version=24.22.3 ;;
  22) version=22.22.3 ;;
  *) echo "node.sh: no pinned version for Node $major (24, 22)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node.sh: no Node package for $(uname -m)" >&2; exit 2 ;;
esac

dir="$PWD/.runtime/node-$major"
bin="$dir/node_modules/node-linux-$arch/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  # --prefix keeps the package (and its own package.json) inside $dir; nothing is written to the project.
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$version" >&2
fi
"$bin/node" --version >/dev/null
echo "$bin"
