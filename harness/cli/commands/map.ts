// `bootsim map <profile> [--golden <log>] [--out map.html|map.svg]`: the simulated boot's physical
// memory map (and the i386 virtual layout) as SVG, in a self-contained HTML page or alone. With
// --golden, the regions whose printed range differs from the real boot are marked; a log with
// memblock=debug lines is compared as that capture booted (the profile's command line plus
// memblock=debug, harness/compare/ledger-run.ts withMemblockDebug). Written atomically.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProfile } from '../../profile/load.ts';
import { resolveProfile } from './diff.ts';
import { displayPath, goldensDir } from '../../../sim/base/paths.ts';
import { checkOutputFile, writeFileAtomic } from '../../../sim/base/files.ts';
import { readLogBytes } from '../../normalise.ts';
import { memblockOperations, parseMemblockLog } from '../../memblock-log.ts';
import { withMemblockDebug } from '../../compare/ledger-run.ts';
import { MEMBLOCK_DEBUG_PARAM } from '../../../sim/base/cmdline.ts';
import { ReportError, traceSpec } from '../../report/explore/trace.ts';
import { buildMemoryMap, type MemoryMap } from '../../report/map/model.ts';
import { markAgainstGolden } from '../../report/map/golden.ts';
import { renderMapSvg } from '../../report/map/svg.ts';
import { renderMapHtml } from '../../report/map/html.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import { EXIT, reportCodedError, usageError, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim map <profile name | profile.yaml> [--golden <serial.log>] [--out map.html|map.svg]';
export const usage = `usage: ${USAGE}
  Draws the simulated physical memory map (e820 and its edits, memblock memory and every
  reservation, nodes, zones, holes; on i386 the virtual layout too). --out: default map.html;
  a name ending in .svg writes the SVG alone. --golden marks the regions the real boot printed differently.`;

/** What --out writes, from its name. */
export function outKind(file: string): 'html' | 'svg' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.svg') return 'svg';
  throw new ReportError('REPORT_OUT_KIND', `--out: expected a file name ending in .html, .htm or .svg, got ${JSON.stringify(file)}`);
}

/** The map of a profile, compared with a raw golden log when one is given. Pure but for the kernel catalog read. */
export function mapOf(spec: MachineSpec, golden?: { readonly raw: Uint8Array; readonly file: string }): { map: MemoryMap; spec: MachineSpec } {
  // a memblock=debug capture booted with memblock=debug appended: simulate that boot
  const debugLog = golden !== undefined && memblockOperations(parseMemblockLog(golden.raw, golden.file)).ops.length > 0;
  const booted = debugLog && !(spec.cmdline ?? '').split(' ').includes(MEMBLOCK_DEBUG_PARAM) ? withMemblockDebug(spec) : spec;
  const t = traceSpec(booted);
  const map = buildMemoryMap(t.state, t.lines, t.traits, `memory map of ${spec.name} (${t.kernelId}, ${t.release})`);
  return { map: golden ? markAgainstGolden(map, golden.raw, golden.file).map : map, spec: booted };
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { golden: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(io, 'map', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`${usage}\n`); return EXIT.ok; }
  if (parsed.positionals.length !== 1) return usageError(io, 'map', `expected one profile, got ${parsed.positionals.length}`, USAGE);
  const arg = parsed.positionals[0]!;
  const file = resolveProfile(arg);
  if (!file) return usageError(io, 'map', `expected a profile name in ${displayPath(goldensDir)}/ or a profile file, got "${arg}"`, USAGE);
  try {
    const out = parsed.values.out ?? 'map.html';
    const kind = outKind(out);
    const target = checkOutputFile(out, '--out');
    const spec = loadProfile(file);
    let golden: { raw: Uint8Array; file: string } | undefined;
    if (parsed.values.golden !== undefined) {
      const shown = displayPath(parsed.values.golden);
      const r = readLogBytes(parsed.values.golden, shown);
      if ('unreadable' in r) throw new ReportError('REPORT_GOLDEN_UNREADABLE', `${shown}: --golden: expected a readable serial log, got ${r.unreadable}`, { cause: r.cause });
      golden = { raw: r.bytes, file: shown };
    }
    const { map, spec: booted } = mapOf(spec, golden);
    const subtitle = `profile ${displayPath(spec.file)}: ${spec.machine}, ${spec.memoryText}, ${spec.cpus} CPU(s), kernel ${spec.kernel}${booted.cmdline ? `, cmdline "${booted.cmdline}"` : ''}`;
    writeFileAtomic(target, kind === 'svg' ? `${renderMapSvg(map)}\n` : renderMapHtml(map, subtitle));
    const n = map.physical.length + map.virtual.length;
    io.stdout(`wrote ${displayPath(target)}: ${n} regions${map.golden ? `; ${map.golden.note}` : ''}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportCodedError(io, 'map', e);
  }
}
