// `bootsim evidence <profile>… [--boots N] [--offline] [--timeout S] [--dir DIR]`: boots each
// profile N more times and records its volatile fields' values (harness/evidence-run.ts), then
// derives every volatile bound again from all the evidence and says whether
// harness/catalog/volatile.ts still holds it. Profiles are booted one after another, never in
// parallel: a volatile value depends on timing, and two QEMUs on two cores would skew it.
import { parseArgs } from 'node:util';
import { BootsimError } from '../../../sim/base/errors.ts';
import { displayPath } from '../../../sim/base/paths.ts';
import { loadKernel } from '../../kernels.ts';
import { loadProfile } from '../../profile/load.ts';
import { evidenceDir, readVolatileEvidence } from '../../catalog/evidence.ts';
import { deriveTolerance, ToleranceError, volatileFields } from '../../catalog/volatile.ts';
import { recordEvidence, defaults } from '../../evidence-run.ts';
import { toolVersions } from '../../../qemu-scripts/capture.ts';
import { fetchKernel } from '../../../qemu-scripts/kernel/fetch.ts';
import { resolveProfileArg } from './capture.ts';
import { STOP_SIGNALS, stopOnSignals } from '../stop.ts';
import { UsageError } from '../usage.ts';
import { boundedInt } from '../args.ts';
import { checkOutputDir } from '../../../sim/base/files.ts';
import type { CliIO } from '../io.ts';

export const usage = `usage: bootsim evidence <profile.yaml | golden name>… [--boots N] [--offline] [--timeout SECONDS] [--dir DIR]
  Boots each profile N more times (default ${defaults.boots}) under QEMU and appends, per boot, the values of its
  volatile fields with the date, kernel and QEMU version to goldens/evidence/volatile/<name>/boots.yaml
  (the profile is copied beside it); then derives each volatile bound again from all the evidence.`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const err = (s: string): void => io.stderr(`${s}\n`);
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      boots: { type: 'string', short: 'n' },
      offline: { type: 'boolean', default: io.env.BOOTSIM_OFFLINE === '1' },
      timeout: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('name at least one profile');
  const boots = values.boots === undefined ? defaults.boots : boundedInt('boots', values.boots);
  const timeoutS = values.timeout === undefined ? undefined : boundedInt('timeout', values.timeout);
  // Checked before any boot: a folder, writable, not under /proc, names ≤ 255 bytes.
  const dir = checkOutputDir(values.dir === undefined ? evidenceDir : values.dir, values.dir === undefined ? 'the evidence folder' : '--dir');

  const specs = positionals.map((a) => loadProfile(resolveProfileArg(a), { envelope: 'skip' }));
  const versions = await toolVersions();
  if (versions.qemu === 'not installed') err('warning: the qemu-system-x86 package is not installed; run `apt-get install -y qemu-system-x86`');
  const stop = stopOnSignals(err, 'the boots recorded so far are kept');
  const started = performance.now();
  let failed = 0;
  try {
    for (const [p, spec] of specs.entries()) {
      const tag = `[${p + 1}/${specs.length}] ${spec.name}`;
      try {
        const kernel = loadKernel(spec.kernel);
        const fetched = await fetchKernel(kernel, { offline: values.offline, onProgress: (m) => err(`${tag}: ${m}`) });
        const r = await recordEvidence(spec, kernel, fetched.vmlinuz, {
          boots,
          dir,
          versions,
          signal: stop.signal,
          ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
          onRetry: (m) => err(`${tag}: ${m}`),
          onStart: (i) => err(`${tag}: boot ${i + 1}/${boots}: ${kernel.id} (${spec.machine}, ${spec.memoryText}, ${spec.cpus} CPU${spec.cpus > 1 ? 's' : ''}${spec.numa ? `, ${spec.numa.length} nodes` : ''})…`),
          onBoot: (i, b) => err(`${tag}: boot ${i + 1}/${boots}: ${Object.entries(b.values).map(([k, x]) => `${k} ${x}`).join(', ')} (${(b.durationMs / 1000).toFixed(1)} s)`),
        });
        err(`${tag}: ${r.boots.length} boot(s) in ${displayPath(r.file)}`);
      } catch (e) {
        failed++;
        if (!(e instanceof BootsimError)) throw e;
        err(`${tag}: FAILED ${e.code}: ${e.message}`);
        if (stop.signal.aborted) break;
      }
    }
  } finally {
    stop.dispose();
  }
  err(`recorded ${specs.length - failed} profile(s), failed ${failed}, in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The bounds, derived again from every profile's evidence.
  const evidence = readVolatileEvidence(dir);
  for (const d of volatileFields) {
    try {
      const t = deriveTolerance(d, evidence);
      const note = t.tolerance === d.tolerance ? 'as harness/catalog/volatile.ts holds it' : `harness/catalog/volatile.ts holds ±${d.tolerance}: set it to ${t.tolerance}`;
      io.stdout(`${t.path}: widest spread ${t.spread} on ${t.widest}, ${t.profiles.length} profile(s), fewest boots ${t.fewestBoots}, margin ${t.margin.toFixed(1)}: tolerance ±${t.tolerance} (${note})\n`);
      for (const s of t.profiles) io.stdout(`  ${s.profile}: ${s.values.length} boots, ${s.min}..${s.max}, spread ${s.spread}\n`);
    } catch (e) {
      if (!(e instanceof ToleranceError)) throw e;
      io.stdout(`${e.message}\n`);
    }
  }
  const stoppedBy = stop.stoppedBy();
  if (stoppedBy !== undefined) return STOP_SIGNALS[stoppedBy];
  return failed > 0 ? 1 : 0;
}
