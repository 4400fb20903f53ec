import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../../harness/cli/commands/envelope.ts';
import { parseProfile } from '../../../harness/profile/load.ts';
import { captureIO } from './helpers.ts';

describe('envelope --write', () => {
  // expect a folder that cannot be written to be a coded error naming --write, before any draw runs
  test.each([
    ['under /proc', '/proc/bootsim-nope', 'OUTPUT_SPECIAL_FS'],
    ['empty', '', 'OUTPUT_EMPTY'],
  ])('envelope_write_refused %s: expect %s', async (_what, dir, code) => {
    const c = captureIO();
    await expect(run(['--count', '2', '--write', dir], c.io)).rejects.toMatchObject({ code });
    expect(c.out()).toBe('');
  });

  test('envelope_write_onto_a_file: expect OUTPUT_NOT_DIR and the file untouched', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'bootsim-envelope-'));
    try {
      const file = path.join(tmp, 'a-file');
      writeFileSync(file, 'keep');
      const c = captureIO();
      await expect(run(['--count', '2', '--write', file], c.io)).rejects.toMatchObject({ code: 'OUTPUT_NOT_DIR' });
      expect(readFileSync(file, 'utf8')).toBe('keep');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('envelope_write_accepted: expect one whole profile per accepted draw, no temporaries, each loading again', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'bootsim-envelope-'));
    try {
      const dir = path.join(tmp, 'out');
      const c = captureIO();
      expect(await run(['--count', '4', '--seed', '7', '--write', dir, '--json'], c.io)).toBe(0);
      const report = JSON.parse(c.out()) as { accepted: number };
      const files = readdirSync(dir);
      expect(files).toHaveLength(report.accepted);
      expect(files.every((f) => f.endsWith('.yaml'))).toBe(true);
      for (const f of files) expect(() => parseProfile(readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f))).not.toThrow();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
