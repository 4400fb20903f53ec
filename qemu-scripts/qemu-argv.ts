// The one QEMU invocation every capture uses. Goldens depend on it byte for byte, so it is built
// here only, as an argv array from a validated MachineSpec: no shell, no string splicing.
import type { Arch, MachineSpec, NumaNodeSpec } from '../sim/types.ts';
import { SIZE_RE } from '../sim/base/sizes.ts';
import { FIXED_APPEND, MEMBLOCK_DEBUG_PARAM } from '../sim/base/cmdline.ts';

export const QEMU_BINARIES: Readonly<Record<Arch, string>> = { x86_64: 'qemu-system-x86_64', i386: 'qemu-system-i386' };

export interface QemuArgvOptions {
  /**
   * Append `memblock=debug`, which makes memblock print every reservation and allocation.
   * Default: `false`
   */
  memblockDebug?: boolean;
  /**
   * Where guest RAM comes from: 'machine', QEMU's own RAM (it reserves swap for it, so on this host a
   * guest above about 24.9G fails with "cannot set up guest memory 'pc.ram': Cannot allocate
   * memory"); 'noreserve', a memory-backend-ram with reserve=off (backends/hostmem-ram.c: RAM_NORESERVE,
   * mmap MAP_NORESERVE), which the guest cannot tell apart; 'auto', noreserve above NORESERVE_ABOVE.
   * Default: 'auto'
   */
  memoryBackend?: 'auto' | MemoryBackend;
  /**
   * An initrd image for QEMU's -initrd (a `probe: state` profile boots the probe initramfs,
   * qemu-scripts/initramfs/image.ts); its path is recorded as <initrd>.
   * Default: none
   */
  initrd?: string;
}

export type MemoryBackend = 'machine' | 'noreserve';

/**
 * 'auto' takes the non-reserving backend above 8 GiB: no golden at or below it changes its argv,
 * and every guest above it starts on a host with less RAM than the guest.
 */
export const NORESERVE_ABOVE = 8 * 2 ** 30;

export const defaults: Required<Omit<QemuArgvOptions, 'initrd'>> = { memblockDebug: false, memoryBackend: 'auto' };

export interface QemuInvocation {
  /** qemu-system-x86_64 or qemu-system-i386. */
  binary: string;
  /** Everything after the binary, one array element per argv word. */
  args: string[];
  /** The kernel command line, also present in args after -append. */
  append: string;
  /** Where guest RAM comes from (recorded in meta.yaml). */
  memoryBackend: MemoryBackend;
}

// A value QEMU splits on commas (-object, -numa, -cpu) must not carry one it did not expect.
const CPU_RE = /^[A-Za-z0-9_.-]+(,[+-][A-Za-z0-9_.-]+)*$/;

/** Builds the fixed invocation for one profile. Throws a plain Error on a spec that cannot have been validated. */
export function buildQemuInvocation(spec: MachineSpec, arch: Arch, vmlinuz: string, opts: QemuArgvOptions = {}): QemuInvocation {
  const memblockDebug = opts.memblockDebug ?? defaults.memblockDebug;
  assertValidated(spec, vmlinuz);
  const binary = QEMU_BINARIES[arch];
  if (binary === undefined) throw new Error(`buildQemuInvocation: unknown arch ${JSON.stringify(arch)}`);

  const append = [FIXED_APPEND, spec.cmdline, memblockDebug ? MEMBLOCK_DEBUG_PARAM : undefined].filter((p) => p !== undefined).join(' ');
  const choice = opts.memoryBackend ?? defaults.memoryBackend;
  const memoryBackend: MemoryBackend = choice === 'auto' ? (spec.memoryBytes > NORESERVE_ABOVE ? 'noreserve' : 'machine') : choice;
  const noreserve = memoryBackend === 'noreserve' ? ',reserve=off' : '';
  const args = ['-M', spec.machine, '-m', spec.memoryText, '-smp', String(spec.cpus)];
  // hw/core/machine.c machine_run_board_init(): -machine memory-backend= replaces the implicit RAM
  // of -m (its size must equal -m); with -numa each node's memdev is the RAM instead
  if (noreserve && !spec.numa) args.push('-object', `memory-backend-ram,id=pc.ram,size=${spec.memoryText}${noreserve}`, '-machine', 'memory-backend=pc.ram');
  if (spec.cpu !== undefined) args.push('-cpu', spec.cpu);
  args.push('-accel', 'tcg', '-nographic', '-no-reboot');
  (spec.numa ?? []).forEach((node, i) => args.push(...numaArgs(node, i, noreserve)));
  args.push('-kernel', vmlinuz);
  // hw/i386/x86.c x86_load_linux(): -initrd is loaded below initrd_addr_max and the top of low RAM
  if ((spec.probe === 'state') !== (opts.initrd !== undefined)) throw new Error(`buildQemuInvocation: ${spec.name}: a probe: state profile boots with its initrd and no other does; got probe ${spec.probe ?? 'none'} and ${opts.initrd === undefined ? 'no initrd' : 'an initrd'}`);
  if (opts.initrd !== undefined) args.push('-initrd', opts.initrd);
  args.push('-append', append);
  return { binary, args, append, memoryBackend };
}

