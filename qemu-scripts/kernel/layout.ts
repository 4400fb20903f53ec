// Recovers the linker-script symbols of a stripped x86 vmlinux from its section headers,
// following arch/x86/kernel/vmlinux.lds.S and include/asm-generic/vmlinux.lds.h as read in
// 5.10.223, 6.1.176/6.1.192, 6.12.115, 7.2.13 and 7.3.4 (the same placement rules hold in all six,
// but for 7.3.4's missing .smp_locks: traits.smpLocks), and derives the sizes mem_init_print_info
// prints in the Memory: line.
//
// Why sections and not kallsyms: the amd64 builds have KALLSYMS_ALL, but the 686 builds keep
// only text symbols in kallsyms, so __init_begin, _sdata, __bss_start… are not there. Every
// symbol below is either a section edge or the page-aligned end of one, which the linker
// script states, so sections give each value exactly, on every build, by one rule.
import { FactsError, hex } from './errors.ts';
import { PT_LOAD, SHF_ALLOC, section, type ElfFile, type ElfSection } from './elf.ts';
import type { ImageLayout, ImageSymbols } from '../../sim/kernel-facts.ts';
import type { SeriesTraits } from '../../sim/traits.ts';

const PAGE_SIZE = 4096n;
const pageAlign = (a: bigint): bigint => (a + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n);
const end = (s: ElfSection): bigint => s.addr + BigInt(s.size);

/** __START_KERNEL_map on x86_64 (arch/x86/include/asm/page_64_types.h). */
export const START_KERNEL_MAP = 0xffffffff80000000n;

/**
 * Derives the image layout. LOAD_OFFSET (__START_KERNEL_map on x86_64, __PAGE_OFFSET on
 * i386) is read from the PT_LOAD holding .text as p_vaddr − p_paddr, since every output
 * section is placed `AT(ADDR(x) - LOAD_OFFSET)`. `smpLocks` is the build's trait (seriesTraits of its
 * release): which linker script to read, with a .smp_locks output section after the init region
 * (5.10–7.2) or without one ('none', 7.3).
 */
