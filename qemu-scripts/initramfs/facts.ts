// The committed facts of the state probe's initramfs (goldens/initramfs/state-<arch>.yaml): what the
// simulator needs of the image (its size: QEMU places the initrd by it) and what identifies it. A
// module of its own, apart from ./image.ts and ./busybox.ts, because the simulator reads these facts
// on every start (harness/simulate.ts) and must not load the fetch and child-process code that
// building the image needs (execa alone was most of `bootsim sim`'s start-up).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { BootsimError } from '../../sim/base/errors.ts';
import { displayPath, goldensDir } from '../../sim/base/paths.ts';
import { parseYamlWithSchema } from '../../sim/base/yaml-schema.ts';
import type { Arch } from '../../sim/types.ts';

export type InitramfsCode = 'INITRAMFS_PIN_INVALID' | 'INITRAMFS_HASH_MISMATCH' | 'INITRAMFS_FACTS_INVALID' | 'INITRAMFS_FACTS_STALE' | 'INITRAMFS_NO_IMAGE';

export class InitramfsError extends BootsimError<InitramfsCode> {}

/** Where the initramfs pins and facts live. */
export const initramfsDir = (root: string = goldensDir): string => path.join(root, 'initramfs');

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'a non-empty string'));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex'));

/**
 * The probe images: the busybox one of each arch (./image.ts), and 'i386-mini', the assembled /init
 * of the kernels that busybox's glibc refuses (./mini-init.ts). Each has its facts file, state-<id>.yaml.
 */
export type StateImageId = Arch | 'i386-mini';
export const STATE_IMAGE_IDS: readonly StateImageId[] = ['x86_64', 'i386', 'i386-mini'];
export const imageArch = (id: StateImageId): Arch => (id === 'i386-mini' ? 'i386' : id);

/**
 * The image a kernel's probe boots: its arch's busybox image, or the mini one where the kernel's
 * traits say busybox cannot run there (sim/traits.ts state.probeImage). The mini /init is i386 code:
 * an x86_64 kernel that needs it has none (INITRAMFS_NO_IMAGE).
 */
export function stateImageFor(arch: Arch, probeImage: 'busybox' | 'mini'): StateImageId {
  if (probeImage === 'busybox') return arch;
  if (arch === 'i386') return 'i386-mini';
  throw new InitramfsError('INITRAMFS_NO_IMAGE', `probe image: expected a busybox-capable kernel or an i386 one, got ${arch} with a kernel older than busybox's glibc accepts (qemu-scripts/initramfs/mini-init.ts is i386 code)`);
}

const count = (what: string) => v.pipe(v.number(what), v.integer(what), v.minValue(1, `${what} above 0`));

/** goldens/initramfs/state-<arch>.yaml: what the simulator needs of the busybox image, and what identifies it. */
const BusyboxImageFacts = v.strictObject({
  arch: v.picklist(['x86_64', 'i386'], 'x86_64 or i386'),
  /** The image's size in bytes: QEMU's loader places the initrd by it (hw/i386/x86.c x86_load_linux). */
  bytes: count('a byte count'),
  sha256,
  busybox: v.pipe(v.strictObject({ package: nonEmpty, version: nonEmpty, sha256, binary: sha256 }), v.readonly()),
});

/** goldens/initramfs/state-i386-mini.yaml: the same for the mini image, whose /init is built from source here. */
const MiniImageFacts = v.strictObject({
  arch: v.literal('i386', 'i386'),
  bytes: count('a byte count'),
  sha256,
  /** The /init executable: the file that assembles it, its size and sha256. */
  init: v.pipe(v.strictObject({ program: nonEmpty, bytes: count('a byte count'), sha256 }), v.readonly()),
});

export const InitramfsFactsSchema = v.pipe(v.union([BusyboxImageFacts, MiniImageFacts], 'the facts of a busybox image (arch, bytes, sha256, busybox) or of the mini one (arch, bytes, sha256, init)'), v.readonly());

export type InitramfsFacts = v.InferOutput<typeof InitramfsFactsSchema>;

export const factsFile = (id: StateImageId, root: string = goldensDir): string => path.join(initramfsDir(root), `state-${id}.yaml`);

/** The committed facts of image `id`; throws INITRAMFS_FACTS_INVALID naming the file and field. */
export function readInitramfsFacts(id: StateImageId, root: string = goldensDir): InitramfsFacts {
  const file = factsFile(id, root);
  const arch = imageArch(id);
  if (!existsSync(file)) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${displayPath(file)}: expected the initramfs facts, got no file; run \`npx bootsim initramfs build\``);
  const r = parseYamlWithSchema(InitramfsFactsSchema, readFileSync(file, 'utf8'), displayPath(file));
  if (!r.ok) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${r.problem.message}; the file is written by \`npx bootsim initramfs build\``, { pos: r.problem.pos });
  if (r.value.arch !== arch) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${displayPath(file)}: arch: expected ${arch}, got ${r.value.arch}`);
  const mini = 'init' in r.value;
  if (mini !== (id === 'i386-mini')) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${displayPath(file)}: expected the facts of ${id === 'i386-mini' ? 'the mini image (init:)' : 'a busybox image (busybox:)'}, got ${mini ? 'init:' : 'busybox:'}`);
  return r.value;
}
