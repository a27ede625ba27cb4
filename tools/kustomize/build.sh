#!/usr/bin/env bash
# Builds the kustomize CLI from the Go module proxy into ~/.cache/purelb/kustomize/<version>/kustomize
# (see tools/go-tool.sh). The default is the kustomize that kubectl 1.35 embeds, so `kustomize build
# DIR` renders what `kubectl apply -k DIR` applies. Prints the binary's path.
#
#   KUSTOMIZE_VERSION  sigs.k8s.io/kustomize/kustomize/v5 release  (default v5.7.1)
#   PURELB_CACHE       cache root                                  (default ~/.cache/purelb)
#
# `build.sh --check` builds nothing: it exits 0 when the binary is cached or Go is there to build it,
# and otherwise says on one line what is missing and exits 1.
set -euo pipefail
. "$(dirname "$0")/../go-tool.sh"

KUSTOMIZE_VERSION=${KUSTOMIZE_VERSION:-v5.7.1}
MAJOR=${KUSTOMIZE_VERSION%%.*}   # v5.7.1 -> v5
go_tool kustomize "$KUSTOMIZE_VERSION" "sigs.k8s.io/kustomize/kustomize/$MAJOR" 1.24 PURELB_KUSTOMIZE "" "${1:-}"
