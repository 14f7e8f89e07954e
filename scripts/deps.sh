#!/bin/sh
# deps.sh - makes sure the Debian packages loupe needs are installed.
# Usage: scripts/deps.sh PACKAGE...  Quiet when all are present; as root it
# installs the missing ones with apt-get, otherwise it prints the command.
set -eu

missing=""
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *" ok installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done
# Build tools are not in the list above but every build needs them.
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkgconf"
missing=${missing# }
[ -z "$missing" ] && exit 0

install="DEBIAN_FRONTEND=noninteractive apt-get install -y"
install="$install --no-install-recommends $missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages: $missing" >&2
  echo "deps: as root, run:" >&2
  echo "  apt-get update && $install" >&2
  exit 1
fi

echo "deps: installing $missing"
apt-get update </dev/null
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  $missing </dev/null
