// Shared by the CLI tests: an in-memory CliIO, scratch golden trees, and a stand-in simulator
// that replays a golden's own catalog lines (so that "exact" can be tested before the real one exists).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../../../harness/cli/io.ts';
import { goldenLines, readGoldenLog } from '../../../harness/compare/catalog-port.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import type { DmesgLine, MachineSpec } from '../../../sim/types.ts';
import { scratchDir } from '../../scratch.ts';

export interface Captured {
  readonly io: CliIO;
  out(): string;
  err(): string;
}

export function captureIO(env: NodeJS.ProcessEnv = {}, isTTY = false): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, env, isTTY },
    out: () => out,
    err: () => err,
  };
}

/** A profile with a captured golden, used throughout (512M, 6.1, pc). */
export const SAMPLE = 'x86_64-6.1-pc-512m';
export const sampleProfile = path.join(goldensDir, SAMPLE, 'profile.yaml');
export const sampleSerial = path.join(goldensDir, SAMPLE, 'serial.log');

/** A scratch goldens/ with copies of the named profiles and their serial logs. */
export function scratchGoldens(names: readonly string[]): string {
  const dir = scratchDir('bootsim-goldens-');
  for (const n of names) {
    mkdirSync(path.join(dir, n));
    cpSync(path.join(goldensDir, n, 'profile.yaml'), path.join(dir, n, 'profile.yaml'));
    cpSync(path.join(goldensDir, n, 'serial.log'), path.join(dir, n, 'serial.log'));
  }
  return dir;
}

/** Writes a file in a fresh temp dir and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const dir = scratchDir('bootsim-');
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

/**
 * A stand-in simulator: prints the catalog lines of the profile's golden in `dir`, through
 * `edit` (return undefined to drop a line). It reads a file, so it is for tests only.
 */
export function replayGolden(dir: string, edit: (l: DmesgLine, spec: MachineSpec) => DmesgLine | undefined = (l) => l): (spec: MachineSpec) => DmesgLine[] {
  return (spec) => {
    const file = path.join(dir, spec.name, 'serial.log');
    const lines = goldenLines(readGoldenLog(file), spec.kernel).map((l): DmesgLine => ({ stage: 'replay', fmt: l.family, text: l.text }));
    return lines.map((l) => edit(l, spec)).filter((l): l is DmesgLine => l !== undefined);
  };
}

export const readText = (f: string): string => readFileSync(f, 'utf8');
