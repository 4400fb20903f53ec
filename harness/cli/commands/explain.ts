// `bootsim explain <profile.yaml> [--family <id>] [--json]`: each simulated line with, under every
// number it prints, the terms that number was built from and the rule each comes from.
import { parseArgs } from 'node:util';
import { loadProfile } from '../../profile/load.ts';
import { simulateSpec } from '../../simulate.ts';
import { didYouMean } from '../../profile/suggest.ts';
import { EXIT, reportCodedError, toJson, usageError, type CliIO } from '../io.ts';
import type { DmesgLine } from '../../../sim/types.ts';
import type { StateField } from '../../../sim/stages/state/index.ts';
import { predictStateSpec } from '../../compare/state-run.ts';

const USAGE = 'npx bootsim explain <profile.yaml> [--family <id>] [--state [--family zoneinfo|vmstat|meminfo|pagetypeinfo|iomem|slabinfo|slab]] [--json]';
export const usage = `usage: ${USAGE}
  Prints each simulated line with, for each field, the terms it was built from and their source.
  --state: the post-boot state instead (/proc/zoneinfo, meminfo, pagetypeinfo, the /proc/iomem tree, the slab caches' /proc/slabinfo and /sys/kernel/slab geometry), each number with its terms.`;

/** The text form of the predicted state: each field as the /proc file prints it, then its terms. */
export function explainStateText(fields: readonly StateField[]): string {
  const out: string[] = [];
  for (const f of fields) {
    out.push(`${f.key} = ${f.value}    [state › ${f.family}]`);
    for (const t of f.explain) out.push(`    ${t.name} = ${String(t.value)}    (${t.source})`);
  }
  return `${out.join('\n')}\n`;
}

/** The text form: the line, then one indented row per term, grouped by field. */
export function explainText(lines: readonly DmesgLine[]): string {
  const out: string[] = [];
  for (const l of lines) {
    out.push(`${l.text}    [${l.stage} › ${l.fmt}]`);
    for (const [field, terms] of Object.entries(l.explain ?? {})) {
      out.push(`  ${field}:`);
      for (const t of terms) out.push(`    ${t.name} = ${String(t.value)}    (${t.source})`);
    }
  }
  return `${out.join('\n')}\n`;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { family: { type: 'string' }, state: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(io, 'explain', (e as Error).message, USAGE);
  }
  if (parsed.positionals.length !== 1) return usageError(io, 'explain', `expected one profile file, got ${parsed.positionals.length}`, USAGE);
  try {
    const fam = parsed.values.family;
    if (parsed.values.state) {
      const predicted = predictStateSpec(loadProfile(parsed.positionals[0]!)).fields;
      const fields = predicted.filter((f) => fam === undefined || f.family === fam);
      // the families this profile's state predicts (slabinfo only where the boot cache list was read)
      const families = [...new Set(predicted.map((f) => f.family))];
      if (fam !== undefined && fields.length === 0) return usageError(io, 'explain', `--family with --state: expected one of ${families.join(', ')} (what this profile's state predicts), got "${fam.slice(0, 40)}"`, USAGE);
      io.stdout(parsed.values.json ? `${toJson(fields)}\n` : explainStateText(fields));
      return EXIT.ok;
    }
    const all = simulateSpec(loadProfile(parsed.positionals[0]!));
    const lines = all.filter((l) => fam === undefined || l.fmt === fam || l.fmt.startsWith(`${fam}.`));
    if (fam !== undefined && lines.length === 0) {
      // A family this profile does not print would explain nothing, silently.
      const fmts = [...new Set(all.flatMap((l) => [l.fmt, l.fmt.split('.')[0]!]))].sort();
      const shown = fam.length > 40 ? `${fam.slice(0, 40)}…` : fam;
      return usageError(io, 'explain', `--family: expected a family this profile prints (${fmts.filter((f) => !f.includes('.')).join(', ')}, or one of their members such as ${fmts.find((f) => f.includes('.')) ?? 'e820.entry'}), got "${shown}"${didYouMean(fam, fmts)}`, USAGE);
    }
    io.stdout(parsed.values.json ? `${toJson(lines)}\n` : explainText(lines));
    return EXIT.ok;
  } catch (e) {
    return reportCodedError(io, 'explain', e);
  }
}
