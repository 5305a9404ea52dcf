#!/usr/bin/env bash
# Installs the Debian packages the project needs; does nothing when all are present.
# Usage: scripts/deps.sh [--check]   (--check: only report what is missing, exit 1 if anything is)
set -euo pipefail

packages=(
	gcc clang lld make binutils
	qemu-system-x86 grub-pc-bin grub-common xorriso mtools
	libcmocka-dev gcovr python3 clang-format
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing packages: ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
