// `bootsim kernel fetch <id>… | --all [--offline]` and `bootsim kernel facts <id>… | --all [--offline] [--check]`
import { parseArgs } from 'node:util';
import { displayPath } from '../../../sim/base/paths.ts';
import { kernelIds, loadKernel } from '../../kernels.ts';
import { fetchKernel } from '../../../qemu-scripts/kernel/fetch.ts';
import { extractFacts, writeFacts, factsEqual } from '../../../qemu-scripts/kernel/facts.ts';
import { extractLocalFacts } from '../../../qemu-scripts/kernel/facts-local.ts';
import { addLocalKernel } from '../../../qemu-scripts/kernel/add.ts';
import { isLocalKernel } from '../../../sim/kernel-facts.ts';
import { UsageError } from '../usage.ts';
import type { CliIO } from '../io.ts';

export const usage = `usage: bootsim kernel fetch <id>… | --all [--offline]
       bootsim kernel facts <id>… | --all [--offline] [--check]
       bootsim kernel add <id> --bzimage F --config F [--vmlinux F | --system-map F] --source-repo R --source-commit C [--source-tree D] --recipe F
  fetch: download the pinned Debian package into the cache (sha256-verified) and print where it is;
         for a local build, check its pinned files in goldens/kernels/images/<id>/.
  facts: extract the build's facts from the package alone and write the facts: block of
         goldens/kernels/<id>.yaml; --check compares with the committed facts instead (exit 1 if they differ).
  add:   register a local build: hash and copy its files to goldens/kernels/images/<id>/, extract its
         facts (those an old build lacks are listed under absent: with the reason), write goldens/kernels/<id>.yaml.
  Kernel ids: ${kernelIds().join(', ')}`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const err = (s: string): void => io.stderr(`${s}\n`);
  const out = (s: string): void => io.stdout(`${s}\n`);
  const [sub, ...rest] = argv;
  if (sub === 'add') return add(rest, out);
  if (sub !== 'fetch' && sub !== 'facts') throw new UsageError(sub ? `unknown kernel subcommand "${sub}"; expected fetch, facts or add` : 'expected a subcommand: fetch, facts or add');
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
      const what = isLocalKernel(k) ? `local build of ${k.local.source.repository}@${k.local.source.commit.slice(0, 12)}, bzImage sha256 ${k.local.bzImage.sha256}` : `${k.package} ${k.version} sha256 ${k.sha256}`;
      out(`${k.id}: ${what} ok\n  image  ${fetched.vmlinuz}\n  config ${fetched.config}${fetched.vmlinux ? `\n  vmlinux ${fetched.vmlinux}` : ''}${fetched.debugVmlinux ? `\n  debug  ${fetched.debugVmlinux}` : ''}`);
      continue;
    }
    const facts = isLocalKernel(k) ? await extractLocalFacts(k, fetched) : await extractFacts(k, fetched.imageRoot, fetched.configRoot, fetched.debugVmlinux);
    const ms = Math.round(performance.now() - t);
    if (values.check) {
      const committed = k.facts ?? k.partialFacts;
      const same = committed !== undefined && factsEqual(committed, facts);
      if (!same) differ++;
      out(`${k.id}: ${same ? 'facts match' : 'facts DIFFER from'} ${displayPath(k.file)} (${ms} ms)`);
      continue;
    }
    writeFacts(k.file, facts);
    if ('absent' in facts) {
      out(`${k.id}: ${facts.banner}\n  ${facts.compression}; boot protocol ${facts.bzImage.protocol}; ${Object.keys(facts.symbols ?? {}).length} linker symbols; absent: ${Object.keys(facts.absent).join(', ')}\n  → ${displayPath(k.file)} (${ms} ms)`);
      continue;
    }
    const img = facts.image;
    out(`${k.id}: ${facts.banner}\n  ${facts.compression}; code ${img.codeK}K rwdata ${img.rwdataK}K rodata ${img.rodataK}K init ${img.initK}K bss ${img.bssK}K; static percpu ${facts.staticPercpuBytes} B; real-mode blob ${facts.realModeBlobBytes} B; struct page ${facts.structs.page?.bytes} B (${facts.structs.page?.source})\n  → ${displayPath(k.file)} (${ms} ms)`);
  }
  return differ > 0 ? 1 : 0;
}

async function add(argv: readonly string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      bzimage: { type: 'string' }, config: { type: 'string' }, vmlinux: { type: 'string' }, 'system-map': { type: 'string' }, recipe: { type: 'string' },
      'source-repo': { type: 'string' }, 'source-commit': { type: 'string' }, 'source-tree': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`kernel add: expected one kernel id, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const need = (name: 'bzimage' | 'config' | 'recipe' | 'source-repo' | 'source-commit'): string => {
    const val = values[name];
    if (val === undefined) throw new UsageError(`kernel add: --${name} is required`);
    return val;
  };
  const r = await addLocalKernel({
    id: positionals[0]!,
    bzImage: need('bzimage'),
    config: need('config'),
    recipe: need('recipe'),
    sourceRepo: need('source-repo'),
    sourceCommit: need('source-commit'),
    ...(values.vmlinux !== undefined ? { vmlinux: values.vmlinux } : {}),
    ...(values['system-map'] !== undefined ? { systemMap: values['system-map'] } : {}),
    ...(values['source-tree'] !== undefined ? { sourceTree: values['source-tree'] } : {}),
  });
  const absent = 'absent' in r.facts ? Object.keys(r.facts.absent) : [];
  out(`${positionals[0]}: ${r.facts.banner}\n  files → ${displayPath(r.imageDir)}\n  ${absent.length === 0 ? 'all facts extracted' : `facts absent on this build: ${absent.join(', ')}`}\n  → ${displayPath(r.file)}`);
  return 0;
}
