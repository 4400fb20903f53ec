// Live: the stored `-cpu help` fixtures and the QMP reports of a few models equal what the installed
// QEMU prints now, and the generated model table is what qemu-scripts/cpu-models/extract.ts makes
// from the QEMU 7.2 source tree: BOOTSIM_QEMU_SRC, else Debian's qemu source package at the pinned version
// (qemu-scripts/cpu-models/source.ts: apt-get source into the cache, fetched on the first run).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuHelp, qmpCpuReport, type QmpCpuReport } from '../../qemu-scripts/cpu-models/capture-fixture.ts';
import { extractCpuModels, renderModule, GENERATED_PATH, SOURCE_LABEL } from '../../qemu-scripts/cpu-models/extract.ts';
import { QEMU_SOURCE_VERSION, qemuSourceTree } from '../../qemu-scripts/cpu-models/source.ts';

const fixture = (f: string): string => readFileSync(new URL(`../fixtures/qemu/${f}`, import.meta.url), 'utf8');

describe.each(['x86_64', 'i386'] as const)('qemu-system-%s', (target) => {
  it('cpu_help_matches_fixture: -cpu help prints the stored fixture', () => {
    expect(cpuHelp(target)).toBe(fixture(`cpu-help-${target}.txt`));
  });
  it.each(['qemu64', 'Skylake-Client', 'EPYC', 'max'])('qmp_report_matches_fixture_%s', (name) => {
    const stored = (JSON.parse(fixture(`cpu-models-${target}.json`)) as QmpCpuReport[]).find((r) => r.name === name);
    expect(qmpCpuReport(target, name)).toEqual(stored);
  });
});

it('generated_table_up_to_date: sim/firmware/qemu-7.2-cpu-models.ts is what the extractor makes from the source', async () => {
  // the label the table carries names the source version fetched
  expect(SOURCE_LABEL).toContain(`Debian ${QEMU_SOURCE_VERSION.replace(/^\d+:/, '')}`);
  const src = process.env.BOOTSIM_QEMU_SRC ?? (await qemuSourceTree());
  expect(renderModule(extractCpuModels(src), SOURCE_LABEL)).toBe(readFileSync(GENERATED_PATH, 'utf8'));
}, 600_000);
