// Tests for `bootsim explore` (harness/cli/commands/explore.ts): it writes the page where --out
// says; --against takes a profile or a kernel id; bad input is refused with a code.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { againstSpec, run } from '../../../harness/cli/commands/explore.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { captureIO, sampleProfile } from './helpers.ts';
import { ReportError } from '../../../harness/report/explore/trace.ts';
import { scratchDir } from '../../scratch.ts';

/** A profile of the 2.6.11 x86_64 prebuilt under the default (AMD) qemu64 vCPU, whose boot panics before any zone: the explorer refuses it with the simulator's coded refusal. */
const profile2611 = (): string => {
  const file = path.join(scratchDir('bootsim-explore-p-'), 'profile.yaml');
  writeFileSync(file, 'name: x86_64-2.6.11-pc-1g\nkernel: 2.6.11-x86_64\nmachine: pc\nmemory: 1G\ncpus: 1\n');
  return file;
};

function errorCodeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ReportError ? e.code : 'not a ReportError';
  }
  return undefined;
}

const tmp = () => scratchDir('bootsim-explore-');

describe('bootsim explore', () => {
  // expect the page written, the step count said, and with --against a kernel id two boots
  test('explore_writes_page: expect explore.html with a section per stage, and two boots with --against 5.10-amd64', async () => {
    const dir = tmp();
    const c = captureIO();
    expect(await run([sampleProfile, '--out', path.join(dir, 'e.html')], c.io)).toBe(0);
    expect(c.out()).toMatch(/^wrote .*e\.html: \d+ stages\n$/);
    const c2 = captureIO();
    expect(await run([sampleProfile, '--against', '5.10-amd64', '--out', path.join(dir, 'e2.html')], c2.io)).toBe(0);
    expect(c2.out()).toMatch(/2 boots side by side/);
    expect(readFileSync(path.join(dir, 'e2.html'), 'utf8')).toContain('data-kernel="5.10-amd64"');
    expect(readdirSync(dir).sort()).toEqual(['e.html', 'e2.html']);
  });

  // expect --against to take a profile name, a kernel id (same machine, other kernel), and refuse anything else
  test('against_spec: expect a profile loaded, a kernel swapped, REPORT_AGAINST_UNKNOWN otherwise', () => {
    const spec = loadProfile(sampleProfile);
    expect(againstSpec(spec, 'x86_64-6.1-pc-256m').memoryText).toBe('256M');
    expect(againstSpec(spec, '5.10-amd64', ['5.10-amd64', '6.1-amd64'])).toEqual({ ...spec, kernel: '5.10-amd64' });
    expect(errorCodeOf(() => againstSpec(spec, '6.1-amd6', ['5.10-amd64', '6.1-amd64']))).toBe('REPORT_AGAINST_UNKNOWN');
  });

  // expect a 3.0 golden explored: one stage per step of the 3.0 pipeline
  test('explore_30_golden: expect exit 0 and "26 stages" for i386-3.0-pc-1g, with its stage names in the page', async () => {
    const dir = tmp();
    const c = captureIO();
    expect(await run(['i386-3.0-pc-1g', '--out', path.join(dir, 'e.html')], c.io)).toBe(0);
    expect(c.out()).toMatch(/^wrote .*e\.html: 26 stages\n$/);
    const html = readFileSync(path.join(dir, 'e.html'), 'utf8');
    for (const n of ['setupMemoryMap30', 'freeAreaInitNodes30', 'kmemCacheInit30']) expect(html).toContain(n);
  });

  // expect coded refusals, exit 2, nothing written
  test('explore_refusals: expect REPORT_OUT_KIND for .svg, REPORT_AGAINST_UNKNOWN, SIM_NOT_MODELLED for 2.6.11 x86_64 under qemu64 (its page-table panic)', async () => {
    const dir = tmp();
    const cases: [string[], RegExp][] = [
      [[sampleProfile, '--out', path.join(dir, 'e.svg')], /REPORT_OUT_KIND: --out: expected a file name ending in \.html or \.htm/],
      [[sampleProfile, '--against', 'nope', '--out', path.join(dir, 'a.html')], /REPORT_AGAINST_UNKNOWN: --against: expected a profile .* or a kernel id \(.*6\.1-amd64.*\), got "nope"/],
      [[profile2611(), '--out', path.join(dir, 'b.html')], /SIM_NOT_MODELLED: .*Cannot find space for the kernel page tables/],
    ];
    for (const [argv, err] of cases) {
      const c = captureIO();
      expect(await run(argv, c.io)).toBe(2);
      expect(c.err()).toMatch(err);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
