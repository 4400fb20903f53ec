// What `bootsim kernel facts --check` (npm run check:facts, in CI) relies on, without the packages:
// the committed facts are exactly what writeFacts() writes for them (so a re-extraction that
// yields equal facts leaves the file byte for byte), they survive the YAML round trip and the
// schema, and factsEqual() tells a one-field change apart. The re-extraction itself needs the
// packages and runs only in `npm run check:facts`; its parts are tested on fixtures beside this file.
import { describe, expect, test } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kernelIds, loadKernel, loadKernelWithFacts } from '../../../harness/kernels.ts';
import { factsEqual, writeFacts } from '../../../qemu-scripts/kernel/facts.ts';
import { scratchDir } from '../../scratch.ts';

const scratch = (): string => scratchDir('bootsim-facts-check-');

describe('facts --check on the committed catalog', () => {
  test.each(kernelIds())('facts_rewrite_identical_%s: expect writeFacts of the committed facts to reproduce the file byte for byte', (id) => {
    // a local build of an old kernel has partial facts (sim/kernel-facts.ts PartialKernelFacts)
    const k = loadKernel(id);
    const facts = k.facts ?? k.partialFacts!;
    const file = path.join(scratch(), `${id}.yaml`);
    copyFileSync(k.file, file);
    writeFacts(file, facts);
    // the same bytes as the committed file, which loadKernel read and validated above: so they survive
    // the YAML round trip and the schema as the committed facts do (a parse of the copy was ~0.5 s of CPU
    // over the catalog; a written file read back is writeFacts_appends's, tests/qemu-scripts/kernel/facts.test.ts)
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(k.file, 'utf8'));
  });

  test('facts_equal_detects_one_field: expect a changed struct size, a dropped parameter or a new config option to differ', () => {
    const f = loadKernelWithFacts('6.1-amd64').facts;
    expect(factsEqual(f, { ...f })).toBe(true);
    expect(factsEqual(f, { ...f, structs: { ...f.structs, page: { bytes: 72, source: 'btf' } } })).toBe(false);
    expect(factsEqual(f, { ...f, params: { ...f.params, setup: f.params.setup.slice(1) } })).toBe(false);
    expect(factsEqual(f, { ...f, config: { ...f.config, NEW_OPTION: 'y' } })).toBe(false);
    expect(factsEqual(f, { ...f, image: { ...f.image, symbols: { ...f.image.symbols, _end: f.image.symbols._end + 4096 } } })).toBe(false);
  });
});
