// `bootsim initramfs build [--check] [--arch x86_64|i386] [--offline] [--out FILE]`
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { displayPath } from '../../../sim/base/paths.ts';
import { writeFileAtomic, checkOutputFile } from '../../../sim/base/files.ts';
import type { Arch } from '../../../sim/types.ts';
import { InitramfsError } from '../../../qemu-scripts/initramfs/busybox.ts';
import { buildForArch, factsEqual, factsFile, factsText, readInitramfsFacts } from '../../../qemu-scripts/initramfs/image.ts';
import { UsageError } from '../usage.ts';
import type { CliIO } from '../io.ts';

export const usage = `usage: bootsim initramfs build [--check] [--arch x86_64|i386] [--offline] [--out FILE]
  Builds the state probe's initramfs (a newc cpio of the pinned busybox-static and its /init,
  qemu-scripts/initramfs/) for each arch and writes its facts, goldens/initramfs/state-<arch>.yaml
  (arch, bytes, sha256, busybox), which the simulator reads and every probe: state capture checks.
  --check rebuilds and compares with the committed facts instead (exit 1 if they differ).
  --out FILE also writes the image (one --arch only). busybox-static comes from
  goldens/initramfs/busybox-static.yaml, fetched with apt-get download into the cache like the kernels.`;

const ARCHES: readonly Arch[] = ['x86_64', 'i386'];

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
  if (arch !== undefined && arch !== 'x86_64' && arch !== 'i386') throw new UsageError(`--arch: expected x86_64 or i386, got "${arch.slice(0, 40)}"`);
  const arches: readonly Arch[] = arch === undefined ? ARCHES : [arch];
  if (values.out !== undefined && arches.length !== 1) throw new UsageError('--out writes one image: give --arch too');
  const outFile = values.out === undefined ? undefined : checkOutputFile(values.out, '--out');
  let differ = 0;
  for (const a of arches) {
    const built = await buildForArch(a, { offline: values.offline, onProgress: (m) => err(`${a}: ${m}`) });
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
    out(`${a}: ${f.bytes} bytes, sha256 ${f.sha256} (busybox ${f.busybox.version}, binary ${f.busybox.binary.slice(0, 12)}…)\n  → ${displayPath(file)}${outFile ? `\n  image → ${displayPath(outFile)}` : ''}`);
  }
  return differ > 0 ? 1 : 0;
}
