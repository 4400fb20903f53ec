// Fetches pinned Debian kernel packages through a private apt configuration and keeps them
// in a content-addressed cache (<cache>/debs/<sha256>.deb, <cache>/extract/<sha256>/).
// The system's apt sources are never read or changed.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { BootsimError } from '../../sim/base/errors.ts';
import { cacheDir, displayPath, repoRoot } from '../../sim/base/paths.ts';
import { checkOutputDir } from '../../sim/base/files.ts';
import { isLocalKernel, type KernelEntry, type LocalKernelEntry, type PinnedFile, type PinnedPackage } from '../../sim/kernel-facts.ts';
import type { Arch } from '../../sim/types.ts';

export type FetchCode = 'FETCH_OFFLINE_MISSING' | 'FETCH_PACKAGE_GONE' | 'FETCH_HASH_MISMATCH' | 'FETCH_APT_FAILED' | 'FETCH_EXTRACT_FAILED' | 'FETCH_FILE_MISSING';
// A local build's file that is absent is FETCH_FILE_MISSING; one whose sha256 differs from its pin, FETCH_HASH_MISMATCH.

export class FetchError extends BootsimError<FetchCode> {}

export interface FetchOptions {
  /** Never touch the network; fail when a package is not cached. Default: false (true when BOOTSIM_OFFLINE=1). */
  offline?: boolean;
  /** The cache root. Default: cacheDir() (BOOTSIM_CACHE, else ~/.cache/bootsim). */
  cache?: string;
  /** Folders searched, by sha256, when the mirror no longer serves a pin. Default: ../shared/kernels beside the repo, and BOOTSIM_SHARED_KERNELS. */
  fallbackDirs?: readonly string[];
  /** Progress messages. Default: none. */
  onProgress?: (message: string) => void;
}

export const defaults: Required<Omit<FetchOptions, 'cache' | 'fallbackDirs'>> & Pick<FetchOptions, 'cache' | 'fallbackDirs'> = {
  offline: process.env.BOOTSIM_OFFLINE === '1',
  cache: undefined,
  fallbackDirs: undefined,
  onProgress: () => {},
};

/** Where each suite lives on the mirror. */
const SUITE_URIS: Readonly<Record<string, string>> = {
  bullseye: 'http://deb.debian.org/debian',
  bookworm: 'http://deb.debian.org/debian',
  trixie: 'http://deb.debian.org/debian',
  sid: 'http://deb.debian.org/debian',
  'bookworm-security': 'http://deb.debian.org/debian-security',
  'bullseye-security': 'http://deb.debian.org/debian-security',
  'trixie-security': 'http://deb.debian.org/debian-security',
  'bookworm-backports': 'http://deb.debian.org/debian',
  'trixie-backports': 'http://deb.debian.org/debian',
};

export function debArch(arch: Arch): string {
  return arch === 'x86_64' ? 'amd64' : 'i386';
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function resolveOptions(opts: FetchOptions): Required<FetchOptions> {
  const env = process.env.BOOTSIM_SHARED_KERNELS;
  return {
    offline: opts.offline ?? defaults.offline,
    cache: opts.cache ?? cacheDir(),
    fallbackDirs: opts.fallbackDirs ?? [...(env ? [env] : []), path.resolve(repoRoot, '..', 'shared', 'kernels')],
    onProgress: opts.onProgress ?? defaults.onProgress,
  };
}

/** The private apt configuration for one suite and architecture: its own sources file, lists and cache. */
function aptArgs(root: string, suite: string, arch: string): string[] {
  const uri = SUITE_URIS[suite];
  if (!uri) throw new FetchError('FETCH_APT_FAILED', `suite "${suite}" is not one the fetcher knows; known: ${Object.keys(SUITE_URIS).join(', ')}`);
  const dir = path.join(root, 'apt', `${suite}-${arch}`);
  for (const d of ['lists/partial', 'cache/archives/partial']) mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, 'sources.list'), `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${uri} ${suite} main\n`);
  return [
    '-o', `Dir::Etc::SourceList=${path.join(dir, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${path.join(dir, 'lists')}`,
    '-o', `Dir::Cache=${path.join(dir, 'cache')}`,
    '-o', 'Dir::State::Status=/dev/null',
    '-o', `APT::Architectures::=${arch}`,
    '-o', 'APT::Sandbox::User=root',
    '-q',
  ];
}

