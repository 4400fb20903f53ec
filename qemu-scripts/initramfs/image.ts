// The state probe's initramfs (issue 13 item 1): a newc archive (./cpio.ts) with the pinned static
// busybox (./busybox.ts) and an /init that prints the kernel's view of its memory on the console
// between markers, then powers the machine off. Built the same, byte for byte, on any host; its
// size and sha256 are committed as facts (goldens/initramfs/state-<arch>.yaml), which the simulator
// reads (QEMU places the initrd by its size) and every capture checks the image it boots against.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { cacheDir, displayPath } from '../../sim/base/paths.ts';
import { writeFileAtomic } from '../../sim/base/files.ts';
import type { Arch } from '../../sim/types.ts';
import type { FetchOptions } from '../kernel/fetch.ts';
import { writeCpio, type CpioEntry } from './cpio.ts';
import { fetchBusybox, loadBusyboxPin, type Busybox } from './busybox.ts';
import { InitramfsError, factsFile, readInitramfsFacts, type InitramfsFacts, type StateImageId } from './facts.ts';
import { SLAB_BLOCK, STATE_FILES, STATE_MARK } from './markers.ts';
import { MINI_INIT_PROGRAM, miniInitElf } from './mini-init.ts';

export { InitramfsFactsSchema, STATE_IMAGE_IDS, factsFile, imageArch, readInitramfsFacts, stateImageFor, type InitramfsFacts, type StateImageId } from './facts.ts';
export { SLAB_BLOCK, STATE_BLOCKS, STATE_FILES, STATE_MARK, type StateBlockName } from './markers.ts';

/**
 * /init, run by busybox's ash. The console log level drops to 1 first (kernel/printk/printk.c
 * console_loglevel, /proc/sys/kernel/printk), so no printk line lands inside a block. Symlinked
 * cache names in /sys/kernel/slab are SLUB's aliases of a merged cache (mm/slub.c
 * sysfs_slab_alias) and are skipped: each real cache is one line. `poweroff -f` calls reboot(2)
 * with LINUX_REBOOT_CMD_POWER_OFF at once, which QEMU ends on (ACPI S5).
 */
export function initScript(): string {
  const files = STATE_FILES.join(' ');
  return [
    '#!/bin/busybox sh',
    '# The bootsim state probe (qemu-scripts/initramfs/image.ts): prints the kernel\'s memory state',
    '# between markers on the console, then powers off.',
    'b=/bin/busybox',
    '$b mount -t proc proc /proc',
    '$b mount -t sysfs sysfs /sys',
    'echo 1 > /proc/sys/kernel/printk',
    `for f in ${files}; do`,
    `  echo "${STATE_MARK.begin('$f')}"`,
    `  $b cat "$f" || echo "${STATE_MARK.failed('$f')}"`,
    `  echo "${STATE_MARK.end('$f')}"`,
    'done',
    `echo "${STATE_MARK.begin(SLAB_BLOCK)}"`,
    `if [ -d ${SLAB_BLOCK} ]; then`,
    `  for d in ${SLAB_BLOCK}/*; do`,
    '    [ -L "$d" ] && continue',
    '    read o < "$d/object_size" && read s < "$d/slab_size" && read n < "$d/objs_per_slab" && read r < "$d/order" || { echo "' + STATE_MARK.failed('$d') + '"; continue; }',
    '    echo "${d##*/} $o $s $n $r"',
    '  done',
    'else',
    `  echo "${STATE_MARK.failed(SLAB_BLOCK)}"`,
    'fi',
    `echo "${STATE_MARK.end(SLAB_BLOCK)}"`,
    `echo "${STATE_MARK.done}"`,
    '$b poweroff -f',
    '',
  ].join('\n');
}

/**
 * The archive's entries. /dev/console (5, 1) must exist before /init runs: init/main.c
 * console_on_rootfs() opens it for init's stdin, stdout and stderr, and an initramfs replaces the
 * rootfs that init/noinitramfs.c default_rootfs() would have made it in.
 */
export function stateImageEntries(busybox: Uint8Array): CpioEntry[] {
  return [
    { kind: 'dir', path: 'bin', mode: 0o755 },
    { kind: 'file', path: 'bin/busybox', mode: 0o755, data: busybox },
    { kind: 'dir', path: 'dev', mode: 0o755 },
    { kind: 'chardev', path: 'dev/console', mode: 0o600, major: 5, minor: 1 },
    { kind: 'file', path: 'init', mode: 0o755, data: Buffer.from(initScript(), 'utf8') },
    { kind: 'dir', path: 'proc', mode: 0o555 },
    { kind: 'dir', path: 'sys', mode: 0o555 },
  ];
}

/** The image: an uncompressed newc archive (the kernel's unpack_to_rootfs takes it as is; no compressor version can change its bytes). */
export function buildStateImage(busybox: Uint8Array): Buffer {
  return writeCpio(stateImageEntries(busybox));
}


