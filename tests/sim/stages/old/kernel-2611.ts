// The 2.6.11-i386 build as the 2.6.11 pipeline sees it (sim/stages/old/context-30.ts Kernel30): the kept
// options its .config sets (allnoconfig + PRINTK, TTY, SERIAL_8250, HIGHMEM4G, …: the recipe of
// goldens/kernels/images/2.6.11-i386/) and the linker symbols of its vmlinux, link-time physical.
import { context30, kernel30Of, type Boot30Context } from '../../../../sim/stages/old/context-30.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

/** The kept options of the 2.6.11 build's .config (every one it sets). */
export const CONFIG_2611: Readonly<Record<string, string>> = { DUMMY_CONSOLE: 'y', HIGHMEM: 'y', HIGHMEM4G: 'y', HW_CONSOLE: 'y', KALLSYMS: 'y', LOG_BUF_SHIFT: '14', VGA_CONSOLE: 'y', VT: 'y', X86_L1_CACHE_SHIFT: '5' };

/** The vmlinux symbols the 2.6.11 stages read (its .symtab, virtual − 0xc0000000). */
export const SYMBOLS_2611: Readonly<Record<string, number>> = {
  _text: 0x100000, _etext: 0x1a7bc1, _edata: 0x1f4c00, __init_begin: 0x1f8000, __init_end: 0x20f000, _end: 0x223864, pg0: 0x224000, contig_page_data: 0x1dde60,
};

export const spec2611 = (o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel: '2.6.11-i386', machine: 'pc', memoryBytes: 2 ** 30, memoryText: '1G', cpus: 1, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});

export const ctx2611 = (o: Partial<MachineSpec> = {}, config: Readonly<Record<string, string>> = CONFIG_2611, symbols: Readonly<Record<string, number>> = SYMBOLS_2611): Boot30Context =>
  context30(spec2611(o), kernel30Of({ id: '2.6.11-i386', arch: 'i386', release: '2.6.11' }, { config, loadOffset: '0xc0000000', symbols }));
