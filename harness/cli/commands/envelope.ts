// `bootsim envelope [--seed N] [--count N] [--json] [--write <dir>]`: the envelope measured (issue 10).
// Draws profiles from the distribution with a seeded PRNG (harness/profile/draw.ts), runs
// each through the profile loader and the simulator as `bootsim sim` does, and reports the accepted
// share overall and by dimension, and the refusals grouped by error code and reason.
import { mkdirSync } from 'node:fs';
import { checkOutputDir, writeFileAtomic } from '../../../sim/base/files.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { drawProfiles } from '../../profile/draw.ts';
import { formatEnvelope, runEnvelope, summarise } from '../../profile/envelope.ts';
import { parseProfile } from '../../profile/load.ts';
import { kernelIds } from '../../kernels.ts';
import { simulateSpec } from '../../simulate.ts';
import { boundedInt } from '../args.ts';
import { EXIT, toJson, usageError, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim envelope [--seed N] [--count N] [--json] [--write <dir>]';
export const usage = `usage: ${USAGE}
  Draws --count profiles (default 600) from issue 10's distribution with the PRNG seeded by --seed
  (default 1010), simulates each as \`bootsim sim\` does, and reports the accepted share overall, by
  kernel, machine, RAM band, cpus, numa, cpu model and parameter, and the refusals by code and
  reason. --write <dir> writes each accepted profile as <dir>/<name>.yaml, ready to capture.
  Exit 0 whatever the share: it is a measurement, not a gate.`;

export const DEFAULT_SEED = 1010;
export const DEFAULT_COUNT = 600;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { seed: { type: 'string' }, count: { type: 'string' }, json: { type: 'boolean' }, write: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    return usageError(io, 'envelope', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`${usage}\n`); return EXIT.ok; }
  const seed = parsed.values.seed === undefined ? DEFAULT_SEED : boundedInt('seed', parsed.values.seed);
  const count = parsed.values.count === undefined ? DEFAULT_COUNT : boundedInt('count', parsed.values.count);
  // the folder is checked before any work (a refusal names it), and each file is written whole
  const dir = parsed.values.write === undefined ? undefined : checkOutputDir(parsed.values.write, '--write');
  const profiles = drawProfiles(seed, count, kernelIds());
  const outcomes = runEnvelope(profiles, { load: (yaml, file) => parseProfile(yaml, path.join(dir ?? process.cwd(), file)), simulate: simulateSpec });
  const report = summarise(seed, outcomes);
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    const accepted = new Set(outcomes.filter((o) => o.accepted).map((o) => o.name));
    for (const p of profiles) if (accepted.has(p.name)) writeFileAtomic(path.join(dir, `${p.name}.yaml`), p.yaml);
  }
  io.stdout(parsed.values.json ? `${toJson(report)}\n` : formatEnvelope(report));
  return EXIT.ok;
}