async function findInFallback(sha256: string, dirs: readonly string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.deb')) continue;
      const p = path.join(dir, f);
      if ((await sha256File(p)) === sha256) return p;
    }
  }
  return undefined;
}

/** Moves (or copies) a verified file into the content-addressed store, atomically. */
function storeDeb(src: string, dest: string, copy: boolean): void {
  const tmp = `${dest}.${tmpTag()}`;
  if (copy) copyFileSync(src, tmp);
  else renameSync(src, tmp);
  renameSync(tmp, dest);
}

/**
 * Returns the path of a pinned package in the cache, downloading it with `apt-get download` when
 * absent. The sha256 is verified before use; a package that has left the mirror is a clear error.
 */
export function fetchPackage(pin: PinnedPackage, arch: Arch, options: FetchOptions = {}): Promise<string> {
  const o = resolveOptions(options);
  return once(`deb:${o.cache}:${pin.sha256}`, () => fetchPackageNow(pin, arch, o));
}

/** Parallel captures of one kernel share one download and one extraction. */
const inflight = new Map<string, Promise<string>>();
function once(key: string, work: () => Promise<string>): Promise<string> {
  let p = inflight.get(key);
  if (!p) {
    p = work().finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

function tmpTag(): string {
  return `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

async function fetchPackageNow(pin: PinnedPackage, arch: Arch, o: Required<FetchOptions>): Promise<string> {
  const debs = path.join(o.cache, 'debs');
  mkdirSync(debs, { recursive: true });
  const dest = path.join(debs, `${pin.sha256}.deb`);
  if (existsSync(dest)) {
    const got = await sha256File(dest);
    if (got === pin.sha256) return dest;
    o.onProgress(`cached ${pin.package} has sha256 ${got}, expected ${pin.sha256}; fetching again`);
    rmSync(dest);
  }
  if (o.offline) {
    throw new FetchError('FETCH_OFFLINE_MISSING', `${pin.package} ${pin.version} (sha256 ${pin.sha256}) is not in the cache ${debs}, and offline mode forbids a download; run \`npx bootsim kernel fetch\` online first`);
  }
  const a = debArch(arch);
  const apt = aptArgs(o.cache, pin.suite, a);
  const work = path.join(o.cache, 'tmp', `dl-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    o.onProgress(`apt-get update (${pin.suite}, ${a})`);
    const upd = await execa('apt-get', [...apt, 'update'], { reject: false, stdin: 'ignore', all: true });
    if (upd.exitCode !== 0) throw new FetchError('FETCH_APT_FAILED', `apt-get update for ${pin.suite}/${a} failed (exit ${upd.exitCode}):\n${String(upd.all).trim()}`);
    o.onProgress(`apt-get download ${pin.package}=${pin.version}`);
    const dl = await execa('apt-get', [...apt, 'download', `${pin.package}:${a}=${pin.version}`], { reject: false, stdin: 'ignore', cwd: work, all: true });
    if (dl.exitCode !== 0) {
      const fallback = await findInFallback(pin.sha256, o.fallbackDirs);
      if (fallback) {
        o.onProgress(`the mirror no longer serves ${pin.package}=${pin.version}; using the kept copy ${fallback}`);
        storeDeb(fallback, dest, true);
        return dest;
      }
      const pattern = `^${pin.package.replace(/\d+\.\d+[\w.+~-]*?(?=-(amd64|686|unsigned)|$)/, '.*')}$`;
      throw new FetchError(
        'FETCH_PACKAGE_GONE',
        `${pin.package}=${pin.version} is not served by ${pin.suite} any more (apt-get said: ${String(dl.all).trim().split('\n').pop()}), and no kept copy with sha256 ${pin.sha256} was found in ${o.fallbackDirs.join(', ')}. ` +
          `To pin a newer build, list what ${pin.suite} serves now:\n  apt-cache ${apt.join(' ')} search --names-only '${pattern}'\n` +
          `then set package, version, sha256 and release in goldens/kernels/<id>.yaml, run \`npx bootsim kernel facts <id>\`, and re-capture that kernel's goldens with --force.`,
      );
    }
    const got = readdirSync(work).filter((f) => f.endsWith('.deb'));
    if (got.length !== 1) throw new FetchError('FETCH_APT_FAILED', `apt-get download left ${got.length} files in ${work}, expected one .deb`);
    const file = path.join(work, got[0]!);
    const sum = await sha256File(file);
    if (sum !== pin.sha256) {
      throw new FetchError('FETCH_HASH_MISMATCH', `${pin.package}=${pin.version}: downloaded sha256 is ${sum}, the catalog pins ${pin.sha256}; the mirror's build differs from the pinned one, so it is not used`);
    }
    storeDeb(file, dest, false);
    return dest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Extracts a cached .deb once into <cache>/extract/<sha256>/ (atomically, via a temp folder) and returns that folder. */
