// The 3.0.1-i386 build as the 3.0 pipeline sees it (sim/stages/old/context-30.ts Kernel30): the kept
// options its .config sets (allnoconfig + PRINTK, TTY, SERIAL_8250, HIGHMEM4G, …: the recipe of
// goldens/kernels/images/3.0.1-i386/) and the linker symbols of its vmlinux, link-time physical.
import { context30, kernel30Of, type Boot30Context } from '../../../../sim/stages/old/context-30.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

/** The kept options of the 3.0.1 build's .config (every one it sets). */
export const CONFIG_30: Readonly<Record<string, string>> = {
  X86_32: 'y', ZONE_DMA: 'y', SLUB_DEBUG: 'y', SLUB: 'y', SYSFS: 'y', NR_CPUS: '1', HIGHMEM4G: 'y', PAGE_OFFSET: '0xC0000000', HIGHMEM: 'y', FLATMEM: 'y',
  SPLIT_PTLOCK_CPUS: '4', PHYSICAL_START: '0x1000000', PHYSICAL_ALIGN: '0x1000000', X86_RESERVE_LOW: '64', LOG_BUF_SHIFT: '17', DMI: 'y',
  BLK_DEV_INITRD: 'y', X86_L1_CACHE_SHIFT: '5', X86_CMPXCHG64: 'y', HZ: '250', FIRMWARE_MEMMAP: 'y',
};

/** 3.0.1-i386-elf's config: the same build with CONFIG_BINFMT_ELF, the one a state probe's /init runs on (sim/stages/old/envelope-30.ts). */
export const CONFIG_30_ELF: Readonly<Record<string, string>> = { ...CONFIG_30, BINFMT_ELF: 'y' };

/** The vmlinux symbols the 3.0 stages read (nm of the build's vmlinux, virtual − 0xc0000000). */
export const SYMBOLS_30: Readonly<Record<string, number>> = {
  _text: 0x1000000, _etext: 0x111d973, __start_rodata: 0x111f000, __end_rodata: 0x115f000, _edata: 0x1176160, __init_begin: 0x1177000, __init_end: 0x11ad000, __bss_start: 0x11ad000, __bss_stop: 0x11e2000, __brk_base: 0x11e2000,
  __brk_limit: 0x1302000, _end: 0x1302000, __smp_locks: 0x11ad000, __smp_locks_end: 0x11ad000, x86_trampoline_start: 0x11ac7f0, x86_trampoline_end: 0x11ac8b8, contig_page_data: 0x1174620,
};

export const spec30 = (o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel: '3.0.1-i386', machine: 'pc', memoryBytes: 2 ** 30, memoryText: '1G', cpus: 1, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});

export const ctx30 = (o: Partial<MachineSpec> = {}, config: Readonly<Record<string, string>> = CONFIG_30, symbols: Readonly<Record<string, number>> = SYMBOLS_30): Boot30Context =>
  context30(spec30(o), kernel30Of({ id: '3.0.1-i386', arch: 'i386', release: '3.0.1' }, { config, loadOffset: '0xc0000000', symbols }));
