// Kernel version keys for the catalog. A key is the upstream series of a pinned
// build ('5.10', '6.1', '6.12', '7.2'), taken from the kernel catalog id prefix
// (goldens/kernels/<id>.yaml, e.g. "6.1-686-pae"), never from a profile name.
// The series list is sim/traits.ts KERNEL_SERIES; what differs between series is a trait there
// (seriesTraits), never a version comparison here.
import type { Arch } from '../../sim/types.ts';
import { KERNEL_SERIES, parseKernelVersion, seriesKeyOfVersion, type SeriesKey } from '../../sim/traits.ts';

export type VersionKey = SeriesKey;

/** Every series the catalog knows, oldest first: sim/traits.ts KERNEL_SERIES. */
export const versionKeys: readonly VersionKey[] = KERNEL_SERIES;

/** The kernel a log came from, as far as the catalog cares. */
export interface KernelKey {
  /** Series, e.g. '6.1'. A full release such as '6.1.0-56' is cut to its series. */
  readonly version: string;
  readonly arch: Arch;
}

/** Misuse of a version string: this is a programming error, so it throws. */
export class VersionKeyError extends Error {}

// Classifying a log asks for the key of the same version once per line and family (about half a
// conformance run's time went to re-parsing it): keys are kept per version string.
const keyCache = new Map<string, VersionKey>();

/** The series key of a version string ("6.12.115+deb12" → '6.12', "2.6.34" → '2.6.34'); throws for a series the catalog has never seen. */
export function versionKeyOf(version: string): VersionKey {
  const hit = keyCache.get(version);
  if (hit !== undefined) return hit;
  const key = seriesKeyOf(version);
  keyCache.set(version, key);
  return key;
}

function seriesKeyOf(version: string): VersionKey {
  let key: VersionKey;
  try {
    key = seriesKeyOfVersion(parseKernelVersion(version));
  } catch {
    throw new VersionKeyError(`expected a kernel version like "6.1" or "2.6.34", got ${JSON.stringify(version)}`);
  }
  if (!versionKeys.includes(key)) {
    throw new VersionKeyError(`kernel series "${key}" is not in the catalog (known: ${versionKeys.join(', ')})`);
  }
  return key;
}

/**
 * The catalog key of a kernel catalog id: "6.1-amd64" → { version: '6.1', arch: 'x86_64' },
 * "5.10-686-pae" → { version: '5.10', arch: 'i386' }, "3.0.1-i386" → { version: '3.0', arch: 'i386' },
 * "2.6.34-i386" → { version: '2.6.34', arch: 'i386' }, "3.0.1-i386-elf" → { version: '3.0', arch: 'i386' }.
 */
export function kernelKeyOfId(id: string): KernelKey {
  // Debian pins "<series>-<flavour>"; local builds "<version>-<arch>" or "<version>-<arch>-<variant>",
  // e.g. "3.0.1-i386", "3.0.1-i386-elf" (bootsim kernel add)
  const m = /^(\d+\.\d+(?:\.\d+)?)-(amd64|686|686-pae|i386|x86_64)$/.exec(id) ?? /^(\d+\.\d+\.\d+)-(i386|x86_64)-[a-z0-9]+$/.exec(id);
  if (!m) throw new VersionKeyError(`expected a kernel catalog id like "6.1-amd64", "6.1-686-pae" or "3.0.1-i386", got ${JSON.stringify(id)}`);
  return { version: versionKeyOf(m[1]!), arch: m[2] === 'amd64' || m[2] === 'x86_64' ? 'x86_64' : 'i386' };
}
