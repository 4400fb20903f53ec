// models the memblock allocations start_kernel() (init/main.c, 5.10.223, 6.1.192, 6.12.115, 7.2.13)
// makes outside the stages that print: setup_command_line() (saved_command_line and
// static_command_line) and trap_init() → setup_cpu_entry_areas() (arch/x86/mm/cpu_entry_area.c): on X86_32
// setup_cpu_entry_area_ptes() gives the whole area its PTE pages first (sim/stages/init32.ts); on
// X86_64 set_pte_vaddr() takes the missing page-table pages from spp_getpage() (arch/x86/mm/init_64.c).
// Both arches. Prints nothing. setup_log_buf() is sim/stages/log-buf.ts.
import type { StageFn, StageResult } from '../boot.ts';
import { bootCommandLine } from './cmdline.ts';
import { structBytes, topologyOf } from './mm-inputs.ts';
import { memblockAlloc, memblockStateOf, withMemblock, SMP_CACHE_BYTES } from './memblock.ts';
import { setupCpuEntryAreaPtes32 } from './init32.ts';
import { bootCpu } from './boot-cpu.ts';
import { PAGE_SIZE, PMD_SIZE_64 } from '../lib/sizes.ts';

const STAGE = 'start_kernel';

/**
 * init/main.c setup_command_line() (6.1): saved_command_line = memblock_alloc(len + ilen),
 * static_command_line = memblock_alloc(len'), len = strlen(boot_command_line) + 1 (no bootconfig:
 * extra_command_line and extra_init_args are empty). x86 setup_arch() leaves command_line a copy of
 * boot_command_line (no CONFIG_CMDLINE_BOOL in the Debian builds), so both are the same length.
 * Both arches: after setup_arch() (and 7.2's mm_core_init_early()), before setup_per_cpu_areas().
 */
export const setupCommandLine: StageFn = (state, ctx): StageResult => {
  let mb = memblockStateOf(state);
  const len = BigInt(new TextEncoder().encode(bootCommandLine(ctx.spec)).length) + 1n;
  for (const why of ['saved_command_line', 'static_command_line']) {
    mb = memblockAlloc(mb, { size: len, align: SMP_CACHE_BYTES, why, source: 'init/main.c: setup_command_line() (6.1)', stage: STAGE, caller: 'start_kernel > setup_command_line' }).mb;
  }
  return { state: withMemblock(state, mb), lines: [] };
};

/**
 * The bytes of the last CPU's struct cpu_entry_area that setup_cpu_entry_area() maps, up to its last
 * mapped page (arch/x86/include/asm/cpu_entry_area.h and arch/x86/mm/cpu_entry_area.c, the same in
 * 5.10.223, 6.1.192, 6.12.115 and 7.2.13). The struct ends with cea_exception_stacks, whose VC and
 * VC2 stacks are mapped only when CC_ATTR_GUEST_STATE_ENCRYPT (SEV-ES, never under TCG), and the
 * Intel debug store: percpu_setup_debug_store() returns at once unless the boot CPU's vendor is
 * Intel, so on any other vendor (qemu64 is AMD) its debug_store page and the BTS and PEBS buffers
 * (PAGE_SIZE << 4 each, asm/intel_ds.h) are never mapped, nor is the tail of the stacks
 * (VC_stack_guard, VC_stack, VC2_stack_guard, VC2_stack, IST_top_guard: 3 guard pages and 2
 * EXCEPTION_STKSZ = PAGE_SIZE << 1 stacks, no KASAN in the Debian builds).
 */
export function ceaMappedBytes(ceaBytes: bigint, vendor: string): bigint {
  if (vendor === 'Intel') return ceaBytes;
  const debugStore = PAGE_SIZE + 2n * (PAGE_SIZE << 4n);
  const vcTail = 3n * PAGE_SIZE + 2n * (PAGE_SIZE << 1n);
  return ceaBytes - debugStore - vcTail;
}

/**
 * Page-table pages spp_getpage() gives set_pte_vaddr() while setup_cpu_entry_areas() maps the CPU
 * entry area on X86_64 (arch/x86/include/asm/pgtable_areas.h: CPU_ENTRY_AREA_BASE is 2M-aligned, one
 * RO IDT page, then one struct cpu_entry_area per possible CPU at cea_offset(cpu) = cpu without
 * KASLR, which the fixed command line's nokaslr turns off). Its PGD (P4D with 5 levels) slot is
 * empty until then: one PUD page, one PMD page, one PTE page per 2M of the area up to the last
 * mapped page (`lastMapped`: ceaMappedBytes of the last CPU; every 2M before it holds a mapped page,
 * as no unmapped run of a struct is near 2M long).
 */
export function cpuEntryAreaTablePages(cpus: number, ceaBytes: bigint, lastMapped: bigint = ceaBytes): bigint {
  const span = PAGE_SIZE + BigInt(cpus - 1) * ceaBytes + lastMapped;
  return 2n + (span + PMD_SIZE_64 - 1n) / PMD_SIZE_64;
}

// start_kernel() → trap_init() → setup_cpu_entry_areas(): X86_32 populates the area's PTE pages up
// front (NR_CPUS of them, from alloc_low_pages); X86_64 maps each possible CPU's cea_set_pte() through
// set_pte_vaddr() → spp_getpage(), memblock_alloc(PAGE_SIZE, PAGE_SIZE) before after_bootmem
export const trapInit: StageFn = (state, ctx): StageResult => {
  if (ctx.traits.arch === 'i386') return { state: setupCpuEntryAreaPtes32(state, ctx), lines: [] };
  let mb = memblockStateOf(state);
  const cea = structBytes(ctx, 'cpu_entry_area', STAGE);
  const n = cpuEntryAreaTablePages(topologyOf(state, ctx).possibleCpus, cea, ceaMappedBytes(cea, bootCpu(ctx).vendor));
  for (let i = 0n; i < n; i++) {
    mb = memblockAlloc(mb, { size: PAGE_SIZE, align: PAGE_SIZE, why: `cpu_entry_area page table ${i}`, source: 'arch/x86/mm/init_64.c: spp_getpage() from setup_cpu_entry_areas() (6.1)', stage: STAGE, caller: 'set_pte_vaddr > spp_getpage' }).mb;
  }
  return { state: withMemblock(state, mb), lines: [] };
};
