import { describe, expect, it } from 'vitest';
import { explainStateText, explainText, run } from '../../../harness/cli/commands/explain.ts';
import { captureIO, sampleProfile } from './helpers.ts';

describe('explain', () => {
  it('explain_text_terms: expect the line, its stage and family, then each field with its terms and sources', () => {
    const text = explainText([
      { stage: 'numa', fmt: 'node_data', text: 'NODE_DATA(0) allocated [mem 0x1ffb5000-0x1ffdffff]', explain: { size: [{ name: 'sizeof(pg_data_t)', value: 174208, source: 'BTF' }, { name: 'PAGE_SIZE rounding', value: 0x2b000, source: 'arch/x86/mm/numa.c: alloc_node_data() (6.1)' }] } },
      { stage: 'e820', fmt: 'e820.header', text: 'BIOS-provided physical RAM map:' },
    ]);
    expect(text).toBe(
      'NODE_DATA(0) allocated [mem 0x1ffb5000-0x1ffdffff]    [numa › node_data]\n' +
        '  size:\n' +
        '    sizeof(pg_data_t) = 174208    (BTF)\n' +
        '    PAGE_SIZE rounding = 176128    (arch/x86/mm/numa.c: alloc_node_data() (6.1))\n' +
        'BIOS-provided physical RAM map:    [e820 › e820.header]\n',
    );
  });
  it('explain_state_text: expect each state field as /proc prints it, its family, then its terms', () => {
    const text = explainStateText([
      { family: 'zoneinfo', key: 'Node 0, zone DMA32: min', value: '654', explain: [{ name: 'min_free_kbytes', value: 2711n, source: 'mm/page_alloc.c: __setup_per_zone_wmarks() (6.1)' }] },
      { family: 'meminfo', key: 'MemTotal', value: '468168 kB', explain: [] },
    ]);
    expect(text).toBe(
      'Node 0, zone DMA32: min = 654    [state › zoneinfo]\n' +
        '    min_free_kbytes = 2711    (mm/page_alloc.c: __setup_per_zone_wmarks() (6.1))\n' +
        'MemTotal = 468168 kB    [state › meminfo]\n',
    );
  });
  it('explain_state_run: expect a golden profile’s zoneinfo with the min watermark’s derivation, and a bad --family refused', async () => {
    const io = captureIO();
    expect(await run([sampleProfile, '--state', '--family', 'zoneinfo'], io.io)).toBe(0);
    expect(io.out()).toMatch(/^Node 0, zone DMA32: min = \d+    \[state › zoneinfo\]\n    min_free_kbytes = \d+/m);
    expect(io.out()).not.toMatch(/MemTotal/);
    const bad = captureIO();
    expect(await run([sampleProfile, '--state', '--family', 'buddyinfo'], bad.io)).toBe(2);
    // sampleProfile is a 6.1 boot: its kmalloc caches' slabinfo and /sys/kernel/slab geometry are predicted, buddyinfo is not
    expect(bad.err()).toMatch(/expected one of zoneinfo, vmstat, meminfo, pagetypeinfo, iomem, slabinfo, slab \(what this profile's state predicts\), got "buddyinfo"/);
  });
});
