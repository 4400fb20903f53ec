// Boots a pinned kernel under QEMU (TCG) for one profile and writes its golden:
// goldens/<name>/serial.log (raw, as captured) and meta.yaml (provenance).
// A golden is replaced atomically or not at all.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { BootsimError } from '../sim/base/errors.ts';
import { displayPath, goldensDir as defaultGoldensDir } from '../sim/base/paths.ts';
import type { MachineSpec } from '../sim/types.ts';
import { bootedSha256, kernelProvenance, type KernelEntry } from '../sim/kernel-facts.ts';
import { buildQemuInvocation, type QemuInvocation } from './qemu-argv.ts';
import { parseYamlWithSchema } from '../sim/base/yaml-schema.ts';
import { CaptureMetaSchema, MARKERS, type CaptureEnded, type CaptureMeta } from './capture-meta.ts';
import { STATE_MARK } from './initramfs/image.ts';
import { parseKernelVersion, seriesTraits } from '../sim/traits.ts';
import type { PreparedImage } from './initramfs/image.ts';

export { MARKERS, CaptureMetaSchema, type CaptureEnded, type CaptureMeta } from './capture-meta.ts';

export type CaptureCode = 'CAPTURE_QEMU_MISSING' | 'CAPTURE_QEMU_FAILED' | 'CAPTURE_EARLY_PANIC' | 'CAPTURE_TIMEOUT' | 'CAPTURE_INCOMPLETE' | 'CAPTURE_ABORTED' | 'CAPTURE_DAMAGED' | 'CAPTURE_META_INVALID'
  // a probe: state boot that did not print "@@bootsim-state done@@", or whose state.log does not parse; or no image was given
  | 'CAPTURE_PROBE_INCOMPLETE' | 'CAPTURE_STATE_INVALID' | 'CAPTURE_PROBE_IMAGE_MISSING';

export class CaptureError extends BootsimError<CaptureCode> {}

/** The memory-init window is complete once both SLUB and Memory: have been printed (Memory: follows SLUB on ≥ 6.12). */
export function windowComplete(seen: Readonly<Partial<Record<keyof typeof MARKERS, number>>>, slub = true): boolean {
  // a kernel without SLUB (sim/traits.ts slubAllocator: 2.6.11) ends its window at "Memory:"
  return (!slub || seen.slub !== undefined) && seen.memory !== undefined;
}

export interface RunHooks {
  /** Called with every chunk of serial output as it arrives. */
  readonly onData: (chunk: Buffer) => void;
  /** Aborted when the capture wants QEMU stopped (timeout, hang after the window, Ctrl-C). */
  readonly signal: AbortSignal;
}

export interface RunOutcome {
  readonly exitCode: number | undefined;
  readonly stderr: string;
}

/** Runs QEMU; replaceable so tests can inject failures without booting anything. */
export type QemuRunner = (inv: QemuInvocation, hooks: RunHooks) => Promise<RunOutcome>;

/**
 * The real runner: spawns QEMU with stdin closed (it reads stdin under -nographic) and its stdout
 * on a regular file, which it tails. A pipe or socket is not used on purpose: QEMU's 8250 writes
 * one byte per write(2), a socketpair charges a whole skb per byte against its send buffer, and
 * once that is full QEMU gets EAGAIN and the guest's console (8250 wait_for_xmitr, ~10 ms timeout)
 * overwrites characters: seen here as "Resering" for "Reserving" under load. A file never says EAGAIN.
 */
