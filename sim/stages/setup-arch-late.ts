// models the late setup_arch() lines of arch/x86/kernel/setup.c (5.10.223, 6.1.192, 6.12.115,
// 7.2.13): the possible-CPU count (arch/x86/kernel/smpboot.c prefill_possible_map ≤ 6.1;
// arch/x86/kernel/cpu/topology.c topology_init_possible_cpus ≥ 6.12), e820__register_nosave_regions
// (kernel/power/snapshot.c register_nosave_region prints), e820__setup_pci_gap; and the early
// "AGP: No AGP bridge found" of arch/x86/kernel/aperture_64.c early_gart_iommu_check.
import type { StageFn, StageResult } from '../boot.ts';
import type { DmesgLine } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { e820StateOf, E820_RESERVED_KERN } from './e820.ts';
import { maxPfnOf } from './lowmem32.ts';
import { E820_RAM, type E820Entry } from '../firmware/qemu-7.2.ts';
import { amdGartPresent, bootCpu } from './boot-cpu.ts';
import { fmt010Lx } from '../lib/printk.ts';
import { PAGE_SHIFT, PFN_UP, PFN_DOWN, SZ_4G } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { possibleCpuMap, type CpuLine } from './possible-cpus.ts';

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => (explain ? { stage: 'setup_arch', fmt, text, explain } : { stage: 'setup_arch', fmt, text });

// setup_arch() after trim_bios_range: early_gart_iommu_check() → search_agp_bridge() finds no AGP
// capability on QEMU's host bridges (i440FX, Q35) and prints "No AGP bridge found".
export const earlyGartIommuCheck: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  if (!traits.gartIommu) return { state, lines: [] };
  // arch/x86/kernel/aperture_64.c early_gart_iommu_check(): amd_gart_present(), then search_agp_bridge()
  const cpu = bootCpu(ctx);
  if (!amdGartPresent(cpu)) return { state, lines: [] };
  const why = [{ name: 'CPU', value: `${cpu.model}: ${cpu.vendorString} family 0x${cpu.family.toString(16)} model 0x${cpu.modelNumber.toString(16)}`, source: 'amd_gart_present() (asm/amd_nb.h); QEMU 7.2 target/i386/cpu.c model table' }];
  return { state, lines: [line('agp.none', 'AGP: No AGP bridge found', { cpu: why })] };
};

/** e820__register_nosave_regions(limit_pfn): the [start_pfn, end_pfn) ranges register_nosave_region reports. */
export function nosaveRegions(table: readonly E820Entry[], limitPfn: bigint, style: KernelTraits['nosaveStyle'], reservedKernIsRam: boolean): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  const reg = (s: bigint, e: bigint) => { if (s < e) out.push([s, e]); }; // "if (start_pfn >= end_pfn) return"
  const isRam = (t: number) => t === E820_RAM || (reservedKernIsRam && t === E820_RESERVED_KERN);
  if (style === 'walk-entries') {
    // 5.10: gaps between entries, and every non-RAM entry, until an entry ends at or above limit_pfn
    let pfn = 0n;
    for (const e of table) {
      if (pfn < PFN_UP(e.addr)) reg(pfn, PFN_UP(e.addr));
      pfn = PFN_DOWN(e.addr + e.size);
      if (!isRam(e.type)) reg(PFN_UP(e.addr), pfn);
      if (pfn >= limitPfn) break;
    }
    return out;
  }
  // 6.1+: the gaps between RAM entries, then [last RAM end, limit_pfn)
  let last = 0n;
  for (const e of table) {
    if (!isRam(e.type)) continue;
    if (last < e.addr) reg(PFN_DOWN(last), PFN_UP(e.addr));
    last = e.addr + e.size;
  }
  reg(PFN_DOWN(last), limitPfn);
  return out;
}

