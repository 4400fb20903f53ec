// Live: fetch the pinned 6.1 kernel through the cache, boot the default profile under QEMU, and
// check that its memory lines equal the committed golden's. Proves the goldens are reproducible.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldensDir } from '../../sim/base/paths.ts';
import { loadKernel } from '../../harness/kernels.ts';
import { loadProfile } from '../../harness/profile/load.ts';
import { normaliseLog } from '../../harness/normalise.ts';
import { extractCatalogLines, kernelKeyOfId } from '../../harness/catalog/index.ts';
import { fetchKernel } from '../../qemu-scripts/kernel/fetch.ts';
import { captureProfile } from '../../qemu-scripts/capture.ts';
import { serialDamage } from '../../harness/capture-damage.ts';

const NAME = 'x86_64-6.1-pc-512m';

function memoryLines(raw: Buffer, file: string, kernelId: string): string[] {
  return extractCatalogLines(normaliseLog(raw, file), kernelKeyOfId(kernelId)).map((l) => `${l.family}: ${l.text}`);
}

describe('live capture', () => {
  it(`capture_reproduces_golden: ${NAME} booted now prints the committed golden's memory lines`, async () => {
    const t0 = performance.now();
    const spec = loadProfile(path.join(goldensDir, NAME, 'profile.yaml'));
    const kernel = loadKernel(spec.kernel);
    const fetched = await fetchKernel(kernel, { onProgress: (m) => console.log(`fetch: ${m}`) });
    const out = mkdtempSync(path.join(tmpdir(), 'bootsim-live-'));
    const r = await captureProfile(spec, kernel, fetched.vmlinuz, { goldensDir: out, force: true, damage: serialDamage, onRetry: (m) => console.log(m) });
    console.log(`captured in ${r.meta.durationMs} ms (ended by ${r.meta.ended}); total ${Math.round(performance.now() - t0)} ms`);

    const golden = readFileSync(path.join(goldensDir, NAME, 'serial.log'));
    const fresh = readFileSync(path.join(r.dir, 'serial.log'));
    const want = memoryLines(golden, 'golden', kernel.id);
    expect(want.length).toBeGreaterThan(40);
    expect(memoryLines(fresh, 'fresh', kernel.id)).toEqual(want);
  });
});
