// arch/x86/kernel/e820.c and setup.c of 3.0.1 (eastmoutain/Linux-3.0.1): setup_memory_map() →
// default_machine_specific_memory_setup() with e820_print_map("BIOS-e820"), trim_bios_range(),
// e820_end_of_ram_pfn() and e820_setup_gap(). The table operations are those of sim/stages/e820.ts:
// 3.0.1 __e820_update_range()/e820_remove_range()/sanitize_e820_map() are the same algorithms as
// 5.10's e820__range_update()/e820__range_remove()/e820__update_table() (compared line by line).
import type { Stage30Fn, Stage30Result } from './context-30.ts';
import type { DmesgLine } from '../../types.ts';
import { firmwareTable } from '../../firmware/e820-table.ts';
import { E820_RAM, E820_RESERVED, E820_ACPI, E820_NVS, E820_UNUSABLE, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { e820UpdateTable, firmwareOrigins, rangeExplain, rangeRemove, rangeUpdate, E820_RESERVED_KERN, type Mut } from '../e820.ts';
import type { FirmwareTable } from '../../firmware/e820-table.ts';
import type { MachineType } from '../../types.ts';
import { hexPad, fmtLx } from '../../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { legacy30Of } from './state-30.ts';
import { kernelConfig } from '../../traits.ts';

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'e820', fmt, text, ...(explain ? { explain } : {}) });

/** 3.0.1 e820_print_type(): the type in parentheses ("type %u" for the others). */
export function e820TypeName30(type: number): string {
  switch (type) {
    case E820_RAM:
    case E820_RESERVED_KERN:
      return '(usable)';
    case E820_RESERVED:
      return '(reserved)';
    case E820_ACPI:
      return '(ACPI data)';
    case E820_NVS:
      return '(ACPI NVS)';
    case E820_UNUSABLE:
      return '(unusable)';
    default:
      return `type ${type}`;
  }
}

/** `%016Lx`. */
const x16 = (v: bigint): string => hexPad(v, 16);

/** 3.0.1 e820_print_map(who): " %s: %016Lx - %016Lx " + e820_print_type(). */
export function printMap30(table: readonly E820Entry[], who: string, fw?: { readonly table: FirmwareTable; readonly machine: MachineType }): DmesgLine[] {
  const rule = 'arch/x86/kernel/e820.c e820_print_map() (3.0.1): the end printed is addr + size';
  return table.map((e) =>
    line('e820.entry_legacy', ` ${who}: ${x16(e.addr)} - ${x16(e.addr + e.size)} ${e820TypeName30(e.type)}`, rangeExplain(e.addr, e.addr + e.size, e820TypeName30(e.type), fw ? firmwareOrigins(fw.table, e.addr, e.addr + e.size, fw.machine) : [], rule)),
  );
}

/**
 * setup_arch() → setup_memory_map() → default_machine_specific_memory_setup(): sanitize_e820_map()
 * of boot_params.e820_map, append_e820_map() (which refuses fewer than 2 entries), then
 * "BIOS-provided physical RAM map:" and e820_print_map("BIOS-e820").
 */
export const setupMemoryMap30: Stage30Fn = (state, ctx): Stage30Result => {
  const fw = firmwareTable(ctx.spec, ctx.traits.arch);
  if (fw.e820.length < 2) throw new SimError('SIM_NOT_MODELLED', 'e820', 'firmware map with fewer than 2 entries (the BIOS-88/e801 fallback of default_machine_specific_memory_setup)');
  const table = e820UpdateTable(fw.e820)!;
  const lines = [line('e820.header', 'BIOS-provided physical RAM map:'), ...printMap30(table, 'BIOS-e820', { table: fw, machine: ctx.spec.machine })];
  return { state: withSlice(state, 'legacy30', { e820: table }), lines };
};

/**
 * setup_arch() → trim_bios_range(): e820_update_range(0, ALIGN(reserve_low, PAGE_SIZE), RAM,
 * RESERVED) with reserve_low = CONFIG_X86_RESERVE_LOW << 10 (setup.c), e820_remove_range(BIOS_BEGIN,
 * BIOS_END − BIOS_BEGIN, RAM, 1), then sanitize_e820_map(). Each prints its KERN_DEBUG line.
 */
