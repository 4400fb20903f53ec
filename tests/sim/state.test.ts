// Tests for sim/state.ts and the pipeline's slice declarations (sim/boot.ts): every stage reads only
// slices an earlier stage writes, and on every golden profile (every kernel in goldens/kernels) a
// stage's actual reads and writes stay within what it declares.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { goldenProfile } from '../golden-profiles.ts';
import { loadKernel } from '../../harness/kernels.ts';
import { bootContext, stages, type BootContext } from '../../sim/boot.ts';
import { bootInputFor, legacyBootFor } from '../../harness/simulate.ts';
import { stages30 } from '../../sim/stages/old/pipeline-30.ts';
import { stages34 } from '../../sim/stages/old/pipeline-34.ts';
import { stages2611i386, stages2611x86_64 } from '../../sim/stages/old/pipeline-2611.ts';
import type { Boot30Context } from '../../sim/stages/old/context-30.ts';
import { deriveTraits } from '../../sim/traits.ts';
import { slice, sliceIfAny, withSlice, SLICE_WRITERS, type BootState, type SliceName } from '../../sim/state.ts';

const goldens = new URL('../../goldens/', import.meta.url);
const profiles = readdirSync(goldens, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(new URL(`${d.name}/`, goldens)).includes('profile.yaml'))
  .map((d) => d.name)
  .sort();
