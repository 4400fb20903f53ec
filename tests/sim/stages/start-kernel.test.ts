import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../harness/profile/load.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { simulate } from '../../../sim/boot.ts';
import { SimError } from '../../../sim/lib/errors.ts';

const run = (kernel: string, cpus: number) => () =>
  simulate({ spec: parseProfile(`kernel: ${kernel}\nmachine: pc\nmemory: 1G\ncpus: ${cpus}\n`, `t/${kernel.replace(/\./g, '_')}-${cpus}.yaml`), kernel: loadKernelWithFacts(kernel) });

describe('setup_log_buf', () => {
  // kernel/printk/printk.c: cpu_extra = (possible − 1) << LOG_CPU_MAX_BUF_SHIFT; grows log_buf when > __LOG_BUF_LEN / 2
  it.each(['6.1-686', '6.1-amd64'])('log_buf_grows_refused_%s: expect SIM_NOT_MODELLED at 20 CPUs (4096 × 19 > 128K / 2), on either arch', (k) => {
    const err = (() => { try { run(k, 20)(); } catch (e) { return e; } return undefined; })();
    expect(err).toBeInstanceOf(SimError);
    expect((err as SimError).code).toBe('SIM_NOT_MODELLED');
    expect((err as SimError).message).toContain('setup_log_buf: 20 possible CPUs');
  });
  it('log_buf_fixed_16_cpus: expect a normal boot at 16 CPUs (4096 × 15 ≤ 64K)', () => {
    expect(run('6.1-686', 16)().lines.length).toBeGreaterThan(30);
  });
});
