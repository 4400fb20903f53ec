// One validator (issue 10 item 5): the loader checks the simulator's envelope (sim/envelope.ts) and
// reports a limit at its field's file, line and column with what is allowed and what was found;
// and a profile that loads is simulated (a property over generated profiles).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseProfile } from '../../../harness/profile/load.ts';
import { simulateSpec } from '../../../harness/simulate.ts';
import { SimError } from '../../../sim/lib/errors.ts';
import { ProfileError } from '../../../harness/profile/errors.ts';
import { DRAW_CPUS, DRAW_LA57_MODEL, DRAW_RAM_MIB } from '../../../harness/profile/draw.ts';

const FILE = '/tmp/h4-envelope/p.yaml';

function refusal(src: string, opts: Parameters<typeof parseProfile>[2] = {}): SimError {
  try {
    parseProfile(src, FILE, opts);
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected the envelope to refuse the profile');
}

describe('the loader reports envelope limits at their field', () => {
  test('q35 past 255 vCPUs: QEMU 7.2 refuses it under TCG, at the cpus value', () => {
    const e = refusal('kernel: 6.1-amd64\nmachine: q35\nmemory: 2G\ncpus: 256\n');
    expect(e.code).toBe('SIM_QEMU_REFUSES');
    expect(e.pos).toEqual({ file: FILE, line: 4, col: 7 });
    expect(e.message).toBe(`${FILE}:4:7: envelope: cpus: expected at most 255 under TCG, got 256 (QEMU 7.2 hw/i386/x86.c x86_cpus_init(): apic_id_limit > 255 without KVM's X2APIC API exits with "current -smp configuration requires kernel irqchip and X2APIC API support.")`);
    expect(() => parseProfile('kernel: 6.1-amd64\nmachine: q35\nmemory: 2G\ncpus: 255\n', FILE)).not.toThrow();
  });

  test('RAM below the image floor, at the memory value; lowered by mem=, at the cmdline', () => {
    const e = refusal('kernel: 6.1-amd64\nmachine: pc\nmemory: 32M\ncpus: 1\n');
    expect([e.code, e.pos]).toEqual(['SIM_NOT_MODELLED', { file: FILE, line: 3, col: 9 }]);
    expect(e.message).toMatch(/memory: expected at least \d+M of RAM to boot 6\.1-amd64, got 32M \(the boot protocol's pref_address 0x1000000 \+ init_size 0x[0-9a-f]+ must be RAM\)/);
    const m = refusal('kernel: 6.1-amd64\nmachine: pc\nmemory: 1G\ncpus: 1\ncmdline: mem=40M\n');
    expect(m.pos).toEqual({ file: FILE, line: 5, col: 10 });
    expect(m.message).toMatch(/cmdline: expected at least \d+M .*, got 40M after mem=/);
  });

  test('a refused parameter, at its own column inside a plain or quoted cmdline', () => {
    const plain = refusal('kernel: 6.12-amd64\nmachine: pc\nmemory: 1G\ncpus: 1\ncmdline: foo=1 mitigations=off\n');
    expect(plain.pos).toEqual({ file: FILE, line: 5, col: 16 });
    expect(plain.message).toContain('cmdline: mitigations=off: early_param("mitigations") is not modelled');
    const quoted = refusal('kernel: 6.12-amd64\nmachine: pc\nmemory: 1G\ncpus: 1\ncmdline: "foo=1 mitigations=off"\n');
    expect(quoted.pos).toEqual({ file: FILE, line: 5, col: 17 });
  });

  test('5.10 i386: a ZONE_MOVABLE carved from lowmem, at the kernelcore=/movablecore= parameter', () => {
    const e = refusal('kernel: 5.10-686-pae\nmachine: pc\nmemory: 512M\ncpus: 1\ncmdline: "foo=1 movablecore=64M"\n');
    expect([e.code, e.pos]).toEqual(['SIM_NOT_MODELLED', { file: FILE, line: 5, col: 17 }]);
    expect(e.message).toMatch(/cmdline: expected kernelcore=\/movablecore= that leave ZONE_MOVABLE in HighMem, at or above max_low_pfn 0x[0-9a-f]+ \(max_pfn 0x[0-9a-f]+\), got "movablecore=64M": ZONE_MOVABLE from pfn 0x[0-9a-f]+, carved from Normal \(5\.10-686-pae: zone_movable_is_highmem\(\) .*"BUG: Bad page state"/);
    const k = refusal('kernel: 5.10-686-pae\nmachine: pc\nmemory: 512M\ncpus: 1\ncmdline: kernelcore=50%\n');
    expect([k.pos, k.message.includes('got "kernelcore=50%"')]).toEqual([{ file: FILE, line: 5, col: 10 }, true]);
    // the same request where ZONE_MOVABLE comes from HighMem (2G), or on 6.1 (zone_movable_is_highmem() tests movable_zone), loads
    expect(() => parseProfile('kernel: 5.10-686-pae\nmachine: pc\nmemory: 2G\ncpus: 1\ncmdline: movablecore=512M\n', FILE)).not.toThrow();
    expect(() => parseProfile('kernel: 6.1-686-pae\nmachine: pc\nmemory: 512M\ncpus: 1\ncmdline: movablecore=64M\n', FILE)).not.toThrow();
  });

  test('probe: state loads: its initrd is modelled (sim/stages/initrd.ts), the harness gives its size', () => {
    expect(parseProfile('kernel: 6.1-amd64\nmachine: pc\nmemory: 512M\ncpus: 2\nprobe: state\n', FILE).probe).toBe('state');
  });

  test('a kernel without facts is not checked (its simulation fails on the facts instead)', () => {
    expect(() => parseProfile('kernel: 6.1-amd64\nmachine: q35\nmemory: 2G\ncpus: 256\n', FILE, { kernel: () => undefined })).not.toThrow();
    expect(() => parseProfile('kernel: 6.1-amd64\nmachine: q35\nmemory: 2G\ncpus: 256\n', FILE, { envelope: 'skip' })).not.toThrow();
  });
});

// The profiles a user writes (the envelope draw's dimensions, and the full cpu range of each machine):
// whatever loads must simulate. A refusal must come from the loader, with a position.
// kernelcore=/movablecore= sizes ZONE_MOVABLE (sim/stages/zone-movable.ts); on 5.10 i386 one carved
// from lowmem is refused by the loader (sim/stages/movable-lowmem.ts), wherever the RAM puts max_low_pfn
const CORE_CMDLINES = ['movablecore=64M', 'kernelcore=256M', 'movablecore=25%', 'kernelcore=10%', 'kernelcore=512M movablecore=30%', 'mem=700M movablecore=600M'];
const KERNELS = ['5.10-686-pae', '5.10-amd64', '6.1-686', '6.1-686-pae', '6.1-amd64', '6.12-amd64', '7.2-amd64'];
const profileArb = fc.record({
  kernel: fc.constantFrom(...KERNELS),
  machine: fc.constantFrom('pc', 'q35'),
  memMiB: fc.oneof(fc.integer({ min: 16, max: 4096 }), fc.integer({ min: 4096, max: 1024 * 1024 })),
  // the RAM a user gives each flavour (the draw's ranges; amd64 up to the 1T envelope): a 686-pae
  // guest of 56G is refused by the kernel itself (its mem_map does not fit in lowmem: it panics)
  cpus: fc.oneof(fc.constantFrom(...DRAW_CPUS), fc.integer({ min: 1, max: 288 })),
  la57: fc.boolean(),
  nodes: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
  // with the forms the loader refuses (a bare highmem, vmalloc or log_buf_len: "Malformed early
  // option") and the CPU parameters whose limit lines the possible-CPU code prints
  cmdline: fc.option(fc.constantFrom('mem=900M', 'log_buf_len=4M', 'init_on_free=1', 'memmap=64M$0x10000000', 'slub_max_order=1', 'foo=bar', 'highmem', 'vmalloc', 'log_buf_len', 'highmem=256M', 'nr_cpus=2', 'nosmp', 'possible_cpus=4', 'memmap=exactmap memmap=640K@0 memmap=76M@1M', ...CORE_CMDLINES), { nil: undefined }),
});

function yamlOf(q: { kernel: string; machine: string; memMiB: number; cpus: number; la57: boolean; nodes: number | undefined; cmdline: string | undefined }): string {
  const cap = q.kernel.endsWith('-amd64') ? 1024 * 1024 : DRAW_RAM_MIB[q.kernel.endsWith('-686-pae') ? '686-pae' : '686'][1];
  const p = { ...q, memMiB: Math.min(q.memMiB, cap) };
  const lines = [`kernel: ${p.kernel}`, `machine: ${p.machine}`, `memory: ${p.memMiB}M`, `cpus: ${p.cpus}`];
  if (p.la57 && p.kernel.endsWith('amd64')) lines.push(`cpu: "${DRAW_LA57_MODEL}"`);
  if (p.nodes !== undefined && p.cpus >= p.nodes && p.memMiB >= p.nodes * 64) {
    lines.push('numa:');
    const each = Math.floor(p.memMiB / p.nodes);
    const per = Math.floor(p.cpus / p.nodes);
    for (let i = 0; i < p.nodes; i++) {
      const last = i === p.nodes - 1;
      const cpus = Array.from({ length: last ? p.cpus - per * i : per }, (_, k) => per * i + k);
      lines.push(`  - { memory: ${last ? p.memMiB - each * i : each}M, cpus: [${cpus.join(', ')}] }`);
    }
  }
  if (p.cmdline) lines.push(`cmdline: "${p.cmdline}"`);
  return `${lines.join('\n')}\n`;
}

describe('a profile that loads is simulated', () => {
  test('property: parseProfile accepts ⇒ simulateSpec does not throw; parseProfile refuses ⇒ a coded error with a position', () => {
    fc.assert(
      fc.property(profileArb, (p) => {
        const src = yamlOf(p);
        let spec;
        try {
          spec = parseProfile(src, FILE);
        } catch (e) {
          if (!(e instanceof ProfileError || e instanceof SimError)) throw e;
          return e.pos?.line !== undefined;
        }
        simulateSpec(spec);
        return true;
      }),
      { seed: 1010, numRuns: 100 },
    );
  }, 60_000);

  test('property: kernelcore=/movablecore= on the i386 builds and 5.10-amd64: loads ⇒ simulates, refused ⇒ at the cmdline', () => {
    let refused = 0;
    let loaded = 0;
    fc.assert(
      fc.property(
        fc.record({ kernel: fc.constantFrom('5.10-686-pae', '6.1-686', '6.1-686-pae', '5.10-amd64'), machine: fc.constantFrom('pc', 'q35'), memMiB: fc.integer({ min: 128, max: 4096 }), cpus: fc.integer({ min: 1, max: 4 }), cmdline: fc.constantFrom(...CORE_CMDLINES) }),
        (p) => {
          let spec;
          try {
            spec = parseProfile(yamlOf({ ...p, la57: false, nodes: undefined }), FILE);
          } catch (e) {
            if (!(e instanceof ProfileError || e instanceof SimError)) throw e;
            if (!(e instanceof SimError && e.message.includes('ZONE_MOVABLE'))) return e.pos?.line !== undefined;
            refused++;
            return e.pos?.line === 5 && p.kernel === '5.10-686-pae';
          }
          loaded++;
          simulateSpec(spec);
          return true;
        },
      ),
      { seed: 1011, numRuns: 60 },
    );
    // both sides are drawn: some profiles carve ZONE_MOVABLE from lowmem on 5.10, most do not
    expect([refused > 0, loaded > 0]).toEqual([true, true]);
  }, 60_000);
});
