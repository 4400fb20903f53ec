// Re-captures a profile N times and records, per boot, the values of its volatile fields
// (harness/catalog/volatile.ts) into goldens/evidence/volatile/<profile>/boots.yaml, with the
// profile booted copied beside it. Each boot is a full capture (qemu-scripts/capture.ts) into a scratch
// folder: the same argv, the same serial-integrity checks and retries as a golden. The file is
// rewritten after every boot (temporary, then rename), so an interrupted run keeps what it saw.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { displayPath } from '../sim/base/paths.ts';
import { writeFileAtomic } from '../sim/base/files.ts';
import { extractCatalogLines, kernelKeyOfId } from './catalog/index.ts';
import { BOOTS_FILE, EvidenceError, evidenceDir, parseEvidence, PROFILE_FILE, sha256Of, type EvidenceBoot, type EvidenceFile } from './catalog/evidence.ts';
import { coversVersion, volatileFields, volatilePath } from './catalog/volatile.ts';
import { normaliseLog } from './normalise.ts';
import type { MachineSpec } from '../sim/types.ts';
import type { KernelEntry } from '../sim/kernel-facts.ts';
import { captureProfile, CaptureError, type CaptureOptions } from '../qemu-scripts/capture.ts';
import { serialDamage } from './capture-damage.ts';

export interface EvidenceOptions extends Pick<CaptureOptions, 'signal' | 'runner' | 'versions' | 'now' | 'timeoutMs' | 'onRetry'> {
  /** Boots to add. Default: 3. */
  boots?: number;
  /** Folder that holds <profile>/boots.yaml. Default: goldens/evidence/volatile/. */
  dir?: string;
  /** Told after each boot with what it recorded. Default: none. */
  onBoot?: (i: number, boot: EvidenceBoot) => void;
  /** Told just before each boot starts. Default: none. */
  onStart?: (i: number) => void;
}

export const defaults = { boots: 3 } as const;

export interface EvidenceResult {
  /** The evidence file. */
  readonly file: string;
  /** Every boot in it, the new ones last. */
  readonly boots: readonly EvidenceBoot[];
  readonly added: number;
}

/** The volatile values of one captured log: `{ 'mem.summary.available': 464448 }`. */
export function volatileValues(serial: Uint8Array, name: string, kernelId: string): Record<string, number> {
  const key = kernelKeyOfId(kernelId);
  const decls = volatileFields.filter((d) => coversVersion(d, key.version));
  const lines = extractCatalogLines(normaliseLog(serial, name), key);
  const out: Record<string, number> = {};
  for (const d of decls) {
    const p = volatilePath(d);
    const hits = lines.filter((l) => l.family === d.family).flatMap((l) => l.fields.filter((f) => f.name === d.field));
    if (hits.length !== 1) throw new CaptureError('CAPTURE_INCOMPLETE', `${name}: expected one ${p} in the boot, got ${hits.length}`);
    const v = hits[0]!.value;
    if (typeof v !== 'number') throw new CaptureError('CAPTURE_INCOMPLETE', `${name}: ${p}: expected a number, got ${JSON.stringify(String(v))}`);
    out[p] = v;
  }
  return out;
}


function render(ev: EvidenceFile): string {
  return `# Volatile-field evidence for ${ev.profile}: one entry per boot of ${PROFILE_FILE} beside this file.\n# Written by \`npx bootsim evidence\`, never by hand; read by harness/catalog/evidence.ts.\n${stringify(ev, { lineWidth: 0 })}`;
}

/**
 * Boots `spec` `boots` times and appends each boot's volatile values to its evidence file.
 * Evidence already there must be of the same profile bytes; else EVIDENCE_PROFILE_MISMATCH.
 */
export async function recordEvidence(spec: MachineSpec, kernel: KernelEntry, vmlinuz: string, options: EvidenceOptions = {}): Promise<EvidenceResult> {
  const boots = options.boots ?? defaults.boots;
  const dir = path.join(options.dir ?? evidenceDir, spec.name);
  const file = path.join(dir, BOOTS_FILE);
  const profileBytes = readFileSync(spec.file);
  const profileSha256 = sha256Of(profileBytes);
  const kept = path.join(dir, PROFILE_FILE);
  let ev: EvidenceFile = { version: 1, profile: spec.name, kernel: spec.kernel, boots: [] };
  if (existsSync(file)) {
    ev = parseEvidence(readFileSync(file, 'utf8'), displayPath(file));
    const other = ev.boots.find((b) => b.profileSha256 !== profileSha256);
    if (ev.profile !== spec.name || ev.kernel !== spec.kernel || other) {
      throw new EvidenceError('EVIDENCE_PROFILE_MISMATCH', `expected evidence of ${displayPath(spec.file)} (sha256 ${profileSha256}), got boots of another profile (${ev.profile}, ${ev.kernel}${other ? `, sha256 ${other.profileSha256}` : ''}); record it under another name`, { pos: { file: displayPath(file) } });
    }
  } else if (existsSync(kept) && sha256Of(readFileSync(kept)) !== profileSha256) {
    throw new EvidenceError('EVIDENCE_PROFILE_MISMATCH', `expected ${displayPath(kept)} to be ${displayPath(spec.file)} byte for byte, got another file`, { pos: { file: displayPath(kept) } });
  }
  mkdirSync(dir, { recursive: true });
  if (path.resolve(spec.file) !== path.resolve(kept)) copyFileSync(spec.file, kept);

  const scratch = mkdtempSync(path.join(tmpdir(), 'bootsim-evidence-'));
  try {
    for (let i = 0; i < boots; i++) {
      options.onStart?.(i);
      const r = await captureProfile(spec, kernel, vmlinuz, {
        force: true,
        goldensDir: scratch,
        damage: serialDamage,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.runner ? { runner: options.runner } : {}),
        ...(options.versions ? { versions: options.versions } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      });
      const serial = readFileSync(path.join(r.dir, 'serial.log'));
      const boot: EvidenceBoot = {
        date: r.meta.capturedAt,
        qemu: r.meta.qemu.version,
        seabios: r.meta.seabios.version,
        kernelPackage: r.meta.kernel.package ?? `local build ${r.meta.kernel.source?.repository}@${r.meta.kernel.source?.commit}`,
        kernelVersion: r.meta.kernel.version,
        kernelSha256: r.meta.kernel.sha256,
        profileSha256,
        serialSha256: r.meta.serialSha256,
        durationMs: r.meta.durationMs,
        values: volatileValues(serial, spec.name, spec.kernel),
      };
      ev = { ...ev, boots: [...ev.boots, boot] };
      writeFileAtomic(file, render(ev));
      options.onBoot?.(i, boot);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { file, boots: ev.boots, added: boots };
}
