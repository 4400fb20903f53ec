import { describe, expect, test } from 'vitest';
import { cmdlineRegistrations, parameq, parameqn, parseParams, paramRefusal, slubDebugOptions, unknownParams, PARAM_REVIEWS } from '../../../sim/stages/cmdline.ts';
import { parseProfile } from '../../../harness/profile/load.ts';
import { simulate } from '../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { deriveTraits } from '../../../sim/traits.ts';
import type { KernelParams } from '../../../sim/kernel-facts.ts';
import { SimError } from '../../../sim/lib/errors.ts';

const FIXED = 'console=ttyS0 nokaslr panic=-1 loglevel=8';
const kernel = (id: string) => {
  const k = loadKernelWithFacts(id);
  return { params: k.facts.params, traits: deriveTraits(k) };
};

describe('unknown kernel command line parameters, from the image tables', () => {
  // The expected lists are what the real kernels printed, captured 2026-12-01 with
  // `npx bootsim capture` (pc, 1G, 2 CPUs) from profiles with these cmdlines.
  const MIX = 'mitigations=off noexec=off foo=bar quietx printk.time=1 nosuchmod.x=3 bar -- initarg';
  test.each([
    // expect: only nokaslr (read by the decompressor, arch/x86/boot/compressed/kaslr.c) is left over
    ['fixed', '6.1-amd64', FIXED, ['nokaslr']],
    ['fixed', '6.12-amd64', FIXED, ['nokaslr']],
    ['fixed', '7.2-amd64', FIXED, ['nokaslr']],
    ['fixed', '6.1-686', FIXED, ['nokaslr']],
    // expect (captured): mitigations is an early_param, printk.time a built-in module parameter,
    // nosuchmod.x dotted (ignored), noexec unknown from 6.1 (no early_param("noexec") on x86 any more),
    // flags before NAME=val, nothing after "--"
    ['mix', '6.1-amd64', `${FIXED} ${MIX}`, ['nokaslr', 'quietx', 'bar', 'noexec=off', 'foo=bar']],
    ['mix', '6.12-amd64', `${FIXED} ${MIX}`, ['nokaslr', 'quietx', 'bar', 'noexec=off', 'foo=bar']],
    ['mix', '7.2-amd64', `${FIXED} ${MIX}`, ['nokaslr', 'quietx', 'bar', 'noexec=off', 'foo=bar']],
    ['mix', '6.1-686', `${FIXED} ${MIX}`, ['nokaslr', 'quietx', 'bar', 'noexec=off', 'foo=bar']],
    // expect: 5.10 still has early_param("noexec") (arch/x86/mm/init_64.c, setup_nx.c): claimed
    ['mix', '5.10-amd64', `${FIXED} ${MIX}`, ['nokaslr', 'quietx', 'bar', 'foo=bar']],
    // expect (captured): slub_debug is __setup("slub_debug"), whose handler returns 1; log_buf_len an early_param
    ['slub_debug', '6.1-amd64', `${FIXED} slub_debug`, ['nokaslr']],
    ['slub_debug', '6.12-amd64', `${FIXED} slub_debug`, ['nokaslr']],
    ['log_buf_len', '6.1-amd64', `${FIXED} log_buf_len=4M`, ['nokaslr']],
    ['log_buf_len', '6.12-amd64', `${FIXED} log_buf_len=4M`, ['nokaslr']],
    ['log_buf_len', '6.1-686', `${FIXED} log_buf_len=4M`, ['nokaslr']],
    // expect: a later NAME=… replaces an earlier one in envp_init (strncmp len+1)
    ['env_replaced', '6.1-amd64', 'foo=1 bar foo=2', ['bar', 'foo=2']],
    // expect: '-' and '_' are the same in a name (parameq): no-kvmclock is early_param("no-kvmclock")
    ['dash_underscore', '6.12-amd64', 'no_kvmclock no-kvmclock', []],
    // expect: the bootloader ids and sysctl aliases are claimed from 6.1
    ['bootloader', '6.12-amd64', 'BOOT_IMAGE=/vmlinuz kexec hung_task_panic=1', []],
  ])('unknown_%s_%s', (_n, id, cl, want) => {
    const k = kernel(id);
    expect(unknownParams(cl, k.params, k.traits)).toEqual(want);
  });

  test('unknown_unreviewedSetup_refused: expect SIM_NOT_MODELLED when a __setup handler of unread return decides', () => {
    // "hpet=" is a non-early __setup on every build; hpet_setup's return value was not reviewed
    const k = kernel('6.1-amd64');
    expect(() => unknownParams('hpet=disable', k.params, k.traits)).toThrow(SimError);
    expect(() => unknownParams('hpet=disable', k.params, k.traits)).toThrow(/reaches __setup\("hpet="\)/);
  });

  test('unknown_setupReturnsZero: expect a parameter whose __setup handler returns 0 to go on to init', () => {
    // a hand-built table: __setup("foo=") with a handler reviewed as returning 0 is not a claim
    const params: KernelParams = { setup: [{ str: 'console=', early: false }], module: [] };
    const t = kernel('6.1-amd64').traits;
    expect(unknownParams('console=ttyS0 x', params, t)).toEqual(['x']);
    // an early entry matches exactly: "rodatax" is not early_param("rodata")
    const early: KernelParams = { setup: [{ str: 'rodata', early: true }], module: [] };
    expect(unknownParams('rodata=on rodatax', early, t)).toEqual(['rodatax']);
  });
});

