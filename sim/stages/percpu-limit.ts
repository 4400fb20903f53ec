// percpu_alloc=page on X86_32 whose first chunk does not fit in the vmalloc area: pcpu_page_first_chunk()
// registers vm.size = num_possible_cpus() × unit_size at VMALLOC_START with vm_area_register_early(),
// whose BUG_ON(addr > VMALLOC_END - vm->size) (mm/vmalloc.c 6.1–7.2, traits.vmAreaEarlyBoundsCheck;
// 5.10 has no bound and boots on, sim/stages/percpu-page.ts) stops the boot in
// setup_per_cpu_areas(), before the console is up. Whether that happens depends on the profile and the
// kernel facts alone (the possible CPUs, the unit size, high_memory and VMALLOC_END: vmalloc=, the RAM),
// so the envelope (sim/envelope.ts) refuses it at load time: this module runs the stages that give
// high_memory and the layout (the e820 stages, find_low_pfn_range, e820__memblock_setup) and sizes the
// chunk with the percpu stage's own functions. It imports the stages, not sim/boot.ts (which imports
// the envelope). The percpu stage keeps the same check for the embed → page fallback, which depends on
// what memblock holds by then (sim/stages/percpu-page.ts pcpuPageFirstChunk).
import type { BootContext, BootState, StageFn } from '../boot.ts';
import { e820Setup, e820Trim, e820MaxPfn, e820LowPfn } from './e820.ts';
import { findLowPfnRange } from './lowmem32.ts';
import { memblockSetup } from './memblock-setup.ts';
import { bootCommandLine } from './cmdline.ts';
import { possibleCpuMap } from './possible-cpus.ts';
import { chosenFirstChunk, pageGroupMap } from './percpu-page.ts';
import { pageFcPtes32, pcpuBuildAllocInfo, percpuParams } from './percpu.ts';

const PAGE_SIZE = 4096;

/** The pipeline's stages from e820__memory_setup to e820__memblock_setup (sim/boot.ts order): pageFcPtes32 reads what they write. */
const EARLY_STAGES: readonly StageFn[] = [e820Setup, e820Trim, e820MaxPfn, e820LowPfn, findLowPfnRange, memblockSetup];

/** The percpu_alloc=page first chunk's vm area when it passes VMALLOC_END. */
export interface PageChunkPastVmalloc {
  readonly cpus: number;
  readonly unitSize: number;
  readonly vmallocStart: bigint;
  readonly vmEnd: bigint;
  readonly vmallocEnd: bigint;
}

/** The X86_32 percpu_alloc=page first chunk's vm area when vm_area_register_early() would BUG() on it, else undefined. */
export function pageChunkPastVmallocEnd(ctx: BootContext): PageChunkPastVmalloc | undefined {
  if (ctx.traits.arch !== 'i386' || !ctx.traits.vmAreaEarlyBoundsCheck || chosenFirstChunk(bootCommandLine(ctx.spec)) !== 'page') return undefined;
  let state: BootState = {};
  for (const stage of EARLY_STAGES) state = stage(state, ctx).state;
  const pte = pageFcPtes32(state, ctx);
  const p = percpuParams(ctx);
  const cpus = possibleCpuMap(ctx).possible;
  // sim/stages/percpu.ts setupPerCpuAreas allocInfo(true): dyn_size 0, PAGE_SIZE atoms, one group
  const { ai } = pcpuBuildAllocInfo(p.staticSize, p.reserved, 0, PAGE_SIZE, p.dynamicEarlySize, pageGroupMap(cpus));
  const vmEnd = pte.vmallocStart + BigInt(cpus * ai.unitSize);
  return vmEnd > pte.vmallocEnd ? { cpus, unitSize: ai.unitSize, vmallocStart: pte.vmallocStart, vmEnd, vmallocEnd: pte.vmallocEnd } : undefined;
}
