// models lib/stackdepot.c stack_depot_early_init() (6.1.192), called from init/main.c mm_init()
// between report_meminit() and mem_init(): when a __setup handler asked for it
// (stack_depot_want_early_init(), here mm/slub.c setup_slub_debug() with SLAB_STORE_USER), it
// allocates the "stackdepot" hash with alloc_large_system_hash(…, sizeof(struct stack_record *), 0,
// STACK_HASH_SCALE 14, HASH_EARLY | HASH_ZERO, NULL, &mask, 1 << STACK_HASH_ORDER_MIN (12),
// 1 << STACK_HASH_ORDER_MAX (20)). 5.10.223 has no early init (a static table); 6.12.117 and 7.2.13
// refuse slub_debug in the envelope (sim/stages/cmdline.ts PARAM_REVIEWS), so only 6.1 runs this.
import type { BootContext, BootState, StageResult } from '../boot.ts';
import type { DmesgLine } from '../types.ts';
import { bootCommandLine, slubDebugArgs, slubDebugOptions } from './cmdline.ts';
import { term } from './mm-inputs.ts';
import { sliceIfAny } from '../state.ts';
import { hashSize } from './hashes.ts';
import { memblockAlloc, memblockStateOf, withMemblock, SMP_CACHE_BYTES } from './memblock.ts';
import { ilog2, PAGE_SHIFT } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'stackdepot';
/** lib/stackdepot.c (6.1) */
const STACK_HASH_SCALE = 14;
const STACK_HASH_ORDER_MIN = 12;
const STACK_HASH_ORDER_MAX = 20;

/** __stack_depot_want_early_init: set by setup_slub_debug() when slub_debug's flags hold SLAB_STORE_USER (full debugging does). */
export function stackDepotWantEarlyInit(ctx: BootContext): boolean {
  const traits = ctx.traits;
  return slubDebugArgs(bootCommandLine(ctx.spec), ctx.kernel.facts.params, traits).some((a) => slubDebugOptions(a) === undefined);
}

/** mm_init() → stack_depot_early_init(): the HASH_EARLY "stackdepot" table, and its hash line. */
export function stackDepotEarlyInit(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  // 5.10.223: no stack_depot_early_init(); 6.12+: slub_debug is refused before any stage runs
  if (traits.stackDepotEarly !== 'hash-order' || !stackDepotWantEarlyInit(ctx)) return { state, lines: [] };
  const z = sliceIfAny(state, 'zones');
  if (!z || z.nrKernelPages === 0n) throw new SimError('SIM_NOT_MODELLED', STAGE, 'stack_depot_early_init: expected nr_kernel_pages from the zones stage, got none');
  const is64 = traits.arch === 'x86_64';
  const bucket = is64 ? 8n : 4n; // sizeof(struct stack_record *)
  const sized = hashSize({ bucketsize: bucket, numentries: 0n, scale: STACK_HASH_SCALE, early: true, lowLimit: 1n << BigInt(STACK_HASH_ORDER_MIN), nrKernelPages: z.nrKernelPages, nrAllPages: z.nrAllPages, is64 });
  // high_limit 1 << STACK_HASH_ORDER_MAX replaces the 1/16-of-memory cap, which a pointer bucket
  // per 16K never reaches (8 bytes per 2^14 is 1/2048 of memory)
  const log2qty = Math.min(sized.log2qty, STACK_HASH_ORDER_MAX);
  const bytes = bucket << BigInt(log2qty);
  const entries = 1n << BigInt(log2qty);
  const order = ilog2(bytes) - Number(PAGE_SHIFT);
  const mb = memblockAlloc(memblockStateOf(state), { size: bytes, align: SMP_CACHE_BYTES, why: 'stackdepot hash table', source: 'lib/stackdepot.c: stack_depot_early_init() → alloc_large_system_hash() HASH_EARLY (6.1)', stage: STAGE, caller: 'alloc_large_system_hash' }).mb;
  const line: DmesgLine = {
    stage: STAGE,
    fmt: 'hash.stackdepot',
    text: `stackdepot hash table entries: ${entries} (order: ${order}, ${bytes} bytes, linear)`,
    explain: {
      entries: [term('caller', 'stackdepot', 'lib/stackdepot.c stack_depot_early_init(): scale 14, low_limit 2^12, high_limit 2^20'), ...sized.explain],
      order: [term('order', order, 'get_order(size)')],
      bytes: [term('size', bytes, 'sizeof(struct stack_record *) << log2qty')],
      alloc: [term('allocator', 'linear', 'HASH_EARLY: memblock_alloc(size, SMP_CACHE_BYTES)')],
    },
  };
  return { state: withMemblock(state, mb), lines: [line] };
}