export function extractPackage(deb: string, sha256: string, options: FetchOptions = {}): Promise<string> {
  const o = resolveOptions(options);
  return once(`extract:${o.cache}:${sha256}`, () => extractPackageNow(deb, sha256, o));
}

async function extractPackageNow(deb: string, sha256: string, o: Required<FetchOptions>): Promise<string> {
  const dest = path.join(o.cache, 'extract', sha256);
  if (existsSync(path.join(dest, '.complete'))) return dest;
  const tmp = `${dest}.${tmpTag()}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const r = await execa('dpkg-deb', ['-x', deb, tmp], { reject: false, stdin: 'ignore', all: true });
  if (r.exitCode !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new FetchError('FETCH_EXTRACT_FAILED', `dpkg-deb -x ${deb} failed (exit ${r.exitCode}): ${String(r.all).trim()}`);
  }
  writeFileSync(path.join(tmp, '.complete'), `${sha256}\n`);
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return dest;
}

/**
 * Extracts one member of a cached .deb once into <cache>/extract/<sha256>/<member> (atomically)
 * and returns its path: the -dbg packages are ~765 MB, and only their vmlinux is read.
 */
export function extractMember(deb: string, sha256: string, member: string, options: FetchOptions = {}): Promise<string> {
  const o = resolveOptions(options);
  return once(`member:${o.cache}:${sha256}:${member}`, () => extractMemberNow(deb, sha256, member, o));
}

async function extractMemberNow(deb: string, sha256: string, member: string, o: Required<FetchOptions>): Promise<string> {
  const dir = path.join(o.cache, 'extract', sha256);
  const dest = path.join(dir, member);
  const done = `${dest}.complete`;
  if (existsSync(done) && existsSync(dest)) return dest;
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${tmpTag()}`;
  const r = await execa('bash', ['-o', 'pipefail', '-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xO "./$2" > "$3"', 'extract', deb, member, tmp], { reject: false, stdin: 'ignore', all: true });
  if (r.exitCode !== 0) {
    rmSync(tmp, { force: true });
    throw new FetchError('FETCH_EXTRACT_FAILED', `extracting ${member} from ${deb} failed (exit ${r.exitCode}): ${String(r.all).trim()}`);
  }
  renameSync(tmp, dest);
  writeFileSync(done, `${sha256}\n`);
  return dest;
}

export interface FetchedKernel {
  /** The cached package; '' for a local build. */
  readonly deb: string;
  /** Root of the extracted image package. */
  readonly imageRoot: string;
  /** Root of the extracted package holding the config (the same as imageRoot unless it is a sibling package). */
  readonly configRoot: string;
  readonly vmlinuz: string;
  readonly config: string;
  /** A local build's pinned vmlinux (e.g. vmlinux.xz), where it has one. */
  readonly vmlinux?: string;
  /** A local build's pinned System.map, where it has one. */
  readonly systemMap?: string;
  /** The debug vmlinux of a pin's -dbg package (pin.debug), where it has one. */
  readonly debugVmlinux?: string;
}