export const runQemu: QemuRunner = async (inv, hooks) => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bootsim-qemu-'));
  const outFile = path.join(scratch, 'serial.out');
  const fd = openSync(outFile, 'w+');
  // QEMU's own stdout: a raw descriptor on the file, so no pipe or socket sits in between
  // (execa's {file: …} form still gives the child a socket and copies into the file itself).
  const qemuOut = openSync(outFile, 'a');
  let offset = 0;
  const drain = (): void => {
    const buf = Buffer.alloc(65536);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) break;
      offset += n;
      hooks.onData(Buffer.from(buf.subarray(0, n)));
    }
  };
  const poll = setInterval(drain, 25);
  try {
    const outcome = await new Promise<RunOutcome>((resolve, reject) => {
      // QEMU leads its own process group, so that stopping it reaches anything it started, and a
      // signal sent to bootsim's group does not reach QEMU before bootsim has decided what to do.
      const child = spawn(inv.binary, [...inv.args], { stdio: ['ignore', qemuOut, 'pipe'], detached: true });
      let stderr = '';
      let killTimer: NodeJS.Timeout | undefined;
      child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      const killGroup = (sig: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          child.kill(sig); // the group is gone already; the leader may still be reaped
        }
      };
      const onAbort = (): void => {
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), 2000);
      };
      hooks.signal.addEventListener('abort', onAbort, { once: true });
      if (hooks.signal.aborted) onAbort();
      child.on('error', (e: NodeJS.ErrnoException) => {
        hooks.signal.removeEventListener('abort', onAbort);
        reject(e.code === 'ENOENT' ? new CaptureError('CAPTURE_QEMU_MISSING', `${inv.binary} is not installed; run \`apt-get install -y qemu-system-x86\``) : e);
      });
      child.on('close', (code) => {
        clearTimeout(killTimer);
        // Anything QEMU left in its group goes with it.
        if (child.pid !== undefined) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group is empty */ }
        hooks.signal.removeEventListener('abort', onAbort);
        resolve({ exitCode: code ?? undefined, stderr });
      });
    });
    drain();
    return outcome;
  } finally {
    clearInterval(poll);
    closeSync(qemuOut);
    closeSync(fd);
    rmSync(scratch, { recursive: true, force: true });
  }
};

export interface ToolVersions {
  /** Debian package version of qemu-system-x86. */
  readonly qemu: string;
  /** Debian package version of seabios (the bios.bin QEMU loads). */
  readonly seabios: string;
}

/** Reads the installed QEMU and SeaBIOS package versions with dpkg-query. */
export async function toolVersions(): Promise<ToolVersions> {
  const q = async (pkg: string): Promise<string> => {
    const r = await execa('dpkg-query', ['-W', '-f=${Version}', pkg], { reject: false, stdin: 'ignore' });
    return r.exitCode === 0 && r.stdout ? String(r.stdout) : 'not installed';
  };
  return { qemu: await q('qemu-system-x86'), seabios: await q('seabios') };
}

