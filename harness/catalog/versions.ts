// Kernel version keys for the catalog. A key is the upstream series of a pinned
// build ('5.10', '6.1', '6.12', '7.2'), taken from the kernel catalog id prefix
// (goldens/kernels/<id>.yaml, e.g. "6.1-686-pae"), never from a profile name.
import type { Arch } from '../../sim/types.ts';

export type VersionKey = '5.10' | '6.1' | '6.12' | '7.2';

/** Every series the catalog knows, oldest first. */
export const versionKeys: readonly VersionKey[] = ['5.10', '6.1', '6.12', '7.2'];

/** The kernel a log came from, as far as the catalog cares. */
export interface KernelKey {
  /** Series, e.g. '6.1'. A full release such as '6.1.0-56' is cut to its series. */
  readonly version: string;
  readonly arch: Arch;
}

/** Misuse of a version string: this is a programming error, so it throws. */
export class VersionKeyError extends Error {}

/** Parses "6.12" (or "6.12.115+deb12") into comparable numbers. */
export function versionParts(version: string): readonly [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw new VersionKeyError(`expected a kernel version like "6.1", got ${JSON.stringify(version)}`);
  return [Number(m[1]), Number(m[2])];
}

export function compareVersions(a: string, b: string): number {
  const [a1, a2] = versionParts(a);
  const [b1, b2] = versionParts(b);
  return a1 !== b1 ? a1 - b1 : a2 - b2;
}

/** The series key of a version string; throws for a series the catalog has never seen. */
export function versionKeyOf(version: string): VersionKey {
  const [major, minor] = versionParts(version);
  const key = `${major}.${minor}`;
  if (!(versionKeys as readonly string[]).includes(key)) {
    throw new VersionKeyError(`kernel series "${key}" is not in the catalog (known: ${versionKeys.join(', ')})`);
  }
  return key as VersionKey;
}

/** Versions from `from` on, inclusive: `since('6.12')` → ['6.12', '7.2']. */
export function since(from: VersionKey): readonly VersionKey[] {
  return versionKeys.filter((v) => compareVersions(v, from) >= 0);
}

/** Versions up to `to`, inclusive. */
export function until(to: VersionKey): readonly VersionKey[] {
  return versionKeys.filter((v) => compareVersions(v, to) <= 0);
}

/**
 * The catalog key of a kernel catalog id: "6.1-amd64" → { version: '6.1', arch: 'x86_64' },
 * "5.10-686-pae" → { version: '5.10', arch: 'i386' }.
 */
export function kernelKeyOfId(id: string): KernelKey {
  const m = /^(\d+\.\d+)-(amd64|686|686-pae)$/.exec(id);
  if (!m) throw new VersionKeyError(`expected a kernel catalog id like "6.1-amd64" or "6.1-686-pae", got ${JSON.stringify(id)}`);
  return { version: versionKeyOf(m[1]!), arch: m[2] === 'amd64' ? 'x86_64' : 'i386' };
}
