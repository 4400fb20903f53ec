// Captures what the installed QEMU says about its x86 CPU models, as test fixtures:
//   tests/fixtures/qemu/cpu-help-<target>.txt   `qemu-system-<target> -cpu help`, verbatim
//   tests/fixtures/qemu/cpu-models-<target>.json for every model the help lists (but "host"), what a
//     realized TCG vCPU reports over QMP (qom-get on the CPU object): feature-words,
//     filtered-features, phys-bits, vendor, family, model, stepping, model-id.
// tests/sim/firmware/qemu-7.2-cpu.test.ts checks sim/firmware/qemu-7.2-cpu.ts against them.
//
//   npx tsx qemu-scripts/cpu-models/capture-fixture.ts [--target x86_64|i386] [--out DIR]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Target = 'x86_64' | 'i386';

export class FixtureError extends Error {
  readonly code = 'CPU_FIXTURE_FAILED';
}

const FIXTURE_DIR = fileURLToPath(new URL('../../tests/fixtures/qemu', import.meta.url));

/** The model names of `-cpu help` output ("x86 <name>  <description>" lines). */
export function modelsOfCpuHelp(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^x86 (\S+)/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** The "Recognized CPUID flags:" list of `-cpu help` output. */
export function flagsOfCpuHelp(text: string): string[] {
  const at = text.indexOf('Recognized CPUID flags:');
  if (at < 0) return [];
  return text.slice(at + 'Recognized CPUID flags:'.length).split(/\s+/).filter(Boolean);
}

export function cpuHelp(target: Target): string {
  const r = spawnSync(`qemu-system-${target}`, ['-cpu', 'help'], { encoding: 'utf8' });
  if (r.status !== 0) throw new FixtureError(`qemu-system-${target} -cpu help: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export interface QmpCpuReport {
  readonly name: string;
  readonly featureWords: readonly { eax: number; ecx: number; reg: string; features: number }[];
  readonly filteredFeatures: readonly { eax: number; ecx: number; reg: string; features: number }[];
  readonly physBits: number;
  readonly vendor: string;
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
  readonly modelId: string;
  /** env->cpuid_xlevel after realize: the highest extended leaf (min-xlevel raised by x86_cpu_adjust_feat_level). */
  readonly xlevel: number;
  /** QEMU's stderr: its "TCG doesn't support requested feature" warnings. */
  readonly warnings: readonly string[];
}

interface RawWord { 'cpuid-input-eax': number; 'cpuid-input-ecx'?: number; 'cpuid-register': string; features: number }

/** Starts `-cpu <name> -S` under TCG and reads the realized CPU's properties over QMP. */
export function qmpCpuReport(target: Target, name: string): QmpCpuReport {
  const dev = '/machine/unattached/device[0]';
  const props = ['feature-words', 'filtered-features', 'phys-bits', 'vendor', 'family', 'model', 'stepping', 'model-id', 'xlevel'];
  const cmds = [{ execute: 'qmp_capabilities' }, ...props.map((p) => ({ execute: 'qom-get', arguments: { path: dev, property: p } })), { execute: 'quit' }];
  const r = spawnSync(`qemu-system-${target}`, ['-machine', 'pc', '-accel', 'tcg', '-cpu', name, '-S', '-nodefaults', '-display', 'none', '-qmp', 'stdio'], {
    input: cmds.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', timeout: 60_000,
  });
  if (r.status !== 0) throw new FixtureError(`qemu-system-${target} -cpu ${name}: exit ${r.status}: ${r.stderr}`);
  const replies = r.stdout.split('\n').filter((l) => l.startsWith('{"return"')).map((l) => (JSON.parse(l) as { return: unknown }).return);
  // replies: qmp_capabilities {}, then one per property, then quit {}
  const v = replies.slice(1, 1 + props.length);
  if (v.length !== props.length) throw new FixtureError(`qemu-system-${target} -cpu ${name}: expected ${props.length} QMP replies, got ${v.length}`);
  const words = (x: unknown): QmpCpuReport['featureWords'] => (x as RawWord[]).map((w) => ({ eax: w['cpuid-input-eax'], ecx: w['cpuid-input-ecx'] ?? 0, reg: w['cpuid-register'], features: w.features }));
  return {
    name,
    featureWords: words(v[0]),
    filteredFeatures: words(v[1]),
    physBits: v[2] as number,
    vendor: v[3] as string,
    family: v[4] as number,
    model: v[5] as number,
    stepping: v[6] as number,
    modelId: v[7] as string,
    xlevel: v[8] as number,
    warnings: r.stderr.split('\n').filter(Boolean),
  };
}

function main(argv: string[]): number {
  const ti = argv.indexOf('--target');
  const oi = argv.indexOf('--out');
  const targets: Target[] = ti >= 0 ? [argv[ti + 1] as Target] : ['x86_64', 'i386'];
  const out = oi >= 0 ? argv[oi + 1]! : FIXTURE_DIR;
  mkdirSync(out, { recursive: true });
  for (const t of targets) {
    const help = cpuHelp(t);
    writeFileSync(path.join(out, `cpu-help-${t}.txt`), help);
    const reports = modelsOfCpuHelp(help).filter((n) => n !== 'host').map((n) => {
      process.stderr.write(`${t} ${n}\n`);
      return qmpCpuReport(t, n);
    });
    writeFileSync(path.join(out, `cpu-models-${t}.json`), JSON.stringify(reports, null, 1) + '\n');
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) process.exitCode = main(process.argv.slice(2));
