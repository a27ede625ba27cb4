#!/usr/bin/env bash
# Installs the Debian packages the project needs at test time and in the node agent's image:
#   iproute2        `ip`: network namespaces for the kernel tests, and the oracle they compare against
#   iputils-arping  `arping -U`: gratuitous ARP after the node agent adds a local IPv4 address
#   iputils-ping    `ping`: the node lab's reachability checks between namespaces
#   tcpdump         the kernel tests watch announcements arrive at a peer namespace
#   openssl         certificates for the test control plane
#   bird2           BGP daemon: the routing sidecar's and the lab router's (tests start their own
#                   instances inside lab namespaces; the distribution's service is never started)
# (The unsolicited Neighbor Advertisement sender runs on perl-base, which every Debian system has.)
# Idempotent: installs only what is missing, and runs `apt-get update` at most once.
set -euo pipefail

wanted=(iproute2 iputils-arping iputils-ping tcpdump openssl bird2)
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${wanted[*]})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing (${missing[*]}): run this script as root" >&2
  exit 1
fi

echo "system packages: installing ${missing[*]}"
# Packages that ship a service (bird2) must not start it in the root namespace: a policy-rc.d that
# refuses every start while apt runs (unless the machine already has one), and no enabled unit after.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [[ " ${missing[*]} " == *" bird2 "* ]] && [ -d /run/systemd/system ]; then
  systemctl disable --now bird.service >/dev/null 2>&1 || true
fi
