// numa=fake=N over the SRAT's physical nodes on a kernel whose numa_emulation() calls
// fix_pxm_node_maps() (traits.numaEmuFixPxm, 6.12+): a physical node no emulated node maps to (a
// memoryless node, or more physical nodes than N) is enabled at a nid past max_emu_nid, the distance
// table is sized for it, and numa_emulation()'s second distance loop (mm/numa_emulation.c 6.12.117,
// 7.2.13) reads phys_dist[physi * numa_dist_cnt + physj] for it: phys_dist is NULL when the machine
// has no SLIT (QEMU builds one only for -numa dist; numa_dist_cnt 0), so setup_arch() oopses before
// the console is up. Whether that happens depends on the profile and the kernel facts alone (the SRAT,
// memblock.memory, max_pfn), so the envelope (sim/envelope.ts) refuses it at load time: this module
// runs the stages that give them (the e820 stages and e820__memblock_setup) and the NUMA stage's own
// numaMeminfo(). It imports the stages, not sim/boot.ts (which imports the envelope).
import type { BootContext, BootState, StageFn } from '../boot.ts';
import { e820Setup, e820Trim, e820MaxPfn, e820LowPfn, e820StateOf } from './e820.ts';
import { findLowPfnRange } from './lowmem32.ts';
import { memblockSetup } from './memblock-setup.ts';
import { memblockStateOf } from './memblock.ts';
import { numaMeminfo } from './numa.ts';
import { kernelConfig } from '../traits.ts';

/** The pipeline's stages from e820__memory_setup to e820__memblock_setup (sim/boot.ts order): numaInit reads what they write. */
const EARLY_STAGES: readonly StageFn[] = [e820Setup, e820Trim, e820MaxPfn, e820LowPfn, findLowPfnRange, memblockSetup];

/** The physical nodes fix_pxm_node_maps() would enable, ascending; undefined when it enables none. */
export function fakeNumaUnusedPhys(ctx: BootContext): readonly number[] | undefined {
  if (!ctx.traits.numaEmuFixPxm || !ctx.spec.numa || kernelConfig(ctx.kernel, 'NUMA') !== 'y') return undefined;
  if (!/(^|\s)numa=fake=/.test(ctx.spec.cmdline ?? '')) return undefined;
  let state: BootState = {};
  for (const stage of EARLY_STAGES) state = stage(state, ctx).state;
  const unused = numaMeminfo(ctx, memblockStateOf(state), e820StateOf(state)).emulation?.unusedPhys;
  return unused !== undefined && unused.length > 0 ? unused : undefined;
}
