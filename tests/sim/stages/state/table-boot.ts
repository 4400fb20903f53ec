// A simulated boot to read a series' slab cache table against (the caches-<series> tests): a pc
// machine with 2 CPUs on one kernel, a copy with some config options replaced, and the facts' struct sizes.
import { bootContext, type BootContext } from '../../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

/** The context of a pc boot of `kernel` with 2 CPUs and `memory` (its bytes and as the profile writes it), the profile fields in `p` replaced. */
export function tableBootCtx(kernel: string, memory: { readonly bytes: number; readonly text: string }, p: Partial<MachineSpec> = {}): BootContext {
  const spec: MachineSpec = { name: 't', kernel, machine: 'pc', memoryBytes: memory.bytes, memoryText: memory.text, cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}

/** The same boot with some config options replaced (undefined: not set). */
export function withConfig(ctx: BootContext, over: Readonly<Record<string, string | undefined>>): BootContext {
  const config: Record<string, string> = { ...ctx.kernel.facts.config };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  return { ...ctx, kernel: { ...ctx.kernel, facts: { ...ctx.kernel.facts, config } } };
}

/** sizeof(struct name) from the boot's kernel facts; a struct the facts lack is a test error. */
export function structOf(ctx: BootContext): (name: string) => number {
  return (name) => {
    const s = ctx.kernel.facts.structs[name];
    if (!s) throw new Error(`facts lack struct ${name}`);
    return s.bytes;
  };
}