/** e820_search_gap() + e820__setup_pci_gap(): the largest gap below 4G of at least 4 MiB. */
export function pciGap(table: readonly E820Entry[], style: 'backward' | 'forward', arch: KernelTraits['arch']): { start: bigint; size: bigint; found: boolean } {
  let gapSize = 0x400000n;
  let gapStart = 0n;
  let found = false;
  if (style === 'backward') {
    // ≤ 6.12: from the top entry down, last = MAX_GAP_END (4G); ties go to the lower gap
    let last = SZ_4G;
    for (let i = table.length - 1; i >= 0; i--) {
      const start = table[i]!.addr;
      const end = start + table[i]!.size;
      if (last > end) {
        const gap = last - end;
        if (gap >= gapSize) { gapSize = gap; gapStart = end; found = true; }
      }
      if (start < last) last = start;
    }
  } else {
    // 7.2: from the bottom entry up, each gap clipped at MAX_GAP_END, plus the gap after the last entry
    let prevEnd = 0n;
    for (const e of table) {
      if (e.addr > prevEnd && prevEnd < SZ_4G) {
        const gEnd = e.addr < SZ_4G ? e.addr : SZ_4G;
        if (gEnd - prevEnd >= gapSize) { gapStart = prevEnd; gapSize = gEnd - prevEnd; found = true; }
      }
      prevEnd = e.addr + e.size;
    }
    const lastE = table[table.length - 1];
    if (lastE && lastE.addr + lastE.size < SZ_4G) {
      const s = lastE.addr + lastE.size;
      if (SZ_4G - s >= gapSize) { gapStart = s; gapSize = SZ_4G - s; found = true; }
    }
  }
  if (!found) {
    // x86_64: (max_pfn << PAGE_SHIFT) + 1M with two pr_err lines (not modelled); i386: 0x10000000 (256M)
    if (arch === 'x86_64') throw new SimError('SIM_NOT_MODELLED', 'setup_arch', 'e820__setup_pci_gap: no gap of 4 MiB below 4G ("Cannot find an available gap" path)');
    gapStart = 0x10000000n;
  }
  return { start: gapStart, size: gapSize, found };
}

// setup_arch() after the ACPI MADT lines: possible CPUs, nosave regions, the PCI gap
// setup_arch() after get_smp_config(): prefill_possible_map() (≤ 6.1) / topology_init_possible_cpus()
// (≥ 6.9) prints the possible-CPU count (sim/stages/possible-cpus.ts), before init_cpu_to_node()
export const prefillPossibleMap: StageFn = (state, ctx): StageResult => {
  const p = possibleCpuMap(ctx);
  const cpuExplain = { cpus: p.explain, hotplug: p.explain };
  // the MADT walk's and the possible map's limit lines around it (sim/stages/possible-cpus.ts)
  const cpuLine = (l: CpuLine): DmesgLine => line(l.fmt, l.text, Object.fromEntries(l.fields.map((f) => [f, p.explain])));
  return {
    state,
    lines: [
      ...p.before.map(cpuLine),
      ctx.traits.possibleCpusStyle === 'smpboot'
        ? line('smp.possible', `smpboot: Allowing ${p.present} CPUs, ${p.hotplug} hotplug CPUs`, cpuExplain)
        : line('smp.possible', `CPU topo: Allowing ${p.present} present CPUs plus ${p.hotplug} hotplug CPUs`, cpuExplain),
      ...p.after.map(cpuLine),
    ],
  };
};

// setup_arch() after e820__reserve_resources(): e820__register_nosave_regions() and e820__setup_pci_gap()
export const setupArchLate: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  const e = e820StateOf(state);
  const lines: DmesgLine[] = [];
  // e820__register_nosave_regions(max_pfn): CONFIG_HIBERNATION or CONFIG_PM_SLEEP builds only; both Debian builds have it
  const maxPfn = maxPfnOf(state);
  for (const [s, en] of nosaveRegions(e.table, maxPfn, traits.nosaveStyle, traits.e820Style === 'classic')) {
    const ex = [{ name: 'e820 table', value: `${e.table.length} entries`, source: `arch/x86/kernel/e820.c e820__register_nosave_regions (${traits.nosaveStyle}), limit max_pfn 0x${maxPfn.toString(16)}` }];
    lines.push(line('pm.nosave', `PM: hibernation: Registered nosave memory: [mem ${fmt010Lx(s << PAGE_SHIFT)}-${fmt010Lx((en << PAGE_SHIFT) - 1n)}]`, { start: ex, end: ex }));
  }
  const gapStyle = traits.e820Style === 'named' ? 'forward' : 'backward';
  const g = pciGap(e.table, gapStyle, traits.arch);
  const gx = [{ name: 'largest e820 gap below 4G', value: `0x${g.size.toString(16)} bytes`, source: `arch/x86/kernel/e820.c e820_search_gap (${gapStyle === 'forward' ? '7.2: ascending' : '≤ 6.12: descending from MAX_GAP_END'}), at least 4 MiB` }];
  const head = gapStyle === 'forward' ? 'gap' : 'mem';
  lines.push(line('pci.gap', `[${head} ${fmt010Lx(g.start)}-${fmt010Lx(g.start + g.size - 1n)}] available for PCI devices`, { start: gx, end: gx }));
  return { state, lines };
};