export interface CaptureOptions {
  /** Capture even when the golden is up to date. Default: false. */
  force?: boolean;
  /** Add memblock=debug and write serial-memblock.log / meta-memblock.yaml instead. Default: false. */
  memblockDebug?: boolean;
  /** Where guest RAM comes from (qemu-argv.ts QemuArgvOptions.memoryBackend). Default: 'auto'. */
  memoryBackend?: 'auto' | 'machine' | 'noreserve';
  /** Longest a boot may take, in ms. Default: captureTimeoutMs(spec.cpus), 180000 for up to 8 CPUs. */
  timeoutMs?: number;
  /** After the window is complete, how long QEMU may stay silent before it is stopped (a hang), in ms. Default: 20000. */
  idleAfterWindowMs?: number;
  /**
   * After the window is complete and the kernel has printed "Kernel panic - not syncing", how long QEMU may stay
   * silent before it is stopped, in ms; the log then ends at the panic (meta.yaml `ended: panic`). A kernel whose
   * panic() reboots only for panic_timeout > 0 (2.6.11 kernel/panic.c: panic=-1 loops for ever) is stopped here.
   * Default: 2000.
   */
  idleAfterPanicMs?: number;
  /** Folder that holds goldens/<name>/. Default: the repo's goldens/. */
  goldensDir?: string;
  /** Stops the capture (Ctrl-C); the previous golden stays byte-identical. Default: none. */
  signal?: AbortSignal;
  /** The QEMU runner. Default: runQemu. */
  runner?: QemuRunner;
  /** Installed tool versions, read once per run. Default: read with dpkg-query. */
  versions?: ToolVersions;
  /** The clock, for the capture date. Default: () => new Date(). */
  now?: () => Date;
  /** Boots tried when the serial log comes back damaged (lost bytes). Default: 3. */
  attempts?: number;
  /** Told when a damaged boot is retried. Default: none. */
  onRetry?: (message: string) => void;
  /** Told just before QEMU starts (not for an up-to-date golden). Default: none. */
  onBoot?: (attempt: number) => void;
  /** Whether a boot's serial log lost bytes (then it is booted again). Required: the check needs the catalog, which sits above the capture (harness/capture-damage.ts serialDamage). */
  damage: DamageCheck;
  /** The probe initramfs, for a `probe: state` profile (qemu-scripts/initramfs/image.ts prepareStateImage). Default: none (required for such a profile). */
  stateImage?: PreparedImage;
  /** What is wrong with a probe's state.log, or undefined when it parses (harness/state/parse.ts, above the capture). Default: no check. */
  stateCheck?: (state: Buffer, name: string) => string | undefined;
  /** After the probe's done marker, how long QEMU may take to power off before it is stopped, in ms. Default: 5000. */
  afterDoneMs?: number;
  /**
   * Told each whole serial line as it arrives (progress displays); returning 'stop' once the
   * memory-init window is complete stops QEMU there (`capture --until window`): the log then ends
   * at that chunk's last whole line and meta.yaml says `ended: window`. Default: none.
   */
  onLine?: (line: string) => 'stop' | undefined;
}

/** Why a captured serial log cannot be trusted, or undefined when it is intact. */
export type DamageCheck = (serial: Buffer, name: string, kernel: KernelEntry, cmdline?: string) => string | undefined;

export const defaults = {
  force: false,
  memblockDebug: false,
  idleAfterWindowMs: 20_000,
  idleAfterPanicMs: 2_000,
  attempts: 3,
  afterDoneMs: 5_000,
} as const;

/**
 * The default boot timeout for a vCPU count. Up to 8 vCPUs 180 s (the slowest such golden takes
 * 30 s). Under TCG the vCPUs are threads sharing the host's cores, and catalog lines come after
 * smp_init() has brought every vCPU up: 6.12's and 7.2's late Memory: (init/main.c
 * kernel_init_freeable → page_alloc_init_late) and 5.10's "software IO TLB: mapped"
 * (pci_swiotlb_late_init), so a capture waits for the panic that ends every boot rather than stop
 * once SLUB and Memory: are seen. On this loaded 2-core host a 48-vCPU 686 boot reached its panic
 * after 83 s, and a 64-vCPU 7.2 boot had not printed its late Memory: after 404 s. So each vCPU past
 * 8 adds 10 s: 64 vCPUs get 740 s, 255 get 2650 s.
 */
export function captureTimeoutMs(cpus: number): number {
  return 180_000 + 10_000 * Math.max(0, cpus - 8);
}

