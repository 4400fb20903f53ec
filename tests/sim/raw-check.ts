// Development aid, not the harness: runs the e820 stages for each goldens/*/profile.yaml and compares
// the e820-family lines with the same families in the raw serial log /tmp/raw/<name>.log.
//   npx tsx tests/sim/raw-check.ts [profile…]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadProfile } from '../../harness/profile/load.ts';
import { loadKernel } from '../../harness/kernels.ts';
import { simulate, type BootContext } from '../../sim/boot.ts';
import { e820Stages } from '../../sim/stages/e820.ts';

export const RAW_DIR = process.env['BOOTSIM_RAW_DIR'] ?? '/tmp/raw';
const GOLDENS = path.resolve(import.meta.dirname, '../../goldens');

/** Which raw lines belong to the families the e820 stages print. */
const FAMILIES: readonly [string, RegExp][] = [
  ['e820.header', /^BIOS-provided physical RAM map:$/],
  ['e820.entry', /^BIOS-e820: \[mem /],
  ['e820.gap', /^(BIOS-e820|user): \[gap /],
  ['e820.update', /^e820: update \[mem /],
  ['e820.remove', /^e820: remove \[mem /],
  ['e820.user_header', /^user-defined physical RAM map:$/],
  ['e820.user', /^user: \[mem /],
  ['last_pfn', /^last_pfn = /],
];

export function rawFamilyLines(log: string): string[] {
  return log
    .split(/\r?\n/)
    .map((l) => l.replace(/^.*?\[\s*\d+\.\d+\] /, ''))
    .filter((l) => FAMILIES.some(([, re]) => re.test(l)));
}

export interface CheckResult {
  readonly name: string;
  readonly matched: number;
  readonly real: number;
  readonly simulated: number;
  readonly diffs: readonly string[];
  readonly error?: string;
}

export function checkProfile(name: string): CheckResult {
  const raw = readFileSync(path.join(RAW_DIR, `${name}.log`), 'utf8');
  const real = rawFamilyLines(raw);
  try {
    const spec = loadProfile(path.join(GOLDENS, name, 'profile.yaml'));
    const kernel = loadKernel(spec.kernel);
    const ctx = { spec, kernel } as BootContext;
    const sim = simulate(ctx, e820Stages).lines.map((l) => l.text);
    const diffs: string[] = [];
    let matched = 0;
    for (let i = 0; i < Math.max(real.length, sim.length); i++) {
      if (real[i] === sim[i]) matched++;
      else diffs.push(`  #${i}\n    real: ${JSON.stringify(real[i])}\n    sim:  ${JSON.stringify(sim[i])}`);
    }
    return { name, matched, real: real.length, simulated: sim.length, diffs };
  } catch (e) {
    return { name, matched: 0, real: real.length, simulated: 0, diffs: [], error: String(e) };
  }
}

export function rawProfiles(): string[] {
  if (!existsSync(RAW_DIR)) return [];
  return readdirSync(GOLDENS)
    .filter((d) => existsSync(path.join(GOLDENS, d, 'profile.yaml')) && existsSync(path.join(RAW_DIR, `${d}.log`)))
    .sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : rawProfiles();
  let all = 0;
  let ok = 0;
  for (const n of names) {
    const r = checkProfile(n);
    all += r.real;
    ok += r.matched;
    console.log(`${r.matched === r.real && r.simulated === r.real ? 'OK  ' : 'DIFF'} ${n}: ${r.matched}/${r.real} real lines matched (${r.simulated} simulated)${r.error ? ` ERROR ${r.error}` : ''}`);
    for (const d of r.diffs) console.log(d);
  }
  console.log(`total ${ok}/${all}`);
}
