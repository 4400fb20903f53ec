// models mm/slub.c kmem_cache_init() (5.10.223, 6.1.192, 6.12.115, 7.2.13):
// "SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u".
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { configOn, term, topologyOf } from './mm-inputs.ts';
import { cpuModelOf } from './mm-core-misc.ts';
import { cmdlineValue } from './cmdline.ts';

/** include/linux/mmzone.h: PAGE_ALLOC_COSTLY_ORDER 3 (5.10–7.2). */
const PAGE_ALLOC_COSTLY_ORDER = 3;

/**
 * cache_line_size() = boot_cpu_data.x86_cache_alignment (arch/x86/include/asm/processor.h):
 * arch/x86/kernel/cpu/common.c early_identify_cpu() starts it at x86_clflush_size (64 on X86_64,
 * 32 on X86_32) and cpu_detect() sets it from CPUID.1:EBX[15:8] * 8 when CPUID.1:EDX.CLFSH is set
 * (QEMU: 8 quadwords = 64). intel.c doubles it only for family 15 (P4), which neither model is.
 */
export function hwAlign(ctx: BootContext): { bytes: number; why: string } {
  const t = ctx.traits;
  const cpu = cpuModelOf(ctx);
  if (cpu.clflush) return { bytes: 64, why: `${cpu.name} has CLFLUSH; QEMU cpuid 1 EBX[15:8] = 8 → 64 (target/i386/cpu.c cpu_x86_cpuid)` };
  if (cpu.vendor === 'Intel' && cpu.family === 15) return { bytes: (t.arch === 'x86_64' ? 64 : 32) * 2, why: 'arch/x86/kernel/cpu/intel.c: P4 doubles it' };
  return { bytes: t.arch === 'x86_64' ? 64 : 32, why: `${cpu.name} lacks CLFLUSH: x86_clflush_size default (${t.arch === 'x86_64' ? 64 : 32}), arch/x86/kernel/cpu/common.c early_identify_cpu()` };
}

export function slubInit(state: BootState, ctx: BootContext): StageResult {
  const t = ctx.traits;
  const topo = topologyOf(state, ctx);
  const hw = hwAlign(ctx);
  // mm/slub.c: slub_min_order 0; slub_max_order PAGE_ALLOC_COSTLY_ORDER (1 under SLUB_TINY, 6.12+); slub_min_objects 0.
  // __setup names: slub_* (≤ 6.1), slab_* with slub_* aliases (6.12+).
  const pick = (n: string): string | undefined => cmdlineValue(ctx.spec, `slab_${n}`) ?? cmdlineValue(ctx.spec, `slub_${n}`);
  const minOrder = Number(pick('min_order') ?? 0);
  const maxOrder = Number(pick('max_order') ?? (t.slubTiny && configOn(ctx, 'SLUB_TINY') ? 1 : PAGE_ALLOC_COSTLY_ORDER));
  const minObjects = Number(pick('min_objects') ?? 0);
  return {
    state,
    lines: [
      {
        stage: 'slub',
        fmt: 'slub',
        text: `SLUB: HWalign=${hw.bytes}, Order=${minOrder}-${maxOrder}, MinObjects=${minObjects}, CPUs=${topo.possibleCpus}, Nodes=${topo.nrNodeIds}`,
        explain: {
          hwalign: [term('cache_line_size()', hw.bytes, hw.why)],
          min_order: [term('slub_min_order', minOrder, 'mm/slub.c: 0 unless slub_min_order=')],
          max_order: [term('slub_max_order', maxOrder, 'mm/slub.c: PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h) unless slub_max_order=')],
          min_objects: [term('slub_min_objects', minObjects, 'mm/slub.c: 0 (computed per cache later) unless slub_min_objects=')],
          cpus: [term('nr_cpu_ids', topo.possibleCpus, 'possible CPUs (ACPI MADT from QEMU -smp)')],
          nodes: [...topo.explain],
        },
      },
    ],
  };
}