export function deriveLayout(elf: ElfFile, smpLocksTrait: SeriesTraits['smpLocks'], file = 'vmlinux'): ImageLayout {
  const sec = (name: string): ElfSection => section(elf, name, file);
  const unexpected = (what: string): FactsError => new FactsError('LAYOUT_UNEXPECTED', what, { pos: { file } });
  const text = sec('.text');
  const rodata = sec('.rodata');
  const data = sec('.data');
  const percpu = sec('.data..percpu');
  const initText = sec('.init.text');
  const bss = sec('.bss');
  const smpLocks = smpLocksTrait === 'none' ? undefined : sec('.smp_locks');
  const strayLocks = smpLocks === undefined ? elf.sections.find((s) => s.name === '.smp_locks') : undefined;
  if (strayLocks) throw unexpected(`expected no .smp_locks section (traits.smpLocks 'none': 7.3's vmlinux.lds.S has none), got one at ${hex(strayLocks.addr)}`);
  // What follows the init region: .smp_locks (5.10–7.2), else 7.3's `.init.end { __init_end = .; }` is
  // followed by .data_nosave on X86_64 (`#ifdef CONFIG_X86_64`) and by `. = ALIGN(PAGE_SIZE); .bss`.
  const afterInit = smpLocks ?? (elf.elfClass === 64 ? sec('.data_nosave') : bss);
  const brk = sec('.brk');

  const textSeg = elf.segments.find((p) => p.type === PT_LOAD && p.vaddr <= text.addr && text.addr < p.vaddr + BigInt(p.memsz));
  if (!textSeg) throw unexpected(`expected a PT_LOAD segment holding .text at ${hex(text.addr)}, got none`);
  const loadOffset = textSeg.vaddr - textSeg.paddr;

  // x86_64 SMP before 6.15: PERCPU_VADDR(INTERNODE_CACHE_BYTES, 0, :percpu) links the
  // percpu section at 0 and loads it at __per_cpu_load, the first thing after __init_begin.
  const percpuZeroBased = percpu.addr === 0n;
  // The image proper: allocated sections at or above _text (drops .data..percpu at 0).
  const placed = elf.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0n && s.addr >= text.addr);
  // The highest end among placed sections that end at or before `limit`.
  const lastEndBefore = (limit: bigint, what: string): bigint => {
    const ends = placed.filter((s) => end(s) <= limit && s.addr < limit).map(end);
    if (ends.length === 0) throw unexpected(`expected a section before ${what} at ${hex(limit)}, got none`);
    return ends.reduce((a, b) => (a > b ? a : b));
  };

  // .text { _text = .; _stext = .; … } then `_etext = .;` straight after the section. An input
  // section the script does not name becomes an orphan output section, which GNU ld places after
  // the output section of the same flags, ahead of the assignment: 6.16.12's .head.text (its
  // vmlinux.lds.S no longer lists HEAD_TEXT inside .text; 6.12.115 does) lies between .text and
  // .rodata, and _etext is its end. So _etext is the end of the last section placed below .rodata.
  const _text = text.addr;
  const _etext = lastEndBefore(rodata.addr, '.rodata');
  // RO_DATA(PAGE_SIZE): .rodata { __start_rodata = .; … } … NOTES BTF `. = ALIGN(PAGE_SIZE); __end_rodata = .;`
  // — every section from .rodata up to .data belongs to RO_DATA, so __end_rodata is the
  // page-aligned end of the last of them (.BTF_ids on amd64, .notes on 686).
  const __start_rodata = rodata.addr;
  const __end_rodata = pageAlign(lastEndBefore(data.addr, '.data'));
  // .data { _sdata = .; … _edata = .; }
  const _sdata = data.addr;
  const _edata = end(data);
  // `. = ALIGN(PAGE_SIZE); .init.begin { __init_begin = .; }` after BUG_TABLE, ORC_UNWIND_TABLE
  // (and .vvar before 7.x): the page-aligned end of the last section below .init.text.
  const __init_begin = pageAlign(lastEndBefore(initText.addr, '.init.text'));
  const __per_cpu_load = perCpuLoad(elf, { percpu, initText, afterInit }, __init_begin, loadOffset, unexpected);
  // `. = ALIGN(PAGE_SIZE); .init.end { __init_end = .; }` then `. = ALIGN(PAGE_SIZE); .smp_locks` (5.10–7.2),
  // or .data_nosave / `. = ALIGN(PAGE_SIZE); .bss` (7.3): the empty .init.end leaves no section header.
  const __init_end = pageAlign(lastEndBefore(afterInit.addr, afterInit.name));
  if (__init_end !== afterInit.addr) throw unexpected(`expected ${afterInit.name} at __init_end ${hex(__init_end)}, got ${hex(afterInit.addr)}`);
  // .smp_locks { __smp_locks = .; *(.smp_locks) . = ALIGN(PAGE_SIZE); __smp_locks_end = .; } ("start/end
  // must be page aligned": alternative_instructions() may free it with free_init_pages())
  const locks = smpLocks === undefined ? undefined : { __smp_locks: smpLocks.addr, __smp_locks_end: end(smpLocks) };
  if (locks && locks.__smp_locks_end !== pageAlign(locks.__smp_locks_end)) throw unexpected(`expected .smp_locks to end page-aligned (__smp_locks_end), got ${hex(locks.__smp_locks_end)}`);
  // .bss { __bss_start = .; … . = ALIGN(PAGE_SIZE); __bss_stop = .; } __end_of_kernel_reserve = .;
  const __bss_start = bss.addr;
  const __bss_stop = end(bss);
  // .brk { __brk_base = .; . += 64 * 1024; *(.bss..brk) __brk_limit = .; } . = ALIGN(PAGE_SIZE); _end = .;
  const __brk_base = brk.addr;
  const __brk_limit = end(brk);
  const _end = pageAlign(__brk_limit);

  checkLayout({ _text, _etext, __start_rodata, __end_rodata, _sdata, _edata, __init_begin, __init_end, ...locks, __bss_start, __bss_stop, __brk_base, __brk_limit, _end }, initText.addr, unexpected);

  const phys = (va: bigint): number => {
    const p = va - loadOffset;
    if (p < 0n || p > BigInt(Number.MAX_SAFE_INTEGER)) throw unexpected(`expected ${hex(va)} − LOAD_OFFSET ${hex(loadOffset)} to be a physical address, got ${p}`);
    return Number(p);
  };
  const symbols: ImageSymbols = {
    _text: phys(_text),
    _stext: phys(_text),
    _etext: phys(_etext),
    __start_rodata: phys(__start_rodata),
    __end_rodata: phys(__end_rodata),
    _sdata: phys(_sdata),
    _edata: phys(_edata),
    __init_begin: phys(__init_begin),
    __per_cpu_load: phys(__per_cpu_load),
    __init_end: phys(__init_end),
    ...(locks && { __smp_locks: phys(locks.__smp_locks), __smp_locks_end: phys(locks.__smp_locks_end) }),
    __bss_start: phys(__bss_start),
    __bss_stop: phys(__bss_stop),
    __end_of_kernel_reserve: phys(__bss_stop),
    __brk_base: phys(__brk_base),
    __brk_limit: phys(__brk_limit),
    _end: phys(_end),
  };
  return imageLayout(symbols, loadOffset, percpuZeroBased);
}

