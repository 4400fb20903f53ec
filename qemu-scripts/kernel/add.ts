// `bootsim kernel add <id>`: registers a local build in the catalog. The files are checked,
// hashed and copied to goldens/kernels/images/<id>/ (where a fresh clone finds them), the facts
// are extracted from them as for the packages (facts-local.ts), and goldens/kernels/<id>.yaml is
// written whole or not at all, after everything else has succeeded.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Document } from 'yaml';
import { BootsimError } from '../../sim/base/errors.ts';
import { displayPath, kernelsDir } from '../../sim/base/paths.ts';
import { writeFileAtomic } from '../../sim/base/files.ts';
import { KERNEL_ID, LocalSourceSchema, type KernelFacts, type LocalKernelEntry, type PartialKernelFacts } from '../../sim/kernel-facts.ts';
import * as v from 'valibot';
import { sha256File } from './fetch.ts';
import { extractLocalFacts, legacyHeader, payloadOfAny } from './facts-local.ts';
import { parseKconfig } from './kconfig.ts';
import { writeFacts } from './facts.ts';
import { xz } from '@napi-rs/lzma';

export type KernelAddCode =
  /** The id is not a catalog id (lower-case letters, digits, '.', '_', '-'). */
  | 'ADD_BAD_ID'
  /** goldens/kernels/<id>.yaml or its image folder exists already. */
  | 'ADD_EXISTS'
  /** A named file does not exist or is not a regular file. */
  | 'ADD_FILE_MISSING'
  /** --source-repo or --source-commit is not a repository or a 40-hex commit. */
  | 'ADD_BAD_SOURCE'
  /** The image carries no single "Linux version <release> (" banner. */
  | 'ADD_NO_RELEASE';

export class KernelAddError extends BootsimError<KernelAddCode> {}

export interface KernelAddOptions {
  readonly id: string;
  readonly bzImage: string;
  readonly config: string;
  /** The ELF the bzImage was made from; `.xz` is kept compressed. Default: none. */
  readonly vmlinux?: string;
  /** The build's System.map, for an image without a vmlinux. Default: none. */
  readonly systemMap?: string;
  readonly sourceRepo: string;
  readonly sourceCommit: string;
  /** The kernel tree's folder inside the repository. Default: its root. */
  readonly sourceTree?: string;
  readonly recipe: string;
  /** The catalog folder. Default: goldens/kernels. */
  readonly dir?: string;
}

export interface KernelAdded {
  readonly file: string;
  readonly imageDir: string;
  readonly facts: KernelFacts | PartialKernelFacts;
}

