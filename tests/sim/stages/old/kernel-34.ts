// The 2.6.34-i386 build as the 2.6.34 pipeline sees it (sim/stages/old/context-30.ts Kernel30): the kept
// options its .config sets (allnoconfig + PRINTK, TTY, SERIAL_8250, HIGHMEM4G, …: the recipe of
// goldens/kernels/images/2.6.34-i386/) and the linker symbols of its vmlinux, link-time physical.
import { context30, kernel30Of, type Boot30Context } from '../../../../sim/stages/old/context-30.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

/** The kept options of the 2.6.34 build's .config (every one it sets). */
export const CONFIG_34: Readonly<Record<string, string>> = {
  X86_32: 'y', ZONE_DMA: 'y', SLUB_DEBUG: 'y', SLUB: 'y', NR_CPUS: '1', HIGHMEM4G: 'y', PAGE_OFFSET: '3221225472', HIGHMEM: 'y', FLATMEM: 'y',
  SPLIT_PTLOCK_CPUS: '4', PHYSICAL_START: '16777216', PHYSICAL_ALIGN: '16777216', LOG_BUF_SHIFT: '17', DMI: 'y', HAVE_EARLY_RES: 'y',
  BLK_DEV_INITRD: 'y', X86_L1_CACHE_SHIFT: '5', X86_CMPXCHG64: 'y', HZ: '250',
};

/** The vmlinux symbols the 2.6.34 stages read (its .symtab, virtual − 0xc0000000). */
export const SYMBOLS_34: Readonly<Record<string, number>> = {
  _text: 0x1000000, _etext: 0x1101ae9, _edata: 0x11505ec, __init_begin: 0x1151000, __init_end: 0x1183000, __bss_stop: 0x11b8ae0,
  __brk_base: 0x11b9000, __brk_limit: 0x1259000, _end: 0x1259000, contig_page_data: 0x114f360,
};

export const spec34 = (o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel: '2.6.34-i386', machine: 'pc', memoryBytes: 2 ** 30, memoryText: '1G', cpus: 1, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});

export const ctx34 = (o: Partial<MachineSpec> = {}, config: Readonly<Record<string, string>> = CONFIG_34, symbols: Readonly<Record<string, number>> = SYMBOLS_34): Boot30Context =>
  context30(spec34(o), kernel30Of({ id: '2.6.34-i386', arch: 'i386', release: '2.6.34' }, { config, loadOffset: '0xc0000000', symbols }));
