// Which log `check` and `diff` compare a profile with, when --golden is not given: the serial.log
// in the profile's own folder. A golden's profile finds its own log that way; an edited copy at
// my/<name>/profile.yaml is never silently compared with the repo's goldens/<name>/serial.log.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath, goldensDir } from '../../sim/base/paths.ts';
import type { MachineSpec } from '../../sim/types.ts';

/** Whether a profile file is one of this repo's goldens: goldens/<name>/profile.yaml. */
export function isGoldenProfile(file: string, dir: string = goldensDir): boolean {
  const rel = path.relative(dir, path.resolve(file));
  return !rel.startsWith('..') && !path.isAbsolute(rel) && rel.split(path.sep).length === 2 && path.basename(rel) === 'profile.yaml';
}

export type GoldenChoice =
  | { readonly file: string; readonly found: true }
  /** Nothing to compare with; `hint` says what to do. */
  | { readonly file: string; readonly found: false; readonly hint: string };

/** The log beside the profile (serial.log in its folder); what to do when there is none. */
export function goldenFor(spec: MachineSpec, dir: string = goldensDir): GoldenChoice {
  const beside = path.join(path.dirname(path.resolve(spec.file)), 'serial.log');
  if (existsSync(beside)) return { file: beside, found: true };
  const shown = displayPath(spec.file);
  if (isGoldenProfile(spec.file, dir)) return { file: beside, found: false, hint: `capture it with \`npx bootsim capture ${shown}\`` };
  const repo = path.join(dir, spec.name, 'serial.log');
  const same = existsSync(repo) ? `; to compare with the repo's golden of the same name, pass --golden ${displayPath(repo)}` : '';
  return { file: beside, found: false, hint: `capture it with \`npx bootsim capture ${shown} --out DIR\` (then use DIR/${spec.name}/profile.yaml), or pass --golden <serial.log>${same}` };
}