/** The `uname -r` in the image's banner (init/version.c linux_banner "Linux version " UTS_RELEASE " ("). */
export async function releaseOf(bzImage: Uint8Array, vmlinux: Uint8Array | undefined, file: string): Promise<string> {
  const header = legacyHeader(bzImage, file);
  const bytes = vmlinux ?? (await payloadOfAny(bzImage, header.protocolNumber, header.setupSects, file)).bytes;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const found = new Set([...text.matchAll(/Linux version (\S+) \([^\n\0]*\) #\d+[^\n\0]*\n/g)].map((m) => m[1]!));
  if (found.size !== 1) throw new KernelAddError('ADD_NO_RELEASE', `${file}: expected one "Linux version <release> (…) #N …" banner, got ${found.size === 0 ? 'none' : [...found].join(', ')}`);
  return found.values().next().value!;
}

/** Registers a local build; see the head of this file. Refuses, with a code, before it writes anything. */
export async function addLocalKernel(o: KernelAddOptions): Promise<KernelAdded> {
  const dir = o.dir ?? kernelsDir;
  if (!KERNEL_ID.test(o.id)) throw new KernelAddError('ADD_BAD_ID', `kernel id: expected lower-case letters, digits, ".", "_" and "-" (e.g. 3.0.1-i386), got ${JSON.stringify(o.id)}`);
  const file = path.join(dir, `${o.id}.yaml`);
  const imageDir = path.join(dir, 'images', o.id);
  for (const p of [file, imageDir]) if (existsSync(p)) throw new KernelAddError('ADD_EXISTS', `${displayPath(p)} exists already; kernel "${o.id}" is registered (remove it first to register another build under that id)`);
  const source = v.safeParse(LocalSourceSchema, { repository: o.sourceRepo, commit: o.sourceCommit, ...(o.sourceTree !== undefined ? { tree: o.sourceTree } : {}) });
  if (!source.success) {
    const issue = source.issues[0];
    throw new KernelAddError('ADD_BAD_SOURCE', `--source-${issue.path?.[0]?.key === 'commit' ? 'commit' : issue.path?.[0]?.key === 'tree' ? 'tree' : 'repo'}: expected ${issue.message}, got ${JSON.stringify(issue.input)}`);
  }
  const inputs = [['bzImage', '--bzimage', o.bzImage], ['config', '--config', o.config], ['recipe', '--recipe', o.recipe], ...(o.vmlinux !== undefined ? [['vmlinux', '--vmlinux', o.vmlinux] as const] : []), ...(o.systemMap !== undefined ? [['systemMap', '--system-map', o.systemMap] as const] : [])] as const;
  for (const [, flag, p] of inputs) {
    if (!existsSync(p) || !statSync(p).isFile()) throw new KernelAddError('ADD_FILE_MISSING', `${flag}: expected a file, got ${JSON.stringify(p)}, which ${existsSync(p) ? 'is not a regular file' : 'does not exist'}`);
  }
  const configText = readFileSync(o.config, 'utf8');
  const kconfig = parseKconfig(configText, o.config);
  const arch = kconfig.get('X86_64') === 'y' ? 'x86_64' : 'i386';
  const vmlinuxBytes = o.vmlinux === undefined ? undefined : o.vmlinux.endsWith('.xz') ? new Uint8Array(xz.decompressSync(readFileSync(o.vmlinux))) : new Uint8Array(readFileSync(o.vmlinux));
  const release = await releaseOf(new Uint8Array(readFileSync(o.bzImage)), vmlinuxBytes, o.bzImage);
  const version = /^\d+\.\d+(\.\d+)?/.exec(release)![0];

  // Copy into a temporary folder, extract the facts from the copies, then move both into place.
  const names = { bzImage: 'bzImage', config: 'config', recipe: path.basename(o.recipe), vmlinux: o.vmlinux === undefined ? undefined : o.vmlinux.endsWith('.xz') ? 'vmlinux.xz' : 'vmlinux' };
  if (names.recipe === 'bzImage' || names.recipe === 'config' || names.recipe === 'System.map' || names.recipe.startsWith('vmlinux')) names.recipe = `recipe-${names.recipe}`;
  const tmpDir = `${imageDir}.${process.pid}.tmp`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  try {
    const pinned = async (src: string, name: string): Promise<{ path: string; sha256: string }> => {
      copyFileSync(src, path.join(tmpDir, name));
      return { path: name, sha256: await sha256File(path.join(tmpDir, name)) };
    };
    const local = {
      bzImage: await pinned(o.bzImage, names.bzImage),
      config: await pinned(o.config, names.config),
      ...(o.vmlinux !== undefined && names.vmlinux !== undefined ? { vmlinux: await pinned(o.vmlinux, names.vmlinux) } : {}),
      ...(o.systemMap !== undefined ? { systemMap: await pinned(o.systemMap, 'System.map') } : {}),
      source: source.output,
      recipe: await pinned(o.recipe, names.recipe),
    };
    const entry: LocalKernelEntry = { id: o.id, arch, version, release, local, facts: undefined, file };
    const facts = await extractLocalFacts(entry, {
      vmlinuz: path.join(tmpDir, names.bzImage),
      config: path.join(tmpDir, names.config),
      ...(names.vmlinux !== undefined ? { vmlinux: path.join(tmpDir, names.vmlinux) } : {}),
      ...(o.systemMap !== undefined ? { systemMap: path.join(tmpDir, 'System.map') } : {}),
    });
    const header = new Document({ id: o.id, arch, version, release, local });
    header.commentBefore = ` A local build, registered by \`bootsim kernel add ${o.id}\`. Its pinned files are in\n images/${o.id}/ and were built by the recipe there; "facts" is written by\n \`bootsim kernel facts ${o.id}\` from those files alone, never from a log.`;
    mkdirSync(path.dirname(imageDir), { recursive: true });
    renameSync(tmpDir, imageDir);
    try {
      const draft = `${file}.${process.pid}.draft`;
      writeFileAtomic(draft, header.toString({ lineWidth: 0 }));
      try {
        writeFacts(draft, facts);
        renameSync(draft, file);
      } finally {
        rmSync(draft, { force: true });
      }
    } catch (e) {
      rmSync(imageDir, { recursive: true, force: true });
      throw e;
    }
    return { file, imageDir, facts };
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
