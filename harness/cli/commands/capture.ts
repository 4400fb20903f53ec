// `bootsim capture <profile>… [--all] [--jobs N] [--force] [--memblock-debug] [--offline] [--timeout S]`
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BootsimError } from '../../../sim/base/errors.ts';
import { CaptureError } from '../../../qemu-scripts/capture.ts';
import { goldensDir, displayPath, usableCacheDir } from '../../../sim/base/paths.ts';
import { checkOutputDir } from '../../../sim/base/files.ts';
import { loadKernel } from '../../kernels.ts';
import { loadProfile } from '../../profile/load.ts';
import { captureProfile, toolVersions, type CaptureResult, type QemuRunner } from '../../../qemu-scripts/capture.ts';
import { fetchKernel } from '../../../qemu-scripts/kernel/fetch.ts';
import { prepareStateImage, type PreparedImage, type StateImageId } from '../../../qemu-scripts/initramfs/image.ts';
import { probeImageFor } from '../../simulate.ts';
import { parseStateLog, StateError } from '../../state/parse.ts';
import type { Arch, MachineSpec } from '../../../sim/types.ts';
import { serialDamage } from '../../capture-damage.ts';
import { runPool } from '../pool.ts';
import { isGoldenProfile } from '../golden-for.ts';
import { UsageError } from '../usage.ts';
import { LIMITS, boundedInt } from '../args.ts';
import type { CliIO } from '../io.ts';
import { STOP_SIGNALS, stopOnSignals } from '../stop.ts';
import { captureProgress, lastCatalogLine } from '../capture-progress.ts';
import { parseShard, shardItems } from '../../compare/shard.ts';
import { readMeta } from '../../../qemu-scripts/capture.ts';

export const usage = `usage: bootsim capture <profile.yaml | golden name>… | --all [--jobs N] [--force] [--memblock-debug] [--offline] [--timeout SECONDS] [--out DIR] [--memory-backend auto|machine|noreserve] [--shard i/n] [--until window]
  Boots each profile's pinned kernel under QEMU and writes goldens/<name>/serial.log and meta.yaml
  (with --out, DIR/<name>/ instead, with the profile copied beside them as profile.yaml; a profile
  outside goldens/ needs --out). SIGINT, SIGTERM and SIGHUP stop QEMU and keep every golden as it was.
  A golden whose profile, kernel and QEMU are unchanged is skipped unless --force.
  --timeout defaults to 180 s plus 10 s per vCPU past 8. --memory-backend: guest RAM from QEMU's own
  allocation (machine) or a memory-backend-ram with reserve=off (noreserve), which starts guests
  larger than the host; auto (the default) takes noreserve above 8G. meta.yaml records which.
  A profile with probe: state also boots the probe initramfs (-initrd, qemu-scripts/initramfs/, its facts
  checked against goldens/initramfs/state-<arch>.yaml) and writes state.log, the probe's part, beside
  serial.log; a boot that does not reach its done marker, or whose state.log does not parse, writes nothing.
  --shard i/n: only the i-th of n parts of the sorted profile list (profile k goes to part (k mod n)+1),
  for a capture matrix over several machines. --until window: stop QEMU right after the last catalog
  line (the one the simulator prints last; the end of the memory-init window when it refuses the
  profile), for quick checks and fuzzing; meta.yaml says \`ended: window\`. Never for goldens: it needs
  --out DIR outside goldens/. On a terminal each boot shows a bar with the stage reached (the last
  catalog line seen), the time elapsed and the time left (from the golden's previous capture).`;

/** \`--until window\` asked to write into goldens/: a golden must be a whole boot. */
export class CaptureUntilError extends BootsimError<'CAPTURE_UNTIL_GOLDENS'> {
  override readonly name = 'CaptureUntilError';
}

/** Every golden profile, goldens/<name>/profile.yaml, sorted by name. */
export function goldenProfiles(dir: string = goldensDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'profile.yaml')))
    .map((d) => path.join(dir, d.name, 'profile.yaml'))
    .sort();
}

/** The duration of the golden's previous capture (goldens/<name>/meta.yaml), for the time left; undefined when there is none or it does not read. */
export function expectedMs(name: string, memblockDebug: boolean, dir: string = goldensDir): number | undefined {
  try {
    return readMeta(path.join(dir, name, memblockDebug ? 'meta-memblock.yaml' : 'meta.yaml'))?.durationMs;
  } catch (e) {
    if (e instanceof CaptureError) return undefined;
    throw e;
  }
}

