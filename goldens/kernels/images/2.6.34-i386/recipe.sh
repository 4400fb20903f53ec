#!/bin/sh
# Rebuilds the 2.6.34-i386 catalog kernel from urbanspr1nter/linux-2.6.34 at
# aaefb5bd025e3b3fce2ee6287c1991e6408569f2 with Debian bookworm's gcc 12.2.0 and binutils 2.40.
# usage: sh recipe.sh <linux-2.6.34 tree> <config> <out dir>
set -eu
src=$1 config=$2 out=$3
cd "$src"
# gcc 12 is unknown to 2.6.34's include/linux/compiler.h, which includes compiler-gcc<major>.h
[ -f include/linux/compiler-gcc12.h ] || cp include/linux/compiler-gcc4.h include/linux/compiler-gcc12.h
# perl 5.22+ refuses defined(@array)
sed -i 's/if (!defined(@val)) {/if (!@val) {/' kernel/timeconst.pl
# gcc 12 refuses the regparm attribute on definitions whose declarations lack it
sed -i 's/^asmregparm long syscall_trace_enter(/long syscall_trace_enter(/; s/^asmregparm void syscall_trace_leave(/void syscall_trace_leave(/' arch/x86/kernel/ptrace.c
# the vDSO is linked through gcc, which takes the emulation as -Wl,-m
sed -i 's/^VDSO_LDFLAGS_vdso32.lds = -m elf_i386 /VDSO_LDFLAGS_vdso32.lds = -m32 -Wl,-m,elf_i386 /' arch/x86/vdso/Makefile
# the real-mode setup code must be neither PIE nor stack-protected (Debian's gcc defaults)
grep -q 'bootsim: no pie' arch/x86/boot/Makefile || sed -i '/^KBUILD_CFLAGS\t+= $(call cc-option, -m32)$/a KBUILD_CFLAGS\t+= -fno-pie -fno-stack-protector # bootsim: no pie' arch/x86/boot/Makefile
grep -q 'bootsim: no pie' arch/x86/boot/Makefile
cp "$config" .config
make ARCH=i386 oldconfig </dev/null >/dev/null
# the same options as the pinned config (oldconfig writes its own date into the header comment)
sed '/^# [A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*$/d' "$config" > .config.pinned
sed '/^# [A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*$/d' .config > .config.now
cmp -s .config.pinned .config.now || { echo "recipe: oldconfig changed the config" >&2; diff .config.pinned .config.now >&2 || true; exit 1; }
rm -f .config.pinned .config.now
# No -fcommon (the first build had it): the top Makefile builds with -fno-common, and a later
# -fcommon turns the tentative definitions (highend_pfn, e820, max_low_pfn_mapped, …) into COMMON
# symbols, which ld places after __bss_stop. They then lie outside the "TEXT DATA BSS" early
# reservation (arch/x86/kernel/head32.c reserve_early(__pa_symbol(&_text), __pa_symbol(&__bss_stop)));
# bootmem hands that memory out and zeroes it, and highend_pfn reads 0 by zone_sizes_init():
# "135MB HIGHMEM available" but "HighMem empty" and 0k highmem.
nice -n 10 make ARCH=i386 -j2 KCFLAGS="-fno-pie -fno-stack-protector -std=gnu89 -Wno-error" bzImage
mkdir -p "$out"
cp arch/x86/boot/bzImage "$out/bzImage"
cp "$config" "$out/config"
xz -9e -T1 -c vmlinux > "$out/vmlinux.xz"