/** __per_cpu_load: where .data..percpu is loaded (x86_64 SMP before 6.15 links it at 0 and loads it at __init_begin), with the checks that place it. */
function perCpuLoad(elf: ElfFile, s: { readonly percpu: ElfSection; readonly initText: ElfSection; readonly afterInit: ElfSection }, __init_begin: bigint, loadOffset: bigint, unexpected: (what: string) => FactsError): bigint {
  const { percpu, initText, afterInit } = s;
  if (percpu.addr === 0n) {
    // `__per_cpu_load = .; .data..percpu 0 : AT(__per_cpu_load - LOAD_OFFSET)`, then
    // `. = __per_cpu_load + SIZEOF(.data..percpu)` and INIT_TEXT_SECTION(PAGE_SIZE).
    const seg = elf.segments.find((p) => p.type === PT_LOAD && p.offset <= percpu.offset && percpu.offset < p.offset + Math.max(p.filesz, 1) && p.vaddr === 0n);
    if (!seg) throw unexpected(`expected a PT_LOAD segment at vaddr 0 holding .data..percpu, got none`);
    const load = seg.paddr + BigInt(percpu.offset - seg.offset) + loadOffset;
    if (load !== __init_begin) throw unexpected(`expected __per_cpu_load (the load address of .data..percpu, ${hex(load)}) to equal __init_begin ${hex(__init_begin)}`);
    if (initText.addr !== pageAlign(__init_begin + BigInt(percpu.size))) throw unexpected(`expected .init.text at ALIGN(__per_cpu_load + SIZEOF(.data..percpu), PAGE_SIZE) = ${hex(pageAlign(__init_begin + BigInt(percpu.size)))}, got ${hex(initText.addr)}`);
    return load;
  }
  // PERCPU_SECTION inside the init region: linked where it is loaded.
  if (initText.addr !== __init_begin) throw unexpected(`expected .init.text right at __init_begin ${hex(__init_begin)} (INIT_TEXT_SECTION(PAGE_SIZE)), got ${hex(initText.addr)}`);
  if (percpu.addr < __init_begin || end(percpu) > afterInit.addr) throw unexpected(`expected .data..percpu inside the init region [${hex(__init_begin)}, ${hex(afterInit.addr)}), got ${hex(percpu.addr)}..${hex(end(percpu))}`);
  return percpu.addr;
}

/** The layout symbols in link order, each named as in vmlinux.lds.S. */
interface LinkSymbols {
  readonly _text: bigint; readonly _etext: bigint; readonly __start_rodata: bigint; readonly __end_rodata: bigint;
  readonly _sdata: bigint; readonly _edata: bigint; readonly __init_begin: bigint; readonly __init_end: bigint;
  readonly __smp_locks?: bigint; readonly __smp_locks_end?: bigint; readonly __bss_start: bigint; readonly __bss_stop: bigint;
  readonly __brk_base: bigint; readonly __brk_limit: bigint; readonly _end: bigint;
}

/** What mem_init_print_info() and the reservations assume of the layout: regions that do not nest, symbols in link order. */
function checkLayout(y: LinkSymbols, sinittext: bigint, unexpected: (what: string) => FactsError): void {
  const { _text, _etext, __start_rodata, __end_rodata, _sdata, _edata, __init_begin, __init_end, __smp_locks, __smp_locks_end, __bss_start, __bss_stop, __brk_base, __brk_limit, _end } = y;
  // mem_init_print_info's adj_init_size only matters when one region nests in another; it
  // cancels init_code_size exactly when _sinittext lies in [__init_begin, __init_end).
  if (!(sinittext >= __init_begin && sinittext < __init_end)) throw unexpected(`expected _sinittext ${hex(sinittext)} inside [__init_begin, __init_end)`);
  if (__start_rodata >= _text && __start_rodata < _etext) throw unexpected('expected .rodata outside .text (adj_init_size would shrink codesize)');
  if (__start_rodata >= _sdata && __start_rodata < _edata) throw unexpected('expected .rodata outside .data (adj_init_size would shrink datasize)');
  if (__init_begin >= _sdata && __init_begin < _edata) throw unexpected('expected the init region outside .data (adj_init_size would shrink datasize)');
  const locks: Array<[string, bigint]> = __smp_locks === undefined || __smp_locks_end === undefined ? [] : [['__smp_locks', __smp_locks], ['__smp_locks_end', __smp_locks_end]];
  const order: Array<[string, bigint]> = [['_text', _text], ['_etext', _etext], ['__start_rodata', __start_rodata], ['__end_rodata', __end_rodata], ['_sdata', _sdata], ['_edata', _edata], ['__init_begin', __init_begin], ['__init_end', __init_end], ...locks, ['__bss_start', __bss_start], ['__bss_stop', __bss_stop], ['__brk_base', __brk_base], ['__brk_limit', __brk_limit], ['_end', _end]];
  for (let i = 1; i < order.length; i++) {
    if (order[i]![1] < order[i - 1]![1]) throw unexpected(`expected ${order[i - 1]![0]} ${hex(order[i - 1]![1])} ≤ ${order[i]![0]} ${hex(order[i]![1])}`);
  }
}

/** The sizes mem_init_print_info() prints, in K, from the symbols (and the brk size). */
function imageLayout(symbols: ImageSymbols, loadOffset: bigint, percpuZeroBased: boolean): ImageLayout {
  const K = (from: number, to: number): number => Math.floor((to - from) / 1024);
  return {
    loadOffset: hex(loadOffset),
    percpuZeroBased,
    symbols,
    codeK: K(symbols._stext, symbols._etext),
    rwdataK: K(symbols._sdata, symbols._edata),
    rodataK: K(symbols.__start_rodata, symbols.__end_rodata),
    initK: K(symbols.__init_begin, symbols.__init_end),
    bssK: K(symbols.__bss_start, symbols.__bss_stop),
    brkBytes: symbols.__brk_limit - symbols.__brk_base,
  };
}