export interface CaptureResult {
  readonly status: 'captured' | 'up-to-date';
  readonly name: string;
  readonly dir: string;
  readonly meta: CaptureMeta;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The argv as recorded: the vmlinuz and initrd paths are local to a cache, so they are written as <vmlinuz> and <initrd>. */
function recordedArgv(inv: QemuInvocation, vmlinuz: string, initrd?: string): string[] {
  return [inv.binary, ...inv.args.map((a) => (a === vmlinuz ? '<vmlinuz>' : initrd !== undefined && a === initrd ? '<initrd>' : a))];
}

/** `initramfs`: the sha256 of the probe image booted, for a `probe: state` profile (absent otherwise, so other hashes stay as they were). */
export function inputsHash(spec: MachineSpec, kernel: KernelEntry, versions: ToolVersions, argv: readonly string[], initramfs?: string): string {
  const { file: _file, ...profile } = spec;
  return sha256(JSON.stringify({ profile, kernel: bootedSha256(kernel), versions, argv, ...(initramfs !== undefined ? { initramfs } : {}) }));
}

export interface GoldenFiles {
  readonly serial: string;
  readonly meta: string;
  /** The probe's part of a `probe: state` boot. */
  readonly state: 'state.log' | 'state-memblock.log';
}

function fileNames(memblockDebug: boolean): GoldenFiles {
  return memblockDebug ? { serial: 'serial-memblock.log', meta: 'meta-memblock.yaml', state: 'state-memblock.log' } : { serial: 'serial.log', meta: 'meta.yaml', state: 'state.log' };
}

/**
 * Where a probe's output starts and ends in the serial bytes: from the first begin marker at the
 * start of a line to the end of the done marker's line. Undefined when the done marker never came.
 */
export function probeSpan(serial: Buffer): { start: number; end: number } | undefined {
  const text = serial.toString('latin1');
  const begin = /(?:^|\n)(@@bootsim-state begin )/.exec(text);
  const done = new RegExp(`(?:^|\n)${STATE_MARK.done}\r*(?:\n|$)`).exec(text);
  if (!begin || !done || done.index < begin.index) return undefined;
  const start = begin.index + begin[0].length - begin[1]!.length;
  return { start, end: done.index + done[0].length };
}

/**
 * Reads a meta file, validated against CaptureMetaSchema (./capture-meta.ts); undefined when there
 * is none. Throws CaptureError('CAPTURE_META_INVALID') naming the file, field, expectation and finding.
 */
export function readMeta(file: string): CaptureMeta | undefined {
  if (!existsSync(file)) return undefined;
  const r = parseYamlWithSchema(CaptureMetaSchema, readFileSync(file, 'utf8'), displayPath(file));
  if (r.ok) return r.value;
  throw new CaptureError('CAPTURE_META_INVALID', `${r.problem.message}; meta files are written by \`bootsim capture\` (--force re-captures)`, { pos: r.problem.pos });
}

// The previous capture's provenance for the up-to-date check: an invalid one proves nothing, so the profile is captured again and it is replaced.
function previousMeta(file: string): CaptureMeta | undefined {
  try {
    return readMeta(file);
  } catch (e) {
    if (e instanceof CaptureError && e.code === 'CAPTURE_META_INVALID') return undefined;
    throw e;
  }
}

/**
 * Captures one profile. The serial output is streamed to memory, markers are timed as they
 * arrive, and only a boot whose memory-init window is complete is written, by rename.
 */
export async function captureProfile(spec: MachineSpec, kernel: KernelEntry, vmlinuz: string, options: CaptureOptions): Promise<CaptureResult> {
  const o = { ...defaults, timeoutMs: captureTimeoutMs(spec.cpus), ...options };
  const runner = o.runner ?? runQemu;
  const versions = o.versions ?? (await toolVersions());
  const now = o.now ?? (() => new Date());
  const dir = path.join(o.goldensDir ?? defaultGoldensDir, spec.name);
  const names = fileNames(o.memblockDebug);
  const probe = spec.probe === 'state' ? o.stateImage : undefined;
  if (spec.probe === 'state' && probe === undefined) throw new CaptureError('CAPTURE_PROBE_IMAGE_MISSING', `${spec.name} (${displayPath(spec.file)}): probe: state boots the probe initramfs, and none was given (qemu-scripts/initramfs/image.ts prepareStateImage)`);
  const inv = buildQemuInvocation(spec, kernel.arch, vmlinuz, { memblockDebug: o.memblockDebug, ...(o.memoryBackend ? { memoryBackend: o.memoryBackend } : {}), ...(probe ? { initrd: probe.file } : {}) });
  const argv = recordedArgv(inv, vmlinuz, probe?.file);
  const hash = inputsHash(spec, kernel, versions, argv, probe?.facts.sha256);

  const old = previousMeta(path.join(dir, names.meta));
  if (!o.force && old && old.inputsHash === hash && existsSync(path.join(dir, names.serial))) {
    const serial = readFileSync(path.join(dir, names.serial));
    const stateOk = old.state === undefined || (existsSync(path.join(dir, old.state.file)) && sha256(readFileSync(path.join(dir, old.state.file))) === old.state.sha256);
    if (sha256(serial) === old.serialSha256 && stateOk) return { status: 'up-to-date', name: spec.name, dir, meta: old };
  }

  const slub = seriesTraits(parseKernelVersion(kernel.release)).slubAllocator;
  const where = `${spec.name} (${displayPath(spec.file)})`;
  for (let attempt = 1; ; attempt++) {
    const boot = await bootAndWatch(inv, runner, o, { attempt, slub, probe: probe !== undefined });
    const { raw, seen, stopReason, doneMs } = boot;
    // a probe boot: serial.log is what the kernel printed before the probe's first marker, state.log the probe's blocks to its done marker
    const span = probe ? probeSpan(raw) : undefined;
    const serial = span ? raw.subarray(0, span.start) : raw;
    refuseIncompleteBoot(where, inv, o, boot, slub, serial, probe !== undefined && (span === undefined || doneMs === undefined));
    const state = span ? raw.subarray(span.start, span.end) : undefined;
    const stateProblem = state && o.stateCheck ? o.stateCheck(state, spec.name) : undefined;
    if (stateProblem !== undefined) throw new CaptureError('CAPTURE_STATE_INVALID', `${where}: the probe's state.log does not parse: ${stateProblem}; nothing is written`);
    const damage = o.damage(serial, spec.name, kernel, inv.append);
    if (damage !== undefined) {
      if (attempt < o.attempts) {
        o.onRetry?.(`attempt ${attempt} of ${o.attempts} lost serial bytes (${damage}); booting again`);
        continue;
      }
      throw new CaptureError('CAPTURE_DAMAGED', `${where}: the serial log lost bytes in all ${o.attempts} attempts; last: ${damage}`);
    }
    const ended: CaptureEnded = stopReason === 'until' ? 'window' : stopReason === 'panic' ? 'panic' : stopReason !== undefined ? 'timeout' : seen.panic !== undefined ? 'panic' : 'exit';
    const stateMeta = probe && state && doneMs !== undefined ? { state: { file: names.state, sha256: sha256(state), bytes: state.length, doneMs, initramfs: probe.facts } } : {};
    const meta: CaptureMeta = {
      profile: spec.name,
      capturedAt: now().toISOString(),
      durationMs: boot.durationMs,
      ended,
      markersMs: { ...seen, end: boot.durationMs },
      markersKernelS: { ...boot.kernelTime },
      qemu: { package: 'qemu-system-x86', version: versions.qemu, binary: inv.binary },
      seabios: { package: 'seabios', version: versions.seabios },
      kernel: kernelProvenance(kernel),
      argv,
      cmdline: inv.append,
      memoryBackend: inv.memoryBackend,
      serialSha256: sha256(serial),
      serialBytes: serial.length,
      ...stateMeta,
      inputsHash: hash,
    };
    writeGolden(dir, names, serial, meta, state);
    return { status: 'captured', name: spec.name, dir, meta };
  }
}

type StopReason = 'timeout' | 'idle' | 'panic' | 'aborted' | 'until';

/** What bootAndWatch() reads of the options, defaults applied. */
type WatchOptions = Pick<CaptureOptions, 'signal' | 'onLine' | 'onBoot'> & { readonly timeoutMs: number; readonly idleAfterWindowMs: number; readonly idleAfterPanicMs: number; readonly afterDoneMs: number };

/** One boot as captureProfile() watched it. */
interface WatchedBoot {
  /** The serial bytes (cut at the last whole line when stopped at a line). */
  readonly raw: Buffer;
  /** When each marker's first line arrived, ms from the start, and the kernel's own timestamp of it. */
  readonly seen: Partial<Record<keyof typeof MARKERS, number>>;
  readonly kernelTime: Partial<Record<keyof typeof MARKERS, number>>;
  readonly stopReason: StopReason | undefined;
  /** When the probe's done marker arrived. */
  readonly doneMs: number | undefined;
  readonly outcome: RunOutcome;
  readonly durationMs: number;
}

/**
 * Runs QEMU once, scanning whole serial lines as they arrive for the markers, and stops it on the
 * overall timeout, on silence after the window (or the panic, or the probe's done marker), at a
 * line onLine() stops at, or on the caller's signal.
 */
async function bootAndWatch(inv: QemuInvocation, runner: QemuRunner, o: WatchOptions, b: { readonly attempt: number; readonly slub: boolean; readonly probe: boolean }): Promise<WatchedBoot> {
  const chunks: Buffer[] = [];
  const seen: Partial<Record<keyof typeof MARKERS, number>> = {};
  const kernelTime: Partial<Record<keyof typeof MARKERS, number>> = {};
  const stop = new AbortController();
  let stopReason: StopReason | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let doneMs: number | undefined;
  let tail = '';
  const start = performance.now();
  const elapsed = (): number => Math.round(performance.now() - start);
  const halt = (why: StopReason): void => {
    stopReason ??= why;
    stop.abort();
  };
  const total = setTimeout(() => halt('timeout'), o.timeoutMs);
  const onAbort = (): void => halt('aborted');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) halt('aborted');

  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    // Scan whole lines only; keep the partial last line for the next chunk.
    const text = tail + chunk.toString('latin1');
    const lines = text.split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      if (b.probe && doneMs === undefined && line.replace(/\r+$/, '') === STATE_MARK.done) doneMs = elapsed();
      for (const [k, re] of Object.entries(MARKERS) as [keyof typeof MARKERS, RegExp][]) {
        if (seen[k] === undefined && re.test(line)) {
          seen[k] = elapsed();
          // The kernel's own printk timestamp: host arrival times are coarse, as QEMU flushes serial output in bursts.
          const ts = /^\[\s*(\d+\.\d+)\]/.exec(line.replace(/^[^[]*/, ''));
          if (ts) kernelTime[k] = Number(ts[1]);
        }
      }
      if (o.onLine?.(line) === 'stop' && windowComplete(seen, b.slub)) halt('until');
    }
    if (windowComplete(seen, b.slub)) {
      clearTimeout(idleTimer);
      // after the probe's last marker /init powers off; QEMU is stopped if it has not exited by then;
      // after the panic line a kernel that does not reboot stays silent, and is stopped sooner
      if (doneMs !== undefined) idleTimer = setTimeout(() => halt('idle'), o.afterDoneMs);
      else if (seen.panic !== undefined) idleTimer = setTimeout(() => halt('panic'), o.idleAfterPanicMs);
      else idleTimer = setTimeout(() => halt('idle'), o.idleAfterWindowMs);
    }
  };

  let outcome: RunOutcome;
  try {
    o.onBoot?.(b.attempt);
    outcome = await runner(inv, { onData, signal: stop.signal });
  } finally {
    clearTimeout(total);
    clearTimeout(idleTimer);
    o.signal?.removeEventListener('abort', onAbort);
  }
  const durationMs = elapsed();
  const received = Buffer.concat(chunks);
  // stopped at a line: what came after the last whole line of that chunk is cut
  const raw = stopReason === 'until' ? received.subarray(0, received.lastIndexOf(0x0a) + 1) : received;
  return { raw, seen, kernelTime, stopReason, doneMs, outcome, durationMs };
}

