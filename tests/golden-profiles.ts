// The golden profiles, loaded once per worker: with isolate: false (vitest.config.ts) the test
// files of one worker share this module, so each goldens/<name>/profile.yaml is parsed once there
// instead of once in every file that walks the goldens (the map, the e820 explain, the state and
// ACPI tests each loaded all of them). loadProfile is pure over the file, and a MachineSpec is
// readonly, so a second load would give an equal value. The loader's own tests
// (tests/harness/profile/load.test.ts) still call loadProfile on every golden.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadProfile } from '../harness/profile/load.ts';
import { goldensDir } from '../sim/base/paths.ts';
import type { MachineSpec } from '../sim/types.ts';

let names: readonly string[] | undefined;
const specs = new Map<string, MachineSpec>();

/** The goldens with a profile.yaml, sorted by name. */
export function goldenNames(): readonly string[] {
  names ??= readdirSync(goldensDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(goldensDir, d.name, 'profile.yaml')))
    .map((d) => d.name)
    .sort();
  return names;
}

/** goldens/<name>/profile.yaml as loadProfile gives it (a refusal is thrown each time, and not kept). */
export function goldenProfile(name: string): MachineSpec {
  let spec = specs.get(name);
  if (!spec) {
    spec = loadProfile(path.join(goldensDir, name, 'profile.yaml'));
    specs.set(name, spec);
  }
  return spec;
}

let sample: readonly string[] | undefined;

/**
 * One golden of each shape: the first (by name) of each kernel × machine type × NUMA (a numa: list or
 * not) × probe (59 of the 236 goldens). For a test of a mechanism over the pipelines (the memory
 * map, the explorer) rather than of a golden's numbers: it reaches every kernel and pipeline that
 * every golden reaches, while conformance.test.ts compares every golden.
 */
export function goldenShapes(): readonly string[] {
  sample ??= (() => {
    const seen = new Set<string>();
    return goldenNames().filter((name) => {
      const s = goldenProfile(name);
      const key = [s.kernel, s.machine, s.numa !== undefined, s.probe ?? ''].join('|');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  })();
  return sample;
}
