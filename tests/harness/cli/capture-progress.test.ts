// The capture's progress display: the stage reached read from raw serial lines, the early-stop
// point from the simulator, the plain lines without a terminal, and the bars on one.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { captureProgress, lastCatalogLine, serialLineReader } from '../../../harness/cli/capture-progress.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { simulateSpec } from '../../../harness/simulate.ts';
import { captureIO, sampleProfile, sampleSerial } from './helpers.ts';

const spec = loadProfile(sampleProfile);

describe('serial lines as catalog lines', () => {
  test.each([
    ['[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\r', 'e820.entry', 'e820'],
    ['[    0.004000] Zone ranges:', 'zones.header', 'zones'],
    ['[    0.000000] Linux version 6.1.0 (debian-kernel@lists.debian.org)', undefined, undefined],
    ['', undefined, undefined],
  ])('serial_line_reader %j: expect family %s of stage %s', (raw, family, stage) => {
    expect(serialLineReader(spec.kernel)(raw)).toEqual(family === undefined ? undefined : { family, stage });
  });

  test('last_catalog_line: expect the family the simulator prints last and how often', () => {
    const lines = simulateSpec(spec);
    const last = lastCatalogLine(spec);
    expect(last?.family).toBe(lines.at(-1)!.fmt);
    expect(last?.count).toBe(lines.filter((l) => l.fmt === last?.family).length);
    expect(last!.count).toBeGreaterThan(0);
  });

  test('last_catalog_line_refused: expect undefined for a profile the simulator refuses', () => {
    expect(lastCatalogLine({ ...spec, cmdline: `${spec.cmdline ?? ''} no5lvl` })).toBeUndefined();
  });
});

describe('the display', () => {
  test('plain_lines_without_a_tty: expect a line at boot and at the end, the failed one naming the last catalog line seen', () => {
    const c = captureIO({}, false);
    const p = captureProgress(c.io, 2);
    const a = p.profile(0, spec, 10_000);
    a.boot('booting 6.1-amd64 …');
    for (const l of readFileSync(sampleSerial, 'latin1').split('\n').slice(0, 60)) a.line(l);
    a.end('FAILED CAPTURE_TIMEOUT: …', false);
    const b = p.profile(1, { ...spec, name: 'other' }, undefined);
    b.boot('booting …');
    b.end('ok in 1.0 s', true);
    p.close();
    const out = c.err().split('\n');
    expect(out[0]).toBe(`[1/2] ${spec.name}: booting 6.1-amd64 …`);
    expect(a.reached).toMatch(/^\S+ \(\S+\)$/);
    expect(out[1]).toBe(`[1/2] ${spec.name}: FAILED CAPTURE_TIMEOUT: … (last catalog line seen: ${a.reached})`);
    expect(out.slice(2)).toEqual(['[2/2] other: booting …', '[2/2] other: ok in 1.0 s', '']);
  });

  test('bars_on_a_tty: expect the bar to show the stage reached, the time left and done', () => {
    let written = '';
    const stream = Object.assign(Object.create(process.stderr) as NodeJS.WriteStream, {
      isTTY: true, columns: 160, rows: 40,
      write: (s: string) => { written += s; return true; },
      cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true,
    });
    const c = captureIO({}, true);
    const p = captureProgress(c.io, 1, stream);
    const a = p.profile(0, spec, 60_000);
    a.boot('booting …');
    a.line('[    0.004000] Zone ranges:');
    a.end('ok in 2.0 s', true);
    p.close();
    expect(written).toContain(`[1/1] ${spec.name}`);
    expect(written).toMatch(/ETA \d+\.\d s/);
    expect(written).toContain('done');
    expect(written).toContain('ok in 2.0 s');
    expect(a.reached).toBe('zones.header (zones)');
  });
});