/** Where a local build's pinned files live: goldens/kernels/images/<id>/ beside its catalog file. */
export function localImageDir(k: Pick<LocalKernelEntry, 'id' | 'file'>): string {
  return path.join(path.dirname(k.file), 'images', k.id);
}

/** A local build: its pinned files are in the tree (localImageDir); each is checked against its sha256. Touches no network. */
async function fetchLocalKernel(k: LocalKernelEntry): Promise<FetchedKernel> {
  const dir = localImageDir(k);
  const pinned = async (what: string, f: PinnedFile): Promise<string> => {
    const p = path.join(dir, f.path);
    if (!existsSync(p)) throw new FetchError('FETCH_FILE_MISSING', `${k.id}: expected the ${what} at ${displayPath(p)} (local.${what} in goldens/kernels/${k.id}.yaml), got no such file; \`npx bootsim kernel add\` copies it there`);
    const got = await sha256File(p);
    if (got !== f.sha256) throw new FetchError('FETCH_HASH_MISMATCH', `${k.id}: ${displayPath(p)} has sha256 ${got}, the catalog pins ${f.sha256} (local.${what}); it is not used`);
    return p;
  };
  const vmlinuz = await pinned('bzImage', k.local.bzImage);
  const config = await pinned('config', k.local.config);
  await pinned('recipe', k.local.recipe);
  const vmlinux = k.local.vmlinux ? await pinned('vmlinux', k.local.vmlinux) : undefined;
  const systemMap = k.local.systemMap ? await pinned('systemMap', k.local.systemMap) : undefined;
  return { deb: '', imageRoot: dir, configRoot: dir, vmlinuz, config, ...(vmlinux !== undefined ? { vmlinux } : {}), ...(systemMap !== undefined ? { systemMap } : {}) };
}

/** Fetches and extracts a catalog kernel (and its config's sibling package, where there is one). */
export async function fetchKernel(k: KernelEntry, options: FetchOptions = {}): Promise<FetchedKernel> {
  // BOOTSIM_CACHE set to a file (or under /proc) is refused with a coded error before any download.
  checkOutputDir(resolveOptions(options).cache, options.cache ? 'the cache folder' : 'the cache folder (BOOTSIM_CACHE, else ~/.cache/bootsim)');
  if (isLocalKernel(k)) return fetchLocalKernel(k);
  const deb = await fetchPackage(k, k.arch, options);
  const imageRoot = await extractPackage(deb, k.sha256, options);
  let configRoot = imageRoot;
  if (k.config.sha256 !== k.sha256) {
    // 7.2 ships its config in a sibling package of the same source version (linux-base-<release>).
    const cdeb = await fetchPackage({ package: k.config.package, version: k.version, suite: k.suite, sha256: k.config.sha256 }, k.arch, options);
    configRoot = await extractPackage(cdeb, k.config.sha256, options);
  }
  const vmlinuz = path.join(imageRoot, k.image);
  const config = path.join(configRoot, k.config.path);
  for (const [what, p] of [['image', vmlinuz], ['config', config]] as const) {
    if (!existsSync(p)) throw new FetchError('FETCH_FILE_MISSING', `${k.id}: the ${what} is not at ${p}; check "${what === 'image' ? 'image' : 'config.path'}" in goldens/kernels/${k.id}.yaml`);
  }
  if (!k.debug) return { deb, imageRoot, configRoot, vmlinuz, config };
  // The 686 builds' DWARF: the -dbg package of the same version and suite, its vmlinux alone extracted.
  const ddeb = await fetchPackage({ package: k.debug.package, version: k.version, suite: k.suite, sha256: k.debug.sha256 }, k.arch, options);
  const debugVmlinux = await extractMember(ddeb, k.debug.sha256, k.debug.path, options);
  return { deb, imageRoot, configRoot, vmlinuz, config, debugVmlinux };
}
