#!/usr/bin/env bash
# Rebuilds the Go guest ELFs with Debian's Go (GOARCH=mipsle, soft-float, static, stripped).
# Usage: bash guests/go/build.sh
set -euo pipefail
cd "$(dirname "$0")"
for dir in hello; do
  (cd "$dir" && GOOS=linux GOARCH=mipsle GOMIPS=softfloat CGO_ENABLED=0 GOFLAGS=-mod=mod GO111MODULE=off \
    go build -trimpath -ldflags="-s -w -buildid=" -o "$dir.elf" main.go)
  echo "built guests/go/$dir/$dir.elf ($(stat -c %s "$dir/$dir.elf") bytes)"
done
