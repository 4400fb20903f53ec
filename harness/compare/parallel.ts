// Comparing goldens on several threads (node:worker_threads). The calling thread and each worker take
// the next golden from one shared counter (Atomics), so the work balances itself whatever each golden
// costs; every outcome comes back with its index and the caller puts them in golden order, so the
// report is the one a single thread makes. A worker loads the code the caller runs: the CLI bundle
// (dist/cli-<hash>/main.cjs, with the verb's V8 code cache, as bin.cjs does) or, under the test
// runner, the TypeScript sources through tsx. Outcomes are plain data (structured clone keeps the
// bigint fields); a coded error of one golden is an outcome, anything else ends the run as a bug.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, Worker, workerData, parentPort } from 'node:worker_threads';
import { BootsimError } from '../../sim/base/errors.ts';
import { repoRoot } from '../../sim/base/paths.ts';
import type { Divergence } from '../divergences.ts';
import type { DmesgLine, MachineSpec } from '../../sim/types.ts';
import type { ProfileResult } from './result.ts';
import { compareProfile, type GoldenRef } from './run.ts';
import type { BrokenGolden } from './shard.ts';

/** One golden's outcome: its result, or the coded error that kept it from being compared. */
export type Outcome = { readonly result: ProfileResult } | { readonly broken: BrokenGolden };

/** Compares one golden as conformance does; a coded error is its outcome, any other error propagates. */
export function compareGolden(g: GoldenRef, register: readonly Divergence[], simulate?: (spec: MachineSpec) => readonly DmesgLine[]): Outcome {
  try {
    return { result: compareProfile(g.profileFile, { golden: g.serialFile, register, onSimError: 'record', simulate }) };
  } catch (e) {
    if (!(e instanceof BootsimError)) throw e;
    return { broken: { profile: g.name, code: e.code, message: e.message } };
  }
}

/** What a worker is given. */
interface Task {
  readonly bootsimCompareWorker: true;
  readonly refs: readonly GoldenRef[];
  readonly register: readonly Divergence[];
  /** Int32Array over it: [0] is the next index to take. */
  readonly next: SharedArrayBuffer;
}

type Message = { readonly i: number; readonly outcome: Outcome } | { readonly done: true };

/** The task when this thread is a compare worker that compareInThreads started, else undefined. */
export function compareWorkerTask(): Task | undefined {
  if (isMainThread || typeof workerData !== 'object' || workerData === null || !('bootsimCompareWorker' in workerData)) return undefined;
  const t: unknown = workerData;
  // made by compareInThreads below, in this same code; checked for the parts the loop relies on
  if (!Array.isArray((t as Task).refs) || !Array.isArray((t as Task).register) || !((t as Task).next instanceof SharedArrayBuffer)) return undefined;
  return t as Task;
}

/** A compare worker's loop: take the next golden until none is left, post each outcome. */
export function serveCompareTask(task: Task): void {
  const next = new Int32Array(task.next);
  for (let i = Atomics.add(next, 0, 1); i < task.refs.length; i = Atomics.add(next, 0, 1)) {
    parentPort!.postMessage({ i, outcome: compareGolden(task.refs[i]!, task.register) } satisfies Message);
  }
  parentPort!.postMessage({ done: true } satisfies Message);
}

// The worker's entry, evaluated as CommonJS: load the bundle as bin.cjs does (same wrapper, with the
// code cache when there is one) or the sources through tsx, then run the conformance verb, which
// finds its task in workerData (harness/cli/commands/conformance.ts).
const ENTRY = `
const { readFileSync } = require('node:fs');
const { Module, createRequire } = require('node:module');
const path = require('node:path');
const { Script } = require('node:vm');
const { workerData } = require('node:worker_threads');
const fail = (e) => { setImmediate(() => { throw e; }); };
const load = workerData.bootsimLoader;
if (load.bundle) {
  let cachedData;
  try { cachedData = readFileSync(load.cache); } catch {}
  const file = load.bundle;
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, undefined);
  mod.filename = file;
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  Promise.resolve(mod.exports.main(['conformance'])).catch(fail);
} else {
  import('tsx/esm/api').then((tsx) => { tsx.register(); return import(load.main); }).then((m) => m.main(['conformance'])).catch(fail);
}
`;

/** How a worker loads the code: the bundle this runs from, or (under the test runner) the sources. */
function loader(): { readonly bundle: string; readonly cache: string } | { readonly main: string } {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.cjs')) return { bundle: self, cache: `${self}.conformance.v8cache` };
  return { main: pathToFileURL(`${repoRoot}harness/cli/main.ts`).href };
}

/**
 * Compares the goldens on `threads` threads (this one and threads − 1 workers); the outcomes come
 * back in the order of `refs`. One thread, or fewer than two goldens per thread, runs here alone.
 */
export async function compareInThreads(refs: readonly GoldenRef[], register: readonly Divergence[], threads: number): Promise<Outcome[]> {
  const workers = Math.min(threads, Math.floor(refs.length / 2)) - 1;
  if (workers < 1) return refs.map((g) => compareGolden(g, register));
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  const outcomes: (Outcome | undefined)[] = new Array<Outcome | undefined>(refs.length);
  const task: Task = { bootsimCompareWorker: true, refs, register, next };
  let filled = 0;
  let allIn: () => void = () => {};
  const everyOutcome = new Promise<void>((resolve) => { allIn = resolve; });
  const put = (i: number, o: Outcome): void => {
    outcomes[i] = o;
    if (++filled === refs.length) allIn();
  };
  const started: Worker[] = [];
  const finished = Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
    const w = new Worker(ENTRY, { eval: true, workerData: { ...task, bootsimLoader: loader() }, stdout: false, stderr: false });
    started.push(w);
    w.on('message', (m: Message) => {
      if ('done' in m) resolve();
      else put(m.i, m.outcome);
    });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a compare worker exited with status ${code} before it finished`))));
  }));
  try {
    // this thread works too, from the same counter, while the workers start; once every outcome is in,
    // a worker still starting up is not waited for
    for (let i = Atomics.add(counter, 0, 1); i < refs.length; i = Atomics.add(counter, 0, 1)) put(i, compareGolden(refs[i]!, register));
    await Promise.race([Promise.all(finished), everyOutcome]);
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
  return outcomes.map((o, i) => {
    if (o === undefined) throw new Error(`golden ${refs[i]!.name} was taken by a worker that never reported it`);
    return o;
  });
}
