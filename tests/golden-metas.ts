// The goldens' provenance files (goldens/<name>/meta.yaml and meta-memblock.yaml), each read once per
// worker: with isolate: false (vitest.config.ts) the test files of one worker share this module, and the
// meta tests (tests/qemu-scripts/capture-meta.test.ts), the fixed command line's
// (tests/sim/base/cmdline.test.ts) and the re-boot evidence's (tests/goldens/state-evidence.test.ts) each
// parsed the same YAML files, some 450 of them. readMeta is pure over the file, so a second read would
// give an equal value; a refusal is kept and thrown again.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readMeta } from '../qemu-scripts/capture.ts';
import type { CaptureMeta } from '../qemu-scripts/capture-meta.ts';
import { goldensDir } from '../sim/base/paths.ts';

let committed: readonly string[] | undefined;
const metas = new Map<string, { readonly value: CaptureMeta | undefined } | { readonly error: unknown }>();

/** Every committed meta file beside a golden, meta.yaml before meta-memblock.yaml, by golden name. */
export function committedMetas(): readonly string[] {
  committed ??= readdirSync(goldensDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((d) => ['meta.yaml', 'meta-memblock.yaml'].map((f) => path.join(goldensDir, d, f)))
    .filter((f) => existsSync(f));
  return committed;
}

/** readMeta of a file (undefined when there is none). */
export function metaOf(file: string): CaptureMeta | undefined {
  let hit = metas.get(file);
  if (hit === undefined) {
    try {
      hit = { value: readMeta(file) };
    } catch (error) {
      hit = { error };
    }
    metas.set(file, hit);
  }
  if ('error' in hit) throw hit.error;
  return hit.value;
}