/** Whether `p` is `dir` or inside it. */
function isInside(p: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A profile argument is a path to a YAML file, or the name of a golden. */
export function resolveProfileArg(arg: string, dir: string = goldensDir): string {
  if (existsSync(arg) && !arg.endsWith('/')) return path.resolve(arg);
  const byName = path.join(dir, arg, 'profile.yaml');
  if (existsSync(byName)) return byName;
  throw new UsageError(`"${arg}" is neither a profile file nor the name of a golden under ${displayPath(dir)}`);
}


/** Test seams; the CLI passes none. */
export interface RunOptions {
  /** The QEMU runner. Default: the real one (qemu-scripts/capture.ts runQemu). */
  readonly runner?: QemuRunner;
  /** Where the kernel image comes from. Default: fetchKernel. */
  readonly fetch?: typeof fetchKernel;
  /** Where a probe: state profile's initramfs comes from. Default: prepareStateImage. */
  readonly stateImage?: typeof prepareStateImage;
}

/** A probe's state.log must parse (harness/state/parse.ts); the problem, or undefined. */
export function stateProblem(state: Buffer, name: string): string | undefined {
  try {
    parseStateLog(state.toString('utf8'), `${name}/state.log`);
    return undefined;
  } catch (e) {
    if (e instanceof StateError) return `${e.code}: ${e.message}`;
    throw e;
  }
}

export async function run(argv: readonly string[], io: CliIO, opts: RunOptions = {}): Promise<number> {
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
      'memory-backend': { type: 'string' },
      shard: { type: 'string' },
      until: { type: 'string' },
    },
  });
  if (values.until !== undefined && values.until !== 'window') throw new UsageError(`--until: expected window, got "${values.until.slice(0, 40)}"`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard !== undefined && 'error' in shard) throw new UsageError(`--shard: ${shard.error}`);
  const backend = values['memory-backend'];
  if (backend !== undefined && backend !== 'auto' && backend !== 'machine' && backend !== 'noreserve') throw new UsageError(`--memory-backend: expected auto, machine or noreserve, got "${backend.slice(0, 40)}"`);
  if (values.all && positionals.length > 0) throw new UsageError(`--all captures every golden; it takes no names, got ${positionals.slice(0, 3).map((p) => `"${p.slice(0, 40)}"`).join(', ')}${positionals.length > 3 ? ' …' : ''}`);
  const named = values.all ? goldenProfiles() : positionals.map((a) => resolveProfileArg(a));
  if (named.length === 0) throw new UsageError('name at least one profile, or --all');
  // a shard is a part of the sorted list, so that every machine of a matrix splits it alike
  const files = shard ? shardItems([...new Set(named)].sort(), shard) : named;
  // A profile that is not a golden of this repo would otherwise write goldens/<name>/ with no profile beside it.
  const adHoc = files.filter((f) => !isGoldenProfile(f));
  if (values.out === undefined && adHoc.length > 0) throw new UsageError(`${displayPath(adHoc[0]!)} is not a golden profile (goldens/<name>/profile.yaml); capture it with --out DIR, which writes DIR/<name>/ with the profile beside the log`);
  const jobs = values.jobs === undefined ? Math.min(availableParallelism(), LIMITS.jobs.max) : boundedInt('jobs', values.jobs);
  const timeoutS = values.timeout === undefined ? undefined : boundedInt('timeout', values.timeout);

  // Validate every profile, and every folder that will be written, before booting anything.
  // the capture boots what the real machine does, inside the simulator's envelope or not
  const specs = files.map((f) => loadProfile(f, { envelope: 'skip' }));
  const outRoot = values.out === undefined ? goldensDir : checkOutputDir(values.out, '--out');
  if (values.until !== undefined && isInside(outRoot, goldensDir)) {
    throw new CaptureUntilError('CAPTURE_UNTIL_GOLDENS', `--until window: expected --out DIR outside ${displayPath(goldensDir)}, got ${values.out === undefined ? 'no --out (goldens/)' : displayPath(outRoot)}: a golden is a whole boot, an early stop is for quick checks and fuzzing`);
  }
  for (const s of specs) checkOutputDir(path.join(outRoot, s.name), values.out === undefined ? 'the golden folder' : '--out');
  if (!opts.fetch) usableCacheDir(io.env);
  const fetch = opts.fetch ?? fetchKernel;
  const probeImages = await prepareProbeImages(specs, opts, values.offline, err);
  const versions = await toolVersions();
  if (versions.qemu === 'not installed') err('warning: the qemu-system-x86 package is not installed; run `apt-get install -y qemu-system-x86`');

  const stop = stopOnSignals(err, 'goldens being written stay as they were');
  const started = performance.now();
  let failed = 0;
  const results: CaptureResult[] = [];
  const progress = captureProgress(io, specs.length);
  try {
    await runPool(specs, jobs, async (spec, i) => {
      const shown = progress.profile(i, spec, expectedMs(spec.name, values['memblock-debug']));
      const onLine = lineWatcher(spec, shown, values.until !== undefined);
      try {
        const kernel = loadKernel(spec.kernel);
        if (stop.signal.aborted) throw new CaptureError('CAPTURE_ABORTED', `${spec.name}: not started; the capture was stopped`);
        const fetched = await fetch(kernel, { offline: values.offline, onProgress: (m) => shown.note(m) });
        const r = await captureProfile(spec, kernel, fetched.vmlinuz, {
          force: values.force,
          memblockDebug: values['memblock-debug'],
          ...(backend !== undefined ? { memoryBackend: backend } : {}),
          damage: serialDamage,
          ...(spec.probe === 'state' ? { stateImage: probeImages.get(spec.name)!, stateCheck: stateProblem } : {}),
          versions,
          signal: stop.signal,
          ...(values.out !== undefined ? { goldensDir: outRoot } : {}),
          ...(opts.runner ? { runner: opts.runner } : {}),
          onRetry: (m) => shown.note(m),
          onBoot: () => shown.boot(`booting ${kernel.id} (${spec.machine}, ${spec.memoryText}, ${spec.cpus} CPU${spec.cpus > 1 ? 's' : ''})…`),
          onLine,
          ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
        });
        results.push(r);
        // An ad-hoc capture keeps its profile beside the log, so that check, diff and a re-capture find it.
        const kept = path.join(r.dir, 'profile.yaml');
        if (values.out !== undefined && path.resolve(spec.file) !== kept) copyFileSync(spec.file, kept);
        shown.end(describeCapture(r), true);
      } catch (e) {
        failed++;
        if (!(e instanceof BootsimError)) throw e;
        shown.end(`FAILED ${e.code}: ${e.message}`, false);
      }
    });
  } finally {
    progress.close();
    stop.dispose();
  }
  const captured = results.filter((r) => r.status === 'captured').length;
  err(`captured ${captured}, up to date ${results.length - captured}, failed ${failed}, in ${((performance.now() - started) / 1000).toFixed(1)} s with --jobs ${jobs}`);
  const stoppedBy = stop.stoppedBy();
  if (stoppedBy !== undefined) return STOP_SIGNALS[stoppedBy];
  return failed > 0 ? 1 : 0;
}

