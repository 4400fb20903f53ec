// memblock=debug in a profile (issue 10 item 3): every golden's memblock=debug capture is exactly the
// boot of that profile with memblock=debug on its command line, so the profile loads, and its
// simulation matches the capture's catalog lines as the golden's matches serial.log: the memblock
// lines it adds are outside the catalog (the ledger check compares them), the rest is unchanged.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir } from '../../sim/base/paths.ts';
import { loadProfile } from '../../harness/profile/load.ts';
import { compareSpec } from '../../harness/compare/run.ts';
import { readDivergences } from '../../harness/divergences.ts';
import { familyIds } from '../../harness/compare/catalog-port.ts';
import { listMemblockGoldens, withMemblockDebug } from '../../harness/compare/ledger-run.ts';

const register = readDivergences(familyIds);
const names = listMemblockGoldens().filter((n) => existsSync(path.join(goldensDir, n, 'serial.log')));

describe('a profile with memblock=debug', () => {
  test('there are memblock=debug captures to check', () => expect(names.length).toBeGreaterThan(20));
  test.each(names)('%s: with memblock=debug in its cmdline, as exact against serial-memblock.log as the golden is against serial.log', (name) => {
    const spec = loadProfile(path.join(goldensDir, name, 'profile.yaml'));
    const plain = compareSpec(spec, { golden: path.join(goldensDir, name, 'serial.log'), register, onSimError: 'record' });
    const debug = compareSpec(withMemblockDebug(spec), { golden: path.join(goldensDir, name, 'serial-memblock.log'), register, onSimError: 'record' });
    expect(debug.simError).toBeUndefined();
    const c = debug.comparison.counts;
    expect(c.missing + c.extra).toBe(0);
    expect(c.exact).toBe(plain.comparison.counts.exact);
    expect(c.mismatched).toBe(plain.comparison.counts.mismatched);
  });
});