export function imageFacts(arch: Arch, image: Buffer, bb: Busybox): InitramfsFacts {
  return {
    arch,
    bytes: image.length,
    sha256: createHash('sha256').update(image).digest('hex'),
    busybox: { package: bb.package, version: bb.version, sha256: bb.debSha256, binary: bb.binarySha256 },
  };
}

export function factsText(f: InitramfsFacts): string {
  const what = 'init' in f ? `the old kernels' state probe initramfs for ${f.arch} (its /init assembled by ${f.init.program})` : `the state probe's initramfs for ${f.arch}`;
  const tail = 'init' in f ? '' : ' busybox.sha256 is the .deb\'s.';
  return `# ${what[0]!.toUpperCase()}${what.slice(1)}: written by \`npx bootsim initramfs build\`, never by hand;\n# \`npx bootsim initramfs build --check\` rebuilds the image and compares.${tail}\n${stringify(f, { lineWidth: 0 })}`;
}

export interface BuiltImage {
  readonly image: Buffer;
  readonly facts: InitramfsFacts;
}

/** Fetches the pinned busybox for `arch` and builds the image. */
export async function buildForArch(arch: Arch, options: FetchOptions & { goldens?: string } = {}): Promise<BuiltImage> {
  const bb = await fetchBusybox(loadBusyboxPin(options.goldens), arch, options);
  const image = buildStateImage(bb.binary);
  return { image, facts: imageFacts(arch, image, bb) };
}

/** Builds image `id`: the busybox one of an arch (fetching the pinned busybox), or the mini one (nothing to fetch). */
export async function buildImage(id: StateImageId, options: FetchOptions & { goldens?: string } = {}): Promise<BuiltImage> {
  if (id !== 'i386-mini') return buildForArch(id, options);
  const init = miniInitElf();
  const image = buildMiniImage();
  return { image, facts: miniImageFacts(image, init) };
}

/** The two facts of the mini image: its own size and sha256, and its /init's. */
export function miniImageFacts(image: Buffer, init: Buffer): InitramfsFacts {
  return {
    arch: 'i386',
    bytes: image.length,
    sha256: createHash('sha256').update(image).digest('hex'),
    init: { program: MINI_INIT_PROGRAM, bytes: init.length, sha256: createHash('sha256').update(init).digest('hex') },
  };
}

/** Two facts are the same image built from the same busybox. */
export function factsEqual(a: InitramfsFacts, b: InitramfsFacts): boolean {
  return factsText(a) === factsText(b);
}

export interface PreparedImage {
  /** The image file in the cache (<cache>/initramfs/<sha256>.cpio). */
  readonly file: string;
  readonly facts: InitramfsFacts;
}

/**
 * The image a `probe: state` capture boots: built, checked against the committed facts (an image
 * that differs from them would boot something the simulator was not told about:
 * INITRAMFS_FACTS_STALE), and kept in the cache by its sha256.
 */
export async function prepareStateImage(id: StateImageId, options: FetchOptions & { goldens?: string } = {}): Promise<PreparedImage> {
  const committed = readInitramfsFacts(id, options.goldens);
  const built = await buildImage(id, options);
  if (!factsEqual(committed, built.facts)) {
    throw new InitramfsError('INITRAMFS_FACTS_STALE', `${displayPath(factsFile(id, options.goldens))}: expected the image built now (${built.facts.bytes} bytes, sha256 ${built.facts.sha256}), the file says ${committed.bytes} bytes, sha256 ${committed.sha256}; run \`npx bootsim initramfs build\` and commit it`);
  }
  const dir = path.join(options.cache ?? cacheDir(), 'initramfs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${built.facts.sha256}.cpio`);
  if (!existsSync(file) || createHash('sha256').update(readFileSync(file)).digest('hex') !== built.facts.sha256) writeFileAtomic(file, built.image);
  return { file, facts: built.facts };
}

/**
 * The old kernels' probe image (./mini-init.ts): /init is the assembled ELF, with /dev/console as
 * for busybox and the mount points it mounts on; no /bin.
 */
export function miniImageEntries(init: Uint8Array): CpioEntry[] {
  return [
    { kind: 'dir', path: 'dev', mode: 0o755 },
    { kind: 'chardev', path: 'dev/console', mode: 0o600, major: 5, minor: 1 },
    { kind: 'file', path: 'init', mode: 0o755, data: init },
    { kind: 'dir', path: 'proc', mode: 0o555 },
    { kind: 'dir', path: 'sys', mode: 0o555 },
  ];
}

/** The old kernels' image: an uncompressed newc archive of miniImageEntries(miniInitElf()). */
export function buildMiniImage(): Buffer {
  return writeCpio(miniImageEntries(miniInitElf()));
}
