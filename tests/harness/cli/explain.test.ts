import { describe, expect, it } from 'vitest';
import { explainText } from '../../../harness/cli/commands/explain.ts';

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
});