/** The coded error of a boot whose log cannot be a golden: interrupted, panicked early, timed out, QEMU failed or quit early, or a probe without its done marker. */
function refuseIncompleteBoot(where: string, inv: QemuInvocation, o: { readonly timeoutMs: number }, boot: WatchedBoot, slub: boolean, serial: Buffer, probeIncomplete: boolean): void {
  const { seen, stopReason, outcome, durationMs } = boot;
  if (stopReason === 'aborted') throw new CaptureError('CAPTURE_ABORTED', `${where}: capture interrupted after ${durationMs} ms; the previous golden is unchanged`);
  if (seen.panic !== undefined && !windowComplete(seen, slub)) {
    throw new CaptureError('CAPTURE_EARLY_PANIC', `${where}: the kernel panicked at ${seen.panic} ms, before the memory-init window was complete (SLUB ${seen.slub ?? 'not seen'}, Memory: ${seen.memory ?? 'not seen'}); last line: ${lastLine(serial)}`);
  }
  if (!windowComplete(seen, slub)) {
    if (stopReason === 'timeout') throw new CaptureError('CAPTURE_TIMEOUT', `${where}: no complete memory-init window after ${o.timeoutMs} ms (SLUB ${seen.slub ?? 'not seen'}, Memory: ${seen.memory ?? 'not seen'}); last line: ${lastLine(serial)}`);
    if (outcome.exitCode !== 0 && serial.length === 0) throw new CaptureError('CAPTURE_QEMU_FAILED', `${where}: ${inv.binary} exited with ${outcome.exitCode} before the kernel printed anything: ${outcome.stderr.trim()}`);
    throw new CaptureError('CAPTURE_INCOMPLETE', `${where}: QEMU exited (code ${outcome.exitCode}) before the memory-init window was complete (SLUB ${seen.slub ?? 'not seen'}, Memory: ${seen.memory ?? 'not seen'}); last line: ${lastLine(serial)}`);
  }
  // --until window stops before /init runs: that log is a quick check of the early lines, with no state.log
  if (probeIncomplete && stopReason !== 'until') {
    throw new CaptureError('CAPTURE_PROBE_INCOMPLETE', `${where}: the state probe did not print "${STATE_MARK.done}" (QEMU ${stopReason === undefined ? `exited with ${outcome.exitCode}` : `stopped: ${stopReason}`} after ${durationMs} ms); nothing is written; last line: ${lastLine(boot.raw)}`);
  }
}

