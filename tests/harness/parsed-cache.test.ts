import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { buildCache, cachedParse, runningCache, type ParsedCacheOptions } from '../../harness/parsed-cache.ts';
import { scratchDirs } from '../scratch.ts';

const scratch = scratchDirs('bootsim-parsed-cache-');
const Schema: v.GenericSchema<{ readonly n: bigint; readonly s: string }> = v.object({ n: v.bigint(), s: v.string() });
const bytes = new TextEncoder().encode('some file\n');

/** cachedParse with a parse that counts its calls. */
function counted(opts: ParsedCacheOptions | undefined, input: Uint8Array = bytes, inputs: readonly string[] = ['a.log']) {
  let calls = 0;
  const value = cachedParse('t', inputs, input, Schema, () => {
    calls++;
    return { n: 1n << 70n, s: new TextDecoder().decode(input) };
  }, opts);
  return { value, calls };
}
const entries = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.v8'));

describe('parsed-input cache', () => {
  test('buildCache_bundle_or_sources', () => {
    // expect: the bundle dist/cli-<hash>/main.cjs keeps its entries in dist/cli-<hash>/parsed/, versioned by the build's name
    const bundle = path.join('/r', 'dist', 'cli-0123456789ab', 'main.cjs');
    expect(buildCache(pathToFileURL(bundle).href)).toEqual({ dir: path.join('/r', 'dist', 'cli-0123456789ab', 'parsed'), version: 'cli-0123456789ab' });
    // expect: the TypeScript sources (the test runner) have no cache, so every parse in the suite is the real one
    expect(buildCache(pathToFileURL('/r/harness/parsed-cache.ts').href)).toBeUndefined();
    expect(runningCache()).toBeUndefined();
  });

  test('cachedParse_second_read_from_entry', () => {
    // expect: the first call parses and writes one entry; the second returns the stored value (a bigint stays a bigint) without parsing
    const opts = { dir: scratch(), version: 'cli-000000000001' };
    const first = counted(opts);
    expect(first.calls).toBe(1);
    expect(entries(opts.dir)).toHaveLength(1);
    const second = counted(opts);
    expect(second.calls).toBe(0);
    expect(second.value).toEqual(first.value);
    expect(typeof second.value.n).toBe('bigint');
    // expect: no temporary file is left beside the entry (written to a .tmp, then renamed)
    expect(readdirSync(opts.dir).filter((f) => !f.endsWith('.v8'))).toEqual([]);
  });

  test('cachedParse_key_parts_each_matter', () => {
    // expect: other bytes, other inputs (a shown path, a kernel id) or another code version each parse afresh
    const dir = scratch();
    const opts = { dir, version: 'cli-000000000001' };
    counted(opts);
    expect(counted(opts, new TextEncoder().encode('some file!\n')).calls).toBe(1);
    expect(counted(opts, bytes, ['b.log']).calls).toBe(1);
    expect(counted({ dir, version: 'cli-000000000002' }).calls).toBe(1);
    expect(counted(opts).calls).toBe(0);
  });

  test('cachedParse_bad_entry_ignored', () => {
    // expect: a corrupt (not v8), truncated, foreign (another key's entry under this name) or invalid (schema refuses) entry is parsed again and rewritten
    const opts = { dir: scratch(), version: 'cli-000000000001' };
    counted(opts);
    const [name] = entries(opts.dir);
    const file = path.join(opts.dir, name!);
    const other = counted(opts, bytes, ['other.log']);
    expect(other.calls).toBe(1);
    const otherFile = path.join(opts.dir, entries(opts.dir).find((f) => f !== name)!);
    const bad: [string, () => void][] = [
      ['corrupt', () => writeFileSync(file, 'not a v8 serialisation')],
      ['truncated', () => writeFileSync(file, serialize({ key: 'x', value: { n: 1n, s: 'x' } }).subarray(0, 9))],
      ['foreign', () => copyFileSync(otherFile, file)],
      // the right key, a value of the wrong shape
      ['invalid', () => writeFileSync(file, serialize({ key: JSON.stringify(['cli-000000000001', 't', ['a.log'], createHash('sha256').update(bytes).digest('hex')]), value: { n: 'not a bigint', s: 1 } }))],
    ];
    for (const [what, damage] of bad) {
      damage();
      const r = counted(opts);
      expect(r.calls, what).toBe(1);
      expect(r.value, what).toEqual({ n: 1n << 70n, s: 'some file\n' });
      expect(counted(opts).calls, `${what}: rewritten`).toBe(0);
    }
  });

  test('cachedParse_error_not_kept', () => {
    // expect: a parse that throws writes nothing, and the next call meets the error again
    const opts = { dir: scratch(), version: 'cli-000000000001' };
    const fail = (): never => { throw new Error('bad input'); };
    expect(() => cachedParse('t', ['a.log'], bytes, Schema, fail, opts)).toThrow('bad input');
    expect(readdirSync(opts.dir)).toEqual([]);
    expect(() => cachedParse('t', ['a.log'], bytes, Schema, fail, opts)).toThrow('bad input');
  });

  test('cachedParse_unwritable_folder_parses', () => {
    // expect: a folder it cannot make (its parent is a file: refused even to root) only loses the speed-up: the parse is returned each time
    const parent = path.join(scratch(), 'a-file');
    writeFileSync(parent, '');
    const opts = { dir: path.join(parent, 'parsed'), version: 'cli-000000000001' };
    expect(counted(opts).calls).toBe(1);
    expect(counted(opts).calls).toBe(1);
  });

  test('cachedParse_without_cache_parses', () => {
    // expect: no cache (the sources): every call is the parse
    expect(counted(undefined).calls).toBe(1);
    expect(counted(undefined).calls).toBe(1);
  });
});
