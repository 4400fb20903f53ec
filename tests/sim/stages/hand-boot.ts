// A simulated boot of a small hand-built profile (a pc machine, 6.12-amd64, 512M and 2 CPUs unless `p`
// says otherwise), run once per worker for each distinct `p`: with isolate: false (vitest.config.ts) the
// test files of one worker share this module, and the stage tests ask for the same few boots many times
// (slabinfo.test.ts simulated its 6.12 boot once for each of some thirty cases). bootContext and simulate
// are pure over the profile and the committed kernel facts, so a second run would give an equal value.
import { bootContext, simulate, type BootContext, type SimResult } from '../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;

/** The context of the hand profile with the fields in `p` replaced. */
export function handCtx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.12-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}

// `p` as a key: its fields in name order, and each object's within (the same profile written in another order is the same boot)
function keyOf(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(keyOf).join(',')}]`;
  if (x !== null && typeof x === 'object') return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${keyOf((x as Record<string, unknown>)[k])}`).join(',')}}`;
  return typeof x === 'bigint' ? `${x}n` : String(JSON.stringify(x));
}

const boots = new Map<string, { readonly ctx: BootContext; readonly run: { readonly result: SimResult } | { readonly error: unknown } }>();

/** handCtx(p) and simulate() of it; a thrown error (a coded refusal) is kept and thrown again on every call. */
export function handBoot(p: Partial<MachineSpec>): { readonly ctx: BootContext; readonly result: SimResult } {
  const key = keyOf(p);
  let hit = boots.get(key);
  if (hit === undefined) {
    const ctx = handCtx(p);
    let run: { readonly result: SimResult } | { readonly error: unknown };
    try {
      run = { result: simulate(ctx) };
    } catch (error) {
      run = { error };
    }
    hit = { ctx, run };
    boots.set(key, hit);
  }
  if ('error' in hit.run) throw hit.run.error;
  return { ctx: hit.ctx, result: hit.run.result };
}