function lastLine(serial: Buffer): string {
  const lines = serial.toString('latin1').split('\n').map((l) => l.trim()).filter(Boolean);
  return JSON.stringify(lines.at(-1) ?? '');
}

/**
 * Writes both files to temporaries first, then renames them into place back to back.
 * Nothing yields between the renames, so a Ctrl-C handler cannot run in between.
 */
export function writeGolden(dir: string, names: { serial: string; meta: string; state?: string }, serial: Buffer, meta: CaptureMeta, state?: Buffer): void {
  mkdirSync(dir, { recursive: true });
  const tag = `${process.pid}.${Date.now()}.tmp`;
  const tmpSerial = path.join(dir, `${names.serial}.${tag}`);
  const tmpMeta = path.join(dir, `${names.meta}.${tag}`);
  const stateName = state !== undefined ? names.state : undefined;
  if (state !== undefined && stateName === undefined) throw new Error('writeGolden: a state log needs its file name');
  const tmpState = stateName !== undefined ? path.join(dir, `${stateName}.${tag}`) : undefined;
  try {
    writeFileSync(tmpSerial, serial);
    if (tmpState !== undefined && state !== undefined) writeFileSync(tmpState, state);
    writeFileSync(tmpMeta, `# Provenance of ${names.serial}${stateName !== undefined ? ` and ${stateName}` : ''}; written by \`bootsim capture\`, never by hand.\n${stringify(meta, { lineWidth: 0 })}`);
    renameSync(tmpSerial, path.join(dir, names.serial));
    if (tmpState !== undefined && stateName !== undefined) renameSync(tmpState, path.join(dir, stateName));
    renameSync(tmpMeta, path.join(dir, names.meta));
  } finally {
    rmSync(tmpSerial, { force: true });
    if (tmpState !== undefined) rmSync(tmpState, { force: true });
    rmSync(tmpMeta, { force: true });
  }
}
