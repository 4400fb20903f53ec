// Tests for harness/report/explore/ (trace.ts, model.ts, html.ts, functions.ts): one step per
// stage in boot order, each with the lines that stage printed and only the slices it declares it
// writes; the page has one section and one list item per stage, one column per boot; the same
// input gives the same bytes.
import { describe, expect, test } from 'vitest';
import { goldenProfile } from '../../../golden-profiles.ts';
import { simulateSpec } from '../../../../harness/simulate.ts';
import { traceSpec } from '../../../../harness/report/explore/trace.ts';
import { diffRows, exploreBoot, fieldRows, sliceChanges } from '../../../../harness/report/explore/model.ts';
import { renderExploreHtml } from '../../../../harness/report/explore/html.ts';
import { STAGE_FUNCTIONS } from '../../../../harness/report/explore/functions.ts';
import { stages } from '../../../../sim/boot.ts';
import { stages30 } from '../../../../sim/stages/old/pipeline-30.ts';
import { stages34 } from '../../../../sim/stages/old/pipeline-34.ts';
import { stages2611i386, stages2611x86_64 } from '../../../../sim/stages/old/pipeline-2611.ts';

const profile = goldenProfile;
const spec = profile('x86_64-6.1-pc-512m');
const traced = traceSpec(spec);
const boot = exploreBoot(traced);

describe('explore model', () => {
  // expect every stage of the pipeline to name the kernel function it models
  test('stage_functions_cover_pipeline: expect an entry with fn, path and file for every stage of sim/boot.ts and of the 3.0, 2.6.34 and 2.6.11 pipelines', () => {
    const all = [...stages, ...stages30, ...stages34, ...stages2611i386, ...stages2611x86_64];
    const missing = all.map((s) => s.name).filter((n) => STAGE_FUNCTIONS[n] === undefined);
    expect(missing).toEqual([]);
    for (const s of all) expect(STAGE_FUNCTIONS[s.name]!.file).not.toBe('');
  });

  // expect a 3.0 golden's explorer to have one step per stage of the 3.0 pipeline, whose lines are `bootsim sim`'s
  test('explore_30_one_step_per_stage: expect stages30\'s names in order, their lines equal to bootsim sim, each with its kernel function, and the legacy30 slice as the state changed', () => {
    const spec30 = profile('i386-3.0-pc-1g');
    const b30 = exploreBoot(traceSpec(spec30));
    expect(b30.steps.map((s) => s.stage)).toEqual(stages30.map((s) => s.name));
    expect(b30.steps.flatMap((s) => s.lines.map((l) => l.text))).toEqual(simulateSpec(spec30).map((l) => l.text));
    for (const s of b30.steps) expect(s.fn).toBeDefined();
    // the stages that write legacy30 show it changed; those that write nothing show no change
    const writers = new Set(stages30.filter((s) => s.writes.includes('legacy30')).map((s) => s.name));
    for (const s of b30.steps) if (!writers.has(s.stage)) expect(s.changes).toEqual([]);
    expect(b30.steps.find((s) => s.stage === 'setupMemoryMap30')!.changes.map((c) => c.slice)).toEqual(['legacy30']);
    const html = renderExploreHtml([b30], 't30');
    expect(html).toContain('i386-3.0-pc-1g');
    // and a 2.6.34 golden's: one step per stage of stages34
    const spec34 = profile('i386-2.6.34-pc-1g');
    expect(exploreBoot(traceSpec(spec34)).steps.map((s) => s.stage)).toEqual(stages34.map((s) => s.name));
    // and the 2.6.11 goldens': one step per stage of each arch's pipeline, the lines bootsim sim prints
    for (const [name, st] of [['i386-2.6.11-pc-1g', stages2611i386], ['x86_64-2.6.11-pc-1g-2cpu', stages2611x86_64]] as const) {
      const b = exploreBoot(traceSpec(profile(name)));
      expect(b.steps.map((s) => s.stage)).toEqual(st.map((s) => s.name));
      expect(b.steps.flatMap((s) => s.lines.map((l) => l.text))).toEqual(simulateSpec(profile(name)).map((l) => l.text));
      expect(b.steps.find((s) => s.stage === 'setupArchMemoryMap2611')!.changes.map((c) => c.slice)).toEqual(['legacy2611']);
    }
  });

  // expect one step per stage, in order, whose lines together are the boot's output
  test('explore_one_step_per_stage: expect the pipeline\'s stage names in order and their lines equal to bootsim sim', () => {
    expect(boot.steps.map((s) => s.stage)).toEqual(stages.map((s) => s.name));
    expect(boot.steps.flatMap((s) => s.lines.map((l) => l.text))).toEqual(simulateSpec(spec).map((l) => l.text));
    // a probe: state profile boots its initrd: the trace is that boot too (RAMDISK: and the initrd reservation)
    const state = { ...spec, probe: 'state' as const };
    const traced = traceSpec(state);
    expect(traced.lines.map((l) => l.text)).toEqual(simulateSpec(state).map((l) => l.text));
    expect(traced.lines.some((l) => l.text.startsWith('RAMDISK: '))).toBe(true);
    const e820 = boot.steps.find((s) => s.stage === 'e820Setup')!;
    expect(e820.lines[0]!.text).toBe('BIOS-provided physical RAM map:');
    expect(e820.lines.find((l) => l.fmt === 'e820.entry')!.derivation.map((d) => d.field)).toEqual(['start', 'end', 'size', 'type']);
  });

  // expect a step to show only the slices its stage declares it writes, and the memblock step to list the reservations it made
  test('explore_changes_within_writes: expect changed slices ⊆ declared writes, memblockSetup\'s reservations = its new ledger entries', () => {
    traced.steps.forEach((s, i) => {
      const changed = sliceChanges(s.before, s.after, traced.traits).map((c) => c.slice);
      for (const c of changed) expect(stages[i]!.writes, `${s.name} changed ${c}`).toContain(c);
    });
    const i = stages.findIndex((s) => s.name === 'memblockSetup');
    const st = traced.steps[i]!;
    const made = st.after.memblock!.ledger.slice(st.before.memblock?.ledger.length ?? 0);
    const mb = boot.steps[i]!.changes.find((c) => c.slice === 'memblock')!;
    const rows = mb.tables.find((t) => t.caption === 'reservations made')!.rows;
    expect(rows.map((r) => r.cells[0])).toEqual(made.flatMap((e) => (e.made ?? e.ranges).map(() => e.why)));
    expect(rows.every((r) => r.mark === 'added')).toBe(true);
    // a stage that writes nothing changes nothing and, printing nothing, is idle
    const env = boot.steps.find((s) => s.stage === 'envelopeStage')!;
    expect([env.changes.length, env.idle]).toEqual([0, true]);
  });

  // expect row marks: kept rows same, new rows added, gone rows removed
  test('diff_rows_marks: expect same, added, then removed', () => {
    expect(diffRows([['a'], ['b']], [['a'], ['c']])).toEqual([{ cells: ['a'], mark: 'same' }, { cells: ['c'], mark: 'added' }, { cells: ['b'], mark: 'removed' }]);
  });

  // expect fields flattened with bigints in hex and long lists by length
  test('field_rows: expect nested fields by path, 0x hex above 9, a list of 17 as its length', () => {
    expect(fieldRows({ a: 16n, b: { c: 3n }, l: Array.from({ length: 17 }, () => 1) })).toEqual([['a', '0x10'], ['b.c', '3'], ['l', '17 items']]);
  });
});

