// The QEMU source tree the CPU model table is generated from (qemu-scripts/cpu-models/extract.ts):
// Debian's qemu source package at the version SOURCE_LABEL names, fetched with `apt-get source`
// through a private apt configuration (deb-src of bookworm, bookworm-updates and bookworm-security;
// apt checks the .dsc and its files against the signed Sources index) and unpacked with Debian's
// patches applied (dpkg-source -x), into <cache>/src/qemu-<version>/ (BOOTSIM_CACHE, else
// ~/.cache/bootsim). The system's apt sources are never read or changed. The live test of the table
// (tests/live/qemu-cpu.live.test.ts) reads the tree from here, so a clean machine can run it.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { cacheDir } from '../../sim/base/paths.ts';
import { FetchError } from '../kernel/fetch.ts';

/** The Debian source version the generated table is read from (SOURCE_LABEL in extract.ts). */
export const QEMU_SOURCE_VERSION = '1:7.2+dfsg-7+deb12u18';

const SUITES = [
  ['http://deb.debian.org/debian', 'bookworm'],
  ['http://deb.debian.org/debian', 'bookworm-updates'],
  ['http://deb.debian.org/debian-security', 'bookworm-security'],
] as const;

/** The unpacked tree's folder (qemu-7.2+dfsg) in the cache, fetched and unpacked when it is not there yet. */
export async function qemuSourceTree(cache: string = cacheDir(), onProgress: (m: string) => void = () => {}): Promise<string> {
  const dest = path.join(cache, 'src', `qemu-${QEMU_SOURCE_VERSION.replace(/^\d+:/, '')}`);
  const tree = (): string | undefined => (existsSync(dest) ? readdirSync(dest).find((d) => d.startsWith('qemu-')) : undefined);
  const have = tree();
  if (have) return path.join(dest, have);
  // a private apt configuration, and the unpacking beside the destination, renamed into place when whole
  const work = `${dest}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  const apt = path.join(work, 'apt');
  for (const d of ['lists/partial', 'cache/archives/partial']) mkdirSync(path.join(apt, d), { recursive: true });
  writeFileSync(path.join(apt, 'sources.list'), SUITES.map(([uri, suite]) => `deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${uri} ${suite} main\n`).join(''));
  const args = [
    '-o', `Dir::Etc::SourceList=${path.join(apt, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${path.join(apt, 'lists')}`,
    '-o', `Dir::Cache=${path.join(apt, 'cache')}`,
    '-o', 'Dir::State::Status=/dev/null',
    '-o', 'APT::Sandbox::User=root',
    '-q',
  ];
  const out = path.join(work, 'out');
  mkdirSync(out);
  try {
    onProgress(`apt-get update (deb-src ${SUITES.map(([, s]) => s).join(', ')})`);
    const upd = await execa('apt-get', [...args, 'update'], { reject: false, stdin: 'ignore', all: true });
    if (upd.exitCode !== 0) throw new FetchError('FETCH_APT_FAILED', `apt-get update of the deb-src lists failed (exit ${upd.exitCode}):\n${String(upd.all).trim()}`);
    onProgress(`apt-get source qemu=${QEMU_SOURCE_VERSION}`);
    const src = await execa('apt-get', [...args, 'source', `qemu=${QEMU_SOURCE_VERSION}`], { reject: false, stdin: 'ignore', cwd: out, all: true });
    if (src.exitCode !== 0) throw new FetchError('FETCH_APT_FAILED', `apt-get source qemu=${QEMU_SOURCE_VERSION} failed (exit ${src.exitCode}); the unpacking needs dpkg-source (apt-get install -y dpkg-dev):\n${String(src.all).trim()}`);
    const unpacked = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith('qemu-'));
    if (unpacked.length !== 1) throw new FetchError('FETCH_EXTRACT_FAILED', `apt-get source qemu=${QEMU_SOURCE_VERSION} left ${unpacked.length} qemu-* folders in ${out}, expected one unpacked tree`);
    const name = unpacked[0]!.name;
    mkdirSync(path.join(work, 'tree'));
    renameSync(path.join(out, name), path.join(work, 'tree', name));
    mkdirSync(path.dirname(dest), { recursive: true });
    try {
      renameSync(path.join(work, 'tree'), dest);
    } catch (e) {
      // another process put the same tree there first
      const theirs = tree();
      if (theirs === undefined) throw e;
      return path.join(dest, theirs);
    }
    return path.join(dest, name);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
