// The seeded draw of profiles "as a QEMU user writes them" (issue 10, "What was measured"): the
// distribution the envelope is measured on. Pure: a seed and the kernel ids in, profile texts out;
// the same seed and ids give the same profiles on every machine (a 32-bit PRNG, no Math.random).
// Each drawn profile is YAML text, so that it goes through the one profile loader like a user's file.

/** The CPU counts drawn (issue 10). */
export const DRAW_CPUS: readonly number[] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
/** The named models drawn (issue 10), 15% of profiles. */
export const DRAW_NAMED_MODELS: readonly string[] = ['Skylake-Client', 'EPYC', 'Haswell-noTSX', 'Nehalem', 'max'];
/** The five-level-paging model drawn for 15% of the x86_64 profiles (la57 is an x86_64 feature; TCG masks it on qemu-system-i386). */
export const DRAW_LA57_MODEL = 'qemu64,+la57';

/** A kernel's flavour as the Debian package names it, which sets its RAM range in the draw. */
export type DrawFlavour = 'amd64' | '686-pae' | '686';

/** The drawn RAM range per flavour, in MiB (issue 10): 96M–64G amd64, 96M–8G 686-pae, 96M–4G 686. */
export const DRAW_RAM_MIB: Readonly<Record<DrawFlavour, readonly [number, number]>> = {
  amd64: [96, 64 * 1024],
  '686-pae': [96, 8 * 1024],
  '686': [96, 4 * 1024],
};

/** A parameter family of the list with the spellings a user writes; `arch` limits it to one architecture. */
export interface ParamFamily {
  readonly family: string;
  readonly arch?: 'x86_64' | 'i386';
  /** The spellings, given the guest's RAM in MiB (memmap=exactmap needs a size that fits). */
  readonly values: (ramMiB: number) => readonly string[];
}

/** The common parameters of issue 10 (item 3's list and memblock=debug), each with a few usual values. */
export const DRAW_PARAMS: readonly ParamFamily[] = [
  { family: 'crashkernel', values: () => ['crashkernel=64M', 'crashkernel=128M', 'crashkernel=64M@16M', 'crashkernel=256M,high crashkernel=64M,low'] },
  { family: 'numa=fake', arch: 'x86_64', values: () => ['numa=fake=2', 'numa=fake=4'] },
  { family: 'numa=off', arch: 'x86_64', values: () => ['numa=off'] },
  { family: 'nosmp', values: () => ['nosmp'] },
  { family: 'maxcpus', values: () => ['maxcpus=1', 'maxcpus=2'] },
  { family: 'nr_cpus', values: () => ['nr_cpus=1', 'nr_cpus=2'] },
  { family: 'possible_cpus', values: () => ['possible_cpus=4', 'possible_cpus=8'] },
  { family: 'hugepages', values: () => ['hugepages=16', 'hugepagesz=2M hugepages=32', 'default_hugepagesz=2M'] },
  { family: 'cma', values: () => ['cma=16M', 'cma=64M'] },
  { family: 'swiotlb', values: () => ['swiotlb=8192', 'swiotlb=32768'] },
  { family: 'kernelcore', values: () => ['kernelcore=50%', 'movablecore=64M'] },
  { family: 'memmap=exactmap', values: (ram) => [`memmap=exactmap memmap=640K@0 memmap=${Math.max(16, Math.floor(Math.min(ram, 3072) / 2))}M@1M`] },
  { family: 'vmalloc', arch: 'i386', values: () => ['vmalloc=256M', 'vmalloc=512M'] },
  { family: 'highmem', arch: 'i386', values: () => ['highmem=256M'] },
  { family: 'hash_entries', values: () => ['dhash_entries=65536', 'ihash_entries=32768'] },
  { family: 'percpu_alloc', values: () => ['percpu_alloc=page'] },
  { family: 'slub', values: () => ['slub_max_order=0', 'slub_min_objects=16'] },
  { family: 'acpi=off', values: () => ['acpi=off'] },
  { family: 'noapic', values: () => ['noapic'] },
  { family: 'memblock=debug', values: () => ['memblock=debug'] },
];

/** The dimensions of one drawn profile, for the by-dimension report. */
export interface DrawDims {
  readonly kernel: string;
  readonly machine: 'pc' | 'q35';
  readonly ramBand: string;
  readonly cpus: string;
  readonly numa: string;
  readonly cpuModel: string;
  readonly param: string;
}

export interface DrawnProfile {
  readonly name: string;
  readonly yaml: string;
  readonly dims: DrawDims;
}

/** mulberry32 (Tommy Ettinger, public domain): a 32-bit state, uniform [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The flavour of a Debian kernel id (<series>-<flavour>): amd64, 686-pae or 686; undefined for another. */
export function flavourOf(id: string): DrawFlavour | undefined {
  if (id.endsWith('-amd64')) return 'amd64';
  if (id.endsWith('-686-pae')) return '686-pae';
  if (id.endsWith('-686')) return '686';
  return undefined;
}