describe('explore page', () => {
  const html = renderExploreHtml([boot], 't');

  // expect one list item and one section per stage, with data-stage and data-index, the first one current
  test('explore_html_steps: expect li and section.step per stage in order, one div.boot each, the first current', () => {
    const secs = [...html.matchAll(/<section class="step( current)?" data-stage="([^"]+)" data-index="(\d+)"/g)];
    expect(secs.map((m) => m[2])).toEqual(stages.map((s) => s.name));
    expect(secs.map((m) => Number(m[3]))).toEqual(stages.map((_, i) => i));
    expect(secs.filter((m) => m[1] !== undefined).map((m) => m[3])).toEqual(['0']);
    expect([...html.matchAll(/<li data-stage="([^"]+)" data-index="\d+"/g)].map((m) => m[1])).toEqual(stages.map((s) => s.name));
    expect((html.match(/<div class="boot[^"]*" data-kernel="6\.1-amd64">/g) ?? []).length).toBe(stages.length);
    expect(html).toContain("e.key === 'ArrowRight' || e.key === 'j'");
    expect(html).toContain("e.key === 'ArrowLeft' || e.key === 'k'");
  });

  // expect two boots side by side: two div.boot per step, one per kernel
  test('explore_html_side_by_side: expect a 6.1 and a 5.10 column in every step', () => {
    const other = exploreBoot(traceSpec({ ...spec, kernel: '5.10-amd64' }));
    const two = renderExploreHtml([boot, other], 't2');
    expect((two.match(/data-kernel="6\.1-amd64"/g) ?? []).length).toBe(stages.length);
    expect((two.match(/data-kernel="5\.10-amd64"/g) ?? []).length).toBe(stages.length);
    expect(two).toContain('data-boots="2"');
    // ≠ on the stages that read differently: memblockSetup does (5.10's reservelow), the envelope does not
    const differing = [...two.matchAll(/<li data-stage="([^"]+)" data-index="\d+" class="[^"]*differs/g)].map((m) => m[1]);
    expect(differing).toContain('memblockSetup');
    expect(differing).not.toContain('envelopeStage');
    expect(html).not.toContain('class="differs"');
  });

  // expect the same bytes from a second trace, and nothing fetched from outside
  test('explore_deterministic_self_contained: expect identical bytes, no http(s), no src or href', () => {
    expect(renderExploreHtml([exploreBoot(traceSpec(spec))], 't')).toBe(html);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).toContain('<meta name="viewport"');
  });
});
