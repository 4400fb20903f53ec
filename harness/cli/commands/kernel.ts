// `bootsim kernel fetch <id>… | --all [--offline]` and `bootsim kernel facts <id>… | --all [--offline] [--check]`
import { parseArgs } from 'node:util';
import { displayPath } from '../../../sim/base/paths.ts';
import { kernelIds, loadKernel } from '../../kernels.ts';
import { fetchKernel } from '../../../qemu-scripts/kernel/fetch.ts';
import { extractFacts, writeFacts, factsEqual } from '../../../qemu-scripts/kernel/facts.ts';
import { UsageError } from '../usage.ts';
import type { CliIO } from '../io.ts';

export const usage = `usage: bootsim kernel fetch <id>… | --all [--offline]
       bootsim kernel facts <id>… | --all [--offline] [--check]
  fetch: download the pinned Debian package into the cache (sha256-verified) and print where it is.
  facts: extract the build's facts from the package alone and write the facts: block of
         goldens/kernels/<id>.yaml; --check compares with the committed facts instead (exit 1 if they differ).
  Kernel ids: ${kernelIds().join(', ')}`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const err = (s: string): void => io.stderr(`${s}\n`);
  const out = (s: string): void => io.stdout(`${s}\n`);
  const [sub, ...rest] = argv;
  if (sub !== 'fetch' && sub !== 'facts') throw new UsageError(sub ? `unknown kernel subcommand "${sub}"; expected fetch or facts` : 'expected a subcommand: fetch or facts');
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { all: { type: 'boolean', default: false }, offline: { type: 'boolean', default: io.env.BOOTSIM_OFFLINE === '1' }, check: { type: 'boolean', default: false } },
  });
  const ids = values.all ? kernelIds() : positionals;
  if (ids.length === 0) throw new UsageError('name at least one kernel id, or --all');
  const kernels = ids.map((id) => loadKernel(id));
  let differ = 0;
  for (const k of kernels) {
    const t = performance.now();
    const fetched = await fetchKernel(k, { offline: values.offline, onProgress: (m) => err(`${k.id}: ${m}`) });
    if (sub === 'fetch') {
      out(`${k.id}: ${k.package} ${k.version} sha256 ${k.sha256} ok\n  image  ${fetched.vmlinuz}\n  config ${fetched.config}`);
      continue;
    }
    const facts = await extractFacts(k, fetched.imageRoot, fetched.configRoot);
    const ms = Math.round(performance.now() - t);
    if (values.check) {
      const same = k.facts !== undefined && factsEqual(k.facts, facts);
      if (!same) differ++;
      out(`${k.id}: ${same ? 'facts match' : 'facts DIFFER from'} ${displayPath(k.file)} (${ms} ms)`);
      continue;
    }
    writeFacts(k.file, facts);
    const img = facts.image;
    out(`${k.id}: ${facts.banner}\n  ${facts.compression}; code ${img.codeK}K rwdata ${img.rwdataK}K rodata ${img.rodataK}K init ${img.initK}K bss ${img.bssK}K; static percpu ${facts.staticPercpuBytes} B; real-mode blob ${facts.realModeBlobBytes} B; struct page ${facts.structs.page?.bytes} B (${facts.structs.page?.source})\n  → ${displayPath(k.file)} (${ms} ms)`);
  }
  return differ > 0 ? 1 : 0;
}
