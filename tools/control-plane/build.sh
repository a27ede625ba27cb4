#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a cache outside the repository.
# A second run with the same versions returns at once.
#
#   K8S_VERSION   k8s.io/kubernetes release          (default v1.35.4)
#   ETCD_VERSION  go.etcd.io/etcd/server/v3 release  (default v3.6.16)
#   PURELB_CACHE  cache root                         (default ~/.cache/purelb)
#
# `build.sh --check` builds nothing: it exits 0 when the binaries are cached or Go is there to build
# them, and otherwise says on one line what is missing and exits 1.
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-v1.35.4}
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}
CACHE_ROOT=${PURELB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purelb}
OUT="$CACHE_ROOT/control-plane/$K8S_VERSION-etcd$ETCD_VERSION"
export CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=${GOFLAGS:--buildvcs=false}

log() { printf '[control-plane] %s\n' "$*" >&2; }
NO_GO="Go >= 1.25 is required to build kube-apiserver and etcd into $OUT (https://go.dev), or set PURELB_CONTROL_PLANE_BIN to a directory holding both"

if [ -x "$OUT/kube-apiserver" ] && [ -x "$OUT/etcd" ]; then
  [ "${1:-}" = --check ] || log "cached: $OUT"
  echo "$OUT"
  exit 0
fi
command -v go >/dev/null || { log "$NO_GO"; exit 1; }
[ "${1:-}" = --check ] && exit 0

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGING="v0.${K8S_VERSION#v1.}"   # v1.35.4 -> v0.35.4
MINOR=${K8S_VERSION#v1.}; MINOR=${MINOR%%.*}
start=$(date +%s)

build_apiserver() {
  [ -x "$OUT/kube-apiserver" ] && { log "kube-apiserver already built"; return; }
  mkdir -p "$WORK/apiserver" && cd "$WORK/apiserver"
  log "downloading k8s.io/kubernetes@$K8S_VERSION go.mod"
  local upstream_mod
  upstream_mod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$upstream_mod" ] || { log "could not locate the go.mod of k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  {
    echo "module local.purelb/control-plane-apiserver"
    echo
    grep -E '^go [0-9]' "$upstream_mod"
    grep -E '^godebug ' "$upstream_mod" || true
  } > go.mod
  # Every staging module is replaced by its published version; the list comes from upstream's go.mod.
  local staging
  staging=$(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/k8s\.io/.*#\1#p' "$upstream_mod")
  [ -n "$staging" ] || { log "no staging replace list found in upstream go.mod"; exit 1; }
  log "replacing $(echo "$staging" | wc -l) staging modules with $STAGING"
  for m in $staging; do go mod edit -replace="$m=$m@$STAGING"; done
  go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
  log "resolving kube-apiserver dependencies (first run downloads ~1-2 GB of modules)"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION"
  log "compiling kube-apiserver (first run takes 10-25 minutes on 2 cores)"
  go build -mod=mod -trimpath -o "$OUT/kube-apiserver.tmp" -ldflags "-s -w \
    -X k8s.io/component-base/version.gitMajor=1 \
    -X k8s.io/component-base/version.gitMinor=$MINOR \
    -X k8s.io/component-base/version.gitVersion=$K8S_VERSION \
    -X k8s.io/component-base/version.gitTreeState=clean \
    -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z" \
    k8s.io/kubernetes/cmd/kube-apiserver
  mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"
}

build_etcd() {
  [ -x "$OUT/etcd" ] && { log "etcd already built"; return; }
  mkdir -p "$WORK/etcd" && cd "$WORK/etcd"
  printf 'module local.purelb/control-plane-etcd\n\ngo 1.25.0\n' > go.mod
  log "resolving etcd $ETCD_VERSION"
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  log "compiling etcd"
  go build -mod=mod -trimpath -o "$OUT/etcd.tmp" \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_VERSION" \
    go.etcd.io/etcd/server/v3
  mv "$OUT/etcd.tmp" "$OUT/etcd"
}

build_etcd
build_apiserver
"$OUT/kube-apiserver" --version >&2
"$OUT/etcd" --version | head -1 >&2
log "built in $(( $(date +%s) - start )) s: $OUT"
echo "$OUT"
