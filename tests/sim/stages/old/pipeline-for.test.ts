// harness/simulate.ts: the kernel's traits choose the pipeline (3.0.1 runs sim/stages/old/ on its
// partial facts), and every line the 3.0 stages print is the catalog family they print it as.
import { describe, expect, test } from 'vitest';
import { simulate30 } from '../../../../sim/stages/old/pipeline-30.ts';
import { simulateSpec } from '../../../../harness/simulate.ts';
import { classifyLine } from '../../../../harness/catalog/classify.ts';
import { ctx30, spec30 } from './kernel-30.ts';

describe('the 3.0 pipeline in the harness', () => {
  test('simulate_spec_dispatch: expect the registered 3.0.1-i386 build to run the 3.0 stages (Genslabs), 6.1-686 the modern ones', () => {
    expect(simulateSpec(spec30()).map((l) => l.fmt)).toContain('slub.genslabs');
    expect(simulateSpec({ ...spec30(), kernel: '6.1-686' }).map((l) => l.fmt)).toContain('slub');
  });
  test('catalog_self: expect every line of a 3.0.1 boot to classify, on 3.0 i386, as the family its stage printed it as', () => {
    for (const mem of [2 ** 30, 2 ** 28]) {
      const lines = simulate30(ctx30({ memoryBytes: mem, memoryText: mem === 2 ** 30 ? '1G' : '256M' })).lines;
      expect(lines.length).toBeGreaterThan(40);
      for (const l of lines) expect(classifyLine(l.text, { version: '3.0', arch: 'i386' }).family?.id, l.text).toBe(l.fmt);
    }
  });
});
