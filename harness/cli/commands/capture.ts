// `bootsim capture <profile>… [--all] [--jobs N] [--force] [--memblock-debug] [--offline] [--timeout S]`
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BootsimError } from '../../errors.ts';
import { goldensDir, displayPath } from '../../paths.ts';
import { loadKernel } from '../../kernels.ts';
import { loadProfile } from '../../profile/load.ts';
import { captureProfile, toolVersions, type CaptureResult } from '../../../qemu-scripts/capture.ts';
import { fetchKernel } from '../../../qemu-scripts/kernel/fetch.ts';
import { runPool } from '../pool.ts';
import { UsageError } from '../usage.ts';
import { LIMITS, boundedInt } from '../args.ts';
import type { CliIO } from '../io.ts';

export const usage = `usage: bootsim capture <profile.yaml | golden name>… | --all [--jobs N] [--force] [--memblock-debug] [--offline] [--timeout SECONDS] [--out DIR]
  Boots each profile's pinned kernel under QEMU and writes goldens/<name>/serial.log and meta.yaml
  (with --out, DIR/<name>/ instead: for ad-hoc profiles that are not goldens of this repo).
  A golden whose profile, kernel and QEMU are unchanged is skipped unless --force.`;

/** Every golden profile, goldens/<name>/profile.yaml, sorted by name. */
export function goldenProfiles(dir: string = goldensDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'profile.yaml')))
    .map((d) => path.join(dir, d.name, 'profile.yaml'))
    .sort();
}

/** A profile argument is a path to a YAML file, or the name of a golden. */
export function resolveProfileArg(arg: string, dir: string = goldensDir): string {
  if (existsSync(arg) && !arg.endsWith('/')) return path.resolve(arg);
  const byName = path.join(dir, arg, 'profile.yaml');
  if (existsSync(byName)) return byName;
  throw new UsageError(`"${arg}" is neither a profile file nor the name of a golden under ${displayPath(dir)}`);
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const err = (s: string): void => io.stderr(`${s}\n`);
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      jobs: { type: 'string', short: 'j' },
      force: { type: 'boolean', default: false },
      'memblock-debug': { type: 'boolean', default: false },
      offline: { type: 'boolean', default: io.env.BOOTSIM_OFFLINE === '1' },
      timeout: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const files = values.all ? goldenProfiles() : positionals.map((a) => resolveProfileArg(a));
  if (files.length === 0) throw new UsageError('name at least one profile, or --all');
  const jobs = values.jobs === undefined ? Math.min(availableParallelism(), LIMITS.jobs.max) : boundedInt('jobs', values.jobs);
  const timeoutS = values.timeout === undefined ? undefined : boundedInt('timeout', values.timeout);

  // Validate every profile before booting anything.
  const specs = files.map((f) => loadProfile(f));
  const versions = await toolVersions();
  if (versions.qemu === 'not installed') err('warning: the qemu-system-x86 package is not installed; run `apt-get install -y qemu-system-x86`');

  const stop = new AbortController();
  const onSigint = (): void => {
    err('interrupted: stopping QEMU; goldens being written stay as they were');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  const started = performance.now();
  let failed = 0;
  const results: CaptureResult[] = [];
  try {
    await runPool(specs, jobs, async (spec, i) => {
      const tag = `[${i + 1}/${specs.length}] ${spec.name}`;
      try {
        const kernel = loadKernel(spec.kernel);
        const fetched = await fetchKernel(kernel, { offline: values.offline, onProgress: (m) => err(`${tag}: ${m}`) });
        const r = await captureProfile(spec, kernel, fetched.vmlinuz, {
          force: values.force,
          memblockDebug: values['memblock-debug'],
          versions,
          signal: stop.signal,
          ...(values.out !== undefined ? { goldensDir: path.resolve(values.out) } : {}),
          onRetry: (m) => err(`${tag}: ${m}`),
          onBoot: () => err(`${tag}: booting ${kernel.id} (${spec.machine}, ${spec.memoryText}, ${spec.cpus} CPU${spec.cpus > 1 ? 's' : ''})…`),
          ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
        });
        results.push(r);
        const m = r.meta.markersMs;
        err(
          r.status === 'up-to-date'
            ? `${tag}: up to date (profile, kernel and QEMU unchanged; --force to re-capture)`
            : `${tag}: ok in ${(r.meta.durationMs / 1000).toFixed(1)} s, ended by ${r.meta.ended} (SLUB at ${m.slub} ms, Memory: at ${m.memory} ms) → ${displayPath(r.dir)}`,
        );
      } catch (e) {
        failed++;
        if (!(e instanceof BootsimError)) throw e;
        err(`${tag}: FAILED ${e.code}: ${e.message}`);
      }
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const captured = results.filter((r) => r.status === 'captured').length;
  err(`captured ${captured}, up to date ${results.length - captured}, failed ${failed}, in ${((performance.now() - started) / 1000).toFixed(1)} s with --jobs ${jobs}`);
  if (stop.signal.aborted) return 130;
  return failed > 0 ? 1 : 0;
}
