// Live: build the probe initramfs from the pinned busybox-static (apt-get download into the cache),
// check it against its committed facts, boot a probe: state golden under QEMU, and check that the
// early lines and the state fields issue 13 found identical across boots equal the committed golden's.
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
import { prepareStateImage } from '../../qemu-scripts/initramfs/image.ts';
import { serialDamage } from '../../harness/capture-damage.ts';
import { stateProblem } from '../../harness/cli/commands/capture.ts';
import { parseStateLog, type StateLog } from '../../harness/state/parse.ts';

const NAME = 'x86_64-6.1-pc-512m-state';

function identical(s: StateLog): unknown {
  return {
    zones: s.zoneinfo.map((z) => [z.node, z.zone, z.fields.spanned, z.fields.present, z.fields.managed, z.fields.min, z.fields.low, z.fields.high, z.protection, z.pagesets.map((p) => p.fields.batch)]),
    memTotal: s.meminfo.get('MemTotal'),
    slab: s.slab,
    iomem: s.iomem,
  };
}

describe('live state probe', () => {
  it(`probe_reproduces_golden: ${NAME} booted now with the image built now gives the golden's early lines and deterministic state`, async () => {
    const spec = loadProfile(path.join(goldensDir, NAME, 'profile.yaml'));
    const kernel = loadKernel(spec.kernel);
    const image = await prepareStateImage(kernel.arch, { onProgress: (m) => console.log(`initramfs: ${m}`) });
    const fetched = await fetchKernel(kernel, { onProgress: (m) => console.log(`fetch: ${m}`) });
    const out = mkdtempSync(path.join(tmpdir(), 'bootsim-live-state-'));
    const r = await captureProfile(spec, kernel, fetched.vmlinuz, { goldensDir: out, force: true, damage: serialDamage, stateImage: image, stateCheck: stateProblem, onRetry: (m) => console.log(m) });
    console.log(`captured in ${r.meta.durationMs} ms (ended by ${r.meta.ended}; state done at ${r.meta.state?.doneMs} ms)`);
    expect(r.meta.ended).toBe('exit');
    const lines = (file: string): string[] => extractCatalogLines(normaliseLog(readFileSync(file), file), kernelKeyOfId(kernel.id)).map((l) => `${l.family}: ${l.text}`);
    const want = lines(path.join(goldensDir, NAME, 'serial.log'));
    expect(want.some((l) => l.includes('RAMDISK: [mem '))).toBe(true);
    expect(lines(path.join(r.dir, 'serial.log'))).toEqual(want);
    const read = (file: string): StateLog => parseStateLog(readFileSync(file, 'utf8'), file);
    expect(identical(read(path.join(r.dir, 'state.log')))).toEqual(identical(read(path.join(goldensDir, NAME, 'state.log'))));
  });
});