describe('registrations and the review register', () => {
  test.each([
    ['mitigations=off', '6.12-amd64', [{ kind: 'early', name: 'mitigations' }]],
    ['slub_debug', '6.12-amd64', [{ kind: 'setup', name: 'slub_debug' }]],
    ['printk.time=1', '6.1-686', [{ kind: 'module', name: 'printk.time', level: -1, noarg: true }]],
    ['panic=-1', '6.1-amd64', [{ kind: 'module', name: 'panic', level: -1, noarg: false }]],
    ['nokaslr', '7.2-amd64', []],
    ['noexec=off', '6.12-amd64', []],
    ['noexec=off', '5.10-686-pae', [{ kind: 'early', name: 'noexec' }]],
  ])('registrations_%s_%s', (arg, id, want) => {
    const k = kernel(id);
    expect(cmdlineRegistrations(parseParams(arg)[0]!, k.params, k.traits)).toEqual(want);
  });

  test('reviews_nameKernelParams: expect every reviewed name to be registered by at least one pinned build', () => {
    const ids = ['5.10-686-pae', '5.10-amd64', '6.1-686', '6.1-686-pae', '6.1-amd64', '6.12-amd64', '7.2-amd64'];
    const names = new Set(ids.flatMap((id) => {
      const p = kernel(id).params;
      return [...p.setup.map((e) => e.str.replace(/=$/, '')), ...p.module.map((m) => m.name)].map((n) => n.replace(/-/g, '_'));
    }));
    const missing = PARAM_REVIEWS.flatMap((r) => r.names).filter((n) => !names.has(n.replace(/-/g, '_')));
    // a review of a name no build registers would never be consulted: the kernel hands such a name to init
    expect(missing).toEqual([]);
  });

  test('refusal_names_parameter: expect the refusal to name the parameter as given and its registration', () => {
    const k = kernel('6.12-amd64');
    expect(paramRefusal('foo=1 log_buf_len=4M mitigations=auto', k.params, k.traits)).toMatch(/^mitigations=auto: early_param\("mitigations"\) is not modelled: kernel\/cpu\.c/);
    expect(paramRefusal('foo=1 nokaslr -- mitigations=auto', k.params, k.traits)).toBeUndefined();
  });

  test.each([
    // accepted: modelled by the crashkernel, dma-contiguous, mm-core-misc, hugetlb and hashes stages
    ['6.1-amd64', 'crashkernel=256M', undefined],
    ['7.2-amd64', 'cma=64M swiotlb=16384', undefined],
    ['6.12-amd64', 'hugepagesz=2M hugepages=16 default_hugepagesz=2M', undefined],
    ['6.1-686', 'dhash_entries=0x10000 ihash_entries=010', undefined],
    // refused by name: a malformed hash size (kstrtoul on 7.2 would hand it to init), hugetlb_cma=, the raw readers
    ['7.2-amd64', 'dhash_entries=64k', /^dhash_entries=64k: __setup\("dhash_entries="\) is not modelled here: only a plain number/],
    ['7.2-amd64', 'hugetlb_cma=1G', /^hugetlb_cma=1G: .*is not modelled: mm\/hugetlb\.c hugetlb_cma_reserve/],
    ['6.12-amd64', 'no5lvl', /^no5lvl: read from the command line by cmdline_find_option\(\), not modelled/],
    ['6.1-amd64', 'mem_encrypt=on', /^mem_encrypt=on: read from the command line/],
  ] as const)('memory_params %s %s', (id, cl, want) => {
    const k = kernel(id);
    const r = paramRefusal(cl, k.params, k.traits);
    if (want === undefined) expect(r).toBeUndefined();
    else expect(r).toMatch(want);
  });

  test('memory_params_claimed: expect crashkernel=, hugepages= and dhash_entries= claimed (not "Unknown"), cma= unknown where no build handler exists (6.1, no CONFIG_DMA_CMA)', () => {
    const k61 = kernel('6.1-amd64');
    expect(unknownParams('crashkernel=64M hugepages=4 dhash_entries=1024 cma=64M', k61.params, k61.traits)).toEqual(['cma=64M']);
    const k72 = kernel('7.2-amd64');
    expect(unknownParams('crashkernel=64M hugepages=4 dhash_entries=1024 cma=64M', k72.params, k72.traits)).toEqual([]);
  });
});

