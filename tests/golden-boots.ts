// What the simulator gives for a golden, and a state golden's parsed logs, computed once per worker: with
// isolate: false (vitest.config.ts) the test files of one worker share this module. The state tests
// (tests/goldens/state.test.ts, state-evidence.test.ts, tests/harness/compare/state-run.test.ts) each
// predicted the state of the state goldens and parsed their state.logs, and the e820 explain and
// state-run tests each simulated the goldens they walk. simulateSpec and predictStateSpec are pure over the
// profile (tests/golden-profiles.ts: one per name) and the committed kernel facts, and parseStateLog over
// the file, so a second call would give an equal value. Only golden names are keys: a test that edits a
// profile calls the harness itself.
import { readFileSync } from 'node:fs';
import { predictStateSpec, type StatePrediction } from '../harness/compare/state-run.ts';
import { simulateSpec } from '../harness/simulate.ts';
import { parseStateLog, type StateLog } from '../harness/state/parse.ts';
import type { DmesgLine } from '../sim/types.ts';
import { goldenProfile } from './golden-profiles.ts';

type Kept<T> = { readonly value: T } | { readonly error: unknown };

// A thrown error (a coded refusal) is kept too, and thrown again on every call, as the harness would.
function memo<T>(cache: Map<string, Kept<T>>, key: string, make: () => T): T {
  let hit = cache.get(key);
  if (hit === undefined) {
    try {
      hit = { value: make() };
    } catch (error) {
      hit = { error };
    }
    cache.set(key, hit);
  }
  if ('error' in hit) throw hit.error;
  return hit.value;
}

const lines = new Map<string, Kept<readonly DmesgLine[]>>();
const predictions = new Map<string, Kept<StatePrediction>>();
const stateLogs = new Map<string, Kept<StateLog>>();

/** simulateSpec of goldens/<name>/profile.yaml. */
export function goldenLines(name: string): readonly DmesgLine[] {
  return memo(lines, name, () => simulateSpec(goldenProfile(name)));
}

/** predictStateSpec of goldens/<name>/profile.yaml. */
export function goldenStatePrediction(name: string): StatePrediction {
  return memo(predictions, name, () => predictStateSpec(goldenProfile(name)));
}

/** A committed state.log (a golden's or a re-boot's), parsed. */
export function stateLogOf(file: string): StateLog {
  return memo(stateLogs, file, () => parseStateLog(readFileSync(file, 'utf8'), file));
}
