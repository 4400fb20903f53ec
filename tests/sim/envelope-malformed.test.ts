// sim/envelope.ts malformedEarlyOption(): the early parameters whose handler returns -EINVAL without
// a value ("Malformed early option"), refused at load time at the parameter's column.
import { describe, expect, test } from 'vitest';
import { malformedEarlyOption } from '../../sim/envelope.ts';
import { parseProfile } from '../../harness/profile/load.ts';
import { SimError } from '../../sim/lib/errors.ts';

describe('malformedEarlyOption', () => {
  test.each([
    // expect: a bare highmem on i386 (parse_highmem: if (!arg) return -EINVAL), at its offset
    ['bare_highmem_i386', 'quiet_not highmem', 'i386', { name: 'highmem', offset: 10 }],
    // expect: vmalloc likewise (parse_vmalloc)
    ['bare_vmalloc_i386', 'vmalloc', 'i386', { name: 'vmalloc', offset: 0 }],
    // expect: log_buf_len on either architecture, '-' and '_' alike (parameq)
    ['bare_log_buf_len_dashes', 'nokaslr log-buf-len', 'x86_64', { name: 'log_buf_len', offset: 8 }],
    // expect: highmem and vmalloc are X86_32 early params only: nothing on x86_64
    ['highmem_on_x86_64', 'highmem vmalloc', 'x86_64', undefined],
    // expect: with a value (even an empty one) the handler runs: nothing
    ['with_values', 'highmem=512M vmalloc= log_buf_len=1M', 'i386', undefined],
    // expect: after "--" the words are init's arguments
    ['after_double_dash', '-- highmem', 'i386', undefined],
    // expect: a longer name is another parameter
    ['longer_name', 'highmemx', 'i386', undefined],
  ] as const)('%s', (_n, cmdline, arch, want) => {
    const got = malformedEarlyOption(cmdline, arch);
    expect(got === undefined ? undefined : { name: got.name, offset: got.offset }).toEqual(want);
  });

  test('load_time_position: expect SIM_NOT_MODELLED at the parameter column of the profile, naming the rule', () => {
    const src = 'kernel: 6.1-686-pae\nmachine: pc\nmemory: 1G\ncpus: 2\ncmdline: "nokaslr highmem"\n';
    let err: unknown;
    try {
      parseProfile(src, '/tmp/t/profile.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimError);
    const e = err as SimError;
    expect(e.code).toBe('SIM_NOT_MODELLED');
    expect(e.message).toMatch(/cmdline: expected highmem=<size>, got "highmem" without a value \(arch\/x86\/mm\/init_32\.c parse_highmem\(\) returns -EINVAL/);
    // the value starts at column 10 ("cmdline: " is 9 characters), the quote at 10, "highmem" 8 further on
    expect(e.pos).toMatchObject({ line: 5, col: 19 });
  });
});