/** The probe initramfs of each arch a probe: state profile boots, built and checked against its committed facts once; by profile name. */
async function prepareProbeImages(specs: readonly MachineSpec[], opts: RunOptions, offline: boolean, err: (s: string) => void): Promise<Map<string, PreparedImage>> {
  const images = new Map<StateImageId, PreparedImage>();
  const byProfile = new Map<string, PreparedImage>();
  for (const s of specs) {
    if (s.probe !== 'state') continue;
    const k = loadKernel(s.kernel);
    const facts = k.facts ?? k.partialFacts;
    // the image the kernel's traits choose (harness/simulate.ts probeImageFor: busybox, or the mini /init of the old kernels)
    const id = facts ? probeImageFor({ id: k.id, arch: k.arch, release: k.release, facts: { config: facts.config } }) : k.arch;
    let image = images.get(id);
    if (!image) images.set(id, (image = await (opts.stateImage ?? prepareStateImage)(id, { offline, onProgress: (m) => err(`initramfs ${id}: ${m}`) })));
    byProfile.set(s.name, image);
  }
  return byProfile;
}

/** Each serial line to the progress display; with --until window, 'stop' once the simulator's last catalog line (and its count) has been seen, or the window's end. */
function lineWatcher(spec: MachineSpec, shown: { line: (line: string) => { family: string } | undefined }, untilWindow: boolean): (line: string) => 'stop' | undefined {
  const until = untilWindow ? { point: lastCatalogLine(spec), seen: 0 } : undefined;
  return (line) => {
    const seen = shown.line(line);
    if (!until) return undefined;
    if (seen && seen.family === until.point?.family) until.seen++;
    return until.point === undefined || until.seen >= until.point.count ? 'stop' : undefined;
  };
}

/** The progress line of a finished capture. */
function describeCapture(r: CaptureResult): string {
  const m = r.meta.markersMs;
  return r.status === 'up-to-date'
    ? `up to date (profile, kernel and QEMU unchanged; --force to re-capture)`
    : `ok in ${(r.meta.durationMs / 1000).toFixed(1)} s, ended by ${r.meta.ended} (SLUB at ${m.slub} ms, Memory: at ${m.memory} ms${r.meta.state ? `, state done at ${r.meta.state.doneMs} ms` : ''}) → ${displayPath(r.dir)}`;
}
