import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitRawLines } from '../../../harness/report/raw-log.ts';
import { normaliseLog } from '../../../harness/normalise.ts';
import { classifyGolden, readGoldenLog } from '../../../harness/compare/catalog-port.ts';
import { goldensDir } from '../../../sim/base/paths.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('splitRawLines', () => {
  test.each([
    ['final LF', 'a\nb\n', ['a', 'b']],
    ['no final LF', 'a\nb', ['a', 'b']],
    ['CRLF kept', 'a\r\nb\r\n', ['a\r', 'b\r']],
    ['empty lines', '\n\nx\n', ['', '', 'x']],
    ['empty', '', []],
  ])('%s: expect %j', (_what, input, out) => {
    expect(splitRawLines(enc(input))).toEqual(out);
  });

  test('invalid_utf8: expect the line kept, decoded leniently, and the next line numbered on', () => {
    expect(splitRawLines(new Uint8Array([0x61, 0xff, 0x0a, 0x62]))).toEqual(['a\ufffd', 'b']);
  });

  // expect the numbering the normaliser gives every kernel line, so a catalog line's `line` names its raw line
  test('numbering_agrees_with_normaliser: expect each normalised and each catalog line found on its raw line', () => {
    const file = path.join(goldensDir, 'x86_64-6.1-pc-512m', 'serial.log');
    const bytes = readFileSync(file);
    const raw = splitRawLines(bytes);
    const log = normaliseLog(bytes, file);
    expect(log.lines.length).toBeGreaterThan(100);
    for (const l of log.lines) expect(raw[l.lineNo - 1]).toContain(l.text);
    const catalog = classifyGolden(readGoldenLog(file), '6.1-amd64').lines;
    expect(catalog.length).toBeGreaterThan(40);
    for (const c of catalog) expect(raw[c.line! - 1]).toContain(c.text);
  });
});