export const trimBiosRange30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'trimBiosRange30');
  const low = kernelConfig(ctx.kernel, 'X86_RESERVE_LOW');
  if (low === undefined) throw new SimError('SIM_NOT_MODELLED', 'e820', 'CONFIG_X86_RESERVE_LOW: expected it in the kernel facts (setup.c reserve_low), found none');
  const reserveLow = BigInt(low) << 10n;
  const size = (reserveLow + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n);
  const t: Mut[] = l.e820.map((e) => ({ ...e }));
  // arch/x86/kernel/e820.c (3.0.1) __e820_update_range: "e820 update range: %016Lx - %016Lx " type " ==> " type
  const lines = [
    line('e820.update_legacy', `e820 update range: ${x16(0n)} - ${x16(size)} ${e820TypeName30(E820_RAM)} ==> ${e820TypeName30(E820_RESERVED)}`,
      rangeExplain(0n, size, `${e820TypeName30(E820_RAM)} ==> ${e820TypeName30(E820_RESERVED)}`, [], `arch/x86/kernel/setup.c trim_bios_range() (3.0.1): ALIGN(reserve_low = CONFIG_X86_RESERVE_LOW ${low}K, PAGE_SIZE)`)),
  ];
  rangeUpdate(t, 0n, size, E820_RAM, E820_RESERVED);
  // BIOS_BEGIN 0xa0000, BIOS_END 0x100000 (arch/x86/include/asm/e820.h, 3.0.1); checktype 1 prints the type
  lines.push(line('e820.remove_legacy', `e820 remove range: ${x16(0xa0000n)} - ${x16(0x100000n)} ${e820TypeName30(E820_RAM)}`,
    rangeExplain(0xa0000n, 0x100000n, e820TypeName30(E820_RAM), [], 'arch/x86/kernel/setup.c trim_bios_range() (3.0.1): BIOS_BEGIN 0xa0000 – BIOS_END 0x100000')));
  rangeRemove(t, 0xa0000n, 0x100000n - 0xa0000n, E820_RAM, true);
  const table = e820UpdateTable(t.filter((e) => e.size !== 0n)) ?? t;
  return { state: withSlice(state, 'legacy30', { ...l, e820: table }), lines };
};

/** MAX_ARCH_PFN (arch/x86/include/asm/e820.h, 3.0.1): 1 << (36 − PAGE_SHIFT) with PAE, else 1 << (32 − PAGE_SHIFT). */
export function maxArchPfn30(pae: boolean): bigint {
  return 1n << ((pae ? 36n : 32n) - PAGE_SHIFT);
}

/** 3.0.1 e820_end_pfn(limit_pfn, E820_RAM): the end of the last RAM entry below limit_pfn, capped at max_arch_pfn. */
export function e820EndPfn30(table: readonly E820Entry[], limitPfn: bigint, maxArch: bigint): bigint {
  let last = 0n;
  for (const e of table) {
    if (e.type !== E820_RAM) continue;
    const s = e.addr >> PAGE_SHIFT;
    const en = (e.addr + e.size) >> PAGE_SHIFT;
    if (s >= limitPfn) continue;
    if (en > limitPfn) {
      last = limitPfn;
      break;
    }
    if (en > last) last = en;
  }
  return last > maxArch ? maxArch : last;
}

/** setup_arch(): max_pfn = e820_end_of_ram_pfn() — "last_pfn = %#lx max_arch_pfn = %#lx". */
export const e820EndOfRamPfn30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'e820EndOfRamPfn30');
  const maxArch = maxArchPfn30(ctx.traits.pae);
  const maxPfn = e820EndPfn30(l.e820, maxArch, maxArch);
  return {
    state: withSlice(state, 'legacy30', { ...l, maxPfn }),
    lines: [
      line('last_pfn', `last_pfn = ${fmtLx(maxPfn)} max_arch_pfn = ${fmtLx(maxArch)}`, {
        last_pfn: [{ name: 'end of the last E820_RAM entry below max_arch_pfn', value: `${fmtLx(maxPfn)} (pages)`, source: 'arch/x86/kernel/e820.c e820_end_pfn(MAX_ARCH_PFN, E820_RAM) (3.0.1)' }],
        max_arch_pfn: [{ name: 'MAX_ARCH_PFN', value: `${fmtLx(maxArch)} (pages) = 1 << (${ctx.traits.pae ? 36 : 32} - PAGE_SHIFT)`, source: 'arch/x86/include/asm/e820.h (3.0.1)' }],
      }),
    ],
  };
};

/** MAX_GAP_END (arch/x86/kernel/e820.c, 3.0.1): 4G. */
const MAX_GAP_END = 0x100000000n;

/**
 * setup_arch() → e820_setup_gap(): e820_search_gap() from the top entry down for the largest gap
 * below 4G of at least 0x400000 (starting from gapstart 0x10000000), then "Allocating PCI resources
 * starting at %lx (gap: %lx:%lx)". The X86_64 "Cannot find a gap" path is not built on X86_32.
 */
export const e820SetupGap30: Stage30Fn = (state): Stage30Result => {
  const l = legacy30Of(state, 'e820SetupGap30');
  let gapstart = 0x10000000n;
  let gapsize = 0x400000n;
  let last = MAX_GAP_END;
  for (let i = l.e820.length - 1; i >= 0; i--) {
    const e = l.e820[i]!;
    const start = e.addr;
    const end = start + e.size;
    if (last > end) {
      const gap = last - end;
      if (gap >= gapsize) {
        gapsize = gap;
        gapstart = end;
      }
    }
    if (start < last) last = start;
  }
  const x = (v: bigint): string => v.toString(16);
  const rule = 'arch/x86/kernel/e820.c e820_search_gap() (3.0.1): the largest gap below 4G, from the top entry down';
  return { state, lines: [line('pci.gap_legacy', `Allocating PCI resources starting at ${x(gapstart)} (gap: ${x(gapstart)}:${x(gapsize)})`, rangeExplain(gapstart, gapstart + gapsize, 'gap', [], rule))] };
};
