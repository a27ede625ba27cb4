# Sourced by tools/helm/build.sh and tools/kustomize/build.sh: builds one Go command with
# `go install <package>@<version>` from the Go module proxy into a cache outside the repository,
# ~/.cache/purelb/<name>/<version>/<name> (or $PURELB_CACHE/...), and prints its path on stdout. A
# second run returns at once.
#
#   go_tool NAME VERSION PACKAGE GO_MINIMUM OVERRIDE_VARIABLE [LDFLAGS] [--check]
#
# With --check it builds nothing: it exits 0 when the binary is cached or Go is there to build it,
# and otherwise says on one line what is missing and exits 1.
go_tool() {
  local name=$1 version=$2 package=$3 go_minimum=$4 override=$5 ldflags=${6:-} mode=${7:-}
  local cache_root=${PURELB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purelb}
  local out="$cache_root/$name/$version"
  export CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=${GOFLAGS:--buildvcs=false}
  if [ -x "$out/$name" ]; then
    [ "$mode" = --check ] || printf '[%s] cached: %s\n' "$name" "$out/$name" >&2
    echo "$out/$name"
    return 0
  fi
  if ! command -v go >/dev/null; then
    printf '[%s] Go >= %s is required to build %s %s into %s (https://go.dev), or set %s to a %s binary\n' \
      "$name" "$go_minimum" "$name" "$version" "$out" "$override" "$name" >&2
    return 1
  fi
  [ "$mode" = --check ] && return 0
  mkdir -p "$out"
  local work start
  work=$(mktemp -d)
  start=$(date +%s)
  printf '[%s] building %s@%s (the first run downloads its modules and compiles for a minute or more)\n' "$name" "$package" "$version" >&2
  if ! GOBIN="$work" go install -trimpath -ldflags "-s -w $ldflags" "$package@$version"; then
    rm -rf "$work"
    return 1
  fi
  mv "$work/$name" "$out/$name"
  rm -rf "$work"
  printf '[%s] built in %s s: %s\n' "$name" "$(( $(date +%s) - start ))" "$out/$name" >&2
  echo "$out/$name"
}