/** The RAM band a size falls in, for the report. */
export function ramBand(mib: number): string {
  if (mib < 1024) return '<1G';
  if (mib < 4096) return '1G-4G';
  if (mib < 16384) return '4G-16G';
  return '16G-64G';
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new Error('unreachable: pick from an empty list');
  return x;
}

/**
 * Draws `count` profiles from issue 10's distribution. Kernels are drawn uniformly from `kernelIds`
 * (ids whose flavour is not amd64, 686-pae or 686 are not drawn).
 */
export function drawProfiles(seed: number, count: number, kernelIds: readonly string[]): DrawnProfile[] {
  const kernels = kernelIds.filter((id) => flavourOf(id) !== undefined).slice().sort();
  if (kernels.length === 0) throw new Error('drawProfiles: no amd64, 686-pae or 686 kernel id to draw from');
  const rnd = prng(seed);
  const out: DrawnProfile[] = [];
  for (let i = 0; i < count; i++) out.push(drawOne(rnd, kernels, `draw-${seed}-${String(i).padStart(3, '0')}`));
  return out;
}

function drawOne(rnd: () => number, kernels: readonly string[], name: string): DrawnProfile {
  // every draw takes the same number of rnd() calls in the same order, so a change to one
  // dimension's rule does not reshuffle the others
  const kernel = pick(rnd, kernels);
  const flavour = flavourOf(kernel)!;
  const arch = flavour === 'amd64' ? 'x86_64' : 'i386';
  const machine = rnd() < 0.6 ? 'pc' : 'q35';
  const [lo, hi] = DRAW_RAM_MIB[flavour];
  const ram = Math.round(Math.exp(Math.log(lo) + rnd() * (Math.log(hi) - Math.log(lo))));
  const cpus = pick(rnd, DRAW_CPUS);
  const numaRoll = rnd();
  const nodeCount = 2 + Math.floor(rnd() * 3);
  const weights = [rnd(), rnd(), rnd(), rnd()].map((w) => 1 + 3 * w);
  const modelRoll = rnd();
  const named = pick(rnd, DRAW_NAMED_MODELS);
  const paramRoll = rnd();
  const familyPick = rnd();
  const valuePick = rnd();

  const numa = arch === 'x86_64' && numaRoll < 0.25 ? splitNodes(ram, cpus, weights.slice(0, nodeCount)) : undefined;
  const cpuModel = modelRoll < 0.15 ? (arch === 'x86_64' ? DRAW_LA57_MODEL : undefined) : modelRoll < 0.3 ? named : undefined;
  let param: string | undefined;
  let family = 'none';
  if (paramRoll < 1 / 3) {
    const families = DRAW_PARAMS.filter((f) => f.arch === undefined || f.arch === arch);
    const f = families[Math.floor(familyPick * families.length)]!;
    const values = f.values(ram);
    param = values[Math.floor(valuePick * values.length)]!;
    family = f.family;
  }

  const lines = [`name: ${name}`, `kernel: ${kernel}`, `machine: ${machine}`, `memory: ${ram}M`, `cpus: ${cpus}`];
  if (cpuModel !== undefined) lines.push(`cpu: "${cpuModel}"`);
  if (numa) {
    lines.push('numa:');
    for (const n of numa) lines.push(`  - { memory: ${n.mib}M, cpus: [${n.cpus.join(', ')}] }`);
  }
  if (param !== undefined) lines.push(`cmdline: "${param}"`);
  return {
    name,
    yaml: `${lines.join('\n')}\n`,
    dims: {
      kernel,
      machine,
      ramBand: ramBand(ram),
      cpus: String(cpus),
      numa: numa ? `${numa.length} nodes` : 'none',
      cpuModel: cpuModel ?? 'default',
      param: family,
    },
  };
}

/**
 * Uneven nodes: sizes in proportion to the weights, in whole MiB, the last taking the remainder;
 * cpus in contiguous blocks (as `-numa node,cpus=a-b` is usually written), so with fewer cpus than
 * nodes the first nodes have none (a CPU-less node).
 */
function splitNodes(ram: number, cpus: number, weights: readonly number[]): Array<{ mib: number; cpus: number[] }> {
  const total = weights.reduce((a, b) => a + b, 0);
  const nodes: Array<{ mib: number; cpus: number[] }> = [];
  let left = ram;
  let cpu = 0;
  weights.forEach((w, i) => {
    const last = i === weights.length - 1;
    const mib = last ? left : Math.max(1, Math.floor((ram * w) / total));
    left -= mib;
    const take = last ? cpus - cpu : Math.floor(cpus / weights.length);
    const list = Array.from({ length: Math.max(0, take) }, (_, k) => cpu + k);
    cpu += list.length;
    nodes.push({ mib, cpus: list });
  });
  return nodes;
}
