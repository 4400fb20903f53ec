// Checks the committed facts, which come from the package alone, against what the real kernels
// printed in the golden serial logs: the banner, the five image sizes of the Memory: line and
// percpu's static size. Nothing here feeds the extractor; it only verifies it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { goldensDir } from '../../../harness/paths.ts';
import { kernelIds, loadKernel } from '../../../harness/kernels.ts';

interface Seen { banner?: string; memory?: number[]; percpuStatic?: number }

// mem_init_print_info: "Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, %luK bss, …"
const MEMORY = /Memory: \d+K\/\d+K available \((\d+)K kernel code, (\d+)K rwdata, (\d+)K rodata, (\d+)K init, (\d+)K bss,/;
// pcpu_embed_first_chunk: "percpu: Embedded %zu pages/cpu s%zu r%zu d%zu u%zu"
const PERCPU = /percpu: Embedded \d+ pages\/cpu s(\d+) r\d+ d\d+ u\d+/;

function seenIn(log: string): Seen {
  const seen: Seen = {};
  for (const line of log.split('\n')) {
    const b = /(Linux version .*?)\r?$/.exec(line);
    if (b && seen.banner === undefined) seen.banner = b[1]!;
    const m = MEMORY.exec(line);
    if (m && seen.memory === undefined) seen.memory = m.slice(1, 6).map(Number);
    const p = PERCPU.exec(line);
    if (p && seen.percpuStatic === undefined) seen.percpuStatic = Number(p[1]);
  }
  return seen;
}

const ids = new Set(kernelIds());
const profiles = existsSync(goldensDir)
  ? readdirSync(goldensDir).filter((d) => existsSync(path.join(goldensDir, d, 'profile.yaml')) && existsSync(path.join(goldensDir, d, 'serial.log'))).sort()
  : [];

describe('kernel facts against the golden logs', () => {
  it.skipIf(profiles.length > 0)('no golden logs yet', () => {});
  for (const profile of profiles) {
    const kernel = String((parse(readFileSync(path.join(goldensDir, profile, 'profile.yaml'), 'utf8')) as { kernel?: unknown })?.kernel);
    const facts = ids.has(kernel) ? loadKernel(kernel).facts : undefined;
    it.skipIf(facts === undefined)(`facts_matchLog_${profile}: expect ${kernel}'s banner, Memory: sizes and percpu s= as the kernel printed them`, () => {
      const seen = seenIn(readFileSync(path.join(goldensDir, profile, 'serial.log'), 'latin1'));
      const img = facts!.image;
      expect(seen.banner).toBe(facts!.banner);
      if (seen.memory) expect([img.codeK, img.rwdataK, img.rodataK, img.initK, img.bssK]).toEqual(seen.memory);
      if (seen.percpuStatic !== undefined) expect(facts!.staticPercpuBytes).toBe(seen.percpuStatic);
      expect(seen.memory ?? seen.percpuStatic, 'the log has neither a Memory: nor a percpu line').toBeDefined();
    });
  }
});
