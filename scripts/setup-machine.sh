#!/usr/bin/env bash
# Installs the Debian packages the tests need (scripts/apt-packages.txt), once, when missing.
# Needs root (the CI machine and the developers' machines run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t wanted < <(grep -v -e '^#' -e '^\s*$' scripts/apt-packages.txt)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
