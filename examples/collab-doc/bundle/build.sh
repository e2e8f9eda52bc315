#!/bin/sh
# Bundles the collab-doc example's editor (Yjs, ProseMirror with y-prosemirror, the Yjs provider) with esbuild into
# the file named by $1; the server module's build runs it. It needs Node.js 20 and npm: without npm the jar is built
# without the editor (the example's page then says so), so that building and starting a node needs only a JDK and
# Maven (README, The two commands).
set -e
if ! command -v npm >/dev/null 2>&1; then
  echo "[collab-doc] npm not found: the jar is built without the collab-doc editor (install Node.js 20 and npm)" >&2
  exit 0
fi
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent bundle -- --outfile="$1"
