// setup_arch() of the 2.6.11 x86_64 prebuilt (wyangsc/linux-2.6.11_bzImage_vmlinux, gcc 3.3.5) as far
// as init_memory_mapping(): arch/x86_64/kernel/e820.c copy_e820_map() (after sanitize_e820_map),
// e820_end_of_ram() and arch/x86_64/mm/init.c find_early_table_space() / phys_pud_init(). With an AMD
// vCPU (qemu64) this is where the boot ends: end_pfn_map counts every e820 entry, so QEMU 7.2's reserved
// [0xfd00000000, 1T) makes the direct mapping run to 1T, and its PUD and PMD pages (~4 MB) do not fit
// below the kernel at 1M. The copy_e820_map() rule is shared with arch/i386 (setup-memory-2611.ts).
import type { Stage30Fn } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import { firmwareTable } from '../../firmware/e820-table.ts';
import { E820_RAM, QEMU_7_2, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { legacy2611Of } from './state-2611.ts';

const WHERE = 'setup_arch (2.6.11 x86_64)';
const roundUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/** MAXMEM (include/asm-x86_64/pgtable.h, 2.6.11): 0x3fffffffffff. */
const MAXMEM_2611 = 0x3fffffffffffn;

/**
 * copy_e820_map() (arch/x86_64/kernel/e820.c, 2.6.11) after sanitize_e820_map(): RAM in 640K–1M cut
 * out (the part below 0xa0000 kept, the rest moved to start at 1M); fewer than 2 entries is the
 * BIOS-88/e801 fallback, not modelled.
 */
export function copyE820Map2611(bios: readonly E820Entry[]): E820Entry[] {
  if (bios.length < 2) throw new SimError('SIM_NOT_MODELLED', WHERE, 'firmware map with fewer than 2 entries (the BIOS-88/e801 fallback of setup_memory_region)');
  const out: E820Entry[] = [];
  for (const e of bios) {
    let start = e.addr;
    const end = e.addr + e.size;
    if (e.type === E820_RAM && start < 0x100000n && end > 0xa0000n) {
      if (start < 0xa0000n) out.push({ addr: start, size: 0xa0000n - start, type: e.type });
      if (end <= 0x100000n) continue;
      start = 0x100000n;
    }
    out.push({ addr: start, size: end - start, type: e.type });
  }
  return out;
}

/**
 * e820_end_of_ram() (2.6.11): end_pfn the end of the last RAM entry, end_pfn_map the end of the last
 * entry of any type (whole pages), at least end_pfn, capped at MAXMEM; no mem= (refused).
 */
export function endOfRam2611(table: readonly E820Entry[]): { readonly endPfn: bigint; readonly endPfnMap: bigint } {
  let endPfn = 0n;
  let endPfnMap = 0n;
  for (const e of table) {
    const start = roundUp(e.addr, PAGE_SIZE);
    const end = ((e.addr + e.size) / PAGE_SIZE) * PAGE_SIZE;
    if (start >= end) continue;
    if (e.type === E820_RAM) {
      if (end > endPfn << PAGE_SHIFT) endPfn = end >> PAGE_SHIFT;
    } else if (end > endPfnMap << PAGE_SHIFT) endPfnMap = end >> PAGE_SHIFT;
  }
  if (endPfn > endPfnMap) endPfnMap = endPfn;
  if (endPfnMap > MAXMEM_2611 >> PAGE_SHIFT) endPfnMap = MAXMEM_2611 >> PAGE_SHIFT;
  if (endPfn > endPfnMap) endPfn = endPfnMap;
  return { endPfn, endPfnMap };
}

/**
 * find_early_table_space(end) (arch/x86_64/mm/init.c, 2.6.11): round_up(puds × 8) + round_up(pmds × 8)
 * (PUD_SHIFT 30, PMD_SHIFT 21: 2M pages, no PTEs), placed by find_e820_area(0x8000, __pa(_text), tables):
 * each RAM entry in order, bad_addr() moving past the SMP gunk below 0x8000 and the kernel from 640K to
 * _end (no initrd: refused); undefined where the kernel panics.
 */
export function findEarlyTableSpace2611(table: readonly E820Entry[], end: bigint, text: bigint, kernelEnd: bigint): { readonly tables: bigint; readonly start: bigint | undefined } {
  const puds = (end + (1n << 30n) - 1n) >> 30n;
  const pmds = (end + (1n << 21n) - 1n) >> 21n;
  const tables = roundUp(puds * 8n, PAGE_SIZE) + roundUp(pmds * 8n, PAGE_SIZE);
  for (const e of table) {
    if (e.type !== E820_RAM) continue;
    let addr = e.addr < 0x8000n ? 0x8000n : e.addr;
    const eiEnd = e.addr + e.size;
    if (addr > eiEnd) continue;
    for (;;) {
      const last = addr + tables;
      let moved = false;
      if (addr < 0x8000n) {
        addr = 0x8000n;
        moved = true;
      } else if (last >= 640n * 1024n && addr < kernelEnd) {
        addr = kernelEnd;
        moved = true;
      }
      if (!moved || addr + tables >= eiEnd) break;
    }
    const last = addr + tables;
    if (last > eiEnd || last > text) continue;
    return { tables, start: addr };
  }
  return { tables, start: undefined };
}

/**
 * e820_mapped(start, end, 0) (arch/x86_64/kernel/e820.c, 2.6.11): an entry of any type with addr < end and
 * addr + size ≥ start (an entry ending exactly at start counts).
 */
export function e820Mapped2611(table: readonly E820Entry[], start: bigint, end: bigint): boolean {
  return table.some((e) => !(e.addr >= end || e.addr + e.size < start));
}

/**
 * The pages init_memory_mapping(0, end) takes with alloc_low_page() (arch/x86_64/mm/init.c, 2.6.11): per
 * PGDIR (512G) one PUD page, and phys_pud_init() one PMD page per 1G slot below end that e820_mapped();
 * the 2M entries need no PTE pages.
 */
export function directMappingPages2611(table: readonly E820Entry[], end: bigint): bigint {
  const PGDIR = 1n << 39n;
  const PUD = 1n << 30n;
  let pages = 0n;
  for (let start = 0n; start < end; start += PGDIR) {
    pages++;
    const next = start + PGDIR < end ? start + PGDIR : end;
    for (let paddr = start; paddr < next; paddr += PUD) if (e820Mapped2611(table, paddr, paddr + PUD)) pages++;
  }
  return pages;
}

/**
 * setup_arch() → e820_end_of_ram() and init_memory_mapping(0, end_pfn_map << PAGE_SHIFT) (arch/x86_64, 2.6.11):
 * find_early_table_space() places the tables from 0x8000 below _text, or the kernel panics "Cannot find space
 * for the kernel page tables" before its console starts (QEMU 7.2's AMD 1T-hole e820 entry under an AMD vCPU
 * makes the direct mapping reach 1T): a coded refusal with the numbers that cause it. Then alloc_low_page()
 * moves table_end past each page the mapping takes (its early_printk line needs earlyprintk=, refused).
 */
export const initMemoryMapping2611: Stage30Fn = (state, ctx) => {
  if (ctx.traits.arch !== 'x86_64') throw new SimError('SIM_NOT_MODELLED', WHERE, `arch ${ctx.traits.arch}: init_memory_mapping() here is the x86_64 one`);
  const l = legacy2611Of(state, 'initMemoryMapping2611');
  const fw = firmwareTable(ctx.spec, ctx.traits.arch);
  const table = l.e820;
  const { endPfn, endPfnMap } = endOfRam2611(table);
  const end = endPfnMap << PAGE_SHIFT;
  const text = symbol30(ctx, '_text', WHERE);
  const r = findEarlyTableSpace2611(table, end, text, symbol30(ctx, '_end', WHERE));
  if (r.start === undefined) {
    const top = table.reduce((m, e) => (e.addr + e.size > m.addr + m.size ? e : m), table[0]!);
    throw new SimError('SIM_NOT_MODELLED', WHERE,
      `the kernel panics "Cannot find space for the kernel page tables": end_pfn_map 0x${endPfnMap.toString(16)} counts the e820 entry [0x${top.addr.toString(16)}, 0x${(top.addr + top.size).toString(16)}) type ${top.type}` +
      `${top.addr === QEMU_7_2.amdHtStart ? ` (QEMU 7.2's AMD HyperTransport hole below 1T, advertised for an ${fw.qemu.vendor} vCPU)` : ''}, so the direct-mapping tables take ${r.tables} bytes, which find_e820_area(0x8000, __pa(_text) 0x${text.toString(16)}) cannot place (arch/x86_64/mm/init.c find_early_table_space, 2.6.11; boot it with an Intel cpu: such as core2duo)`);
  }
  const tableStartPfn = r.start >> PAGE_SHIFT;
  const tableEndPfn = tableStartPfn + directMappingPages2611(table, end);
  if (tableEndPfn > endPfn) throw new SimError('SIM_NOT_MODELLED', WHERE, `alloc_low_page: table_end ${tableEndPfn} ≥ end_pfn ${endPfn} (the kernel panics "alloc_low_page: ran out of memory")`);
  return { state: withSlice(state, 'legacy2611', { ...l, endPfn, endPfnMap, maxPfn: endPfn, maxLowPfn: endPfn, tableStartPfn, tableEndPfn }), lines: [] };
};
