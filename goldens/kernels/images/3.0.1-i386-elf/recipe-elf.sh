#!/bin/sh
# Rebuilds the 3.0.1-i386-elf catalog kernel (3.0.1-i386's config plus CONFIG_BINFMT_ELF, so the
# state probe's /init can run: qemu-scripts/initramfs/mini-init.ts) from eastmoutain/Linux-3.0.1 at
# 3992f4b1cf29c7dcdb494d9cfcad7ed3175e40a5 (tree in linux-3.0.1/) with Debian bookworm's
# gcc 12.2.0 and binutils 2.40.
# usage: sh recipe.sh <linux-3.0.1 tree> <config> <out dir>
set -eu
src=$1 config=$2 out=$3
cd "$src"
# gcc 12 is unknown to 3.0's include/linux/compiler.h, which includes compiler-gcc<major>.h
[ -f include/linux/compiler-gcc12.h ] || cp include/linux/compiler-gcc4.h include/linux/compiler-gcc12.h
# perl 5.22+ refuses defined(@array)
sed -i 's/if (!defined(@val)) {/if (!@val) {/' kernel/timeconst.pl
# the real-mode setup code must not be PIE (Debian's gcc defaults to -fpie)
grep -q 'bootsim: no pie' arch/x86/boot/Makefile || sed -i '/^KBUILD_CFLAGS\t+= $(call cc-option, -m32)$/a KBUILD_CFLAGS\t+= -fno-pie # bootsim: no pie' arch/x86/boot/Makefile
grep -q 'bootsim: no pie' arch/x86/boot/Makefile
cp "$config" .config
make ARCH=i386 oldnoconfig >/dev/null
cmp -s .config "$config" || { echo "recipe: oldnoconfig changed the config" >&2; diff "$config" .config >&2 || true; exit 1; }
# No -fcommon: the top Makefile builds with -fno-common, and a later -fcommon would put the
# tentative definitions (highend_pfn, e820, …) after __bss_stop, outside the "TEXT DATA BSS"
# reservation, where the early allocators hand them out.
nice -n 10 make ARCH=i386 -j2 KCFLAGS="-fno-pie -fno-stack-protector -std=gnu89 -Wno-error" bzImage
mkdir -p "$out"
cp arch/x86/boot/bzImage "$out/bzImage"
cp .config "$out/config"
xz -9e -T1 -c vmlinux > "$out/vmlinux.xz"
