#!/usr/bin/env bash
# Builds the kustomize CLI from the Go module proxy into a cache outside the repository. The default
# is the kustomize that kubectl 1.35 embeds, so `kustomize build DIR` renders what `kubectl apply -k
# DIR` applies. A second run with the same version returns at once. Prints the binary's path on stdout.
#
#   KUSTOMIZE_VERSION  sigs.k8s.io/kustomize/kustomize/v5 release  (default v5.7.1)
#   PURELB_CACHE       cache root                                  (default ~/.cache/purelb)
#
# `build.sh --check` builds nothing: it exits 0 when the binary is cached or Go is there to build it,
# and otherwise says on one line what is missing and exits 1.
set -euo pipefail

KUSTOMIZE_VERSION=${KUSTOMIZE_VERSION:-v5.7.1}
CACHE_ROOT=${PURELB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purelb}
OUT="$CACHE_ROOT/kustomize/$KUSTOMIZE_VERSION"
export CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=${GOFLAGS:--buildvcs=false}

log() { printf '[kustomize] %s\n' "$*" >&2; }
NO_GO="Go >= 1.24 is required to build kustomize $KUSTOMIZE_VERSION into $OUT (https://go.dev), or set PURELB_KUSTOMIZE to a kustomize binary"

if [ -x "$OUT/kustomize" ]; then
  [ "${1:-}" = --check ] || log "cached: $OUT/kustomize"
  echo "$OUT/kustomize"
  exit 0
fi
command -v go >/dev/null || { log "$NO_GO"; exit 1; }
[ "${1:-}" = --check ] && exit 0

MAJOR=${KUSTOMIZE_VERSION%%.*}   # v5.7.1 -> v5
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)
log "building sigs.k8s.io/kustomize/kustomize/$MAJOR@$KUSTOMIZE_VERSION (first run downloads its modules)"
GOBIN="$WORK" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/$MAJOR@$KUSTOMIZE_VERSION"
mv "$WORK/kustomize" "$OUT/kustomize"
log "$("$OUT/kustomize" version) built in $(( $(date +%s) - start )) s: $OUT/kustomize"
echo "$OUT/kustomize"
