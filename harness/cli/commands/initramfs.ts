// `bootsim initramfs build [--check] [--arch x86_64|i386] [--offline] [--out FILE]`
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { displayPath } from '../../../sim/base/paths.ts';
import { writeFileAtomic, checkOutputFile } from '../../../sim/base/files.ts';
import { InitramfsError } from '../../../qemu-scripts/initramfs/busybox.ts';
import { STATE_IMAGE_IDS, buildImage, factsEqual, factsFile, factsText, readInitramfsFacts, type StateImageId } from '../../../qemu-scripts/initramfs/image.ts';
import { UsageError } from '../usage.ts';
import type { CliIO } from '../io.ts';

export const usage = `usage: bootsim initramfs build [--check] [--arch x86_64|i386|i386-mini] [--offline] [--out FILE]
  Builds the state probe's initramfs (a newc cpio of the pinned busybox-static and its /init,
  qemu-scripts/initramfs/) for each arch and writes its facts, goldens/initramfs/state-<arch>.yaml
  (arch, bytes, sha256, busybox), which the simulator reads and every probe: state capture checks;
  and i386-mini, the image of the kernels busybox's glibc refuses (older than 3.2), whose /init is
  assembled by qemu-scripts/initramfs/mini-init.ts (state-i386-mini.yaml: arch, bytes, sha256, init).
  --check rebuilds and compares with the committed facts instead (exit 1 if they differ).
  --out FILE also writes the image (one --arch only). busybox-static comes from
  goldens/initramfs/busybox-static.yaml, fetched with apt-get download into the cache like the kernels.`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const out = (s: string): void => io.stdout(`${s}\n`);
  const err = (s: string): void => io.stderr(`${s}\n`);
  const [sub, ...rest] = argv;
  if (sub !== 'build') throw new UsageError(sub ? `unknown initramfs subcommand "${sub.slice(0, 40)}"; expected build` : 'expected a subcommand: build');
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      arch: { type: 'string' },
      offline: { type: 'boolean', default: io.env.BOOTSIM_OFFLINE === '1' },
      out: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`initramfs build takes no names, got "${positionals[0]!.slice(0, 40)}"`);
  const arch = values.arch;
  const known = (a: string): a is StateImageId => (STATE_IMAGE_IDS as readonly string[]).includes(a);
  if (arch !== undefined && !known(arch)) throw new UsageError(`--arch: expected ${STATE_IMAGE_IDS.join(', ')}, got "${arch.slice(0, 40)}"`);
  const arches: readonly StateImageId[] = arch === undefined ? STATE_IMAGE_IDS : [arch];
  if (values.out !== undefined && arches.length !== 1) throw new UsageError('--out writes one image: give --arch too');
  const outFile = values.out === undefined ? undefined : checkOutputFile(values.out, '--out');
  let differ = 0;
  for (const a of arches) {
    const built = await buildImage(a, { offline: values.offline, onProgress: (m) => err(`${a}: ${m}`) });
    const f = built.facts;
    const file = factsFile(a);
    if (outFile !== undefined) writeFileSync(outFile, built.image);
    if (values.check) {
      let same = false;
      try {
        same = factsEqual(readInitramfsFacts(a), f);
      } catch (e) {
        if (!(e instanceof InitramfsError)) throw e;
        err(`${a}: ${e.message}`);
      }
      if (!same) differ++;
      out(`${a}: ${same ? 'initramfs facts match' : 'initramfs facts DIFFER from'} ${displayPath(file)} (${f.bytes} bytes, sha256 ${f.sha256})`);
      continue;
    }
    writeFileAtomic(file, factsText(f));
    const from = 'init' in f ? `init ${f.init.bytes} bytes from ${f.init.program}` : `busybox ${f.busybox.version}, binary ${f.busybox.binary.slice(0, 12)}…`;
    out(`${a}: ${f.bytes} bytes, sha256 ${f.sha256} (${from})\n  → ${displayPath(file)}${outFile ? `\n  image → ${displayPath(outFile)}` : ''}`);
  }
  return differ > 0 ? 1 : 0;
}
