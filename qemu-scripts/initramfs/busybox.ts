// The pinned busybox-static the state probe runs (goldens/initramfs/busybox-static.yaml): fetched
// like the kernels (qemu-scripts/kernel/fetch.ts fetchPackage: apt-get download through a private
// apt configuration into the content-addressed cache, the .deb's sha256 verified), then the binary
// is read out of the .deb in TypeScript (./deb.ts) and its own sha256 checked against the pin.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { displayPath, goldensDir } from '../../sim/base/paths.ts';
import { parseYamlWithSchema } from '../../sim/base/yaml-schema.ts';
import type { Arch } from '../../sim/types.ts';
import { fetchPackage, type FetchOptions } from '../kernel/fetch.ts';
import { debFile } from './deb.ts';

import { InitramfsError, initramfsDir } from './facts.ts';

export { InitramfsError, initramfsDir, type InitramfsCode } from './facts.ts';
export const BUSYBOX_PIN_FILE = 'busybox-static.yaml';

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'a non-empty string'));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex'));

const BuildSchema = v.pipe(v.strictObject({
  /** The .deb's sha256 (what the mirror's Packages index lists). */
  sha256,
  /** The busybox binary inside it. */
  binary: v.pipe(v.strictObject({ path: nonEmpty, sha256 }), v.readonly()),
}), v.readonly());

export const BusyboxPinSchema = v.pipe(v.strictObject({
  package: nonEmpty,
  version: nonEmpty,
  suite: nonEmpty,
  /** One build per architecture the probe boots (Debian amd64 for x86_64, i386 for i386). */
  builds: v.pipe(v.strictObject({ x86_64: BuildSchema, i386: BuildSchema }), v.readonly()),
}), v.readonly());

export type BusyboxPin = v.InferOutput<typeof BusyboxPinSchema>;

/** Reads and validates goldens/initramfs/busybox-static.yaml. */
export function loadBusyboxPin(root: string = goldensDir): BusyboxPin {
  const file = path.join(initramfsDir(root), BUSYBOX_PIN_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InitramfsError('INITRAMFS_PIN_INVALID', `${displayPath(file)}: expected the busybox-static pin, got no readable file`, { cause });
  }
  const r = parseYamlWithSchema(BusyboxPinSchema, text, displayPath(file));
  if (!r.ok) throw new InitramfsError('INITRAMFS_PIN_INVALID', r.problem.message, { pos: r.problem.pos });
  return r.value;
}

export interface Busybox {
  readonly arch: Arch;
  readonly package: string;
  readonly version: string;
  /** The .deb's sha256. */
  readonly debSha256: string;
  readonly binary: Buffer;
  readonly binarySha256: string;
}

/** Fetches (or finds in the cache) the pinned busybox-static for `arch` and returns its verified binary. */
export async function fetchBusybox(pin: BusyboxPin, arch: Arch, options: FetchOptions = {}): Promise<Busybox> {
  const build = pin.builds[arch];
  const deb = await fetchPackage({ package: pin.package, version: pin.version, suite: pin.suite, sha256: build.sha256 }, arch, options);
  const what = `${pin.package} ${pin.version} (${arch})`;
  const f = await debFile(readFileSync(deb), build.binary.path, what);
  const got = createHash('sha256').update(f.data).digest('hex');
  if (got !== build.binary.sha256) {
    throw new InitramfsError('INITRAMFS_HASH_MISMATCH', `${what}: ${build.binary.path} has sha256 ${got}, the pin (goldens/initramfs/${BUSYBOX_PIN_FILE} builds.${arch}.binary.sha256) says ${build.binary.sha256}; it is not used`);
  }
  return { arch, package: pin.package, version: pin.version, debSha256: build.sha256, binary: f.data, binarySha256: got };
}
