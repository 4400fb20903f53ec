// Over every golden serial log: each window line is classified, every catalog family
// is seen somewhere, no mask hides a catalog line, and the catalog's version and arch
// metadata agree with what the kernels printed. Skipped for goldens not captured yet.
// BOOTSIM_SERIAL_DIR=<dir> reads <dir>/<profile>.log instead (e.g. raw captures in /tmp/raw).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { goldensDir } from '../../../sim/base/paths.ts';
import { parseKernelVersion, seriesTraits } from '../../../sim/traits.ts';
import { normaliseLog, requireUsableGolden } from '../../../harness/normalise.ts';
import {
  classifyLog,
  families,
  familiesMatchingAnywhere,
  kernelKeyOfId,
  maskFor,
  requireIntactGolden,
} from '../../../harness/catalog/index.ts';
import { goldenProfile } from '../../golden-profiles.ts';

const profiles = readdirSync(goldensDir)
  .filter((d) => existsSync(path.join(goldensDir, d, 'profile.yaml')))
  .sort();

function serialPath(name: string): string {
  const dir = process.env.BOOTSIM_SERIAL_DIR;
  return dir ? path.join(dir, `${name}.log`) : path.join(goldensDir, name, 'serial.log');
}

const available = profiles.filter((p) => existsSync(serialPath(p)));
// Each profile's kernel is read once for the three tests that ask for it, from the profile as the
// worker's other files load it (tests/golden-profiles.ts: the map, e820 explain and state tests load every
// golden's), not from a YAML parse of its own.
const kernels = new Map<string, ReturnType<typeof kernelKeyOfId>>();
const kernelOf = (name: string) => {
  let k = kernels.get(name);
  if (!k) {
    k = kernelKeyOfId(goldenProfile(name).kernel);
    kernels.set(name, k);
  }
  return k;
};
// Each log is read and normalised once for its four checks; a line text met in many logs is matched
// against every family's variants once (the goldens share most of their lines).
const loaded = new Map<string, ReturnType<typeof normaliseLog>>();
const load = (name: string) => {
  let log = loaded.get(name);
  if (!log) {
    log = normaliseLog(readFileSync(serialPath(name)), serialPath(name));
    loaded.set(name, log);
  }
  return log;
};
// Each log is classified once (classifyLog: every line through classifyLine) for the window counts, the
// family of each line and the families seen: windowReport, classifyLine per line and extractCatalogLines
// classified every log three times.
const classified = new Map<string, ReturnType<typeof classifyLog>>();
const classify = (name: string) => {
  let c = classified.get(name);
  if (!c) {
    c = classifyLog(load(name), kernelOf(name));
    classified.set(name, c);
  }
  return c;
};
const anywhereCache = new Map<string, string[]>();
const matchingAnywhere = (text: string): string[] => {
  let ids = anywhereCache.get(text);
  if (!ids) {
    ids = familiesMatchingAnywhere(text).map((f) => f.id);
    anywhereCache.set(text, ids);
  }
  return ids;
};

// With isolate: false this module stays loaded for the rest of the worker's files: the logs read and
// classified here (every golden's) would stay on its heap, walked by every later collection.
afterAll(() => {
  loaded.clear();
  classified.clear();
  anywhereCache.clear();
});

describe.skipIf(available.length === 0)('real serial logs', () => {
  describe.each(available)('%s', (name) => {
    test('usable golden with a complete window', () => {
      expect(() => requireUsableGolden(load(name))).not.toThrow();
    });

    // Fails when the capture dropped bytes inside the window: re-capture that golden.
    test('intact: no bytes lost in capture inside the window', () => {
      expect(() => requireIntactGolden(load(name), kernelOf(name))).not.toThrow();
    });

    test('every window line classified; catalog lines match exactly one family that applies', () => {
      const kernel = kernelOf(name);
      const log = load(name);
      const c = classify(name);
      const r = c.window;
      // a kernel without SLUB (2.6.11) ends its window at Memory:, some 20 lines after the e820 map
      expect(r.counts.total).toBeGreaterThan(seriesTraits(parseKernelVersion(kernel.version)).slubAllocator ? 50 : 15);
      expect(r.counts.catalog + r.counts.masked + r.counts.firmware + r.counts.unmodelled).toBe(r.counts.total);
      // classifyLog's catalog lines are in log order, one per line classified 'catalog': walked beside the log,
      // the next one is this line's when its line number and text are this line's (a text classifies the same
      // wherever it is, so two split lines of one number and text are both catalog lines or neither)
      let next = 0;
      for (const l of log.lines) {
        const cat = c.catalog[next];
        const here = cat !== undefined && cat.lineNo === l.lineNo && cat.text === l.text ? cat : undefined;
        if (here) next++;
        const anywhere = matchingAnywhere(l.text);
        // A family regex that fits a line on a kernel the family does not claim means its metadata is wrong.
        // (compared plainly, through expect only on a difference: expect() per line was most of this test's time)
        const want = here ? [here.family] : [];
        if (anywhere.length !== want.length || anywhere.some((id, i) => id !== want[i])) expect(anywhere, `${name}:${l.lineNo}: ${l.text}`).toEqual(want);
        if (here) {
          const mask = maskFor(l.text);
          if (mask !== undefined) expect(mask, `mask hides catalog line ${name}:${l.lineNo}`).toBeUndefined();
        }
      }
      // expect: every catalog line met on the walk
      expect(next).toBe(c.catalog.length);
    });
  });

  test.skipIf(available.length < profiles.length)('every catalog family is seen in at least one log', () => {
    const seen = new Set<string>();
    for (const name of available) for (const c of classify(name).catalog) seen.add(c.family);
    expect(families.map((f) => f.id).filter((id) => !seen.has(id))).toEqual([]);
  });
});
