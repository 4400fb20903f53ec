#!/bin/sh
# Rebuilds the 2.6.11-i386 catalog kernel from wyangsc/linux-2.6.11_bzImage_vmlinux at
# a25f7d11f605302725fbfd6ff2805a6f54a663ec (26 build outputs of its own x86_64 build are absent
# blobs there: export the tree without them) with Debian bookworm's gcc 12.2.0 and binutils 2.40.
# usage: sh recipe.sh <linux-2.6.11 tree> <config> <out dir>
set -eu
src=$1 config=$2 out=$3
cd "$src"
# the repository carries a copy of asm-x86_64 as include/asm and its x86_64 build outputs
rm -rf include/asm
# a typo make 4 refuses
sed -i 's/^obj-$(CONFIG_DVB_B2C2_USB) + = /obj-$(CONFIG_DVB_B2C2_USB) += /' drivers/media/dvb/b2c2/Makefile
make mrproper >/dev/null
# binutils 2.40 refuses movl between a segment register and memory: mov (savesegment, loadsegment)
sed -i 's/"movl %%" #seg ",%0"/"mov %%" #seg ",%0"/; s/"movl %0,%%" #seg "\\n"/"mov %0,%%" #seg "\\n"/' include/asm-i386/system.h
sed -i 's/asm volatile("movl %%\([fg]s\),%0":"=m"/asm volatile("mov %%\1,%0":"=m"/' arch/i386/kernel/process.c arch/i386/kernel/vm86.c
# The fix for "kernel BUG … free_pages_bulk": include/asm-i386/bitops.h gives the bit operations
# a write-only "=m" (ADDR) operand, which tells gcc the asm does not read the word. gcc 12 then
# drops the stores just before it: memmap_init_zone()'s set_page_zone() before SetPageReserved()
# vanishes, every struct page keeps zone 0 (DMA), and the first free Normal page that
# free_all_bootmem() hands to free_pages_bulk() fails BUG_ON(bad_range(zone, page)). Read-write
# "+m", as later kernels write it (arch/x86/include/asm/bitops.h), is what the instructions do.
sed -i 's/:"=m" (ADDR)/:"+m" (ADDR)/; s/,"=m" (ADDR)/,"+m" (ADDR)/' include/asm-i386/bitops.h
! grep -q '"=m" (ADDR)' include/asm-i386/bitops.h
cp "$config" .config
make ARCH=i386 oldconfig </dev/null >/dev/null
# the same options as the pinned config (oldconfig writes its own date into the header comment)
sed '/^# [A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*$/d' "$config" > .config.pinned
sed '/^# [A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*$/d' .config > .config.now
cmp -s .config.pinned .config.now || { echo "recipe: oldconfig changed the config" >&2; diff .config.pinned .config.now >&2 || true; exit 1; }
rm -f .config.pinned .config.now
nice -n 10 make ARCH=i386 -j2 CC="gcc -m32 -fno-pie -fno-stack-protector -std=gnu89 -Wno-error" LD="ld -m elf_i386" AS="as --32" bzImage
mkdir -p "$out"
cp arch/i386/boot/bzImage "$out/bzImage"
cp "$config" "$out/config"
xz -9e -T1 -c vmlinux > "$out/vmlinux.xz"