describe('kernel/params.c name comparison', () => {
  test.each([
    ['no-kvmclock', 'no_kvmclock', true],
    ['a', 'ab', false],
    ['ab', 'a', false],
  ])('parameq_%s_%s', (a, b, want) => expect(parameq(a, b)).toBe(want));
  test.each([
    // expect: "console=" is a prefix of "console=ttyS0", '=' included
    ['console=ttyS0', 'console=', 8, true],
    ['console', 'console=', 8, false],
    ['slub-debug=FZ', 'slub_debug', 10, true],
  ])('parameqn_%s_%s', (a, b, n, want) => expect(parameqn(a, b, n)).toBe(want));
});

describe('slub_debug as setup_slub_debug() reads it', () => {
  test.each([
    // expect: `if (*str++ != '=' || !*str)` — full debugging for no '=', an empty value, or any other suffix
    ['slub_debug', undefined],
    ['slub_debug=', undefined],
    ['slub_debugX', undefined],
    ['slub_debug=FZ', 'FZ'],
    ['slub_debug=P,kmalloc-64', 'P,kmalloc-64'],
  ])('options_%s', (arg, want) => expect(slubDebugOptions(arg)).toBe(want));

  const kernelLines = (kernel: string, cmdline: string): string[] => {
    const k = loadKernelWithFacts(kernel);
    const spec = parseProfile(`kernel: ${kernel}\nmachine: pc\nmemory: 1G\ncpus: 2\ncmdline: "${cmdline}"\n`, 't.yaml');
    // start_kernel's parse_args() lines: what cmdlineKernel prints after "Kernel command line:"
    return simulate({ spec, kernel: k }).lines.filter((l) => l.stage === 'cmdline' && l.fmt !== 'cmdline.x86').map((l) => l.text);
  };
  const POISON = 'mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free';
  // Captured 2026-12-01 (pc, 1-2G): every row's kernel printed these lines in this order.
  test.each([
    ['6.1', '6.1-amd64', 'slub_debug', [POISON, 'Unknown kernel command line parameters "nokaslr", will be passed to user space.']],
    // expect (captured): on 6.1 init_on_alloc=0 only sets _init_on_alloc_enabled_early; the static key keeps the config default (on)
    ['6.1_initOnAllocOff', '6.1-amd64', 'init_on_alloc=0 slub_debug', [POISON, 'Unknown kernel command line parameters "nokaslr", will be passed to user space.']],
    ['6.1_686_initOnAllocOff', '6.1-686', 'slub_debug init_on_alloc=0', [POISON, 'Unknown kernel command line parameters "nokaslr", will be passed to user space.']],
    // expect (captured): 5.10 has no print_unknown_bootoptions
    ['5.10', '5.10-amd64', 'slub_debug', [POISON]],
  ])('slab_poison_line_%s', (_n, kernel, cmdline, want) => {
    expect(kernelLines(kernel, cmdline).slice(1)).toEqual(want);
  });

  test('slab_poison_line_510_initOnAllocOff: expect no line on 5.10 when init_on_alloc=0 turned the static key off first', () => {
    // 5.10.223 early_init_on_alloc(): static_branch_disable(&init_on_alloc); INIT_ON_FREE_DEFAULT_ON is off in the build
    expect(loadKernelWithFacts('5.10-amd64').facts.config.INIT_ON_FREE_DEFAULT_ON).toBeUndefined();
    expect(kernelLines('5.10-amd64', 'init_on_alloc=0 slub_debug').slice(1)).toEqual([]);
  });
});

describe('CPU and NUMA parameters in PARAM_REVIEWS', () => {
  const k = loadKernelWithFacts('6.1-amd64');
  const refusal = (cmdline: string) => paramRefusal(cmdline, k.facts.params, deriveTraits(k));
  test.each([
    // expect: modelled by possible-cpus.ts, numa.ts and numa-emulation.ts, or unchanged (noapic)
    ['nosmp'], ['maxcpus=1'], ['nr_cpus=2'], ['possible_cpus=4'], ['numa=off'], ['numa=fake=2'], ['noapic'], ['acpi=off'],
  ])('accepted_%s', (cmdline) => {
    expect(refusal(cmdline)).toBeUndefined();
  });
  test.each([
    // expect: forms that are not modelled are refused, each naming itself
    ['numa=fake=512M', /numa=fake=512M: .*size form|M\/G size/],
    ['numa=fake=2U', /numa=fake=2U: .*U/],
    ['numa=noacpi', /numa=noacpi: .*only numa=off and numa=fake=N/],
    ['acpi=noirq', /acpi=noirq: .*only acpi=off/],
    ['nolapic', /nolapic: .*not modelled/],
    ['disable_cpu_apicid=1', /disable_cpu_apicid=1: .*not modelled/],
  ])('refused_%s', (cmdline, re) => {
    expect(refusal(cmdline)).toMatch(re);
  });
});
