// The re-capture evidence behind the volatile fields (./volatile.ts): per profile,
// goldens/evidence/volatile/<profile>/profile.yaml and boots.yaml, one entry per boot with
// the values of its volatile fields. Written only by `bootsim evidence`
// (harness/evidence-run.ts); read here and validated with a valibot schema, so that a bound
// is only ever computed from files that say what was booted, when, and with what.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { BootsimError } from '../../sim/base/errors.ts';
import { parseYamlWithSchema } from '../../sim/base/yaml-schema.ts';
import { displayPath, goldensDir } from '../../sim/base/paths.ts';
import { loadProfile } from '../profile/load.ts';
import { kernelKeyOfId } from './versions.ts';
import { coversVersion, volatileFields, volatilePath } from './volatile.ts';

export type EvidenceCode = 'EVIDENCE_INVALID' | 'EVIDENCE_PROFILE_MISMATCH' | 'EVIDENCE_UNKNOWN_FIELD';

export class EvidenceError extends BootsimError<EvidenceCode> {
  override readonly name = 'EvidenceError';
}

/** goldens/evidence/volatile/: one folder per profile. */
export const evidenceDir = path.join(goldensDir, 'evidence', 'volatile');

/** The evidence file beside a profile. */
export const BOOTS_FILE = 'boots.yaml';
export const PROFILE_FILE = 'profile.yaml';

const sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex'));
const nonEmpty = v.pipe(v.string(), v.minLength(1, 'a non-empty string'));

/** One boot: when, with what, and the value of each volatile field, by path (`mem.summary.available`). */
export const BootSchema = v.strictObject({
  date: v.pipe(v.string(), v.isoTimestamp('an ISO 8601 timestamp')),
  qemu: nonEmpty,
  seabios: nonEmpty,
  kernelPackage: nonEmpty,
  kernelVersion: nonEmpty,
  kernelSha256: sha256Hex,
  /** sha256 of profile.yaml as booted: evidence for another profile is refused. */
  profileSha256: sha256Hex,
  serialSha256: sha256Hex,
  durationMs: v.pipe(v.number(), v.integer('a whole number of ms'), v.minValue(0, 'a whole number of ms ≥ 0')),
  values: v.pipe(v.record(v.string(), v.pipe(v.number(), v.integer('an integer'))), v.check((r) => Object.keys(r).length > 0, 'at least one value')),
});

export const EvidenceFileSchema = v.strictObject({
  version: v.literal(1),
  profile: nonEmpty,
  kernel: nonEmpty,
  boots: v.array(BootSchema),
});

export type EvidenceBoot = v.InferOutput<typeof BootSchema>;
export type EvidenceFile = v.InferOutput<typeof EvidenceFileSchema>;

/** One profile's evidence, validated against the profile beside it. */
export interface ProfileEvidence {
  readonly profile: string;
  readonly kernel: string;
  /** The kernel series, e.g. '6.12'. */
  readonly version: string;
  readonly file: string;
  readonly boots: readonly EvidenceBoot[];
}

export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses and validates an evidence file's text (sim/base/yaml-schema.ts); `file` is only for messages. */
export function parseEvidence(src: string, file: string): EvidenceFile {
  const r = parseYamlWithSchema(EvidenceFileSchema, src, file);
  if (r.ok) return r.value;
  throw new EvidenceError('EVIDENCE_INVALID', r.problem.message, { pos: r.problem.pos });
}

/**
 * Reads one profile's folder: boots.yaml, checked against profile.yaml beside it (same name, same
 * kernel, the same bytes every boot was made from) and against the volatile declarations (every
 * value is of a declared field of that kernel).
 */
export function readProfileEvidence(dir: string): ProfileEvidence {
  const bootsFile = path.join(dir, BOOTS_FILE);
  const profileFile = path.join(dir, PROFILE_FILE);
  const shown = displayPath(bootsFile);
  const ev = parseEvidence(readFileSync(bootsFile, 'utf8'), shown);
  if (!existsSync(profileFile)) throw new EvidenceError('EVIDENCE_PROFILE_MISMATCH', `expected the profile the boots were made from at ${displayPath(profileFile)}, got no file`, { pos: { file: shown } });
  const spec = loadProfile(profileFile);
  const pos = { file: shown };
  if (spec.name !== ev.profile) throw new EvidenceError('EVIDENCE_PROFILE_MISMATCH', `profile: expected "${spec.name}" (${displayPath(profileFile)}), got "${ev.profile}"`, { pos });
  if (spec.kernel !== ev.kernel) throw new EvidenceError('EVIDENCE_PROFILE_MISMATCH', `kernel: expected "${spec.kernel}" (${displayPath(profileFile)}), got "${ev.kernel}"`, { pos });
  const profileSha = sha256Of(readFileSync(profileFile));
  const version = kernelKeyOfId(ev.kernel).version;
  const declared = new Set(volatileFields.filter((d) => coversVersion(d, version)).map(volatilePath));
  ev.boots.forEach((b, i) => {
    if (b.profileSha256 !== profileSha) throw new EvidenceError('EVIDENCE_PROFILE_MISMATCH', `boots.${i}.profileSha256: expected ${profileSha} (the sha256 of ${displayPath(profileFile)}), got ${b.profileSha256}: the profile changed after this boot`, { pos });
    for (const k of Object.keys(b.values)) {
      if (!declared.has(k)) throw new EvidenceError('EVIDENCE_UNKNOWN_FIELD', `boots.${i}.values.${k}: expected a volatile field of ${ev.kernel} (${[...declared].join(', ') || 'none'}), got "${k}"`, { pos });
    }
  });
  return { profile: ev.profile, kernel: ev.kernel, version, file: shown, boots: ev.boots };
}

/** Every profile's evidence under `dir`, sorted by profile; a missing folder is no evidence. */
export function readVolatileEvidence(dir: string = evidenceDir): ProfileEvidence[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, BOOTS_FILE)))
    .map((d) => d.name)
    .sort()
    .map((name) => readProfileEvidence(path.join(dir, name)));
}