// One RAM backend per node so that each node's size is exactly what the profile says (hw/core/numa.c).
// A memoryless node has no memdev (hw/core/numa.c parse_numa_node: neither mem= nor memdev= is a
// node of size 0; memory-backend-ram refuses size 0), a CPU-less node no cpus=.
function numaArgs(node: NumaNodeSpec, i: number, noreserve: string): string[] {
  const cpus = cpuRuns(node.cpus).map(([a, b]) => (a === b ? `cpus=${a}` : `cpus=${a}-${b}`));
  if (node.memoryBytes === 0) return ['-numa', ['node', `nodeid=${i}`, ...cpus].join(',')];
  return ['-object', `memory-backend-ram,id=m${i},size=${node.memoryText}${noreserve}`, '-numa', ['node', `nodeid=${i}`, ...cpus, `memdev=m${i}`].join(',')];
}

/** Maximal runs of consecutive cpus, e.g. [0, 2, 3, 5] → [[0, 0], [2, 3], [5, 5]]; QEMU takes cpus= once per run. */
export function cpuRuns(cpus: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const c of sorted) {
    const last = runs[runs.length - 1];
    if (last && c === last[1] + 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs;
}

// Defence in depth: loadProfile guarantees all of this, but a hand-built spec could smuggle a comma
// into an option QEMU parses as key=value lists, or a newline into the kernel command line.
function assertValidated(spec: MachineSpec, vmlinuz: string): void {
  const bad = (what: string, v: unknown): never => {
    throw new Error(`buildQemuInvocation: ${what} ${JSON.stringify(v)} did not come from a validated profile`);
  };
  if (spec.machine !== 'pc' && spec.machine !== 'q35') bad('machine', spec.machine);
  if (!SIZE_RE.test(spec.memoryText)) bad('memory', spec.memoryText);
  if (!Number.isSafeInteger(spec.cpus) || spec.cpus < 1) bad('cpus', spec.cpus);
  if (spec.cpu !== undefined && !CPU_RE.test(spec.cpu)) bad('cpu', spec.cpu);
  for (const node of spec.numa ?? []) {
    if (!SIZE_RE.test(node.memoryText)) bad('numa memory', node.memoryText);
    if (!node.cpus.every((c) => Number.isSafeInteger(c) && c >= 0)) bad('numa cpus', node.cpus);
    if (node.cpus.length === 0 && node.memoryBytes === 0) bad('numa node without memory or cpus', node);
  }
  if (spec.cmdline !== undefined && !/^[\x20-\x7e]+$/.test(spec.cmdline)) bad('cmdline', spec.cmdline);
  if (vmlinuz.length === 0) bad('vmlinuz', vmlinuz);
  if (spec.probe !== undefined && spec.probe !== 'state') bad('probe', spec.probe);
}
