#!/usr/bin/env bash
# Builds the Helm CLI from the Go module proxy into ~/.cache/purelb/helm/<version>/helm (see
# tools/go-tool.sh). A second run with the same version returns at once. Prints the binary's path.
#
#   HELM_VERSION        helm.sh/helm/v4 release                                   (default v4.3.2)
#   MONITORING_VERSION  github.com/prometheus-operator/prometheus-operator release (default v0.85.0)
#   PURELB_CACHE        cache root                                                (default ~/.cache/purelb)
#
# `build.sh --check` builds nothing: it exits 0 when the binary is cached or Go is there to build it,
# and otherwise says on one line what is missing and exits 1.
# `build.sh --monitoring-crds` copies the ServiceMonitor, PodMonitor and PrometheusRule CRDs out of the
# prometheus-operator module (the chart's tests apply them to check its monitoring objects) and prints
# their directory.
set -euo pipefail
. "$(dirname "$0")/../go-tool.sh"

HELM_VERSION=${HELM_VERSION:-v4.3.2}
MONITORING_VERSION=${MONITORING_VERSION:-v0.85.0}
CACHE_ROOT=${PURELB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purelb}

log() { printf '[helm] %s\n' "$*" >&2; }

if [ "${1:-}" = --monitoring-crds ]; then
  CRDS="$CACHE_ROOT/monitoring-crds/$MONITORING_VERSION"
  FILES="monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_podmonitors.yaml monitoring.coreos.com_prometheusrules.yaml"
  all=1
  for f in $FILES; do [ -f "$CRDS/$f" ] || all=0; done
  if [ $all = 0 ]; then
    command -v go >/dev/null || { log "Go is required to download the prometheus-operator module $MONITORING_VERSION"; exit 1; }
    log "downloading github.com/prometheus-operator/prometheus-operator@$MONITORING_VERSION (its CRDs)"
    dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@$MONITORING_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
    [ -d "$dir/example/prometheus-operator-crd" ] || { log "no example/prometheus-operator-crd in the module at $dir"; exit 1; }
    mkdir -p "$CRDS"
    for f in $FILES; do cp "$dir/example/prometheus-operator-crd/$f" "$CRDS/$f.tmp" && mv "$CRDS/$f.tmp" "$CRDS/$f"; done
  fi
  echo "$CRDS"
  exit 0
fi

MAJOR=${HELM_VERSION%%.*}   # v4.3.2 -> v4
go_tool helm "$HELM_VERSION" "helm.sh/helm/$MAJOR/cmd/helm" 1.26 PURELB_HELM \
  "-X helm.sh/helm/$MAJOR/internal/version.version=$HELM_VERSION -X helm.sh/helm/$MAJOR/internal/version.gitTreeState=clean" \
  "${1:-}"
