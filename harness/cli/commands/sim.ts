// `bootsim sim <profile.yaml> [--json]`: the simulated dmesg lines, one text per line.
import { parseArgs } from 'node:util';
import { loadProfile } from '../../profile/load.ts';
import { simulateSpec } from '../../simulate.ts';
import { EXIT, reportCodedError, toJson, usageError, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim sim <profile.yaml> [--json]';
/** The usage line `bootsim sim --help` prints. */
export const usage = `usage: ${USAGE}`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(io, 'sim', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`usage: ${USAGE}\n`); return EXIT.ok; }
  if (parsed.positionals.length !== 1) return usageError(io, 'sim', `expected one profile file, got ${parsed.positionals.length}`, USAGE);
  try {
    const lines = simulateSpec(loadProfile(parsed.positionals[0]!));
    if (parsed.values.json) io.stdout(`${toJson(lines)}\n`);
    else io.stdout(lines.map((l) => `${l.text}\n`).join(''));
    return EXIT.ok;
  } catch (e) {
    return reportCodedError(io, 'sim', e);
  }
}
