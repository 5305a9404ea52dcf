#!/usr/bin/env bash
# Installs the Debian packages this project needs, with sudo when not root; does nothing (quickly)
# when they are all there. `make test` and `make run` call it, so on a fresh Debian machine those
# two commands are all the set-up.
#
#   scripts/deps.sh             install what is missing
#   scripts/deps.sh --check     only list what is missing (exit 1 if anything is)
#   scripts/deps.sh --gui       also QEMU's GTK/SDL display (make run with a display)
#   scripts/deps.sh --with PKG  also PKG (repeatable)
set -euo pipefail

packages=(
	gcc clang lld make binutils libclang-rt-14-dev
	qemu-system-x86 grub-pc-bin grub-common xorriso mtools
	# the hybrid ISO's UEFI half (GRUB's x86_64-efi platform) and the firmware that boots it in QEMU
	grub-efi-amd64-bin ovmf
	libcmocka-dev gcovr python3 clang-format
	# the Cortex-M firmware (platform/cortex_m) and its QEMU boards; freestanding, so no newlib
	gcc-arm-none-eabi binutils-arm-none-eabi qemu-system-arm
	# make check and make format list the sources with git ls-files
	git
	# make bench: the allocators bench_alloc dlopens to compare with, and its chart
	libjemalloc2 libmimalloc2.0 gnuplot-nox
	# make unit32 (part of make test): the unit tests as i386 programs; needs the i386 architecture
	gcc-multilib libcmocka-dev:i386
	# core/fbcon's font: the build converts /usr/share/consolefonts/*-VGA16.psf.gz (core/core.mk)
	console-setup-linux
)
check_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check_only=1 ;;
	--gui) packages+=(qemu-system-gui) ;;
	--with) shift; packages+=("$1") ;;
	*) echo "usage: $0 [--check] [--gui] [--with PKG]..." >&2; exit 2 ;;
	esac
	shift
done

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ $check_only -eq 1 ]; then
	echo "missing packages: ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# An :i386 package needs dpkg to know the architecture before apt-get update reads its indexes.
for p in "${missing[@]}"; do
	if [[ $p == *:i386 ]] && ! dpkg --print-foreign-architectures | grep -qx i386; then
		echo "deps: adding the i386 architecture" >&2
		$sudo dpkg --add-architecture i386
		break
	fi
done
# A mirror caught mid-sync fails one index now and then ("File has unexpected size"): try once
# more, then go on; if a package really cannot be found, apt-get install fails and says so.
if ! $sudo apt-get update -qq; then
	echo "deps: apt-get update failed; trying once more" >&2
	sleep 5
	$sudo apt-get update -qq || echo "deps: apt-get update failed again; installing anyway" >&2
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
