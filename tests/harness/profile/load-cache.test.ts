import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProfile } from '../../../harness/profile/load.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { scratchDirs } from '../../scratch.ts';

const scratch = scratchDirs('bootsim-profile-cache-');
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return `${e instanceof Error && 'code' in e ? String(e.code) : '?'}: ${e instanceof Error ? e.message : String(e)}`;
  }
  throw new Error('expected a refusal');
};

describe('the profiles in the parsed-input cache', () => {
  test.each(['x86_64-6.12-pc-1g-1cpu-state', 'i386-6.1-pae-q35-4g'])('loadProfile_cold_and_warm_equal_the_parse_%s', (name) => {
    // expect: the spec written on the first load and read back on the second is the parse's, key order and undefined fields included
    const file = path.join(goldensDir, name, 'profile.yaml');
    const parsedCache = { dir: scratch(), version: 'cli-000000000001' };
    const parsed = loadProfile(file, { parsedCache: undefined });
    const cold = loadProfile(file, { parsedCache });
    expect(readdirSync(parsedCache.dir)).toHaveLength(1);
    const warm = loadProfile(file, { parsedCache });
    for (const s of [cold, warm]) {
      expect(s).toEqual(parsed);
      expect(Object.entries(s)).toEqual(Object.entries(parsed));
    }
  });

  test('loadProfile_cached_spec_checked_again', () => {
    // expect: what the file does not say is checked on every load, at the field's position, as without the cache:
    // a kernel no longer in the list the caller gives, and the envelope
    const dir = scratch();
    const parsedCache = { dir: path.join(dir, 'parsed'), version: 'cli-000000000001' };
    const file = path.join(dir, 'profile.yaml');
    writeFileSync(file, 'name: t\nkernel: 6.1-amd64\nmachine: pc\nmemory: 512M\ncpus: 2\ncmdline: "movable_node"\n');
    const uncached = thrown(() => loadProfile(file, { parsedCache: undefined }));
    expect(uncached).toMatch(/^SIM_NOT_MODELLED: .*profile\.yaml:6:11: envelope: cmdline/);
    expect(thrown(() => loadProfile(file, { parsedCache }))).toBe(uncached);
    expect(readdirSync(parsedCache.dir)).toHaveLength(1);
    expect(thrown(() => loadProfile(file, { parsedCache }))).toBe(uncached);
    // the envelope not checked: the kept spec loads; then a kernel list without its kernel refuses it as the parse does
    expect(loadProfile(file, { parsedCache, envelope: 'skip' }).cmdline).toBe('movable_node');
    const unknown = thrown(() => loadProfile(file, { parsedCache: undefined, envelope: 'skip', kernelIds: ['6.12-amd64'] }));
    expect(unknown).toMatch(/^PROFILE_/);
    expect(thrown(() => loadProfile(file, { parsedCache, envelope: 'skip', kernelIds: ['6.12-amd64'] }))).toBe(unknown);
  });
});