const kernelIds = readdirSync(new URL('kernels/', goldens)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
const sliceNames = Object.keys(SLICE_WRITERS);
const isSlice = (k: string | symbol): k is SliceName => typeof k === 'string' && sliceNames.includes(k);

const specOf = goldenProfile;

/** The 3.0 pipeline's context for a golden whose kernel has partial facts (a local 3.0.1 build), else undefined. */
function ctx30Of(profile: string): Boot30Context | undefined {
  const spec = specOf(profile);
  const k = loadKernel(spec.kernel);
  // the harness's own context (its initrd for a probe: state profile included)
  return k.facts === undefined && k.partialFacts !== undefined ? legacyBootFor(spec)?.ctx : undefined;
}

function ctxOf(profile: string): BootContext {
  const spec = specOf(profile);
  return bootContext(bootInputFor(spec));
}

/**
 * The state seen through a proxy that records the slices a stage reads. Copying the state
 * ({ ...state }, as withSlice does) asks for each key's descriptor before its value: such a get is
 * a copy, not a read. Reads stop being recorded once the stage has returned.
 */
function recording(state: BootState, reads: Set<SliceName>): { view: BootState; stop: () => void } {
  let copying: string | symbol | undefined;
  let on = true;
  const view = new Proxy(state, {
    getOwnPropertyDescriptor(target, key) {
      copying = key;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    get(target, key, receiver) {
      if (copying === key) copying = undefined;
      else if (on && isSlice(key)) reads.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (on && isSlice(key)) reads.add(key);
      return Reflect.has(target, key);
    },
  });
  return { view, stop: () => { on = false; } };
}

interface Access {
  readonly stage: string;
  readonly reads: readonly SliceName[];
  readonly writes: readonly SliceName[];
}

/** Runs the pipeline on `ctx` and records what each stage read and wrote (a slice whose value changed). */
function accesses(ctx: BootContext): Access[] {
  return accessesOf(stages.map((st) => ({ name: st.name, run: (state: BootState) => st.run(state, ctx).state })));
}

function accessesOf(pipeline: readonly { readonly name: string; readonly run: (state: BootState) => BootState }[]): Access[] {
  let state: BootState = {};
  const out: Access[] = [];
  for (const st of pipeline) {
    const reads = new Set<SliceName>();
    const rec = recording(state, reads);
    const out0 = st.run(rec.view);
    rec.stop();
    const next = out0 === rec.view ? state : out0; // a stage that writes nothing hands its input on
    const writes = sliceNames.filter((k): k is SliceName => isSlice(k) && sliceIfAny(next, k) !== sliceIfAny(state, k));
    out.push({ stage: st.name, reads: [...reads].sort(), writes });
    state = next;
  }
  return out;
}

describe('slice', () => {
  test('absent_slice_refused: expect a SIM_NOT_MODELLED from the reader naming the stage that writes it', () => {
    expect(() => slice({}, 'zones', 'hashes')).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED', message: expect.stringContaining('free_area_init') }));
  });

  test('with_then_read: expect withSlice to set only its slice and leave the state it was given as it was', () => {
    const before: BootState = { logBuf: { len: 1n, replaced: false } };
    const after = withSlice(before, 'memInit', { physpages: 1n, totalram: 2n, available: 3n });
    expect(slice(after, 'memInit').totalram).toBe(2n);
    expect(slice(after, 'logBuf')).toBe(before.logBuf);
    expect(sliceIfAny(before, 'memInit')).toBeUndefined();
  });
});

describe.each([
  ['stages', stages as readonly { readonly name: string; readonly reads: readonly SliceName[]; readonly writes: readonly SliceName[] }[]],
  ['stages30', stages30],
  ['stages34', stages34],
  ['stages2611i386', stages2611i386],
  ['stages2611x86_64', stages2611x86_64],
] as const)('pipeline declarations (%s)', (_name, pipeline) => {
  test('names_unique: expect every stage in the pipeline named once', () => {
    const names = pipeline.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('reads_written_earlier: expect every slice a stage declares it reads written by an earlier stage', () => {
    const written = new Set<SliceName>();
    const unwritten: string[] = [];
    for (const st of pipeline) {
      for (const r of st.reads) if (!written.has(r)) unwritten.push(`${st.name} reads ${r}`);
      for (const w of st.writes) written.add(w);
    }
    expect(unwritten).toEqual([]);
  });
});

describe('pipeline declarations', () => {

  test('every_slice_written: expect each slice of the registry written by some stage', () => {
    const written = new Set([...stages, ...stages30, ...stages34, ...stages2611i386, ...stages2611x86_64].flatMap((s) => s.writes));
    expect(sliceNames.filter((k) => isSlice(k) && !written.has(k))).toEqual([]);
  });

  test('goldens_cover_every_kernel: expect a golden profile for each kernel in goldens/kernels the simulator can run', () => {
    const used = new Set(profiles.map((p) => specOf(p).kernel));
    // a local build with partial facts (an old kernel: loadKernelWithFacts refuses it, KERNEL_FACTS_ABSENT) has no simulated golden yet
    // and every build the 3.0 or 2.6.34 pipeline runs on (partial facts, earlyAllocator 'nobootmem' or 'early_res')
    const runs = (k: string): boolean => {
      const e = loadKernel(k);
      const early = e.partialFacts !== undefined ? deriveTraits({ ...e, facts: { config: e.partialFacts.config } }).earlyAllocator : undefined;
      return e.facts !== undefined || early === 'nobootmem' || early === 'early_res' || early === 'bootmem';
    };
    expect(kernelIds.filter((k) => runs(k) && !used.has(k))).toEqual([]);
  });

  test.each(profiles)('accesses_within_declaration %s: expect each stage to read and write only the slices it declares', (profile) => {
    const outside: string[] = [];
    const c30 = ctx30Of(profile);
    const old = c30 ? (c30.traits.earlyAllocator === 'early_res' ? stages34 : c30.traits.earlyAllocator === 'bootmem' ? (c30.traits.arch === 'x86_64' ? stages2611x86_64 : stages2611i386) : stages30) : undefined;
    const pipeline = old ?? stages;
    const seen = c30 && old ? accessesOf(old.map((st) => ({ name: st.name, run: (state: BootState) => st.run(state, c30).state }))) : accesses(ctxOf(profile));
    seen.forEach((a, i) => {
      const decl = pipeline[i]!;
      for (const r of a.reads) if (!decl.reads.includes(r)) outside.push(`${a.stage} reads ${r}`);
      for (const w of a.writes) if (!decl.writes.includes(w)) outside.push(`${a.stage} writes ${w}`);
    });
    expect(outside).toEqual([]);
  });
});

