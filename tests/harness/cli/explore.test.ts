// Tests for `bootsim explore` (harness/cli/commands/explore.ts): it writes the page where --out
// says; --against takes a profile or a kernel id; bad input is refused with a code.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { againstSpec, run } from '../../../harness/cli/commands/explore.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { captureIO, sampleProfile } from './helpers.ts';
import { ReportError } from '../../../harness/report/explore/trace.ts';

function errorCodeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ReportError ? e.code : 'not a ReportError';
  }
  return undefined;
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'bootsim-explore-'));

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

  // expect coded refusals, exit 2, nothing written
  test('explore_refusals: expect REPORT_OUT_KIND for .svg, REPORT_AGAINST_UNKNOWN, REPORT_PIPELINE_NOT_DRAWN for 3.0', async () => {
    const dir = tmp();
    const cases: [string[], RegExp][] = [
      [[sampleProfile, '--out', path.join(dir, 'e.svg')], /REPORT_OUT_KIND: --out: expected a file name ending in \.html or \.htm/],
      [[sampleProfile, '--against', 'nope', '--out', path.join(dir, 'a.html')], /REPORT_AGAINST_UNKNOWN: --against: expected a profile .* or a kernel id \(.*6\.1-amd64.*\), got "nope"/],
      [['i386-3.0-pc-1g', '--out', path.join(dir, 'b.html')], /REPORT_PIPELINE_NOT_DRAWN/],
    ];
    for (const [argv, err] of cases) {
      const c = captureIO();
      expect(await run(argv, c.io)).toBe(2);
      expect(c.err()).toMatch(err);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
