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

export type InitramfsCode = 'INITRAMFS_PIN_INVALID' | 'INITRAMFS_HASH_MISMATCH' | 'INITRAMFS_FACTS_INVALID' | 'INITRAMFS_FACTS_STALE';

export class InitramfsError extends BootsimError<InitramfsCode> {}

/** Where the initramfs pins and facts live. */
export const initramfsDir = (root: string = goldensDir): string => path.join(root, 'initramfs');

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'a non-empty string'));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex'));

/** goldens/initramfs/state-<arch>.yaml: what the simulator needs of the image, and what identifies it. */
export const InitramfsFactsSchema = v.pipe(v.strictObject({
  arch: v.picklist(['x86_64', 'i386'], 'x86_64 or i386'),
  /** The image's size in bytes: QEMU's loader places the initrd by it (hw/i386/x86.c x86_load_linux). */
  bytes: v.pipe(v.number('a byte count'), v.integer('a byte count'), v.minValue(1, 'a byte count above 0')),
  sha256,
  busybox: v.pipe(v.strictObject({ package: nonEmpty, version: nonEmpty, sha256, binary: sha256 }), v.readonly()),
}), v.readonly());

export type InitramfsFacts = v.InferOutput<typeof InitramfsFactsSchema>;

export const factsFile = (arch: Arch, root: string = goldensDir): string => path.join(initramfsDir(root), `state-${arch}.yaml`);

/** The committed facts for `arch`; throws INITRAMFS_FACTS_INVALID naming the file and field. */
export function readInitramfsFacts(arch: Arch, root: string = goldensDir): InitramfsFacts {
  const file = factsFile(arch, root);
  if (!existsSync(file)) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${displayPath(file)}: expected the initramfs facts, got no file; run \`npx bootsim initramfs build\``);
  const r = parseYamlWithSchema(InitramfsFactsSchema, readFileSync(file, 'utf8'), displayPath(file));
  if (!r.ok) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${r.problem.message}; the file is written by \`npx bootsim initramfs build\``, { pos: r.problem.pos });
  if (r.value.arch !== arch) throw new InitramfsError('INITRAMFS_FACTS_INVALID', `${displayPath(file)}: arch: expected ${arch}, got ${r.value.arch}`);
  return r.value;
}
